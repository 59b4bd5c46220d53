"""HTML: main content only (trafilatura), decoded with the page's own charset and NFC'd."""

from __future__ import annotations

import re
from pathlib import Path

import trafilatura

from indexer.extract.records import ExtractionError, Extracted, Page
from indexer.extract.txt import decode_text
from vietnamese.normalize import nfc

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def extract(path: Path) -> Extracted:
    html = _decode(path.read_bytes())
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if not text or not text.strip():
        raise ExtractionError("no main content found in the HTML page")
    title = trafilatura.extract_metadata(html)
    lines = [nfc(title.title)] if title and title.title and title.title not in text else []
    return Extracted(pages=[Page(number=None, text="\n\n".join(lines + [nfc(text)]), headings=_headings(html))])


def _decode(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            return nfc(data.decode(match.group(1).decode("ascii").lower()))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


def _headings(html: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for level, inner in _HEADING.findall(html):
        text = nfc(re.sub(r"\s+", " ", _TAG.sub(" ", inner))).strip()
        if text:
            found.setdefault(text, int(level))
    return found
