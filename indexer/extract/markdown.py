"""Web pages converted to Markdown and saved as text: table rows read cell by cell (a header table holds the
issuer, the number and the date in its cells), `#` headings kept as headings, emphasis marks dropped."""

from __future__ import annotations

import re

_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MIN_SIGNS = 2  # table rows or headings before a text is read as Markdown


def looks_like_markdown(text: str) -> bool:
    lines = text.splitlines()
    signs = sum(1 for line in lines if _TABLE_RULE.match(line) or _HEADING.match(line))
    return signs >= _MIN_SIGNS


def from_markdown(text: str) -> tuple[str, dict[str, int]]:
    """Plain text with one table cell per line, and the headings with their levels."""
    out: list[str] = []
    headings: dict[str, int] = {}
    for line in text.splitlines():
        if _TABLE_RULE.match(line):
            continue
        if row := _TABLE_ROW.match(line):
            cells = [_plain(part) for cell in row.group(1).split("|") for part in _LINE_BREAK.split(cell)]
            out.extend(["", *(cell for cell in cells if cell), ""])
            continue
        if heading := _HEADING.match(line):
            title = _plain(heading.group(2))
            headings[title] = len(heading.group(1))
            out.extend(["", title, ""])
            continue
        out.append(_plain(line))
    return "\n".join(out), headings


def _plain(text: str) -> str:
    return _EMPHASIS.sub(r"\2", _LINE_BREAK.sub(" ", text)).strip()
