"""Shared fixtures: the embedding model is loaded once per test session, and the shipped sample
documents are indexed once into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build_index
from runtime.settings import DEFAULT_MODEL, Settings
from runtime.embed import Embedder

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = REPO / "documents"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory, monkeypatch):
    """No test touches the user's index or reads a config file from the working directory."""
    monkeypatch.setenv("EDUSEARCH_INDEX_DIR", str(tmp_path_factory.getbasetemp() / "default-index"))
    monkeypatch.setenv("EDUSEARCH_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def torch_embedder() -> Embedder:
    """The default model on PyTorch, as converted: what the other backends are measured against."""
    return Embedder(DEFAULT_MODEL, "torch")


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory, embedder) -> Settings:
    settings = Settings(index_dir=tmp_path_factory.mktemp("sample-index"))
    build_index(DOCUMENTS, settings, show_progress=False, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def engine(sample_settings, embedder):
    from search.engine import SearchEngine

    return SearchEngine(sample_settings, embedder=embedder)


@pytest.fixture(scope="session")
def articles_engine(tmp_path_factory, embedder):
    """Law articles written for the tests, one per file, each titled by its first line."""
    from search.engine import SearchEngine

    settings = Settings(index_dir=tmp_path_factory.mktemp("articles-index"))
    build_index(REPO / "tests" / "search" / "data" / "articles", settings, show_progress=False, embedder=embedder)
    return SearchEngine(settings, embedder)


def sample(prefix: str) -> Path:
    return next(DOCUMENTS.glob(f"{prefix}_*"))
