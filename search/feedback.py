"""Pseudo-relevance feedback (RM3-style), an option of the `expand` setting: the words and word pairs that
weigh most in the first BM25 pass's top passages, and are rare in the collection, are added to the
question at a low weight, and BM25 runs again."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

from vietnamese.normalize import analyze
from search.live_index import OpenIndex
from search.lexical import FieldWeights, lexical_search
from search.lexicon import Expansion
from indexer.facets import Filters
from search.query import Query

FEEDBACK = "feedback"
FEEDBACK_PASSAGES = 5
FEEDBACK_TERMS = 10
FEEDBACK_WEIGHT = 0.2


def with_feedback(index: OpenIndex, query: Query, filters: Filters, weights: FieldWeights) -> Query:
    first = lexical_search(index.bm25, query, FEEDBACK_PASSAGES, filters, weights)
    if not first:
        return query
    chunks = index.store.chunks_by_vec_ids([v for v, _ in first])
    top = max(score for _, score in first)
    searcher = index.bm25.searcher()
    count = max(searcher.num_docs, 1)
    asked = set(query.analyzed.folded)
    mass: Counter[str] = Counter()
    for vec_id, score in first:
        tokens = analyze(chunks[vec_id].text).folded
        for token, tf in Counter(tokens).items():
            mass[token] += (score / top) * tf / len(tokens)
    weighted = {}
    for token, value in mass.items():
        if token in asked:
            continue
        df = searcher.doc_freq("folded", token)
        weighted[token] = value * math.log(1 + (count - df + 0.5) / (df + 0.5))
    chosen = sorted(weighted, key=lambda t: -weighted[t])[:FEEDBACK_TERMS]
    expansions = [Expansion("phản hồi", token.replace("_", " "), (token,), FEEDBACK_WEIGHT, FEEDBACK) for token in chosen]
    return replace(query, expansions=query.expansions + tuple(expansions))
