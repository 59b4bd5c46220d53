"""How much of a document's text the index holds: every character read from a file is either in a passage
(or a heading on a passage's path), or removed by a named rule (the administrative header, the title read
as metadata, the recipients list, the signature block, page furniture, web furniture). What is neither is
lost, and the indexing report says so."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from indexer.chunks import Chunk
from indexer.layout import Paragraph, visible_length
from indexer.sections import Section

LOW_COVERAGE = 0.95  # below this share of its body text indexed, a file is flagged in the report
TITLE = "title"
MAX_SAMPLES, SAMPLE_CHARS = 5, 100


@dataclass
class Coverage:
    """Characters (letters and digits) of one document, by what became of them."""

    characters: int = 0  # everything read from the file
    indexed: int = 0  # in a passage, or a heading above one
    removed: dict[str, int] = field(default_factory=dict)  # by the rule that removed them as boilerplate
    lost_samples: list[str] = field(default_factory=list)  # the start of the first paragraphs lost

    @property
    def body(self) -> int:
        """The characters that should be searchable: all but those a rule removed."""
        return self.characters - sum(self.removed.values())

    @property
    def lost(self) -> int:
        return self.body - self.indexed

    @property
    def ratio(self) -> float:
        return self.indexed / self.body if self.body else 1.0

    @property
    def low(self) -> bool:
        return self.ratio < LOW_COVERAGE

    def note(self) -> str | None:
        """A line for the indexing report when text was lost, else None."""
        if not self.low:
            return None
        return (f"chỉ {self.ratio:.0%} nội dung được đưa vào chỉ mục: {self.lost:,} ký tự không nằm trong đoạn nào"
                .replace(",", "."))

    def to_json(self) -> dict:
        return {**asdict(self), "ratio": round(self.ratio, 4), "lost": self.lost, "low": self.low}

    @classmethod
    def from_json(cls, values: dict) -> "Coverage":
        return cls(values["characters"], values["indexed"], dict(values["removed"]), list(values["lost_samples"]))


def measure(paragraphs: list[Paragraph], labels: list[str | None], title: set[int], sections: list[Section],
            chunks: list[Chunk], furniture: dict[str, int]) -> Coverage:
    """The coverage of a parsed document. `labels` are the boilerplate rules per paragraph, `title` the
    paragraphs read as title or dateline, `furniture` what page cleaning removed before paragraphs."""
    held = _held_spans(sections, chunks)
    coverage = Coverage(removed={rule: n for rule, n in furniture.items() if n})
    coverage.characters = sum(furniture.values())
    for i, paragraph in enumerate(paragraphs):
        size = visible_length(paragraph.text)
        coverage.characters += size
        rule = labels[i] or (TITLE if i in title else None)
        if rule:
            coverage.removed[rule] = coverage.removed.get(rule, 0) + size
            continue
        indexed = sum(visible_length(paragraph.text[a - paragraph.start:b - paragraph.start])
                      for a, b in _clip(held, paragraph.start, paragraph.end))
        coverage.indexed += indexed
        if indexed < size and len(coverage.lost_samples) < MAX_SAMPLES:
            coverage.lost_samples.append(paragraph.text[:SAMPLE_CHARS])
    return coverage


def _held_spans(sections: list[Section], chunks: list[Chunk]) -> list[tuple[int, int]]:
    """Merged character spans of the passages, and of the headings whose section or a section below it has
    a passage (a heading is indexed with its passages' heading paths)."""
    paths = {c.section for c in chunks}
    spans = [(c.start, c.end) for c in chunks]
    for section in sections:
        if section.heading and any(p == section.path_text or p.startswith(section.path_text + " › ")
                                   for p in paths):
            spans.append((section.start, section.heading_end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _clip(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    return [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]
