"""From pages of extracted text to paragraphs: display cleaning, hard line breaks re-joined, page numbers
and separator lines dropped, each paragraph knowing its pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.extract.records import Page
from indexer.normalize import clean_display

# A line that starts a new block: heading markers and list bullets.
STRUCTURAL_START = re.compile(
    r"^(?:[IVXLC]+[.)]\s|\d{1,2}(?:\.\d{1,2}){0,2}\.\s|\d{1,2}(?:\.\d{1,2}){1,2}\s|[a-zđ]\)\s|[-+•*–]\s|\(\d{1,2}\)\s"
    r"|(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+[\dIVXLC]+\b|Chương trình\s+\d+)"
)
_SEPARATOR = re.compile(r"^[\s\-_=|*.~]+$")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*-)?(?:\s*/\s*\d{1,3})?$", re.IGNORECASE)
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


def paragraphs_from_pages(pages: list[Page]) -> list[Paragraph]:
    lines = [(clean_display(line).strip(), page) for page in pages for line in page.text.splitlines()]
    lines = [(text, page) for text, page in lines if not _PAGE_NUMBER.match(text)]
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
    return paragraphs


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
