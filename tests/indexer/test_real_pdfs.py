"""The four real PDFs of a district education office: a clean one, one with a diacritic-free OCR layer,
and two scans. All must come out as Vietnamese text with diacritics, page by page (OCR where needed)."""

import pytest

from indexer.extract import extract
from indexer.extract.ocr import unavailable_reason
from indexer.extract.vietnamese import is_usable_vietnamese
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
def test_real_pdf_comes_out_as_vietnamese_with_page_numbers(name, pages, expected, ocr):
    extracted = extract(PDFS / name)
    assert [p.number for p in extracted.pages] == list(range(1, pages + 1))
    text = "\n".join(p.text for p in extracted.pages)
    assert expected.lower() in text.lower()
    usable = [p for p in extracted.pages if is_usable_vietnamese(p.text)]
    assert len(usable) >= pages - 1  # a near-empty last page of a scan may hold only a signature
    assert any("OCR" in note for note in extracted.notes) == ocr
