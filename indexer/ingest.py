"""One file in, one parsed document out: extraction, layout, boilerplate, metadata, sections, chunks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.body_facts import read_body_facts
from indexer.boilerplate import classify
from indexer.chunks import Chunk, chunk_document
from indexer.coverage import Coverage, measure
from indexer.extract import extract
from indexer.layout import Paragraph, document_text, read_layout
from indexer.metadata import DocumentMeta, apply_sidecar, extract_metadata, read_locality
from indexer.period import period_in
from indexer.references import read_references
from indexer.sections import Section, build_sections
from indexer.targets import Target, extract_targets

FOOTNOTES_HEADING = "Chú thích"
_FOOTNOTE = re.compile(r"^\d{1,2}\s+(?:Ban hành kèm theo\s+)?(?:Quyết định|Nghị quyết|Kế hoạch|Chỉ thị|Thông tư|Công văn|Kết luận|"
                       r"Nghị định|Luật|Đề án|Chương trình)\b")


@dataclass
class ParsedDocument:
    doc: str  # path relative to the indexed folder, with forward slashes
    meta: DocumentMeta
    text: str  # display text of the whole document
    sections: list[Section]
    chunks: list[Chunk]
    page_count: int | None
    notes: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)


def parse_file(path: Path, doc: str) -> ParsedDocument:
    """Parse one file. Raises indexer.extract.ExtractionError with a readable reason."""
    extracted = extract(path)
    layout = read_layout(extracted.pages)
    paragraphs = layout.paragraphs
    text = document_text(paragraphs)
    labels = classify(paragraphs)
    found = extract_metadata(paragraphs, labels, path.name)
    skipped = found.title_paragraphs | found.date_paragraphs
    sections = build_sections(_content(paragraphs, labels, skipped))
    chunks = chunk_document(doc, sections)
    if not chunks:  # a document that is only its title: the title is its text
        skipped = found.date_paragraphs
        sections = build_sections(_content(paragraphs, labels, skipped))
        chunks = chunk_document(doc, sections)
    opening = sections[0].text if sections and not sections[0].heading else ""
    _read_plan_facts(found.meta, opening, text)
    kept = [i for i in range(len(paragraphs)) if i not in found.date_paragraphs]
    read_body_facts(found.meta, [paragraphs[i] for i in kept], [labels[i] for i in kept])
    read_locality(found.meta)
    apply_sidecar(found.meta, path)
    paged = any(page.number is not None for page in extracted.pages)
    period = period_in(found.meta.period) if found.meta.period else None
    coverage = measure(paragraphs, labels, skipped, sections, chunks, layout.furniture)
    return ParsedDocument(
        doc=doc, meta=found.meta, text=text, sections=sections, chunks=chunks,
        page_count=len(extracted.pages) if paged else None, notes=extracted.notes,
        targets=extract_targets(doc, sections, period), coverage=coverage,
    )


def _content(paragraphs: list[Paragraph], labels: list[str | None], skip: set[int]) -> list[Paragraph]:
    """The paragraphs that are text, not boilerplate nor the ones in `skip` (title, dateline)."""
    return _with_footnote_heading([p for i, (p, label) in enumerate(zip(paragraphs, labels))
                                   if label is None and i not in skip],
                                  [p for p, label in zip(paragraphs, labels) if label])


def _read_plan_facts(meta: DocumentMeta, opening: str, text: str) -> None:
    """The codes the plan implements, bases itself on, replaces or amends; and its period, from the title,
    else the opening."""
    references = read_references(meta.title, opening, text, meta.number)
    meta.implements, meta.bases, meta.upstream = references.implements, references.bases, references.upstream
    meta.replaces, meta.amends = references.replaces, references.amends
    meta.code_dates = references.code_dates
    period = period_in(meta.title or "") or period_in(opening[:1000])
    if period:
        meta.period, meta.period_start, meta.period_end = period.text, period.start, period.end


def _with_footnote_heading(content: list[Paragraph], boilerplate: list[Paragraph]) -> list[Paragraph]:
    """Footnotes after the signature block (`1 Quyết định số ...`) get a section of their own instead of
    falling under the last heading."""
    last_boilerplate = max((p.start for p in boilerplate), default=-1)
    out: list[Paragraph] = []
    for paragraph in content:
        if not any(p.heading_level == 1 and p.text == FOOTNOTES_HEADING for p in out) \
                and paragraph.start > last_boilerplate >= 0 and _FOOTNOTE.match(paragraph.text):
            out.append(Paragraph(FOOTNOTES_HEADING, paragraph.page_start, paragraph.page_end, heading_level=1,
                                 start=paragraph.start, end=paragraph.start))
        out.append(paragraph)
    return out
