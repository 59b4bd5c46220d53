"""A question's content terms, weighted by rarity, and how much of them a text covers: the lexical signal
shared by answer-sentence scoring and topic ranking.

Terms are folded syllables and syllable bigrams (so a question typed without diacritics covers the same
text), plus whole document codes. Question words (`bao nhiêu`, `khi nào`, `nào`, ...) are not content: an
answer does not repeat them. Each term weighs its BM25 IDF in the index, so `nội trú` counts for more
than `giáo dục`. When the question has diacritics, matching its exact (accented) syllables adds a little,
so that `bán trú` is preferred over `ban trú`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import tantivy

from vietnamese.normalize import Analyzed, analyze, fold, fold_token, index_syllables, with_bigrams
from search.lexicon import ABBREVIATIONS
from search.query import Query

# Folded question phrases, longest first (`bao lâu`: how long; `ở đâu`: where); `may` (mấy) is left out because
# it folds together with `máy`, and `luc nao` (lúc nào) because `phụ lục nào` folds to it. `nội dung gì`,
# `nhiệm vụ gì`: an answer states the content or the duty without naming it so.
QUESTION_PHRASES = (
    ("nhu", "the", "nao"), ("the", "nao"), ("nhu", "nao"), ("ra", "sao"), ("bao", "nhieu"), ("bao", "gio"),
    ("bao", "lau"), ("o", "dau"), ("khi", "nao"),
    ("noi", "dung", "gi"), ("nhiem", "vu", "gi"), ("lam", "gi"), ("la", "gi"), ("nhung", "gi"), ("nao",),
    ("gi",), ("ai",), ("khong",),
)
_PUNCTUATION = re.compile(r"[^\w\s%]+")
EXACT_SHARE = 0.25  # share of the coverage that rewards matching the accented form
CODE_WEIGHT = 3.0


@dataclass(frozen=True)
class QueryTerms:
    folded: dict[str, float]  # folded unigram or bigram -> IDF
    exact: dict[str, float]  # accented unigram or bigram -> IDF; empty for a question without diacritics
    codes: dict[str, float]  # document code token -> weight
    # (the question's tokens, another form's tokens): a text with the other form (`THCS`) counts as having
    # the question's words (`trung học cơ sở`)
    alternatives: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    unseen: frozenset[str] = frozenset()  # folded word pairs that occur nowhere in the index

    def seen_pairs(self) -> "QueryTerms":
        """The same terms less the word pairs that occur nowhere in the index: most of them straddle two
        words of the question (`Lạng Sơn phải` -> `son_phai`) and no passage could carry them."""
        return replace(self, folded={t: w for t, w in self.folded.items() if t not in self.unseen},
                       exact={t: w for t, w in self.exact.items() if fold_token(t) not in self.unseen})

    @property
    def weight(self) -> float:
        return sum(self.folded.values()) + sum(self.codes.values())

    @property
    def empty(self) -> bool:
        return not (self.folded or self.codes)

    def without_codes(self, codes: set[str]) -> "QueryTerms":
        """The same terms less some code tokens: a passage of plan 43/KH-UBND need not repeat its number."""
        return replace(self, codes={c: w for c, w in self.codes.items() if c not in codes})

    def beyond(self, text: str) -> "QueryTerms":
        """The terms that `text` does not already carry: what a question asks beyond naming its document
        (`kế hoạch của Lạng Sơn ...`)."""
        analyzed = analyze(text)
        folded, exact, codes = set(analyzed.folded), set(analyzed.exact), set(analyzed.codes)
        return replace(self, folded={t: w for t, w in self.folded.items() if t not in folded},
                       exact={t: w for t, w in self.exact.items() if t not in exact},
                       codes={c: w for c, w in self.codes.items() if c not in codes})

    def unigrams(self) -> "QueryTerms":
        """The same terms without bigrams: coverage that ignores word order."""
        return QueryTerms({t: w for t, w in self.folded.items() if "_" not in t},
                          {t: w for t, w in self.exact.items() if "_" not in t}, self.codes, self.alternatives)

    def pairs(self) -> "QueryTerms":
        """Only the word pairs that occur in the index: how much of the question's phrasing a text keeps
        (`hội nhập quốc tế trong GDĐT` against `hội nhập quốc tế`)."""
        seen = self.seen_pairs()
        return QueryTerms({t: w for t, w in seen.folded.items() if "_" in t},
                          {t: w for t, w in seen.exact.items() if "_" in t}, {}, self.alternatives)

    def folded_only(self) -> "QueryTerms":
        """The same terms matched without diacritics only: a tone mark misread by OCR (`tư tường`) or typed
        differently does not hide a word."""
        return replace(self, exact={})

    def coverage(self, text: str) -> float:
        """The IDF-weighted share of the question's terms that `text` contains, 0..1."""
        return self.coverage_of(analyzed(text))

    def coverage_of(self, analyzed: Analyzed) -> float:
        if self.empty:
            return 0.0
        present = set(analyzed.folded)
        for own, other in self.alternatives:
            if other <= present:
                present |= own
        folded = _share(self.folded, present, self.codes, set(analyzed.codes))
        if not self.exact:
            return folded
        exact = _share(self.exact, set(analyzed.exact), self.codes, set(analyzed.codes))
        return (1 - EXACT_SHARE) * folded + EXACT_SHARE * exact


@lru_cache(maxsize=16384)
def analyzed(text: str) -> Analyzed:
    """`analyze`, remembered: the same passages and sentences are read for question after question."""
    return analyze(text)


def _share(terms: dict[str, float], present: set[str], codes: dict[str, float], codes_present: set[str]) -> float:
    total = sum(terms.values()) + sum(codes.values())
    found = sum(w for t, w in terms.items() if t in present) + sum(w for c, w in codes.items() if c in codes_present)
    return found / total if total else 0.0


def query_terms(query: Query, searcher: tantivy.Searcher) -> QueryTerms:
    """Bigrams are formed inside each comma- or punctuation-separated part of the question only."""
    exact_terms: list[str] = []
    for part in _PUNCTUATION.split(query.text):
        tokens = index_syllables(part)
        exact_terms += with_bigrams([t for t, keep in zip(tokens, _content_mask([fold(t) for t in tokens])) if keep])
    count = max(searcher.num_docs, 1)
    folded = [fold_token(t) for t in exact_terms]
    return QueryTerms(
        folded=_weighted(folded, "folded", searcher, count),
        exact={} if query.typed_without_diacritics else _weighted(exact_terms, "exact", searcher, count),
        codes={c: CODE_WEIGHT for c in query.analyzed.codes},
        alternatives=_alternatives(query) + _padded(folded),
        unseen=frozenset(t for t in folded if "_" in t and searcher.doc_freq("folded", t) == 0),
    )


def _alternatives(query: Query) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """For each abbreviation in the question (or full form of one), its other form; and the word pairs it
    makes with its neighbours: `sau THCS` is covered by a text saying `sau trung học cơ sở`."""
    tokens = [fold_token(t) for t in index_syllables(query.text)]
    out = []
    for expansion in query.expansions:
        if expansion.kind != ABBREVIATIONS:
            continue
        own, other = list(expansion.source_tokens), list(expansion.tokens)
        out.append((frozenset(with_bigrams(own)), frozenset(with_bigrams(other))))
        out += [(frozenset({own}), frozenset({other})) for own, other in expansion.neighbour_pairs(tokens)]
    return tuple(out)


def _padded(terms: list[str]) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """For each term with a one-digit number, the term with the number written with a leading zero: law texts
    write `02 thương binh`, `03 năm`, questions `2 thương binh`."""
    out = []
    for term in dict.fromkeys(terms):
        parts = term.split("_")
        padded = [f"0{p}" if len(p) == 1 and p.isdigit() else p for p in parts]
        if padded != parts:
            out.append((frozenset({term}), frozenset({"_".join(padded)})))
    return tuple(out)


def _content_mask(folded: list[str]) -> list[bool]:
    keep = [True] * len(folded)
    i = 0
    while i < len(folded):
        phrase = next((p for p in QUESTION_PHRASES if tuple(folded[i:i + len(p)]) == p), None)
        if phrase:
            keep[i:i + len(phrase)] = [False] * len(phrase)
            i += len(phrase)
        else:
            i += 1
    return keep


def _weighted(tokens: list[str], field: str, searcher: tantivy.Searcher, count: int) -> dict[str, float]:
    """BM25 IDF per distinct token; a token that occurs nowhere weighs the most."""
    weights = {}
    for token in dict.fromkeys(tokens):
        df = searcher.doc_freq(field, token)
        weights[token] = math.log(1 + (count - df + 0.5) / (df + 0.5))
    return weights
