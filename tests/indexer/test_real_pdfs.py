"""The four real PDFs of a district education office: a clean one, one with a diacritic-free OCR layer,
and two scans. All must come out as Vietnamese text with diacritics, page by page (OCR where needed)."""

import pytest

from indexer.extract import extract
from indexer.extract.ocr import unavailable_reason
from indexer.extract.vietnamese import is_usable_vietnamese
from indexer.ingest import parse_file
from tests.conftest import SHARED

PDFS = SHARED / "samples-pdf"
pytestmark = [
    pytest.mark.skipif(not PDFS.is_dir(), reason="shared/samples-pdf is not beside the repository"),
    pytest.mark.skipif(unavailable_reason() is not None, reason=f"OCR unavailable: {unavailable_reason()}"),
]


@pytest.mark.parametrize("name,pages,expected,ocr", [
    ("ke-hoach-phap-che-2020-2021.pdf", 4, "nhiệm vụ pháp chế", False),
    ("ke-hoach-150-KH-UBND-tin-hoc-hiep-hoa.pdf", 33, "công nghệ thông tin", True),
    ("ke-hoach-khao-thi-2020-2021-scan.pdf", 3, "Khảo thí", True),
    ("van-ban-scan-2020-10-29.pdf", 5, "giáo dục", True),
])
@pytest.mark.slow  # OCR or a whole index build: out of the quick loop
def test_real_pdf_comes_out_as_vietnamese_with_page_numbers(name, pages, expected, ocr):
    extracted = extract(PDFS / name)
    assert [p.number for p in extracted.pages] == list(range(1, pages + 1))
    text = "\n".join(p.text for p in extracted.pages)
    assert expected.lower() in text.lower()
    usable = [p for p in extracted.pages if is_usable_vietnamese(p.text)]
    assert len(usable) >= pages - 1  # a near-empty last page of a scan may hold only a signature
    assert any("OCR" in note for note in extracted.notes) == ocr


@pytest.mark.parametrize("name,title,doc_type,issuer", [
    ("ke-hoach-phap-che-2020-2021.pdf", "KẾ HOẠCH Thực hiện nhiệm vụ pháp chế năm học 2020-2021", "Kế hoạch",
     "Phòng Giáo dục và Đào tạo huyện Hiệp Hòa"),
    ("ke-hoach-khao-thi-2020-2021-scan.pdf", "KẾ HOẠCH Khảo thí năm học 2020-2021", "Kế hoạch",
     "Phòng Giáo dục & Đào tạo huyện Hiệp Hòa"),
    ("van-ban-scan-2020-10-29.pdf", "BIÊN BẢN Thâm định hỗ sơ các khoản thu dịch vụ phục vụ và hoạt động hỗ trợ "
     "năm học 2020-2021", "Biên bản", "Phòng Giáo dục và Đào tạo huyện Hiệp Hòa"),
])
def test_real_pdf_header_is_read_from_its_two_columns_and_all_its_text_is_indexed(name, title, doc_type, issuer):
    parsed = parse_file(PDFS / name, name)
    meta = parsed.meta
    assert (meta.title, meta.doc_type, meta.issuer_short) == (title, doc_type, issuer)
    assert meta.number is None and meta.date is None  # left blank in the original: never guessed
    assert (meta.province, meta.locality) == ("Bắc Giang", "huyện Hiệp Hòa")  # the issuer is a district office
    assert parsed.coverage.ratio >= 0.98


@pytest.mark.slow  # OCR or a whole index build: out of the quick loop
def test_the_old_ocr_plan_gets_its_title_not_scraps_of_the_scan():
    parsed = parse_file(PDFS / "ke-hoach-150-KH-UBND-tin-hoc-hiep-hoa.pdf", "150.pdf")
    assert "dạy tin học và ứng dụng công nghệ thông tin" in parsed.meta.title
    assert (parsed.meta.province, parsed.meta.locality) == ("Bắc Giang", "huyện Hiệp Hòa")
    assert parsed.meta.issuer_short == "UBND huyện Hiệp Hòa"  # its OCR layer reads `NHÂN DẪN` and `XÃ HỌI`
    assert parsed.coverage.ratio >= 0.98
