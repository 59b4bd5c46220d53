"""Sentence boundaries in Vietnamese plan text, shared by the chunker and the answer scorer.

A sentence ends at `.`, `;`, `!`, `?` or `…` (with any closing quote or bracket) followed by a space, or at
a line break; so `1.000`, `52,19%` and `tháng 3/2024` stay whole, and every list item on its own line is
a sentence of its own. A list marker (`3. `, `2.1. `, `IV. `) belongs to the sentence it opens."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?:[^\n.;!?…]|[.;!?…]+(?![”\")]*(?:\s|$)))+(?:[.;!?…]+[”\")]*)?[ \t]*")
_WORD = re.compile(r"\w")
_MARKER_ONLY = re.compile(r"^\s*(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*)\.\s*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence that has a word in it, trailing spaces included."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None  # where a lone list marker began, waiting for its sentence
    for match in _SENTENCE.finditer(text):
        if not _WORD.search(match.group(0)):
            continue
        if _MARKER_ONLY.match(match.group(0)) and "\n" not in match.group(0):
            opened = match.start() if opened is None else opened
            continue
        spans.append((match.start() if opened is None else opened, match.end()))
        opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans
