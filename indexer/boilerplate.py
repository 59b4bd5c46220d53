"""Recognize the parts of a document that are not searchable passages: the administrative header
(issuer, national motto, number, place and date), the recipients list, signature blocks, and web-page
furniture. They may feed metadata, but never become chunks."""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer.layout import PREAMBLE_WORDS, Paragraph, is_all_caps

HEADER = "header"
RECIPIENTS = "recipients"
SIGNATURE = "signature"
WEB = "web"

# Searched anywhere in a line: a two-column header flattened by PDF extraction puts the issuer and the
# national motto on the same line (`UBND HUYỆN HIỆP HÒA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`).
# `XÃ HỌI`: a scan's OCR layer can misread one letter of the motto.
MOTTO = re.compile(r"(?:CỘNG HÒA|CỘNG HOÀ|Cộng hòa|Cộng hoà) (?:XÃ \w{3} CHỦ NGHĨA VIỆT NAM|xã \w{3} chủ nghĩa Việt Nam)|"
                   r"ĐẢNG CỘNG SẢN VIỆT NAM|(?:Độc lập|ĐỘC LẬP)\s*[-–—]\s*(?:Tự do|TỰ DO)\s*[-–—]\s*(?:Hạnh phúc|HẠNH PHÚC)")
MOTTO_LINE_CHARS = 150
_NUMBER_LINE = re.compile(r"^(?:[^\W\d][^\d:]{2,20}?\s+)?Số\s*(?:[:.]|$)", re.IGNORECASE)
# `năm 20264`: a footnote mark glued to the year by the text conversion.
_PLACE_DATE = re.compile(r"^[^\d,]{2,40},?\s+ngày\b.{0,30}\btháng\b.{0,20}\bnăm\s+\d{4}\d?\s*$", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^Nơi nhận\s*:?", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:T/M\s*|(?:TM|KT|Q|TL|TUQ)\s*[./]\s*)\S|^(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|"
                        r"BÍ THƯ|PHÓ BÍ THƯ|TRƯỞNG PHÒNG|PHÓ TRƯỞNG PHÒNG|HIỆU TRƯỞNG)\b")
_WEB_LINE = re.compile(
    r"^Trang chủ\s*[>›»]|\.(?:jpe?g|png|gif|webp)$|^Ảnh\s*(?:minh họa|minh hoạ|:)|^(?:Thống kê truy cập|"
    r"Đang online|Lượt truy cập|Thời tiết|Bản quyền|Copyright|Chia sẻ|In bài|Tin liên quan|Tin khác|"
    r"Địa chỉ\s*:|Điện thoại\s*:|Email\s*:|Fax\s*:|Số Giấy phép|Giấy phép|CƠ QUAN (?:ĐƠN VỊ )?CHỦ QUẢN|"
    r"CƠ QUAN QUẢN LÝ|Quản lý nội dung|Chịu trách nhiệm|CỔNG THÔNG TIN ĐIỆN TỬ|Trang thông tin điện tử)",
    re.IGNORECASE,
)


def classify(paragraphs: list[Paragraph]) -> list[str | None]:
    """One label per paragraph: HEADER, RECIPIENTS, SIGNATURE, WEB, or None for content.

    The recipients list and the signature block are only the lines that look like them (`- Như trên;`,
    `KT. BỘ TRƯỞNG`, `THỨ TRƯỞNG`, `(Đã ký)`, a name): a regulation or an appendix attached after the
    signature is content, and so is an authority line (`BỘ TRƯỞNG BỘ …`) before `Căn cứ …`."""
    labels: list[str | None] = [None] * len(paragraphs)
    _label_header(paragraphs, labels)
    web_page = HEADER not in labels
    i = 0
    while i < len(paragraphs):
        text = paragraphs[i].text
        end = i + 1
        if labels[i]:
            pass
        elif web_page and len(text) < 200 and _WEB_LINE.search(text):
            labels[i] = WEB
        elif _RECIPIENTS.match(text):
            end = _label_run(paragraphs, labels, i, RECIPIENTS, _is_recipient)
        elif _starts_signature(paragraphs, i):
            end = _label_run(paragraphs, labels, i, SIGNATURE, _is_signature_line)
        i = end
    if web_page:
        _label_web_footer(paragraphs, labels)
    return labels


def _starts_signature(paragraphs: list[Paragraph], i: int) -> bool:
    """`KT. BỘ TRƯỞNG`, `TM. ỦY BAN NHÂN DÂN`, `CHỦ TỊCH`: a signing line followed by more of the signature
    block (a title, `(Đã ký)`, a name) or by nothing; not an authority line that opens a decision."""
    text = paragraphs[i].text
    if not (_SIGNATURE.match(text) and is_all_caps(text) and len(text) < 120):
        return False
    following = paragraphs[i + 1].text if i + 1 < len(paragraphs) else None
    return following is None or (_is_signature_line(following) and not _OPENS_DECISION.match(following))


def _label_run(paragraphs: list[Paragraph], labels: list[str | None], start: int, label: str,
               belongs: Callable[[str], bool]) -> int:
    """Label paragraphs from `start` while they belong to the block; returns the index after it. A
    recipients list may run straight into the signature block."""
    labels[start] = label
    j = start + 1
    while j < len(paragraphs) and not labels[j]:
        text = paragraphs[j].text
        if label == RECIPIENTS and _starts_signature(paragraphs, j):
            return _label_run(paragraphs, labels, j, SIGNATURE, _is_signature_line)
        if label == RECIPIENTS and looks_like_person_name(text):  # the signer, where OCR merged the two columns
            labels[j] = SIGNATURE
        elif belongs(text):
            labels[j] = label
        else:
            break
        j += 1
    return j


_RECIPIENT_LINE = re.compile(r"^(?:[-+•*–]\s*\S|[.…]{3,}|Lưu\s*[:.]?)")
_SIGNATURE_NOTE = re.compile(r"^\((?:Đã ký|Ký|ký)[^)]{0,80}\)?$|^Đã ký\b", re.IGNORECASE)
_OPENS_DECISION = re.compile(rf"^(?:{PREAMBLE_WORDS}|QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT)\b")
_ATTACHMENT_WORD = re.compile(r"^(?:PHỤ LỤC|Phụ lục|DANH MỤC|QUY CHẾ|QUY ĐỊNH|ĐIỀU LỆ|HƯỚNG DẪN|MẪU|Mẫu|BIỂU|"
                              r"CHƯƠNG|Chương|PHẦN|Phần|Điều|ĐIỀU)\b")


def _is_recipient(text: str) -> bool:
    """`- Như trên;`, `Bộ Giáo dục và Đào tạo (b/c);` (its dash lost by the conversion), `Bản điện tử:`."""
    return len(text) < 200 and (bool(_RECIPIENT_LINE.match(text)) or text.rstrip().endswith((";", ",", ":")))


def _is_signature_line(text: str) -> bool:
    """A line of a signature block: a short title in capitals, `(Đã ký)`, `(Ký, ghi rõ họ tên …)`, a name."""
    if _ATTACHMENT_WORD.match(text) or is_document_type(text):
        return False
    if _SIGNATURE_NOTE.match(text) or looks_like_person_name(text):
        return True
    return is_all_caps(text) and len(text.split()) <= 8


def _label_header(paragraphs: list[Paragraph], labels: list[str | None]) -> None:
    """The block before the title: issuer lines, motto, `Số: ...`, `<place>, ngày ... năm ...`."""
    last = -1
    for i, paragraph in enumerate(paragraphs[:12]):
        text = paragraph.text
        if _is_motto(text) or _NUMBER_LINE.match(text) or _PLACE_DATE.match(text):
            last = i
    for i in range(last + 1):
        text = paragraphs[i].text
        if _is_motto(text) or _NUMBER_LINE.match(text) or _PLACE_DATE.match(text) or is_noise(text) or \
                (is_all_caps(text) and len(text) < 120 and not is_document_type(text)):
            labels[i] = HEADER


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


def is_noise(text: str) -> bool:
    """A scrap of a scan's OCR (`N ø0 _`, `>`): fewer than four letters, or fewer letters than other marks."""
    letters = sum(1 for c in text if c.isalpha())
    return letters < 4 or letters < len(text.replace(" ", "")) / 2


def _is_motto(text: str) -> bool:
    return len(text) < MOTTO_LINE_CHARS and bool(MOTTO.search(text))


DOCUMENT_TYPES = {
    "KẾ HOẠCH": "Kế hoạch", "BÁO CÁO": "Báo cáo", "NGHỊ QUYẾT": "Nghị quyết", "QUYẾT ĐỊNH": "Quyết định",
    "CHỈ THỊ": "Chỉ thị", "KẾT LUẬN": "Kết luận", "THÔNG BÁO": "Thông báo", "CÔNG VĂN": "Công văn",
    "ĐỀ ÁN": "Đề án", "CHƯƠNG TRÌNH": "Chương trình", "HƯỚNG DẪN": "Hướng dẫn", "TỜ TRÌNH": "Tờ trình",
    "THÔNG TƯ": "Thông tư", "NGHỊ ĐỊNH": "Nghị định", "LUẬT": "Luật", "QUY CHẾ": "Quy chế",
    "BIÊN BẢN": "Biên bản", "QUY ĐỊNH": "Quy định", "GIẤY MỜI": "Giấy mời", "CÔNG ĐIỆN": "Công điện",
}


def is_document_type(text: str) -> bool:
    return document_type_of(text) is not None


def document_type_of(text: str) -> str | None:
    """`KẾ HOẠCH ...` -> `Kế hoạch`, for a paragraph that opens with a document-type word in capitals."""
    upper = re.sub(r"\s+", " ", text.strip())
    upper = re.sub(r"^([^\W\d_ ]+(?: [^\W\d_ ]+)?)\d{1,2}$", r"\1", upper)  # `NGHỊ ĐỊNH1`: a footnote mark
    for word, name in DOCUMENT_TYPES.items():
        if upper == word or (upper.startswith(word + " ") and is_all_caps(upper[: len(word) + 12])):
            return name
    return None


def looks_like_person_name(text: str) -> bool:
    """`Nguyễn Văn Lộc`, `Đỗ Hương`: two to five capitalized words and nothing else."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)
