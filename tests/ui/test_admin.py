"""Adding and removing plans: password, file types and sizes, safe names, nothing outside documents/."""

import pytest

from ui import admin


@pytest.mark.parametrize(("sent", "kept"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/etc/cron.d/evil.pdf", "evil.pdf"),
    ("C:\\Users\\a\\Kế hoạch 2024.DOCX", "Kế hoạch 2024.docx"),
    ("bad\x00name.txt", "badname.txt"),
    (".hidden.txt", "hidden.txt"),
    ("Kế hoạch  số 43/KH-UBND.pdf", "KH-UBND.pdf"),
    ("a<b>|c?.html", "a_b_c.html"),
    ("..", "tai-lieu"),
    ("Ke\u0302\u0301 hoa\u0323ch.txt", "Kế hoạch.txt"),
])
def test_upload_names_are_made_safe(sent, kept):
    assert admin.safe_name(sent) == kept


def test_uploads_are_off_without_a_password_and_refuse_a_wrong_one(monkeypatch):
    monkeypatch.delenv(admin.PASSWORD_VARIABLE, raising=False)
    assert not admin.uploads_enabled()
    with pytest.raises(admin.AdminError, match="đang tắt"):
        admin.check_password("anything")
    monkeypatch.setenv(admin.PASSWORD_VARIABLE, "s3cret")
    monkeypatch.setattr(admin, "PASSWORD_CHECK_S", 0)
    monkeypatch.setattr(admin, "GUARD", admin.PasswordGuard())
    with pytest.raises(admin.AdminError, match="Sai mật khẩu"):
        admin.check_password("wrong")
    admin.check_password("s3cret")


def test_saving_uploads_keeps_types_sizes_and_existing_files(tmp_path, monkeypatch):
    documents, incoming = tmp_path / "documents", tmp_path / "incoming"
    documents.mkdir(), incoming.mkdir()
    good, script, big = incoming / "a", incoming / "b", incoming / "c"
    good.write_text("Kế hoạch", encoding="utf-8")
    script.write_text("#!/bin/sh", encoding="utf-8")
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(admin, "MAX_UPLOAD_MB", 0.001)
    saved = admin.save_uploads(documents, [(good, "../../kế hoạch.txt"), (good, "kế hoạch.txt"),
                                           (script, "run.sh"), (big, "big.txt")])
    assert [s.doc for s in saved] == ["tai-len/kế hoạch.txt", "tai-len/kế hoạch (2).txt", None, None]
    assert "không được hỗ trợ" in saved[2].problem and "quá giới hạn" in saved[3].problem
    assert sorted(p.name for p in (documents / "tai-len").iterdir()) == ["kế hoạch (2).txt", "kế hoạch.txt"]


def test_removing_is_limited_to_files_inside_documents(tmp_path):
    documents = tmp_path / "documents"
    (documents / "tai-len").mkdir(parents=True)
    plan = documents / "tai-len" / "plan.txt"
    plan.write_text("x", encoding="utf-8")
    (documents / "tai-len" / "plan.txt.meta.json").write_text("{}", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    for doc in ("../outside.txt", str(outside), "", "tai-len"):
        with pytest.raises(admin.AdminError):
            admin.remove_document(documents, doc)
    admin.remove_document(documents, "tai-len/plan.txt")
    assert list((documents / "tai-len").iterdir()) == [] and outside.exists()


def test_a_removed_plan_leaves_the_live_index(tmp_path, embedder):
    from indexer.build import build_index
    from runtime.settings import Settings
    from search.service import SearchService
    from ui.handlers import AppState

    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "a.txt").write_text("KẾ HOẠCH\nPhòng chống đuối nước\nDạy bơi an toàn cho học sinh tiểu học.\n", encoding="utf-8")
    (documents / "b.txt").write_text("KẾ HOẠCH\nChuyển đổi số\nỨng dụng công nghệ trong các trường học.\n", encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", documents=documents)
    build_index(documents, settings, show_progress=False, embedder=embedder)
    state = AppState(SearchService(settings, embedder=embedder), documents)
    assert state.service.search("dạy bơi", k=1)[0].doc == "a.txt"
    admin.remove_document(documents, "a.txt")
    reports = {r.doc: r.status for r in state.reindex()}
    assert reports == {"a.txt": "removed", "b.txt": "unchanged"}
    assert list(state.service.documents()) == ["b.txt"]
    assert all(hit.doc == "b.txt" for hit in state.service.search("dạy bơi", k=3))
