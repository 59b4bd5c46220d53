"""BM25 retrieval with tantivy. Query text never reaches tantivy's query parser: the query is built
from analyzed tokens as term queries, so quotes, colons, parentheses and AND/OR are plain words.

The query is a plain union of boosted term queries, searched without counting every match, so that tantivy
can skip the blocks of postings that cannot reach the top (block-max WAND). Context terms found in most
passages' context (`giáo dục`, `kế hoạch` in every plan's title) are left out: they add about the same
small amount to every passage while their postings are the longest to walk (BENCHMARKS.md, "BM25 at 1M")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import tantivy

from indexer.bm25 import SCHEMA
from indexer.facets import Filters
from search.lexicon import ABBREVIATIONS
from search.query import Query
from vietnamese.normalize import fold_token, index_syllables


@dataclass(frozen=True)
class FieldWeights:
    """Boosts per field, tuned with `edusearch eval` on the dev queries (README, "Retrieval quality"):
    folded as strong as exact keeps queries typed without diacritics at MRR@10 0.87 with no loss on
    accented ones; the context fields (title, number, issuer, heading path) help only lightly. With a
    passage's own heading scored in its text (`indexer.build.lexical_text`), context 0.2 is the best of
    0-0.3 over every retrieval dev set (`bench/retrieval_sweep.py`; legal-qa 0.918 -> 0.925)."""

    exact: float = 1.0
    folded: float = 1.0
    context: float = 0.2
    codes: float = 2.0
    # a context term in at least this share of the passages' contexts is not searched (1.0: every one is)
    common_context: float = 0.5


DEFAULT_WEIGHTS = FieldWeights()
CONTEXT_FIELDS = ("ctx_exact", "ctx_folded")


def lexical_search(index: tantivy.Index, query: Query, limit: int, filters: Filters = Filters(),
                   weights: FieldWeights = DEFAULT_WEIGHTS) -> list[tuple[int, float]]:
    """(vec_id, BM25 score) in rank order."""
    searcher = index.searcher()
    should = []
    tokens, body = query.analyzed, query.body
    common = _common_share(searcher, weights.common_context)
    for field, values, boost in (
        ("exact", body.exact, weights.exact),
        ("folded", body.folded, weights.folded),
        ("ctx_exact", tokens.exact, weights.context),
        ("ctx_folded", tokens.folded, weights.context * weights.folded),
        ("codes", tokens.codes, weights.codes),
    ):
        if boost <= 0:
            continue
        for value in dict.fromkeys(values):
            if not (field in CONTEXT_FIELDS and common(field, value)):
                should.append(_term(field, value, boost))
    question = [fold_token(t) for t in index_syllables(query.text)]
    for expansion in query.expansions:
        weight, terms = expansion.weight, expansion.terms()
        if expansion.kind == ABBREVIATIONS and _unused(searcher, expansion.source_tokens):
            weight = 1.0  # the question's form occurs nowhere: this form stands in for it
            terms += [other for _, other in expansion.neighbour_pairs(question)]
        for value in terms:
            should.append(_term("folded", value, weights.folded * weight))
    if not should:
        return []
    narrowing = filters.bm25_clauses(SCHEMA)
    if narrowing:
        should = [(tantivy.Occur.Must, tantivy.Query.boolean_query(should))] + narrowing
    result = searcher.search(tantivy.Query.boolean_query(should), limit, count=False)
    return [(searcher.doc(address)["vec_id"][0], score) for score, address in result.hits]


def _unused(searcher: tantivy.Searcher, tokens: tuple[str, ...]) -> bool:
    """Whether none of these folded words occurs in any passage."""
    return all(searcher.doc_freq("folded", t) == 0 for t in tokens)


def _common_share(searcher: tantivy.Searcher, share: float) -> Callable[[str, str], bool]:
    """Whether a term occurs in at least `share` of the passages (of their context, for a context field)."""
    floor = share * searcher.num_docs
    return lambda field, value: share < 1.0 and searcher.doc_freq(field, value) >= floor


def _term(field: str, value: str, boost: float) -> tuple:
    return tantivy.Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA, field, value), boost)


