"""The four real PDFs of a district education office: a clean one, one with a diacritic-free OCR layer,
and two scans. All must come out as Vietnamese text with diacritics, page by page (OCR where needed), with
the number, date, title and issuer their headers print."""

import re

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
    assert "phố thông" not in text and "đây mạnh" not in text  # OCR's misread tone marks put right


def test_the_number_and_day_a_signing_tool_stamped_sit_in_their_header_lines():
    text = extract(PDFS / "ke-hoach-phap-che-2020-2021.pdf").pages[0].text
    assert re.search(r"Số:\s+21\s+/KH-PGD&ĐT", text)
    assert re.search(r"Hiệp Hòa, ngày 12\s+tháng 10\s+năm 2020", text)


ISSUER = "UBND HUYỆN HIỆP HÒA PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
OFFICE = "Phòng Giáo dục và Đào tạo huyện Hiệp Hòa"
HEADERS = [  # number, date, title, type, issuer as printed and as cited
    ("ke-hoach-phap-che-2020-2021.pdf", "21/KH-PGD&ĐT", "2020-10-12",
     "KẾ HOẠCH Thực hiện nhiệm vụ pháp chế năm học 2020-2021", "Kế hoạch", ISSUER, OFFICE),
    pytest.param("ke-hoach-khao-thi-2020-2021-scan.pdf", "22/KH-PGDĐT", "2020-10-20",
                 "KẾ HOẠCH Khảo thí năm học 2020-2021", "Kế hoạch", "UBND HUYỆN HIỆP HÒA PHÒNG GIÁO DỤC & ĐÀO TẠO",
                 "Phòng Giáo dục & Đào tạo huyện Hiệp Hòa", marks=pytest.mark.slow),
    # a record of a meeting: its header prints no number and no date; it dates itself `Hôm nay, ngày 19 …`
    pytest.param("van-ban-scan-2020-10-29.pdf", None, "2020-10-19", "BIÊN BẢN Thẩm định hồ sơ các khoản thu dịch vụ phục vụ "
                 "và hoạt động hỗ trợ năm học 2020-2021", "Biên bản", ISSUER, OFFICE, marks=pytest.mark.slow),
    # the digits of its number and its day are handwritten: the number is the file name's, checked against the
    # code the header prints (`/KH- UBND`); the day is not read
    pytest.param("ke-hoach-150-KH-UBND-tin-hoc-hiep-hoa.pdf", "150/KH-UBND", None,
                 "KẾ HOẠCH Thực hiện Đề án đẩy mạnh dạy tin học và ứng dụng công nghệ thông tin trong các trường phổ "
                 "thông trên địa bàn huyện Hiệp Hòa giai đoạn 2017- 2020, định hướng đến năm 2025", "Kế hoạch",
                 "ỦY BAN NHÂN DÂN HUYỆN HIỆP HÒA", "UBND huyện Hiệp Hòa", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("name,number,date,title,doc_type,issuer,issuer_short", HEADERS)
def test_real_pdf_header_is_read_from_its_two_columns_and_all_its_text_is_indexed(name, number, date, title, doc_type,
                                                                                   issuer, issuer_short):
    parsed = parse_file(PDFS / name, name)
    meta = parsed.meta
    assert (meta.number, meta.date) == (number, date)
    assert (meta.title, meta.doc_type, meta.issuer, meta.issuer_short) == (title, doc_type, issuer, issuer_short)
    assert meta.from_file_name == (["number"] if "150" in name else [])
    assert (meta.province, meta.locality) == ("Bắc Giang", "huyện Hiệp Hòa")  # the issuer is a district office
    assert parsed.coverage.ratio >= 0.98
