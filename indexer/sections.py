"""The heading tree of a document, from the conventions of Vietnamese administrative documents:
`Phần`, `Chương`, `Mục`, Roman numerals (`I.`), `Điều 5.`, `Chương trình 2:`, Arabic numbers (`1.`,
`2.1.`), letters (`a)`, `đ)`), unnumbered all-caps lines, and DOCX/HTML heading styles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.layout import Paragraph, is_all_caps

# (rank, pattern): a smaller rank is a higher level. A heading closes every open heading of equal or
# lower level, whatever the numbering skipped.
_HEADING_PATTERNS: list[tuple[float, re.Pattern[str]]] = [
    (0, re.compile(r"^(?:PHẦN|Phần)\s+(?:[IVXLC]+|\d+|THỨ\s+\w+|thứ\s+\w+)\b")),
    (1, re.compile(r"^(?:CHƯƠNG|Chương)\s+(?!trình)(?:[IVXLC]+|\d+)\b")),
    (2, re.compile(r"^(?:MỤC|Mục)\s+(?:[IVXLC]+|\d+)\b[.:]?")),
    (3, re.compile(r"^[IVXLC]+[.)]\s+\S")),
    (4, re.compile(r"^(?:Điều|ĐIỀU)\s+\d+\s*[.:]")),
    (4, re.compile(r"^(?:Chương trình|CHƯƠNG TRÌNH)\s+\d+\s*[.:]")),
    (5, re.compile(r"^\d{1,2}\.\s+\S")),
    (6, re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+\S")),
    (7, re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s+\S")),
    (8, re.compile(r"^[a-zđ]\)\s+\S")),
]
_ALL_CAPS_RANK = 2.5
_MARKER = re.compile(r"^(?:(?:Phần|PHẦN|Chương trình|CHƯƠNG TRÌNH|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+)?"
                     r"([IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.):]")
_SENTENCE_END = re.compile(r"[.;!?]\s+(?=[^\W\d_]|[-+“\"(])")
MAX_TITLE_CHARS = 200
LONG_TITLE_WORDS = 12  # a heading longer than this is also an item of content: it is kept as body too


@dataclass
class Block:
    """A piece of section body text with its place in the document."""

    text: str
    start: int
    end: int
    page_start: int | None
    page_end: int | None


@dataclass
class Section:
    ordinal: int
    heading: str  # "3. Sở Tài chính"; "" for text before the first heading
    path: list[str]  # headings from the top down to this one, this one included
    level: int  # depth in the tree: 0 for the preamble, 1 for a top heading
    blocks: list[Block] = field(default_factory=list)
    start: int = 0
    end: int = 0

    @property
    def path_text(self) -> str:
        return " › ".join(self.path)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def marker(self) -> str | None:
        """`IV` for `IV. TỔ CHỨC THỰC HIỆN`, `2.1` for `2.1. Hạ tầng`, `a` for `a) ...`."""
        return split_marker(self.heading)[0]

    @property
    def pages(self) -> tuple[int | None, int | None]:
        numbers = [n for b in self.blocks for n in (b.page_start, b.page_end) if n is not None]
        return (min(numbers), max(numbers)) if numbers else (None, None)


def split_marker(heading: str) -> tuple[str | None, str]:
    """`IV. TỔ CHỨC THỰC HIỆN` -> (`IV`, `TỔ CHỨC THỰC HIỆN`); (None, heading) when it has no marker."""
    match = _MARKER.match(heading)
    if not match:
        return None, heading
    return match.group(1), heading[match.end():].strip() or heading


def heading_rank(paragraph: Paragraph) -> float | None:
    """The heading level of a paragraph (smaller is higher), or None for body text."""
    if paragraph.heading_level is not None:
        return paragraph.heading_level + 1
    text = paragraph.text
    for rank, pattern in _HEADING_PATTERNS:
        if pattern.match(text):
            return rank
    if is_all_caps(text) and len(text) <= 150 and len(text.split()) >= 2:
        return _ALL_CAPS_RANK
    return None


def split_heading(text: str) -> tuple[str, str | None]:
    """Split a heading paragraph into (heading title, body text or None).

    A short heading is all title. A longer one (an `a) ...` item, `Chương trình 1: ...` with its report)
    gives its first sentence as title, cut at a word boundary with `…` when it is long; a title of more
    than a few words is content too, so then the whole paragraph is also kept as body.
    """
    stripped = text.strip()
    marker = _MARKER.match(stripped)
    sentence_end = next((m for m in _SENTENCE_END.finditer(stripped, marker.end() if marker else 0)
                         if not stripped[m.end()].islower()), None)
    title = stripped[: sentence_end.end()].strip() if sentence_end else stripped
    rest = stripped[sentence_end.end():].strip() if sentence_end else ""
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS // 2].rsplit(" ", 1)[0].rstrip(",;: ") + " …"
    title = title.rstrip(":").strip()
    if len(title.split()) > LONG_TITLE_WORDS:
        return title, stripped
    return title, rest or None


def build_sections(paragraphs: list[Paragraph]) -> list[Section]:
    """Sections in document order; `paragraphs` are the content paragraphs (no boilerplate, no title)."""
    sections: list[Section] = []
    stack: list[tuple[float, str]] = []
    current = Section(ordinal=0, heading="", path=[], level=0)
    sections.append(current)
    for paragraph in paragraphs:
        rank = heading_rank(paragraph)
        if rank is None:
            current.blocks.append(_block(paragraph, paragraph.text, paragraph.start))
            continue
        title, body = split_heading(paragraph.text)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        stack.append((rank, title))
        current = Section(ordinal=len(sections), heading=title, path=[t for _, t in stack], level=len(stack),
                          start=paragraph.start)
        sections.append(current)
        if body:
            offset = paragraph.start + paragraph.text.find(body)
            current.blocks.append(_block(paragraph, body, offset))
    for section in sections:
        section.end = section.blocks[-1].end if section.blocks else section.start + len(section.heading)
        if not section.heading and section.blocks:
            section.start = section.blocks[0].start
    return [s for s in sections if s.heading or s.blocks]


def _block(paragraph: Paragraph, text: str, start: int) -> Block:
    return Block(text=text, start=start, end=start + len(text),
                 page_start=paragraph.page_start, page_end=paragraph.page_end)
