"""The heading tree of a document, from the conventions of Vietnamese administrative documents:
`Phụ lục`, `Phần`, `Chương`, `Mục`, Roman numerals (`I.`), `Điều 5.`, `Chương trình 2:`, Arabic numbers
(`1.`, `2.1.`), letters (`a)`, `đ)`), unnumbered all-caps lines, and DOCX/HTML heading styles.

A line is a heading by its pattern and its position: something must stand beneath it. A numbered line
followed by its sibling is a list item (`a) Có đủ sức khỏe;`), a short capitalised line among other short
lines is a table cell, `QUYẾT ĐỊNH:` and the authority line before `Căn cứ …` open a decision's text:
all of them are body text. A part (`Điều 2. Hiệu lực thi hành`) with nothing beneath it is a section whose
heading is its text. A bare `Chương I` takes the name on the next line (`Chương I. QUY ĐỊNH CHUNG`),
and a regulation, list or appendix attached to the document (`QUY CHẾ …`, `Phụ lục I …` followed by
`(Kèm theo …)`) becomes a top-level section of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.layout import PREAMBLE, Paragraph, is_all_caps

# (rank, pattern): a smaller rank is a higher level. A heading closes every open heading of equal or
# lower level, whatever the numbering skipped.
ATTACHMENT_RANK = -1
# After a part's number: the end, a separator, or its name in capitals (not `Chương II, Mẫu số 01` in a table).
_PART_END = r"\s*(?:$|[.:\-–]|\s[A-ZĐÀ-Ỹ]{2})"
_HEADING_PATTERNS: list[tuple[float, re.Pattern[str]]] = [
    (ATTACHMENT_RANK, re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:[IVXLC]+|\d{1,2}[a-z]?|SỐ\s+\d+|số\s+\d+))?"
                                 r"\s*(?:$|[.:\-–]\s*(?:$|[A-ZĐÀ-Ỹ]))")),
    (0, re.compile(r"^(?:PHẦN|Phần)\s+(?:[IVXLC]+|\d+|THỨ\s+\w+|thứ\s+\w+)" + _PART_END)),
    (1, re.compile(r"^(?:CHƯƠNG|Chương)\s+(?!trình)(?:[IVXLC]+|\d+)" + _PART_END)),
    (2, re.compile(r"^(?:MỤC|Mục)\s+(?:[IVXLC]+|\d+)" + _PART_END)),
    (3, re.compile(r"^[IVXLC]+[.)]\s+\S")),
    (4, re.compile(r"^(?:Điều|ĐIỀU)\s+\d+\s*[.:]")),
    (4, re.compile(r"^(?:Chương trình|CHƯƠNG TRÌNH)\s+\d+\s*[.:]")),
    (5, re.compile(r"^\d{1,2}\.\s+\S")),
    # Not a figure that opens a line (`9.84 máy tính/phòng máy, …`): a subheading's name is not in lower case.
    (6, re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+(?![a-zđà-ỹ])\S")),
    (7, re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s+(?![a-zđà-ỹ])\S")),
    (8, re.compile(r"^[a-zđ]\)\s+\S")),
]
# A heading that names the agency its text assigns duties to (`3. Sở Tài chính`, `Ban Tuyên giáo Huyện ủy …`);
# not the words an agency's name opens a clause with (`Ban hành …`, `Trường hợp …`, `Báo cáo …`, `Phòng ngừa …`).
AGENCY_HEADING = re.compile(r"^(?:Các\s+)?(?:Sở(?! hữu)|Phòng(?! (?:ngừa|chống|tránh|học))|Ban(?! hành)|"
                            r"Bộ(?! (?:luật|phận|máy|tiêu chí|hồ sơ))|Ủy ban|Uỷ ban|UBND|HĐND|Văn phòng|Công an|"
                            r"Bộ Chỉ huy|Đài|Báo(?! cáo)|Liên đoàn|Hội(?! (?:nghị|thảo|thi|nhập|giảng|diễn))|Tỉnh đoàn|"
                            r"Thành đoàn|Huyện đoàn|Mặt trận|Trường(?! hợp)|Trung tâm|Đảng ủy|Đảng uỷ|Huyện ủy|Tỉnh ủy|"
                            r"Thành ủy|sở(?! hữu)|phòng(?! (?:ngừa|chống|tránh|học))|cơ quan)\b")
_ALL_CAPS_RANK = 2.5
_CLAUSE_RANK = 5  # `1.`, `2.`: the clauses of an article
_BARE_MARKER = re.compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục|PHỤ LỤC|Phụ lục)(?:\s+(?:[IVXLC]+|\d{1,2}[a-z]?|"
                          r"THỨ\s+\w+|thứ\s+\w+))?\s*[.:]?$")
_ATTACHED = re.compile(r"^\((?:Ban hành\s+)?(?:kèm|Kèm)\s+theo\b")
_ATTACHMENT_HEAD = re.compile(r"^(?:PHỤ LỤC|Phụ lục|DANH MỤC|QUY CHẾ|QUY ĐỊNH|ĐIỀU LỆ|HƯỚNG DẪN|CHƯƠNG TRÌNH|"
                              r"KẾ HOẠCH|ĐỀ ÁN|CHIẾN LƯỢC|BIỂU|MẪU|Mẫu|TIÊU CHUẨN|CHUẨN|NỘI QUY)\b")
_FORMULA = re.compile(r"^(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|CHỈ THỊ|KẾT LUẬN|THÔNG TƯ)\s*:\s*$")
_TITLE_END = (".", ";", ",")
_MARKER = re.compile(r"^(?:(?:Phần|PHẦN|Chương trình|CHƯƠNG TRÌNH|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+)?"
                     r"([IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[A-Z](?=\.))\s*[.):]")
_SENTENCE_END = re.compile(r"[.;!?]\s+(?=[^\W\d_]|[-+“\"(])")
MAX_TITLE_CHARS = 200
_PARTS = (ATTACHMENT_RANK, 0, 1, 2, 4)  # Phụ lục, Phần, Chương, Mục, Điều: a part even with nothing beneath
LIST_ITEM_WORDS = 20  # a numbered line of at most this many words with nothing beneath it is a list item
_LIST_ITEM_HEADING = re.compile(r"^(?:[a-zđ]\)|\d{1,2}\.)\s")  # `b) Chủ trì tham mưu`, `2. Phòng giao dịch...`
TOLD_APART_NAME_WORDS = 6  # a list item's name this short, shared by siblings, is a line cut before its object
TOLD_APART_WORDS = 16  # at most this many words of its text a heading shared by siblings takes
LONG_TITLE_WORDS = 12  # a heading longer than this is also an item of content: it is kept as body too

SECTION_SEPARATOR = " › "  # between the headings of a heading path


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
    heading_end: int = 0  # where the heading's own paragraph ends

    @property
    def path_text(self) -> str:
        return SECTION_SEPARATOR.join(self.path)

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
    if _is_scrap(text):
        return None
    for rank, pattern in _HEADING_PATTERNS:
        if pattern.match(text):
            return rank
    if is_all_caps(text) and len(text) <= 150 and len(text.split()) >= 2:
        return _ALL_CAPS_RANK
    return None


_TABLE_MARKS = re.compile(r"[|\[\]{}=_~<>]")


def _is_scrap(text: str) -> bool:
    """A scrap of an OCR'd table (`[2209| 3 | 9% |3 | % [| TL TL. |.`, `TP N .:E===`): fewer letters than
    other marks, a table's rule or border among them; it heads nothing."""
    marks = text.replace(" ", "")
    return len(marks) >= 8 and sum(c.isalpha() for c in marks) < len(marks) / 2 and bool(_TABLE_MARKS.search(text))


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
    paragraphs, attachments = _merge_heading_lines(paragraphs)
    ranks = _ranks(paragraphs, attachments)
    sections: list[Section] = []
    stack: list[tuple[float, str]] = []
    current = Section(ordinal=0, heading="", path=[], level=0)
    sections.append(current)
    headings: dict[int, Paragraph] = {}
    for paragraph, rank in zip(paragraphs, ranks):
        if rank is None:
            current.blocks.append(_block(paragraph, paragraph.text, paragraph.start))
            continue
        title, body = split_heading(paragraph.text)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        stack.append((rank, title))
        current = Section(ordinal=len(sections), heading=title, path=[t for _, t in stack], level=len(stack),
                          start=paragraph.start, heading_end=paragraph.end)
        sections.append(current)
        if body:
            offset = paragraph.start + max(paragraph.text.find(body), 0)
            current.blocks.append(_block(paragraph, body, offset))
        headings[current.ordinal] = paragraph
    for section, following in zip(sections, [*sections[1:], None]):
        if section.heading and not section.blocks and (following is None or following.level <= section.level):
            section.blocks.append(_block(headings[section.ordinal], headings[section.ordinal].text, section.start))
    for section in sections:
        section.end = section.blocks[-1].end if section.blocks else section.heading_end
        if not section.heading and section.blocks:
            section.start = section.blocks[0].start
    _tell_apart(sections)
    return [s for s in sections if s.heading or s.blocks]


def _tell_apart(sections: list[Section]) -> None:
    """Sibling list items with the same name (`b) Chủ trì tham mưu`, `c) Chủ trì tham mưu`, a line the PDF
    broke before its object) take the first words of their text, as few as tell them apart: an outline and a
    citation must (`b) Chủ trì tham mưu UBND tỉnh xây dựng và triển khai thực hiện Đề án “Đầu…`)."""
    named: dict[tuple[str, ...], list[Section]] = {}
    for section in sections:
        name = split_marker(section.heading)[1]
        if _LIST_ITEM_HEADING.match(section.heading) and len(name.split()) <= TOLD_APART_NAME_WORDS and \
                section.blocks and not section.heading.endswith("…"):
            key = (*section.path[:-1], name.casefold())
            named.setdefault(key, []).append(section)
    for same in named.values():
        if len(same) < 2:
            continue
        words = [section.blocks[0].text.split() for section in same]
        n = next((n for n in range(1, TOLD_APART_WORDS + 1)
                  if len({" ".join(w[:n]) for w in words}) == len(same)), TOLD_APART_WORDS)
        for section, text in zip(same, words):
            longer = f"{section.heading} {' '.join(text[:n])}".rstrip(",;:") + ("…" if len(text) > n else "")
            _rename(sections, section, longer)


def _rename(sections: list[Section], section: Section, heading: str) -> None:
    """Give a section a new heading, in its own path and in those of the sections beneath it."""
    depth = len(section.path) - 1
    for other in sections[section.ordinal:]:
        if other is not section and other.level <= section.level:
            break
        other.path[depth] = heading
    section.heading = heading


def _merge_heading_lines(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], set[int]]:
    """Join a bare marker (`Chương I`) with the name on the next line, and an attachment's title lines
    (`Phụ lục I`, `BIỂU THUẾ …`) into one heading; returns the paragraphs and the attachment headings."""
    out: list[Paragraph] = []
    attachments: set[int] = set()
    for paragraph in paragraphs:
        if _ATTACHED.match(paragraph.text):
            head = _attachment_head(out)
            if head is not None:
                out[head:] = [_joined(out[head:])]
                attachments.add(head)
        elif out and _BARE_MARKER.match(out[-1].text) and _is_name_line(paragraph):
            out[-1] = _joined([out[-1], paragraph])
            continue
        out.append(paragraph)
    return out, attachments


def _attachment_head(previous: list[Paragraph]) -> int | None:
    """Where the title of an attachment starts, given the paragraphs before its `(Kèm theo …)` line."""
    for back in range(1, 5):
        if back > len(previous):
            return None
        candidate = previous[-back]
        if len(candidate.text) > 400 or candidate.text.rstrip().endswith(_TITLE_END):
            return None
        if _ATTACHMENT_HEAD.match(candidate.text):
            return len(previous) - back
    return None


def _is_name_line(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return len(text) < 300 and not text.endswith(_TITLE_END) and not _ATTACHED.match(text) \
        and heading_rank(paragraph) in (None, _ALL_CAPS_RANK)


def _joined(parts: list[Paragraph]) -> Paragraph:
    text = parts[0].text
    for part in parts[1:]:
        separator = ". " if _BARE_MARKER.match(text) and not text.endswith((".", ":")) else " "
        text = f"{text}{separator}{part.text}"
    return Paragraph(text, parts[0].page_start, parts[-1].page_end, parts[0].heading_level,
                     start=parts[0].start, end=parts[-1].end)


def _ranks(paragraphs: list[Paragraph], attachments: set[int]) -> list[float | None]:
    """The heading rank of each paragraph in its place, None for body text (see the module's docstring)."""
    ranks = [ATTACHMENT_RANK if i in attachments else heading_rank(p) for i, p in enumerate(paragraphs)]
    for i, paragraph in enumerate(paragraphs):
        text = paragraph.text
        following = paragraphs[i + 1].text if i + 1 < len(paragraphs) else ""
        if _FORMULA.match(text) or (ranks[i] == _ALL_CAPS_RANK and PREAMBLE.match(following)):
            ranks[i] = None
        elif ranks[i] == _ALL_CAPS_RANK and paragraph.heading_level is None and _is_cell(paragraphs, ranks, i):
            ranks[i] = None
    nominal = list(ranks)  # a list item made text below is still its neighbour's sibling
    for i in range(len(paragraphs) - 1, -1, -1):
        below = nominal[i + 1] if i + 1 < len(paragraphs) else ATTACHMENT_RANK - 1
        if ranks[i] is not None and below is not None and below <= ranks[i] and ranks[i] not in _PARTS \
                and _is_list_item(paragraphs[i], ranks[i]):
            ranks[i] = None
    return ranks


def _is_list_item(paragraph: Paragraph, rank: float) -> bool:
    """A line with nothing beneath it is a list item when it is a heading-length line, one short sentence
    (`a) Tuyên truyền, phổ biến chính sách … đến người lao động.`), or a numbered clause of one sentence of
    any length with no name before a colon (`2. Tên gọi của pháp nhân phải thể hiện rõ …`); not an item with
    a report of its own, nor a duty under its agency's name (`3. Ban Tuyên giáo Huyện ủy: Chủ trì …`)."""
    text = paragraph.text
    return split_heading(text)[1] is None or len(text.split()) <= LIST_ITEM_WORDS \
        or (rank == _CLAUSE_RANK and ":" not in text and not AGENCY_HEADING.match(split_marker(text)[1])
            and _one_sentence(text))


def _one_sentence(text: str) -> bool:
    stripped = text.strip()
    marker = _MARKER.match(stripped)
    return not any(not stripped[m.end()].islower() for m in _SENTENCE_END.finditer(stripped, marker.end() if marker else 0))


def _is_cell(paragraphs: list[Paragraph], ranks: list[float | None], i: int) -> bool:
    """A short capitalised line next to another short line that is not a numbered heading: a table cell."""
    if len(paragraphs[i].text.split()) > 4:
        return False
    return any(0 <= j < len(paragraphs) and len(paragraphs[j].text.split()) <= 4
               and ranks[j] in (None, _ALL_CAPS_RANK) for j in (i - 1, i + 1))


def _block(paragraph: Paragraph, text: str, start: int) -> Block:
    return Block(text=text, start=start, end=start + len(text),
                 page_start=paragraph.page_start, page_end=paragraph.page_end)
