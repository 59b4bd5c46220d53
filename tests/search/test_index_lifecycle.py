"""Incremental updates, atomic publishing, kills mid-build, model mismatch and the writer lock."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest

from indexer import generations as gen
from indexer.build import INDEXED, REMOVED, UNCHANGED, build_index
from runtime.settings import DEFAULT_MODEL, FALLBACK_MODEL, Settings
from runtime.embed import Embedder
from indexer.generations import IndexLocked, IndexUnusable, WriterLock
from search.engine import SearchEngine
from tests.conftest import DOCUMENTS


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, folder)
    return folder


@pytest.mark.slow  # OCR or a whole index build: out of the quick loop
def test_changing_one_document_re_embeds_only_that_document(tmp_path, corpus, embedder):
    settings = Settings(index_dir=tmp_path / "index")
    first = build_index(corpus, settings, show_progress=False, embedder=embedder)
    assert first.chunks_embedded == first.chunks_total

    changed = next(corpus.glob("002_*"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\nĐảng ủy Sở tổ chức hội thao giáo viên toàn tỉnh.\n",
                       encoding="utf-8")
    next(corpus.glob("004_*")).unlink()
    second = build_index(corpus, settings, show_progress=False, embedder=embedder)

    status = {f.doc[:3]: f.status for f in second.files}
    assert status == {"000": UNCHANGED, "001": UNCHANGED, "002": INDEXED, "003": UNCHANGED, "004": REMOVED}
    changed_chunks = next(f.chunks for f in second.files if f.doc.startswith("002"))
    assert second.chunks_embedded == changed_chunks
    hits = SearchEngine(settings, embedder=embedder).search("hội thao giáo viên", k=1)
    assert hits[0].doc.startswith("002")


def test_index_records_its_model_and_refuses_another(sample_settings, embedder):
    other = Settings(index_dir=sample_settings.index_dir, model="/nonexistent/bge-m3")
    with pytest.raises(IndexUnusable, match=f"built with model '{re.escape(sample_settings.index_model)}'"):
        SearchEngine(other, embedder=embedder)
    with pytest.raises(IndexUnusable, match="--rebuild"):
        build_index(DOCUMENTS, other, show_progress=False)


def test_an_index_built_with_the_english_model_is_refused_by_the_default_with_the_command_to_rebuild(tmp_path, corpus):
    english = Settings(index_dir=tmp_path / "index", model=FALLBACK_MODEL)
    build_index(corpus, english, show_progress=False)
    built, configured = re.escape(english.index_model), re.escape(Settings().index_model)
    with pytest.raises(IndexUnusable, match=f"built with model '{built}', but the configured model is "
                                            f"'{configured}'. Rebuild with: edusearch index --rebuild"):
        SearchEngine(Settings(index_dir=english.index_dir))


@pytest.mark.slow  # OCR or a whole index build: out of the quick loop
def test_the_int8_backend_is_faster_kin_of_the_model_and_never_mixed_with_it(tmp_path, corpus, embedder):
    fast = Embedder(DEFAULT_MODEL, "int8")
    assert fast.name == f"{DEFAULT_MODEL} [int8]"
    texts = ["Sở Tài chính bố trí kinh phí thực hiện Kế hoạch", "phổ cập giáo dục mầm non cho trẻ 5 tuổi"]
    quantized, full = fast.embed_passages(texts), embedder.embed_passages(texts)
    assert np.allclose(np.linalg.norm(quantized, axis=1), 1.0, atol=1e-3)
    assert (quantized * full).sum(axis=1).min() > 0.85  # close to, not the same as, full precision

    settings = replace(Settings(index_dir=tmp_path / "index"), embed_backend="int8")
    build_index(corpus, settings, show_progress=False, embedder=fast)
    assert SearchEngine(settings, embedder=fast).search("Sở Tài chính bố trí kinh phí", k=3)[0].section.endswith(
        "3. Sở Tài chính")
    with pytest.raises(IndexUnusable, match=rf"built with model '{DEFAULT_MODEL} \[int8\]'"):
        SearchEngine(replace(settings, embed_backend="torch"), embedder=embedder)


@pytest.mark.slow  # OCR or a whole index build: out of the quick loop
def test_a_damaged_index_is_refused(tmp_path, corpus, embedder):
    settings = Settings(index_dir=tmp_path / "index")
    build_index(corpus, settings, show_progress=False, embedder=embedder)
    faiss_file = gen.current_generation(settings.index_dir) / gen.VECTORS
    data = bytearray(faiss_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    faiss_file.write_bytes(bytes(data))
    with pytest.raises(IndexUnusable, match="damaged"):
        SearchEngine(settings, embedder=embedder)


def test_second_writer_stops_at_once(tmp_path):
    with WriterLock(tmp_path):
        with pytest.raises(IndexLocked, match="already running"):
            with WriterLock(tmp_path):
                pass


def _index_command(folder, index_dir):
    env = {**os.environ, "EDUSEARCH_INDEX_DIR": str(index_dir)}
    return [sys.executable, "-m", "ui.cli", "index", str(folder), "--rebuild", "--quiet"], env


@pytest.mark.slow
@pytest.mark.parametrize("kill_when", ["while reading", "while writing the new generation"])
def test_killed_build_leaves_the_previous_index_answering(tmp_path, corpus, embedder, kill_when):
    settings = Settings(index_dir=tmp_path / "index")
    build_index(corpus, settings, show_progress=False, embedder=embedder)
    live = gen.current_generation(settings.index_dir)
    before = [h.chunk_id for h in SearchEngine(settings, embedder=embedder).search("Sở Tài chính bố trí kinh phí")]

    command, env = _index_command(corpus, settings.index_dir)
    process = subprocess.Popen(command, env=env, cwd=DOCUMENTS.parent, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    if kill_when == "while reading":
        time.sleep(1.0)
    else:
        while time.monotonic() < deadline and process.poll() is None:
            started = [p for p in gen.generations_dir(settings.index_dir).iterdir() if p != live]
            if started:
                break
            time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert gen.current_generation(settings.index_dir) == live
    after = [h.chunk_id for h in SearchEngine(settings, embedder=embedder).search("Sở Tài chính bố trí kinh phí")]
    assert after == before
    rerun = build_index(corpus, settings, show_progress=False, embedder=embedder)
    assert rerun.count(UNCHANGED) == 5
