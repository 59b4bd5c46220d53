"""HTML for search results. Every piece of document text is escaped before it is shown."""

from __future__ import annotations

import html
import re

from indexer.normalize import fold, syllables
from search.engine import Hit


def highlight(text: str, query: str) -> str:
    """Escape `text` and mark the words it shares with the query (matched without diacritics)."""
    wanted = {fold(t) for t in syllables(query.lower()) if len(t) > 1}
    out = []
    for piece in re.split(r"(\w+)", text):
        escaped = html.escape(piece)
        out.append(f"<mark>{escaped}</mark>" if piece and fold(piece.lower()) in wanted else escaped)
    return "".join(out)


def results_html(hits: list[Hit], query: str, note: str = "") -> str:
    if not hits:
        return f"<p>{html.escape(note)}</p><p>Không tìm thấy đoạn văn phù hợp. Hãy thử diễn đạt khác hoặc bỏ bớt bộ lọc.</p>"
    cards = [f"<p class='note'>{html.escape(note)}</p>"] if note else []
    for rank, hit in enumerate(hits, 1):
        cards.append(
            "<div class='hit'>"
            f"<div class='cite'>{rank}. {html.escape(hit.citation)}</div>"
            f"<div class='passage'>{highlight(hit.text, query)}</div>"
            f"<div class='file'>Tệp: {html.escape(hit.doc)}</div>"
            "</div>"
        )
    return "\n".join(cards)


CSS = """
.hit {border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; margin: 8px 0;}
.cite {font-weight: 600; margin-bottom: 6px;}
.passage mark {background: #fff3a3;}
.file, .note {color: #57606a; font-size: 0.85em;}
"""
