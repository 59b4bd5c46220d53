"""Robustness trials index and search again and again (twenty kills of an indexing process, faults at each
save step, hostile files); which model embeds is beside their point. They run with the small English
model, a real one, all-MiniLM-L6-v2 (6 layers against multilingual-e5-small's 12), so that the suite stays
within CI's time; the default model is tested everywhere else."""

from __future__ import annotations

import pytest

from runtime.settings import FALLBACK_MODEL
from runtime.embed import Embedder

SMALL_MODEL = FALLBACK_MODEL


@pytest.fixture
def small_model_commands(monkeypatch):
    """`edusearch` processes started by a test embed with the small model too."""
    monkeypatch.setenv("EDUSEARCH_MODEL", SMALL_MODEL)


@pytest.fixture(scope="session")
def small_embedder() -> Embedder:
    return Embedder(SMALL_MODEL)
