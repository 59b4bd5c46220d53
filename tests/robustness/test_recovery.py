"""A damaged index is rebuilt by the advised command (and by `serve`, which indexes first); a failed write
says what failed in one line and leaves no half-written generation behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from indexer import bm25, build, generations as gen, store
from indexer.build import build_index
from runtime.settings import Settings
from tests.robustness.conftest import SMALL_MODEL
from search.engine import SearchEngine
from search.live_index import OpenIndex
from tests.robustness.test_kill_and_faults import QUESTION, _assert_whole_and_answering, corpus  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture()
def built(tmp_path, corpus, small_embedder) -> Settings:
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path / "index")
    build_index(corpus, settings, show_progress=False, embedder=small_embedder)
    return settings


def _pointer(text: bytes):
    def damage(index_dir: Path) -> None:
        (index_dir / gen.POINTER).write_bytes(text)
    return damage


def _manifest(text: str):
    def damage(index_dir: Path) -> None:
        (gen.current_generation(index_dir) / gen.MANIFEST).write_text(text, encoding="utf-8")
    return damage


DAMAGE = {
    "empty CURRENT": _pointer(b""),
    "binary CURRENT": _pointer(b"\x00\xff\xfe\x9b garbage"),
    "CURRENT is ..": _pointer(b".."),
    "CURRENT names no generation": _pointer(b"g19990101T000000-1-000001\n"),
    "manifest not JSON": _manifest("{broken"),
    "manifest of the wrong types": _manifest('{"schema_version": "3", "normalization_version": 2, '
                                             '"chunker_version": 2, "model": 7, "dimension": "384", '
                                             '"created": "", "documents": [], "counts": 0}'),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("rebuild", [True, False], ids=["index --rebuild", "index or serve"])
def test_the_advised_rebuild_recovers_a_damaged_index(built, corpus, small_embedder, damage, rebuild):
    DAMAGE[damage](built.index_dir)
    report = build_index(corpus, built, rebuild=rebuild, show_progress=False, embedder=small_embedder)
    assert report.chunks_total > 0
    assert _assert_whole_and_answering(built, small_embedder)


def test_a_manifest_of_the_wrong_types_is_refused_with_a_message(built):
    DAMAGE["manifest of the wrong types"](built.index_dir)
    with pytest.raises(gen.IndexUnusable, match="wrong type.*edusearch index --rebuild"):
        OpenIndex(built.index_dir, built.index_model)


def _raise(error: BaseException):
    def fail(*args, **kwargs):
        raise error
    return fail


LIBRARY_ERRORS = {  # what each library raises when the disk fills up under it
    "chunk store (sqlite3)": (store.StoreWriter, "close", sqlite3.OperationalError("database or disk is full")),
    "bm25 (tantivy)": (bm25.Bm25Writer, "commit", ValueError("Failed to commit: An IO error occurred: 'No space "
                                                              "left on device (os error 28)'")),
    "vectors (faiss)": (build, "write_faiss", RuntimeError("Error in faiss::FileIOWriter::operator() at "
                                                           "impl/io.cpp:101: ret == (1): No space left on device")),
}


@pytest.mark.parametrize("step", list(LIBRARY_ERRORS))
def test_a_full_disk_under_each_library_is_one_clear_message(built, corpus, small_embedder, monkeypatch, step):
    owner, name, error = LIBRARY_ERRORS[step]
    live = gen.current_generation(built.index_dir)
    monkeypatch.setattr(owner, name, _raise(error))
    with pytest.raises(gen.IndexWriteFailed) as failure:
        build_index(corpus, built, rebuild=True, show_progress=False, embedder=small_embedder)
    message = str(failure.value)
    assert message.startswith("could not write the new index (disk full: ")
    assert "the previous index is unchanged and still answers" in message and "\n" not in message
    monkeypatch.undo()
    assert [p for p in gen.generations_dir(built.index_dir).iterdir()] == [live]
    assert _assert_whole_and_answering(built, small_embedder)


def test_a_half_written_generation_left_by_a_crash_is_cleaned_at_the_next_start(built, corpus, small_embedder):
    stale = gen.generations_dir(built.index_dir) / "g20000101T000000-1-000001"
    (stale / "bm25").mkdir(parents=True)
    (stale / "store.sqlite").write_bytes(b"half")
    build_index(corpus, built, show_progress=False, embedder=small_embedder)
    assert not stale.exists()
    assert SearchEngine(built, small_embedder).search(QUESTION, k=1)
