"""Symbolic links in the documents folder: nothing outside the folder is read, indexed, shown or deleted."""

from __future__ import annotations

import pytest

from indexer.build import SKIPPED, build_index
from runtime.settings import Settings
from tests.robustness.conftest import SMALL_MODEL
from search.engine import SearchEngine
from ui import admin

SECRET = "Mật khẩu máy chủ SECRETLINE 7f3a kế hoạch giáo dục"


@pytest.fixture()
def linked_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "plan.txt.meta.json").write_text('{"title": "SECRETLINE title"}', encoding="utf-8")
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "ke-hoach.txt").write_text("KẾ HOẠCH\nPhát triển giáo dục mầm non\nI. MỤC TIÊU\nNâng cao chất "
                                         "lượng giáo dục mầm non.\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(outside / "secret.txt")
    (folder / "ngoai").symlink_to(outside, target_is_directory=True)
    (folder / "ban-sao.txt").symlink_to(folder / "ke-hoach.txt")
    (folder / "ke-hoach.txt.meta.json").symlink_to(outside / "plan.txt.meta.json")
    return folder


def test_links_out_of_the_documents_folder_are_skipped_with_the_reason(linked_folder, tmp_path, small_embedder):
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path / "index")
    report = build_index(linked_folder, settings, show_progress=False, embedder=small_embedder)
    outcome = {r.doc: (r.status, r.reason) for r in report.files}
    assert outcome["passwd.txt"][0] == SKIPPED and "outside the documents folder" in outcome["passwd.txt"][1]
    assert outcome["ngoai"][0] == SKIPPED
    assert not any(doc.startswith("ngoai/") for doc in outcome)
    engine = SearchEngine(settings, small_embedder)
    assert all("SECRETLINE" not in h.text for h in engine.search("SECRETLINE máy chủ", k=10))
    assert all("SECRETLINE" not in (d.meta.title or "") for d in engine.index.documents.values())


def test_removing_a_link_never_deletes_what_it_points_to(linked_folder):
    target = linked_folder / "ke-hoach.txt"
    admin.remove_document(linked_folder, "ban-sao.txt")
    assert not (linked_folder / "ban-sao.txt").is_symlink()
    assert target.is_file()
    admin.remove_document(linked_folder, "passwd.txt")
    assert (linked_folder.parent / "outside" / "secret.txt").read_text(encoding="utf-8") == SECRET
