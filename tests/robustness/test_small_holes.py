"""Smaller holes: a refused upload saves nothing, download tables do not pile up, the monitoring route is
closed, and a config file that sends questions elsewhere is always named."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from runtime.settings import load_settings
from search.answer import answer
from search.engine import SearchEngine
from tests.conftest import DOCUMENTS
from tests.ui.running import running_app
from search.service import SearchService
from ui import admin, downloads, handlers


def test_an_upload_refused_while_another_is_indexed_saves_nothing(tmp_path, engine):
    folder = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, folder)
    state = handlers.AppState(SearchService(engine.settings, engine=engine), folder)
    upload = tmp_path / "ke-hoach.txt"
    upload.write_text("KẾ HOẠCH\nThử\n", encoding="utf-8")
    with state._writing():  # another upload is being indexed
        with pytest.raises(admin.AdminError, match="Đang cập nhật"):
            state.add([(upload, "ke-hoach.txt")])
    assert not (folder / admin.UPLOAD_FOLDER).exists() or not any((folder / admin.UPLOAD_FOLDER).iterdir())


def test_download_tables_share_one_folder_that_is_removed(monkeypatch):
    folder = downloads.CsvFolder()
    paths = [Path(folder.write("chi-tieu", f"bảng {n}", "a,b\n")) for n in range(3)]
    roots = {p.parent.parent for p in paths}
    assert len(roots) == 1 and all(p.is_file() for p in paths)
    monkeypatch.setattr(downloads, "CSV_MAX_AGE_S", -1)  # every older table is now stale
    newest = Path(folder.write("chi-tieu", "bảng 4", "a,b\n"))
    assert not any(p.exists() for p in paths) and newest.is_file()
    folder.remove()
    assert not roots.pop().exists()


def test_the_monitoring_route_shows_nothing(engine):
    with running_app(engine, DOCUMENTS) as url:
        for route in ("monitoring/summary", "monitoring"):
            try:
                with urllib.request.urlopen(f"{url}{route}", timeout=30) as response:
                    status, body = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, body = error.code, ""
            assert status in (403, 404), (route, status, body[:200])


def test_a_config_file_that_sends_questions_elsewhere_is_named_with_every_answer(tmp_path, monkeypatch,
                                                                                 sample_settings, embedder):
    config = tmp_path / "edusearch.toml"
    config.write_text('llm_url = "http://127.0.0.1:9/v1"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EDUSEARCH_CONFIG", raising=False)
    settings = load_settings(index_dir=sample_settings.index_dir)
    assert settings.llm_url == "http://127.0.0.1:9/v1"
    result = answer(SearchEngine(settings, embedder), "Sở Nội vụ tham mưu biên chế cho ngành giáo dục")
    assert result.short
    assert any("http://127.0.0.1:9/v1" in n and str(config.resolve()) in n for n in result.notes), result.notes
