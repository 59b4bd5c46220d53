"""Which words of a passage a view marks for a question: only the words the question really contains.

Vietnamese words are mostly two syllables, so a syllable is marked when it stands beside another syllable
of the question as it does there (`thực hiện` marks `thực hiện`, not the `hiện` of `hiện hành`; `so tai
chinh` marks `Sở Tài chính`), or when the question uses it as a word on its own (`Sở nào …` marks `Sở`).
A question with diacritics (as typed, with them put back, or translated from English) matches syllables
as written, tone placement aside; one typed without them matches folded syllables, and a lone folded
syllable marks only a passage that has no diacritics either (`so` marks neither `sở` nor `số`). Question
words are never marked, nor, in a question with diacritics, the commonest function syllables. Linear in the
passage whatever the question's length.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from vietnamese.normalize import fold, fold_token, has_diacritics, normalize_for_index, syllables

_WORD_SPLIT = re.compile(r"(\w+)")
_QUESTION_WORDS = frozenset("nao gi bao nhieu ai sao".split())  # folded
_FUNCTION_WORDS = frozenset("""khi thế có là của và các về ở như những được trong cho với để theo từ này đã đến thì
tại một hay hoặc không phải""".split())


def marked_words(text: str, query: str) -> list[tuple[str, bool]]:
    """`text` cut into pieces (words and what lies between them), each with whether to mark it."""
    words = _query_words(query)
    pieces = _WORD_SPLIT.split(text)
    folded = [fold_token(p.lower()) if i % 2 else "" for i, p in enumerate(pieces)]
    out = []
    for i, piece in enumerate(pieces):
        if not piece:
            continue
        marked = False
        if i % 2:
            key = normalize_for_index(piece) if words.exact else folded[i]
            beside = (i >= 2 and (folded[i - 2], folded[i]) in words.pairs) or \
                (i + 2 < len(pieces) and (folded[i], folded[i + 2]) in words.pairs)
            alone = key in words.alone and (words.exact or not has_diacritics(piece))
            marked = key in words.content and (beside or alone)
        out.append((piece, marked))
    return out


@dataclass(frozen=True)
class _QueryWords:
    exact: bool  # matched as written (the question has diacritics), else folded
    content: frozenset[str]  # the question's syllables worth marking, in the matching form
    alone: frozenset[str]  # those with no other content syllable beside them in the question
    pairs: frozenset[tuple[str, str]]  # adjacent content syllables of the question, folded


@functools.lru_cache(maxsize=64)
def _query_words(query: str) -> _QueryWords:
    every = syllables(normalize_for_index(query))
    exact = has_diacritics(query)
    keys = [t if exact else fold_token(t) for t in every]
    # Typed without diacritics, `tai` may be `tại` or `tài`: only the pair rule tells, so nothing is left out.
    content = [len(t) > 1 and fold(t) not in _QUESTION_WORDS and not (exact and t in _FUNCTION_WORDS) for t in every]
    alone = {keys[n] for n in range(len(every)) if content[n]
             and not (n and content[n - 1]) and not (n + 1 < len(every) and content[n + 1])}
    folded = [fold_token(t) for t in every]
    pairs = {(folded[n], folded[n + 1]) for n in range(len(every) - 1) if content[n] and content[n + 1]}
    return _QueryWords(exact, frozenset(k for k, c in zip(keys, content) if c), frozenset(alone), frozenset(pairs))
