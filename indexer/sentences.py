"""Sentence boundaries in Vietnamese plan text, shared by the chunker and the answer scorer.

A sentence ends at `.`, `;`, `!`, `?` or `…` (with any closing quote or bracket) followed by a space, or at
a line break; so `1.000`, `52,19%` and `tháng 3/2024` stay whole, and every list item on its own line is
a sentence of its own."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?:[^\n.;!?…]|[.;!?…]+(?![”\")]*(?:\s|$)))+(?:[.;!?…]+[”\")]*)?[ \t]*")
_WORD = re.compile(r"\w")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence that has a word in it, trailing spaces included."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if _WORD.search(m.group(0))]
