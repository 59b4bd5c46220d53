"""Builders for test files: PDFs (reportlab), DOCX (python-docx), legacy-encoded text."""

from __future__ import annotations

from pathlib import Path

from viparse.normalize.encodings import get_charmap

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_pdf(path: Path, pages: list[list[str]], encrypt_password: str | None = None) -> Path:
    """A born-digital PDF with one list of lines per page, Vietnamese text in an embedded font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    kwargs = {}
    if encrypt_password is not None:
        from reportlab.lib import pdfencrypt

        kwargs["encrypt"] = pdfencrypt.StandardEncryption(encrypt_password, ownerPassword="owner", strength=128)
    pdf = canvas.Canvas(str(path), pagesize=A4, **kwargs)
    for lines in pages:
        pdf.setFont("DejaVu", 11)
        y = 800
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("KẾ HOẠCH Phát triển giáo dục mầm non", level=1)
    document.add_heading("Mục tiêu chung", level=2)
    document.add_paragraph("Huy động trẻ mẫu giáo đến trường đạt 98% vào năm 2025.")
    document.add_heading("Kinh phí thực hiện", level=2)
    document.add_paragraph("Ngân sách tỉnh bố trí hằng năm theo phân cấp.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Chỉ tiêu", "Năm 2025"
    table.cell(1, 0).text, table.cell(1, 1).text = "Trường đạt chuẩn quốc gia", "45 trường"
    document.save(str(path))
    return path


def legacy_encode(text: str, encoding: str) -> bytes:
    """Encode Unicode text the way a TCVN3 or VNI font file stores it (bytes read as Windows-1252)."""
    pairs = get_charmap(encoding).pairs
    inverse: dict[str, str] = {}
    for legacy, uni in sorted(pairs, key=lambda p: len(p[0])):
        inverse.setdefault(uni, legacy)
    import unicodedata

    out = "".join(inverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
    return out.encode("cp1252", errors="strict")


def cp1258_encode(text: str) -> bytes:
    """Windows-1258 stores a toned vowel as its base letter (ô, ơ, ư, ...) plus a combining tone mark."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += base.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return bytes(out)


def make_image_pdf(path: Path, lines: list[str]) -> Path:
    """A scanned-looking PDF: one page holding only an image of the text (no text layer)."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = ImageFont.truetype(str(FONT), 44)
    image = Image.new("L", (2000, 120 + 80 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((80, 60 + 80 * i), line, font=font, fill=0)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width = A4[0] - 80
    pdf.drawImage(ImageReader(image), 40, A4[1] - 60 - width * image.height / image.width, width=width,
                  height=width * image.height / image.width)
    pdf.showPage()
    pdf.save()
    return path


def make_blank_pdf(path: Path, pages: int, text_on_first: list[str] | None = None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    pdf = canvas.Canvas(str(path))
    for number in range(pages):
        if number == 0 and text_on_first:
            pdf.setFont("DejaVu", 11)
            for i, line in enumerate(text_on_first):
                pdf.drawString(60, 800 - 16 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def zip_bomb_docx(path: Path, uncompressed_mb: int = 300) -> Path:
    """A .docx whose document.xml inflates to `uncompressed_mb` of zeros."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(uncompressed_mb):
                member.write(block)
    return path
