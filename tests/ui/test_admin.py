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
    good, other, script, big = incoming / "a", incoming / "b", incoming / "c", incoming / "d"
    good.write_text("Kế hoạch", encoding="utf-8")
    other.write_text("Kế hoạch khác", encoding="utf-8")
    script.write_text("#!/bin/sh", encoding="utf-8")
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(admin, "MAX_UPLOAD_MB", 0.001)
    saved = admin.save_uploads(documents, [(good, "../../kế hoạch.txt"), (other, "kế hoạch.txt"),
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


def test_an_upload_whose_content_is_already_in_the_documents_folder_is_refused(tmp_path):
    documents, incoming = tmp_path / "documents", tmp_path / "incoming"
    (documents / "tai-len").mkdir(parents=True), incoming.mkdir()
    (documents / "003_ke-hoach.txt").write_bytes("KẾ HOẠCH số 43".encode())
    (documents / "tai-len" / "bao-cao.pdf").write_bytes(b"%PDF-1.4 report")
    (documents / ".an" / "hidden.txt").parent.mkdir()
    (documents / ".an" / "hidden.txt").write_bytes(b"hidden plan")
    (documents / "003_ke-hoach.txt.meta.json").write_bytes(b'{"a": "x"}')
    copy, renamed_pdf, same_size, hidden, sidecar = (incoming / n for n in "abcde")
    copy.write_bytes("KẾ HOẠCH số 43".encode())
    renamed_pdf.write_bytes(b"%PDF-1.4 report")
    same_size.write_bytes("KẾ HOẠCH số 44".encode())
    hidden.write_bytes(b"hidden plan")
    sidecar.write_bytes(b'{"a": "x"}')
    saved = admin.save_uploads(documents, [(copy, "bản sao.txt"), (renamed_pdf, "Báo cáo.PDF"), (same_size, "mới.txt"),
                                           (same_size, "mới lần hai.txt"), (hidden, "ẩn.txt"), (sidecar, "b.txt")])
    assert [(s.doc, s.copy_of) for s in saved] == [
        (None, "003_ke-hoach.txt"), (None, "tai-len/bao-cao.pdf"), ("tai-len/mới.txt", None),
        (None, "tai-len/mới.txt"),  # twice in one upload: kept once
        ("tai-len/ẩn.txt", None), ("tai-len/b.txt", None)]  # hidden files and sidecars are not documents
    assert "trùng với tệp “003_ke-hoach.txt”" in saved[0].problem
    assert sorted(p.name for p in (documents / "tai-len").iterdir()) == ["b.txt", "bao-cao.pdf", "mới.txt", "ẩn.txt"]


def test_a_duplicate_upload_is_reported_with_the_indexed_plan_it_duplicates(tmp_path, embedder, monkeypatch):
    from indexer.build import build_index
    from runtime.settings import Settings
    from search.service import SearchService
    from tests.conftest import sample
    from ui.handlers import Admin, AppState, Library
    from ui.views import upload_report_html

    documents, incoming = tmp_path / "documents", tmp_path / "incoming"
    documents.mkdir(), incoming.mkdir()
    lang_son = sample("003")
    (documents / lang_son.name).write_bytes(lang_son.read_bytes())
    settings = Settings(index_dir=tmp_path / "index", documents=documents)
    build_index(documents, settings, show_progress=False, embedder=embedder)
    state = AppState(SearchService(settings, embedder=embedder), documents)
    copy, new = incoming / "copy", incoming / "new"
    copy.write_bytes(lang_son.read_bytes())
    new.write_text("KẾ HOẠCH\nPhổ cập bơi an toàn cho học sinh tiểu học\nDạy bơi an toàn cho học sinh.\n", encoding="utf-8")
    manage = Admin(state, Library(state))
    with monkeypatch.context() as patched:
        patched.setattr(state.service, "reindex", lambda folder: pytest.fail("nothing new to index"))
        [refused] = manage.outcomes(*state.add([(copy, "Kế hoạch 43 <bản chụp>.txt")]))
    assert refused.result == "Không thêm, vì văn bản này đã có trong thư viện"
    assert refused.plan == "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn"
    assert lang_son.name in refused.detail and not refused.saved_as
    assert list(documents.rglob("*.txt")) == [documents / lang_son.name]
    added = manage.outcomes(*state.add([(new, "bơi.txt")]))
    assert [(o.result, o.saved_as) for o in added] == [("Đã thêm vào thư viện", "tai-len/bơi.txt")]
    assert "bơi an toàn" in added[0].plan.lower()
    page = upload_report_html([refused, *added])
    assert page.count("class='card upload-outcome'") == 2 and "Kế hoạch 43 &lt;bản chụp&gt;.txt" in page
