"""Records produced by extraction."""

from __future__ import annotations

from dataclasses import dataclass, field


class ExtractionError(Exception):
    """A file could not be turned into text; the message says why, in plain words."""


class UnsupportedFile(ExtractionError):
    """The file's type is not one the product reads."""


@dataclass
class Page:
    """Text of one page (PDF) or of a whole file (formats without pages: number is None).

    `headings` maps a heading line's text to its level (1 = top), for formats that mark headings
    explicitly (DOCX heading styles, HTML <h1>-<h6>).
    """

    number: int | None
    text: str
    headings: dict[str, int] = field(default_factory=dict)


@dataclass
class Extracted:
    pages: list[Page]
    notes: list[str] = field(default_factory=list)  # what happened on the way, e.g. "OCR on pages 1-3"
