"""A build with many passages to embed is searchable by keywords first, and by meaning when embedding ends;
whoever searches meanwhile is told how long it will take."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from indexer import generations as gen
from indexer.build import SEARCHABLE, UNCHANGED, build_index
from indexer.progress import EmbeddingProgress, read_progress, write_progress
from runtime.settings import Settings
from search.service import SearchService
from tests.conftest import DOCUMENTS
from ui.handlers import AppState, Library


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, folder)
    return folder


@pytest.mark.slow  # a whole index build
def test_keyword_search_answers_while_passages_are_embedded_and_meaning_joins_when_they_are(tmp_path, corpus,
                                                                                             embedder):
    settings = Settings(index_dir=tmp_path / "index", lexical_first_chunks=50)
    while_embedding = {}

    def on_stage(stage):
        if stage == SEARCHABLE:
            service = SearchService(settings, embedder=embedder)
            while_embedding.update(service=service, status=service.status(), progress=read_progress(settings.index_dir),
                                   hits=service.search("Sở Tài chính bố trí kinh phí", k=5),
                                   answer=service.ask("Sở nào chủ trì tham mưu bố trí kinh phí thực hiện kế hoạch?"),
                                   notice=Library(AppState(service, corpus)).stage()[0])

    report = build_index(corpus, settings, show_progress=False, embedder=embedder, on_stage=on_stage)

    status, progress = while_embedding["status"], while_embedding["progress"]
    assert not status.semantic_ready and report.searchable_seconds < report.seconds
    assert "tìm theo từ khóa" in status.semantic_note() and "tìm theo nghĩa sẽ sẵn sàng" in status.semantic_note()
    assert progress.total == report.chunks_total and progress.running()
    assert "tìm theo nghĩa sẽ sẵn sàng" in while_embedding["notice"]
    hits = while_embedding["hits"]
    assert hits and all(h.lexical_rank and h.dense_rank is None for h in hits)
    assert "Sở Tài chính" in while_embedding["answer"].short

    service = while_embedding["service"]  # the same service, now over the hybrid generation
    after = service.status()
    assert after.semantic_ready and after.semantic_note() == "" and not service.integrity_problems()
    assert any(h.dense_rank for h in service.search("Sở Tài chính bố trí kinh phí", k=5))
    assert Library(AppState(service, corpus)).stage()[0] == ""
    assert read_progress(settings.index_dir) is None


def test_a_small_build_publishes_once(tmp_path, corpus, embedder):
    settings = Settings(index_dir=tmp_path / "index")  # 86 passages, under the default 256
    stages = []
    report = build_index(corpus, settings, show_progress=False, embedder=embedder, on_stage=stages.append)
    assert SEARCHABLE not in stages and report.searchable_seconds is None
    assert len(list(gen.generations_dir(settings.index_dir).iterdir())) == 1


@pytest.mark.slow
def test_a_build_killed_while_embedding_leaves_keyword_search_and_the_next_build_completes_it(tmp_path, corpus,
                                                                                            embedder):
    settings = Settings(index_dir=tmp_path / "index")
    env = {**os.environ, "EDUSEARCH_INDEX_DIR": str(settings.index_dir), "EDUSEARCH_LEXICAL_FIRST_CHUNKS": "0"}
    process = subprocess.Popen([sys.executable, "-m", "ui.cli", "index", str(corpus), "--quiet"], env=env,
                               cwd=DOCUMENTS.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and read_progress(settings.index_dir) is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()

    service = SearchService(settings, embedder=embedder)
    assert not service.status().semantic_ready
    assert "dừng giữa chừng" in service.status().semantic_note()
    assert service.search("Sở Tài chính bố trí kinh phí", k=3)

    rerun = build_index(corpus, settings, show_progress=False, embedder=embedder)
    assert rerun.count(UNCHANGED) == 5 and rerun.chunks_embedded == rerun.chunks_total
    assert service.status().semantic_ready and not service.integrity_problems()


def test_the_notice_says_how_long_until_search_by_meaning(tmp_path):
    write_progress(tmp_path, EmbeddingProgress(os.getpid(), time.time(), done=3000, total=31131, rate=6.2))
    progress = read_progress(tmp_path)
    assert round(progress.eta_s() / 60) == 76
    status = _lexical_status(progress)
    assert status.semantic_note() == ("Đang tìm theo từ khóa; tìm theo nghĩa sẽ sẵn sàng sau khoảng 1 giờ 16 phút "
                                      "(đã mã hóa 3.000/31.131 đoạn).")
    assert "sau ít phút" in _lexical_status(EmbeddingProgress(os.getpid(), time.time(), 0, 500, 0.0)).semantic_note()
    (tmp_path / "PROGRESS").write_text("{not json", encoding="utf-8")
    assert read_progress(tmp_path) is None


def _lexical_status(progress):
    from search.service import IndexStatus

    return IndexStatus(5, 86, "", "g1", "", "multilingual-e5-small", 0, semantic_ready=False, embedding=progress)
