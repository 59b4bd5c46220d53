"""Which words of a passage a view marks for a question: only the words the question really contains.

A question with diacritics (as typed, with them put back, or translated from English) marks the same
syllables, tone placement aside. A question typed without them marks a passage word that folds to a
question word when it stands beside another word of the question as it does there (`so tai chinh` marks
`Sở Tài chính`; `so` alone marks neither `sở` nor `số`), or when the passage has no diacritics either.
Question words and the commonest function syllables are never marked: a long question would otherwise
mark everything. Linear in the passage whatever the question's length.
"""

from __future__ import annotations

import functools
import re

from vietnamese.normalize import fold, fold_token, has_diacritics, normalize_for_index, syllables

_WORD_SPLIT = re.compile(r"(\w+)")
_QUESTION_WORDS = frozenset("nao gi bao nhieu ai sao".split())  # folded
_FUNCTION_WORDS = frozenset("""khi thế có là của và các về ở như những được trong cho với để theo từ này đã đến thì
tại một hay hoặc không phải""".split())
_WEAK = frozenset(fold(w) for w in _FUNCTION_WORDS)  # folded, they are marked only beside another query word


def marked_words(text: str, query: str) -> list[tuple[str, bool]]:
    """`text` cut into pieces (words and what lies between them), each with whether to mark it."""
    exact, folded, pairs = _query_words(query)
    pieces = _WORD_SPLIT.split(text)
    words = [fold_token(p.lower()) if i % 2 else "" for i, p in enumerate(pieces)]
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0 or not piece:
            marked = False
        elif exact is not None:
            marked = normalize_for_index(piece) in exact
        else:
            key = words[i]
            marked = key in folded and ((not has_diacritics(piece) and key not in _WEAK)
                                        or (i >= 2 and (words[i - 2], key) in pairs)
                                        or (i + 2 < len(pieces) and (key, words[i + 2]) in pairs))
        if piece:
            out.append((piece, marked))
    return out


@functools.lru_cache(maxsize=64)
def _query_words(query: str) -> tuple[frozenset | None, frozenset, frozenset]:
    """(exact syllables when the query has diacritics, else None; folded syllables; folded adjacent pairs)."""
    every = syllables(normalize_for_index(query))
    kept = [t for t in every if len(t) > 1 and fold(t) not in _QUESTION_WORDS]
    exact = frozenset(t for t in kept if t not in _FUNCTION_WORDS) if has_diacritics(query) else None
    folded = [fold_token(t) for t in every]
    return exact, frozenset(fold_token(t) for t in kept), frozenset(zip(folded, folded[1:]))
