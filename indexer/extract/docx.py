"""DOCX through python-docx: paragraphs in order, heading styles as section levels, table cells as text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from indexer.extract.records import ExtractionError, Extracted, Page
from vietnamese.normalize import nfc

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
_HEADING_STYLE = re.compile(r"^(?:heading|tiêu đề)\s*(\d)$", re.IGNORECASE)


def extract(path: Path) -> Extracted:
    _check_archive(path)
    try:
        document = docx.Document(str(path))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for broken files
        raise ExtractionError(f"damaged or not a Word document ({type(error).__name__}: {error})") from None
    lines: list[str] = []
    headings: dict[str, int] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = nfc(block.text).strip()
            if not text:
                continue
            level = _heading_level(block)
            if level:
                headings[text] = level
            lines.append(text)
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    if not lines:
        raise ExtractionError("the document has no text")
    return Extracted(pages=[Page(number=None, text="\n\n".join(lines), headings=headings)])


def _check_archive(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise ExtractionError("not a Word .docx file (not a zip archive; an old .doc renamed?)")
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ExtractionError(f"damaged .docx archive ({error})") from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ExtractionError(f"the .docx unpacks to {total // (1024 * 1024)} MB, over the "
                              f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB limit (a zip bomb?)")


def _heading_level(paragraph: Paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.lower() == "title":
        return 1
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match else None


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = nfc(cell.text).strip()
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines
