"""Whatever an office has: every file gets a clear outcome, no file can hang or exhaust the run, and
every good file in the same folder is indexed. Run with `-s` to see the outcome table."""

import unicodedata
from dataclasses import replace

import pytest

from indexer.build import FAILED, INDEXED, SKIPPED, build_index
from runtime.settings import Settings
from indexer.extract import ocr
from search.engine import SearchEngine
from tests.robustness.conftest import SMALL_MODEL
from tests.conftest import sample
from tests.indexer.fixtures import (cp1258_encode, legacy_encode, make_blank_pdf, make_docx, make_image_pdf,
                                    make_pdf, zip_bomb_docx)

pytestmark = pytest.mark.slow

PLAN = ["KẾ HOẠCH", "Phổ cập giáo dục mầm non", "I. MỤC TIÊU",
        "Phổ cập giáo dục mầm non cho trẻ 5 tuổi ở các xã vùng cao."]
TEXT = sample("001").read_text(encoding="utf-8")
# Old font encodings cannot write every capital letter; a plain lower-case plan paragraph for them.
LEGACY = ("kế hoạch\nđẩy mạnh đối thoại, nắm bắt tâm tư nguyện vọng của giáo viên và học sinh trong các "
          "trường học; tăng cường công tác kiểm tra, giám sát hoạt động giáo dục.\n") * 3


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, small_embedder):
    folder = tmp_path_factory.mktemp("hostile")
    good = make_pdf(folder / "tot.pdf", [PLAN])
    pdf_bytes = good.read_bytes()
    (folder / "cut-short.pdf").write_bytes(pdf_bytes[: len(pdf_bytes) // 2])
    (folder / "bad-xref.pdf").write_bytes(_break_xref(pdf_bytes))
    make_pdf(folder / "locked.pdf", [PLAN], encrypt_password="matkhau")
    make_pdf(folder / "owner-only.pdf", [PLAN], encrypt_password="")
    make_image_pdf(folder / "scan.pdf", ["KẾ HOẠCH", "Phổ cập bơi an toàn", "I. MỤC TIÊU",
                                         "Tổ chức dạy bơi an toàn cho học sinh tiểu học."])
    make_blank_pdf(folder / "3000-empty-pages.pdf", 3000)
    make_blank_pdf(folder / "1500-pages-one-text.pdf", 1500, PLAN)
    zip_bomb_docx(folder / "bomb.docx")
    (folder / "not-a-zip.docx").write_bytes(b"This is not a Word file at all.\n" * 20)
    make_docx(folder / "word.docx")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    with (folder / "huge-50mb.txt").open("wb") as handle:
        handle.write(TEXT.encode("utf-8") * (50 * 1024 * 1024 // len(TEXT.encode("utf-8")) + 1))
    (folder / "utf16.txt").write_bytes(TEXT.encode("utf-16"))
    (folder / "windows-1258.txt").write_bytes(cp1258_encode(TEXT))
    (folder / "tcvn3.txt").write_bytes(legacy_encode(LEGACY, "tcvn3"))
    (folder / "vni.txt").write_bytes(legacy_encode(LEGACY, "vni"))
    (folder / "nfd.txt").write_text(unicodedata.normalize("NFD", TEXT), encoding="utf-8")
    (folder / "Kế hoạch số 5 năm 2024.txt").write_text(TEXT, encoding="utf-8")
    (folder / "spreadsheet.xlsx").write_bytes(b"PK\x03\x04")
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path_factory.mktemp("hostile-index"))
    report = build_index(folder, settings, show_progress=False, embedder=small_embedder)
    outcomes = {f.doc: f for f in report.files}
    print("\n" + "\n".join(f"{f.status:<8} {f.doc:<28} {f.reason or f'{f.chunks} chunks'}"
                           f"{' (' + '; '.join(f.notes) + ')' if f.notes else ''}" for f in report.files))
    return settings, outcomes


def _break_xref(data: bytes) -> bytes:
    """Point startxref at a wrong offset and garble the xref table."""
    head, _, tail = data.rpartition(b"startxref")
    return head.replace(b"xref", b"xref garbage 0 1\n", 1) + b"startxref\n12345\n%%EOF\n"


@pytest.mark.parametrize("name", ["tot.pdf", "owner-only.pdf", "word.docx", "utf16.txt", "windows-1258.txt",
                                  "tcvn3.txt", "vni.txt", "nfd.txt", "Kế hoạch số 5 năm 2024.txt",
                                  "1500-pages-one-text.pdf", "bad-xref.pdf"])
def test_good_and_recoverable_files_are_indexed(hostile_run, name):
    _, outcomes = hostile_run
    assert outcomes[name].status == INDEXED, outcomes[name].reason


@pytest.mark.parametrize(("name", "reason"), [
    ("cut-short.pdf", "PDF"),
    ("locked.pdf", "the PDF is encrypted with a password"),
    ("3000-empty-pages.pdf", "the PDF has 3000 pages; the limit is 2000"),
    ("bomb.docx", "zip bomb"),
    ("not-a-zip.docx", "not a"),
    ("binary.txt", "binary"),
    ("empty.txt", "the file is empty"),
    ("huge-50mb.txt", "text file too large (50 MB; the limit is 20 MB)"),
])
def test_bad_files_fail_alone_with_a_reason(hostile_run, name, reason):
    _, outcomes = hostile_run
    assert outcomes[name].status == FAILED and reason in outcomes[name].reason


def test_unsupported_types_are_skipped(hostile_run):
    assert hostile_run[1]["spreadsheet.xlsx"].status == SKIPPED


def test_a_scan_is_read_by_ocr_or_says_what_is_missing(hostile_run):
    outcome = hostile_run[1]["scan.pdf"]
    if ocr.unavailable_reason() is None:
        assert outcome.status == INDEXED and any("OCR" in n for n in outcome.notes)
    else:
        assert outcome.status == FAILED and "OCR" in outcome.reason


def test_legacy_encodings_and_odd_names_are_searchable(hostile_run, small_embedder):
    settings, outcomes = hostile_run
    engine = SearchEngine(settings, embedder=small_embedder)
    docs = {h.doc for h in engine.search("đối thoại nắm bắt tâm tư nguyện vọng của giáo viên", k=20, mode="lexical")}
    assert {"tcvn3.txt", "vni.txt", "nfd.txt", "windows-1258.txt", "utf16.txt", "Kế hoạch số 5 năm 2024.txt"} <= docs
    assert "1500 blank pages" not in outcomes["1500-pages-one-text.pdf"].notes
    assert "1499 blank pages" in outcomes["1500-pages-one-text.pdf"].notes


def test_a_file_that_reads_too_long_is_stopped(tmp_path, small_embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "slow.pdf", [PLAN] * 1500)
    (folder / "quick.txt").write_text(TEXT, encoding="utf-8")
    settings = replace(Settings(model=SMALL_MODEL, index_dir=tmp_path / "index"), extract_timeout_s=0.5)
    outcomes = {f.doc: f for f in build_index(folder, settings, show_progress=False, embedder=small_embedder).files}
    assert outcomes["slow.pdf"].status == FAILED
    assert outcomes["slow.pdf"].reason.startswith("reading took longer than 0.5 s")
    assert outcomes["quick.txt"].status == INDEXED


def test_a_file_that_needs_too_much_memory_is_stopped(tmp_path, small_embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "big.txt").write_text(TEXT * (15 * 1024 * 1024 // len(TEXT.encode("utf-8"))), encoding="utf-8")
    (folder / "quick.txt").write_text(TEXT, encoding="utf-8")
    settings = replace(Settings(model=SMALL_MODEL, index_dir=tmp_path / "index"), extract_memory_mb=30)
    outcomes = {f.doc: f for f in build_index(folder, settings, show_progress=False, embedder=small_embedder).files}
    assert outcomes["big.txt"].status == FAILED and "memory" in outcomes["big.txt"].reason
    assert outcomes["quick.txt"].status == INDEXED
