"""BM25 retrieval with tantivy. Query text never reaches tantivy's query parser: the query is built
from analyzed tokens as term queries, so quotes, colons, parentheses and AND/OR are plain words."""

from __future__ import annotations

from dataclasses import dataclass

import tantivy

from indexer.bm25 import SCHEMA
from indexer.facets import Filters
from search.query import Query


@dataclass(frozen=True)
class FieldWeights:
    """Boosts per field, tuned with `edusearch eval` on the dev queries (README, "Retrieval quality"):
    folded as strong as exact keeps queries typed without diacritics at MRR@10 0.87 with no loss on
    accented ones; the context fields (title, number, issuer, heading path) help only lightly."""

    exact: float = 1.0
    folded: float = 1.0
    context: float = 0.1
    codes: float = 2.0


DEFAULT_WEIGHTS = FieldWeights()


def lexical_search(index: tantivy.Index, query: Query, limit: int, filters: Filters = Filters(),
                   weights: FieldWeights = DEFAULT_WEIGHTS) -> list[tuple[int, float]]:
    """(vec_id, BM25 score) in rank order."""
    should = []
    tokens = query.analyzed
    for field, values, boost in (
        ("exact", tokens.exact, weights.exact),
        ("folded", tokens.folded, weights.folded),
        ("ctx_exact", tokens.exact, weights.context),
        ("ctx_folded", tokens.folded, weights.context * weights.folded),
        ("codes", tokens.codes, weights.codes),
    ):
        if boost <= 0:
            continue
        for value in dict.fromkeys(values):
            should.append(_term(field, value, boost))
    for expansion in query.expansions:
        for value in expansion.terms():
            should.append(_term("folded", value, weights.folded * expansion.weight))
    if not should:
        return []
    clauses = [(tantivy.Occur.Must, tantivy.Query.boolean_query(should))] + filters.bm25_clauses(SCHEMA)
    searcher = index.searcher()
    result = searcher.search(tantivy.Query.boolean_query(clauses), limit)
    return [(searcher.doc(address)["vec_id"][0], score) for score, address in result.hits]


def _term(field: str, value: str, boost: float) -> tuple:
    return tantivy.Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA, field, value), boost)


