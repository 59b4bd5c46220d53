"""Citation lines in the form Vietnamese officials write them:
`Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn, mục IV.3 (Sở Tài chính), tr. 12`.
Missing facts are left out, never invented; with no number the plan is named by its title, then by its
file name."""

from __future__ import annotations

import re

from indexer.metadata import DocumentMeta
from indexer.references import REPLACED
from indexer.sections import split_marker

MAX_TITLE = 90
_NAMED_UNIT = re.compile(r"^(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\b")


def document_label(meta: DocumentMeta) -> str:
    """`Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn`; without a number, the document's
    title (`Kế hoạch thực hiện …`), in quotes when it was taken from the text. Never the file name: a
    document without any text is `Văn bản không có tiêu đề`."""
    if meta.number:
        label = f"{meta.doc_type or 'Văn bản'} số {meta.number}"
    elif meta.title and "title" in meta.from_text:
        label = f"“{shorten(meta.title, MAX_TITLE)}”"
    elif meta.title:
        label = shorten(_typed_title(meta.title, meta.doc_type), MAX_TITLE)
    else:
        label = "Văn bản không có tiêu đề"
    if meta.date:
        label += f" ngày {display_date(meta.date)}"
    issuer = meta.issuer_short or meta.issuer
    if issuer:
        label += f" của {issuer}"
    return label


def _typed_title(title: str, doc_type: str | None) -> str:
    """`KẾ HOẠCH Thực hiện Kết luận …` -> `Kế hoạch thực hiện Kết luận …`: the type word as a citation writes
    it, the title after it as printed (its first letter lowered)."""
    if doc_type and title.upper().startswith(doc_type.upper() + " "):
        rest = title[len(doc_type) + 1:].lstrip()
        return f"{doc_type} {rest[:1].lower() + rest[1:] if not rest.isupper() else rest.lower()}"
    return title


def section_label(path: str) -> str:
    """`IV. TỔ CHỨC THỰC HIỆN › 3. Sở Tài chính` -> `mục IV.3 (Sở Tài chính)`."""
    if not path:
        return ""
    names = path.split(" › ")
    headings = [split_marker(h) for h in names]
    markers = [marker for marker, _ in headings]
    if all(markers) and not any(_NAMED_UNIT.match(n) for n in names):
        return f"mục {'.'.join(markers)} ({shorten(headings[-1][1], 60)})"
    return f"mục “{shorten(path.split(' › ')[-1], 60)}”"


def pages_label(page_start: int | None, page_end: int | None) -> str:
    if page_start is None:
        return ""
    return f"tr. {page_start}" if page_end in (None, page_start) else f"tr. {page_start}-{page_end}"


def citation(meta: DocumentMeta, section: str, page_start: int | None, page_end: int | None) -> str:
    parts = [document_label(meta), section_label(section), pages_label(page_start, page_end)]
    return ", ".join(p for p in parts if p)


def citation_of_parts(meta: DocumentMeta, parts: list[tuple[str, int | None]]) -> str:
    """One document's citation naming several of its parts, each (heading path, page):
    `Kế hoạch số 43/KH-UBND …, mục II.1 (Giai đoạn 2021 - 2025) và mục II.2 (Giai đoạn 2026 - 2030)`."""
    named = [", ".join(p for p in (section_label(section), pages_label(page, page)) if p) for section, page in parts]
    return ", ".join(p for p in (document_label(meta), " và ".join(n for n in named if n)) if p)


def plan_note(meta: DocumentMeta, changes: list[tuple[str, str]]) -> str:
    """The plan's period and whether other indexed documents replace or amend it, for display beside a
    citation: `giai đoạn 2021 - 2025, định hướng đến năm 2030; đã bị thay thế bởi Kế hoạch số 50/KH-UBND ...`.
    `changes` are (relation, the changing document's label) pairs."""
    parts = []
    if meta.period:
        parts.append(f"giai đoạn {meta.period}" if meta.period_start else f"đến năm {meta.period}")
    for relation, label in changes:
        parts.append(f"đã bị thay thế bởi {label}" if relation == REPLACED else f"đã được sửa đổi, bổ sung bởi {label}")
    return "; ".join(parts)


def display_date(iso: str | None) -> str:
    """`2022-02-23` -> `23/02/2022`; empty when unknown."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
