import pytest

from indexer.extract import ExtractionError, UnsupportedFile, extract
from indexer.ingest import parse_file
from tests.indexer.fixtures import cp1258_encode, legacy_encode, make_docx, make_pdf

VIETNAMESE = "Cộng hòa xã hội chủ nghĩa Việt Nam, giáo dục và đào tạo là quốc sách hàng đầu"


@pytest.mark.parametrize("encoding,data", [
    ("utf-8", VIETNAMESE.encode("utf-8")),
    ("utf-8 (BOM)", b"\xef\xbb\xbf" + VIETNAMESE.encode("utf-8")),
    ("utf-16", VIETNAMESE.encode("utf-16")),
    ("windows-1258", cp1258_encode(VIETNAMESE)),
])
def test_text_encodings_decode_to_nfc(tmp_path, encoding, data):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    extracted = extract(path)
    assert extracted.pages[0].text == VIETNAMESE
    assert extracted.pages[0].number is None


@pytest.mark.parametrize("legacy", ["tcvn3", "vni"])
def test_legacy_font_encodings_are_converted(tmp_path, legacy):
    text = "giáo dục và đào tạo là quốc sách hàng đầu, đầu tư cho giáo dục là đầu tư cho phát triển " * 3
    path = tmp_path / "cu.txt"
    path.write_bytes(legacy_encode(text, legacy))
    extracted = extract(path)
    assert extracted.pages[0].text.strip() == text.strip()
    assert any(legacy in note for note in extracted.notes)


def test_bad_text_files_fail_with_reasons(tmp_path):
    binary = tmp_path / "anh.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ExtractionError, match="binary"):
        extract(binary)
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(ExtractionError, match="empty"):
        extract(empty)
    with pytest.raises(UnsupportedFile):
        extract(tmp_path / "bang.xlsx")


def test_pdf_pages_keep_numbers_and_headings(tmp_path):
    path = make_pdf(tmp_path / "kh.pdf", [
        ["ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "Số: 12/KH-UBND", "Cao Bằng, ngày 05 tháng 3 năm 2023",
         "KẾ HOẠCH", "Phát triển giáo dục nghề nghiệp", "I. MỤC TIÊU",
         "Nâng tỷ lệ lao động qua đào tạo lên 60% vào năm 2025 ở các huyện vùng cao của tỉnh."],
        ["II. TỔ CHỨC THỰC HIỆN", "1. Sở Lao động - Thương binh và Xã hội",
         "Chủ trì hướng dẫn các trường nghề tuyển sinh và bố trí giáo viên."],
    ])
    extracted = extract(path)
    assert [p.number for p in extracted.pages] == [1, 2]
    assert "lao động qua đào tạo" in extracted.pages[0].text
    parsed = parse_file(path, "kh.pdf")
    assert parsed.meta.number == "12/KH-UBND" and parsed.meta.date == "2023-03-05"
    assert parsed.meta.title == "KẾ HOẠCH Phát triển giáo dục nghề nghiệp"
    by_section = {c.section: c for c in parsed.chunks}
    assert by_section["I. MỤC TIÊU"].page_start == 1
    assert by_section["II. TỔ CHỨC THỰC HIỆN › 1. Sở Lao động - Thương binh và Xã hội"].page_start == 2


def test_broken_and_encrypted_pdfs_fail_clearly(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", [["Giáo dục mầm non"]])
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ExtractionError):
        extract(truncated)
    locked = make_pdf(tmp_path / "locked.pdf", [["Bí mật"]], encrypt_password="matkhau")
    with pytest.raises(ExtractionError, match="encrypted"):
        extract(locked)
    open_with_empty_password = make_pdf(tmp_path / "open.pdf",
                                        [["Kế hoạch phổ cập giáo dục tiểu học cho trẻ em ở các xã"]],
                                        encrypt_password="")
    assert "phổ cập giáo dục" in extract(open_with_empty_password).pages[0].text


def test_docx_heading_styles_and_tables(tmp_path):
    parsed = parse_file(make_docx(tmp_path / "mn.docx"), "mn.docx")
    sections = [c.section for c in parsed.chunks]
    assert "KẾ HOẠCH Phát triển giáo dục mầm non › Kinh phí thực hiện" in sections
    funding = next(c for c in parsed.chunks if c.section.endswith("Kinh phí thực hiện"))
    assert "Trường đạt chuẩn quốc gia | 45 trường" in funding.text


def test_docx_that_is_not_a_zip_fails(tmp_path):
    path = tmp_path / "cu.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old Word 97 file")
    with pytest.raises(ExtractionError, match="not a zip"):
        extract(path)


def test_html_main_content_without_navigation(tmp_path):
    body = " ".join(["Sở Giáo dục và Đào tạo triển khai dạy học 2 buổi/ngày ở tiểu học trên toàn tỉnh."] * 4)
    page = f"""<html><head><meta charset="windows-1258"><title>Tin giáo dục</title></head><body>
    <nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a> | <a href="/lh">Liên hệ</a></nav>
    <article><h1>Dạy học hai buổi mỗi ngày</h1><p>{body}</p><p>{body}</p></article>
    <footer>Bản quyền thuộc Sở GD&amp;ĐT. Điện thoại: 0123 456 789</footer></body></html>"""
    path = tmp_path / "tin.html"
    path.write_bytes(cp1258_encode(page))
    text = extract(path).pages[0].text
    assert "dạy học 2 buổi/ngày" in text
    assert "Liên hệ" not in text and "Bản quyền" not in text
