"""Tables as CSV text that spreadsheets open with the Vietnamese intact: write it with encoding
`utf-8-sig` (a BOM), as `write_csv` does."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path


def csv_text(columns: list[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8-sig", newline="")
