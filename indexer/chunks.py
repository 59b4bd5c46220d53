"""Chunks: section-bounded windows of about 120-250 syllables, split on sentence boundaries with some
overlap, each carrying its heading path, pages, character offsets and a stable id."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from indexer.sections import Block, Section
from vietnamese.sentences import sentence_spans

TARGET_SYLLABLES = 180
MAX_SYLLABLES = 250
OVERLAP_SYLLABLES = 40
CHUNKER_VERSION = 5  # 4: recipients lists without their first dash, OCR-merged signers, sibling headings told apart;
# 5: a clause opening with `Ban hành`, `Trường hợp`, `Báo cáo` … is not an agency's duty heading


@dataclass
class Chunk:
    id: str
    doc: str  # document path relative to the indexed folder
    ordinal: int  # position in the document
    section: str  # heading path: "IV. TỔ CHỨC THỰC HIỆN › 3. Sở Tài chính"
    section_ordinal: int
    text: str  # display text of the passage; paragraphs on their own lines
    start: int  # character offsets in the document text
    end: int
    page_start: int | None
    page_end: int | None


@dataclass
class _Piece:
    text: str
    start: int
    end: int
    page_start: int | None
    page_end: int | None
    block: int  # which paragraph of the section it comes from

    @property
    def syllables(self) -> int:
        return len(self.text.split())


def chunk_document(doc: str, sections: list[Section]) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in sections:
        for window in _windows(_pieces(section.blocks)):
            text = _join(window)
            if not text:
                continue
            pages = [n for p in window for n in (p.page_start, p.page_end) if n is not None]
            chunks.append(Chunk(
                id=chunk_id(doc, section.path_text, text, chunks),
                doc=doc, ordinal=len(chunks), section=section.path_text, section_ordinal=section.ordinal,
                text=text, start=window[0].start, end=window[-1].end,
                page_start=min(pages) if pages else None, page_end=max(pages) if pages else None,
            ))
    return chunks


def chunk_id(doc: str, section: str, text: str, earlier: list[Chunk]) -> str:
    """Depends only on this document's path, the section and the passage, so it survives changes to
    other documents; a repeated passage in the same section gets a distinct id."""
    base = hashlib.sha1(f"{doc}\x1f{section}\x1f{text}".encode()).hexdigest()[:16]
    taken = {c.id for c in earlier}
    candidate, n = base, 1
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _pieces(blocks: list[Block]) -> list[_Piece]:
    """Sentences of the blocks, with offsets; a sentence longer than the maximum is cut by words."""
    pieces: list[_Piece] = []
    for number, block in enumerate(blocks):
        for start, end in sentence_spans(block.text):
            pieces.extend(_cut_long(_Piece(block.text[start:end], block.start + start, block.start + end,
                                           block.page_start, block.page_end, number)))
    return pieces


def _join(window: list[_Piece]) -> str:
    """Sentences of one paragraph joined by a space, paragraphs by a line break."""
    out = ""
    for previous, piece in zip([None, *window], window):
        if previous is not None:
            out += " " if previous.block == piece.block else "\n"
        out += piece.text.strip()
    return out.strip()


def _cut_long(piece: _Piece) -> list[_Piece]:
    if piece.syllables <= MAX_SYLLABLES:
        return [piece]
    out, words = [], list(re.finditer(r"\S+", piece.text))
    for i in range(0, len(words), TARGET_SYLLABLES):
        group = words[i:i + TARGET_SYLLABLES]
        a, b = group[0].start(), group[-1].end()
        out.append(_Piece(piece.text[a:b], piece.start + a, piece.start + b, piece.page_start, piece.page_end,
                          piece.block))
    return out


def _windows(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Greedy windows of whole sentences; each new window starts with the last sentences of the previous
    one, up to the overlap size."""
    windows: list[list[_Piece]] = []
    current: list[_Piece] = []
    size = 0
    for piece in pieces:
        if current and size + piece.syllables > MAX_SYLLABLES or size >= TARGET_SYLLABLES:
            windows.append(current)
            overlap: list[_Piece] = []
            for previous in reversed(current):
                if sum(p.syllables for p in overlap) + previous.syllables > OVERLAP_SYLLABLES:
                    break
                overlap.insert(0, previous)
            current, size = overlap, sum(p.syllables for p in overlap)
        current.append(piece)
        size += piece.syllables
    if current and (not windows or any(p not in windows[-1] for p in current)):
        windows.append(current)
    return windows
