"""From pages of extracted text to paragraphs: display cleaning, page furniture dropped (page numbers, the
gazette's running page header, a digital-signature stamp) so that a sentence runs on across a page break,
hard line breaks re-joined, separator lines dropped, each paragraph knowing its pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.extract.records import Page
from vietnamese.normalize import clean_display

# The opening of a decision's preamble: `Căn cứ Luật …`, `Theo đề nghị của …`.
PREAMBLE_WORDS = r"Căn cứ|Theo đề nghị|Xét đề nghị|Xét Tờ trình"
PREAMBLE = re.compile(rf"^(?:{PREAMBLE_WORDS})\b")
# A line that starts a new block: heading markers, list bullets, a preamble's clauses.
STRUCTURAL_START = re.compile(
    r"^(?:[IVXLC]+[.)]\s|\d{1,2}(?:\.\d{1,2}){0,2}\.\s|\d{1,2}(?:\.\d{1,2}){1,2}\s|[a-zđ]\)\s|[-+•*–]\s|\(\d{1,2}\)\s"
    r"|(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+[\dIVXLC]+\b|Chương trình\s+\d+"
    rf"|(?:{PREAMBLE_WORDS})\b)"
)
_SEPARATOR = re.compile(r"^[\s\-_=|*.~–—]+$")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*-)?(?:\s*/\s*\d{1,3})?$", re.IGNORECASE)
_GAZETTE_HEADER = re.compile(r"^CÔNG BÁO\s*/\s*Số\b.{0,40}/\s*Ngày\s+\d{1,2}\s*-\s*\d{1,2}\s*-\s*\d{4}$",
                             re.IGNORECASE)
_STAMP_START = re.compile(r"^(?:Người ký|Ký bởi)\s*:")
_STAMP_LINE = re.compile(r"^(?:Người ký|Ký bởi|Email|Cơ quan|Thời gian ký|Ngày ký)\s*:")
PAGE_FURNITURE = "page"
_FILE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp)$", re.IGNORECASE)
_TERMINAL = ".:;!?…"
_CONTINUATION_END = ",-–(“\"/&"
# Words a Vietnamese sentence or heading does not end on: a line ending on one runs on into the next.
_DANGLING_WORD = re.compile(r"\b(?:với|của|và|các|những|cho|về|tại|trong|theo|để|là|được|từ|đến|Sở|Phòng|Ban|"
                            r"UBND|Ủy ban|Uỷ ban)$")


@dataclass
class Paragraph:
    text: str
    page_start: int | None
    page_end: int | None
    heading_level: int | None = None  # from the file format (DOCX heading style, HTML <hN>)
    start: int = 0  # character offsets in the document text (see `document_text`)
    end: int = 0


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass
class Layout:
    paragraphs: list[Paragraph]
    furniture: dict[str, int]  # characters dropped as page furniture, by rule


def paragraphs_from_pages(pages: list[Page]) -> list[Paragraph]:
    return read_layout(pages).paragraphs


def read_layout(pages: list[Page]) -> Layout:
    lines = [(clean_display(line).strip(), page) for page in pages for line in page.text.splitlines()]
    lines, dropped = _drop_page_furniture(lines)
    wrap_width = _wrap_width([text for text, _ in lines])
    hints = {clean_display(k).strip(): v for page in pages for k, v in page.headings.items()}

    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    previous_line = ""
    for text, page in lines:
        if not text or _SEPARATOR.match(text):
            current, previous_line = None, ""
            continue
        if current is not None and current.heading_level is None and text not in hints \
                and _continues(previous_line, text, wrap_width):
            current.text = _join(current.text, text)
            current.page_end = page.number
        else:
            current = Paragraph(text, page.number, page.number, hints.get(text))
            paragraphs.append(current)
        previous_line = text
    return Layout(paragraphs, {PAGE_FURNITURE: dropped})


def _drop_page_furniture(lines: list[tuple[str, Page]]) -> tuple[list[tuple[str, Page]], int]:
    """Lines without page numbers, running headers and signature stamps, and the characters dropped. A run
    of blank lines around dropped furniture goes too, so a paragraph cut by a page break is joined again."""
    furniture = _furniture_lines(lines)
    kept: list[tuple[str, Page]] = []
    dropped, i = 0, 0
    while i < len(lines):
        j = i
        while j < len(lines) and (j in furniture or not lines[j][0]):
            j += 1
        if j == i:
            kept.append(lines[i])
            i += 1
        elif any(k in furniture for k in range(i, j)):
            dropped += sum(visible_length(text) for text, _ in lines[i:j])
            i = j
        else:
            kept.extend(lines[i:j])
            i = j
    return kept, dropped


def visible_length(text: str) -> int:
    """Letters and digits: what coverage counts (spaces, dots and boxes of a blank form are not text)."""
    return sum(1 for c in text if c.isalnum())


def _furniture_lines(lines: list[tuple[str, Page]]) -> set[int]:
    """Running page headers, signature stamps, and page numbers: a number alone on its line at the top or
    the bottom of a page, or with blank lines or a running header on both sides (a column of numbers in a
    table is text)."""
    out: set[int] = set()
    stamp = False
    for i, (text, _) in enumerate(lines):
        stamp = bool(_STAMP_START.match(text)) or (stamp and bool(_STAMP_LINE.match(text)))
        if stamp or _GAZETTE_HEADER.match(text):
            out.add(i)
    for i, (text, page) in enumerate(lines):
        if not _PAGE_NUMBER.match(text):
            continue
        before = _nearest_text(lines, i, -1, page)
        after = _nearest_text(lines, i, 1, page)
        if before is None or after is None or all(_blank_or_header(lines, j, i, out) for j in (before, after)):
            out.add(i)
    return out


def _nearest_text(lines: list[tuple[str, Page]], i: int, step: int, page: Page) -> int | None:
    """The nearest non-blank line of the same page before (step -1) or after (step 1) line i."""
    j = i + step
    while 0 <= j < len(lines) and lines[j][1] is page:
        if lines[j][0]:
            return j
        j += step
    return None


def _blank_or_header(lines: list[tuple[str, Page]], j: int, i: int, furniture: set[int]) -> bool:
    """Is the nearest text line j separated from line i by a blank line, or a running header?"""
    return j in furniture or abs(j - i) > 1


def _join(left: str, right: str) -> str:
    return left + right if left.endswith("/") else f"{left} {right}"


def _continues(previous: str, line: str, wrap_width: int | None) -> bool:
    """Does `line` continue the paragraph whose last line is `previous`?"""
    if STRUCTURAL_START.match(line) or _FILE_NAME.match(line):
        return False
    last = previous[-1]
    if last in _CONTINUATION_END:
        return True
    first = line[0]
    if first.islower():
        return True
    if last in _TERMINAL:
        return False
    if _DANGLING_WORD.search(previous) and not is_all_caps(previous):
        return True
    if is_all_caps(previous) and is_all_caps(line):
        return True
    if first.isdigit():
        return True
    return wrap_width is not None and len(previous) >= 0.8 * wrap_width


def _wrap_width(lines: list[str]) -> int | None:
    """The line width of hard-wrapped text (PDF extraction), or None when lines are whole paragraphs."""
    lengths = sorted(len(text) for text in lines if text)
    if len(lengths) < 10:
        return None
    p90 = lengths[int(len(lengths) * 0.9)]
    return p90 if p90 <= 110 else None


def document_text(paragraphs: list[Paragraph]) -> str:
    """The display text of a whole document, one paragraph per line; sets each paragraph's offsets."""
    position = 0
    for paragraph in paragraphs:
        paragraph.start, paragraph.end = position, position + len(paragraph.text)
        position = paragraph.end + 1
    return "\n".join(p.text for p in paragraphs)
