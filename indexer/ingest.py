"""One file in, one parsed document out: extraction, layout, boilerplate, metadata, sections, chunks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.boilerplate import classify
from indexer.chunks import Chunk, chunk_document
from indexer.extract import extract
from indexer.layout import Paragraph, document_text, paragraphs_from_pages
from indexer.metadata import DocumentMeta, apply_sidecar, extract_metadata
from indexer.sections import Section, build_sections

FOOTNOTES_HEADING = "Chú thích"
_FOOTNOTE = re.compile(r"^\d{1,2}\s+(?:Quyết định|Nghị quyết|Kế hoạch|Chỉ thị|Thông tư|Công văn|Kết luận|"
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


def parse_file(path: Path, doc: str) -> ParsedDocument:
    """Parse one file. Raises indexer.extract.ExtractionError with a readable reason."""
    extracted = extract(path)
    paragraphs = paragraphs_from_pages(extracted.pages)
    text = document_text(paragraphs)
    labels = classify(paragraphs)
    found = extract_metadata(paragraphs, labels)
    apply_sidecar(found.meta, path)
    skip = found.title_paragraphs | found.date_paragraphs
    content = _with_footnote_heading([p for i, (p, label) in enumerate(zip(paragraphs, labels))
                                      if label is None and i not in skip],
                                     [p for p, label in zip(paragraphs, labels) if label])
    sections = build_sections(content)
    paged = any(page.number is not None for page in extracted.pages)
    return ParsedDocument(
        doc=doc, meta=found.meta, text=text, sections=sections, chunks=chunk_document(doc, sections),
        page_count=len(extracted.pages) if paged else None, notes=extracted.notes,
    )


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
