"""Extraction: one module per file format, each turning a file into pages of text.

`extract(path)` dispatches on the file's suffix and returns an `Extracted` record, or raises
`ExtractionError` with a reason a person can read.
"""

from __future__ import annotations

from pathlib import Path

from indexer.extract.records import ExtractionError, Extracted, Page, UnsupportedFile

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

__all__ = ["SUPPORTED_SUFFIXES", "ExtractionError", "Extracted", "Page", "UnsupportedFile", "extract"]


def extract(path: Path) -> Extracted:
    """Extract the text of one file. Raises UnsupportedFile or ExtractionError."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile(f"unsupported file type '{suffix or '(none)'}'")
    if path.stat().st_size == 0:
        raise ExtractionError("the file is empty")
    if suffix in (".txt", ".md"):
        from indexer.extract import txt

        return txt.extract(path)
    if suffix == ".pdf":
        from indexer.extract import pdf

        return pdf.extract(path)
    if suffix == ".docx":
        from indexer.extract import docx

        return docx.extract(path)
    from indexer.extract import html

    return html.extract(path)
