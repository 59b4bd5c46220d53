"""Recognize the parts of a document that are not searchable passages: the administrative header
(issuer, national motto, number, place and date), the recipients list, signature blocks, and web-page
furniture. They may feed metadata, but never become chunks."""

from __future__ import annotations

import re

from indexer.layout import Paragraph, is_all_caps

HEADER = "header"
RECIPIENTS = "recipients"
SIGNATURE = "signature"
WEB = "web"

_MOTTO = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|^ĐẢNG CỘNG SẢN VIỆT NAM$|"
                    r"^Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"^Số\s*[:.]", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^[^\d,]{2,40},?\s+ngày\b.{0,30}\btháng\b.{0,20}\bnăm\s+\d{4}\s*$", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^Nơi nhận\s*:?", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:TM|T/M|KT|Q|TL|TUQ)\s*[./]\s*\S|^(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|"
                        r"BÍ THƯ|PHÓ BÍ THƯ|TRƯỞNG PHÒNG|PHÓ TRƯỞNG PHÒNG|HIỆU TRƯỞNG)\b")
_WEB_LINE = re.compile(
    r"^Trang chủ\s*[>›»]|\.(?:jpe?g|png|gif|webp)$|^Ảnh\s*(?:minh họa|minh hoạ|:)|^(?:Thống kê truy cập|"
    r"Đang online|Lượt truy cập|Thời tiết|Bản quyền|Copyright|Chia sẻ|In bài|Tin liên quan|Tin khác|"
    r"Địa chỉ\s*:|Điện thoại\s*:|Email\s*:|Fax\s*:|Số Giấy phép|Giấy phép|CƠ QUAN (?:ĐƠN VỊ )?CHỦ QUẢN|"
    r"CƠ QUAN QUẢN LÝ|Quản lý nội dung|Chịu trách nhiệm|CỔNG THÔNG TIN ĐIỆN TỬ|Trang thông tin điện tử)",
    re.IGNORECASE,
)


def classify(paragraphs: list[Paragraph]) -> list[str | None]:
    """One label per paragraph: HEADER, RECIPIENTS, SIGNATURE, WEB, or None for content."""
    labels: list[str | None] = [None] * len(paragraphs)
    _label_header(paragraphs, labels)
    for i, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if labels[i]:
            continue
        if len(text) < 200 and _WEB_LINE.search(text):
            labels[i] = WEB
        elif _RECIPIENTS.match(text):
            _label_tail(paragraphs, labels, i, RECIPIENTS)
        elif _SIGNATURE.match(text) and is_all_caps(text) and len(text) < 120:
            _label_tail(paragraphs, labels, i, SIGNATURE)
    _label_web_footer(paragraphs, labels)
    return labels


def _label_header(paragraphs: list[Paragraph], labels: list[str | None]) -> None:
    """The block before the title: issuer lines, motto, `Số: ...`, `<place>, ngày ... năm ...`."""
    last = -1
    for i, paragraph in enumerate(paragraphs[:12]):
        text = paragraph.text
        if _MOTTO.search(text) or _NUMBER_LINE.match(text) or _PLACE_DATE.match(text):
            last = i
    for i in range(last + 1):
        text = paragraphs[i].text
        if _MOTTO.search(text) or _NUMBER_LINE.match(text) or _PLACE_DATE.match(text) or \
                (is_all_caps(text) and len(text) < 120 and not is_document_type(text)):
            labels[i] = HEADER


def _label_tail(paragraphs: list[Paragraph], labels: list[str | None], start: int, label: str) -> None:
    """Recipients and signatures run from their first line to the end, except for later long text."""
    for j in range(start, len(paragraphs)):
        if j > start and len(paragraphs[j].text) > 300:
            break
        labels[j] = labels[j] or label


def _label_web_footer(paragraphs: list[Paragraph], labels: list[str | None]) -> None:
    """After the last long paragraph, everything from the first web line on is page furniture, and so is
    a byline (a person's name) just before it."""
    last_long = max((i for i, p in enumerate(paragraphs) if len(p.text) > 300 and not labels[i]), default=-1)
    footer = next((i for i in range(last_long + 1, len(paragraphs)) if labels[i] == WEB), None)
    if footer is None:
        return
    for j in range(footer, len(paragraphs)):
        labels[j] = labels[j] or WEB
    for j in range(footer - 1, last_long, -1):
        if labels[j] or not looks_like_person_name(paragraphs[j].text):
            break
        labels[j] = WEB


DOCUMENT_TYPES = {
    "KẾ HOẠCH": "Kế hoạch", "BÁO CÁO": "Báo cáo", "NGHỊ QUYẾT": "Nghị quyết", "QUYẾT ĐỊNH": "Quyết định",
    "CHỈ THỊ": "Chỉ thị", "KẾT LUẬN": "Kết luận", "THÔNG BÁO": "Thông báo", "CÔNG VĂN": "Công văn",
    "ĐỀ ÁN": "Đề án", "CHƯƠNG TRÌNH": "Chương trình", "HƯỚNG DẪN": "Hướng dẫn", "TỜ TRÌNH": "Tờ trình",
    "THÔNG TƯ": "Thông tư", "NGHỊ ĐỊNH": "Nghị định", "LUẬT": "Luật", "QUY CHẾ": "Quy chế",
}


def is_document_type(text: str) -> bool:
    return document_type_of(text) is not None


def document_type_of(text: str) -> str | None:
    """`KẾ HOẠCH ...` -> `Kế hoạch`, for a paragraph that opens with a document-type word in capitals."""
    upper = re.sub(r"\s+", " ", text.strip())
    for word, name in DOCUMENT_TYPES.items():
        if upper == word or (upper.startswith(word + " ") and is_all_caps(upper[: len(word) + 12])):
            return name
    return None


def looks_like_person_name(text: str) -> bool:
    """`Nguyễn Văn Lộc`, `Đỗ Hương`: two to five capitalized words and nothing else."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)
