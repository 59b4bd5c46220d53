"""A folder of mixed files: every file gets a clear outcome, and the good ones are indexed."""

from indexer.build import FAILED, INDEXED, SKIPPED, build_index
from indexer.config import Settings
from tests.conftest import sample
from tests.indexer.fixtures import cp1258_encode, make_pdf


def test_bad_files_are_reported_and_good_files_indexed(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    good_pdf = make_pdf(folder / "tot.pdf", [["KẾ HOẠCH", "Phổ cập giáo dục mầm non", "I. MỤC TIÊU",
                                                   "Phổ cập giáo dục mầm non cho trẻ 5 tuổi ở các xã vùng cao."]])
    (folder / "hong.pdf").write_bytes(good_pdf.read_bytes()[:400])
    make_pdf(folder / "khoa.pdf", [["Nội dung mật"]], encrypt_password="matkhau")
    (folder / "rong.txt").write_bytes(b"")
    (folder / "nhi phan.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "cu-1258.txt").write_bytes(cp1258_encode(sample("001").read_text(encoding="utf-8")))
    (folder / "bang tính.xlsx").write_bytes(b"PK\x03\x04")
    report = build_index(folder, Settings(index_dir=tmp_path / "index"), show_progress=False, embedder=embedder)
    outcome = {f.doc: (f.status, f.reason) for f in report.files}
    assert outcome["tot.pdf"][0] == INDEXED
    assert outcome["cu-1258.txt"][0] == INDEXED
    assert outcome["hong.pdf"][0] == FAILED and "PDF" in outcome["hong.pdf"][1]
    assert outcome["khoa.pdf"] == (FAILED, "the PDF is encrypted with a password")
    assert outcome["rong.txt"] == (FAILED, "the file is empty")
    assert outcome["nhi phan.txt"][0] == FAILED and "binary" in outcome["nhi phan.txt"][1]
    assert outcome["bang tính.xlsx"][0] == SKIPPED
    assert report.chunks_total > 10
