"""Dense retrieval: the query embedded by the index's model, searched in FAISS, filters applied inside
the search (an id selector), not after it."""

from __future__ import annotations

import faiss
import numpy as np

from search.index import DocFacets
from search.query import Filters


def dense_search(index: faiss.Index, vector: np.ndarray, limit: int, facets: DocFacets,
                 filters: Filters = Filters()) -> list[tuple[int, float]]:
    """(vec_id, cosine similarity) in rank order."""
    if index.ntotal == 0:
        return []
    params = None
    if filters.active():
        allowed = np.ones(index.ntotal, dtype=bool)
        if filters.province:
            allowed &= facets.province == filters.province
        if filters.doc_type:
            allowed &= facets.doc_type == filters.doc_type
        if filters.year:
            allowed &= facets.year == filters.year
        ids = np.flatnonzero(allowed).astype(np.int64)
        if len(ids) == 0:
            return []
        selector = faiss.IDSelectorBatch(ids)
        params = faiss.SearchParametersHNSW(sel=selector) if isinstance(index, faiss.IndexHNSW) \
            else faiss.SearchParameters(sel=selector)
    scores, ids = index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), min(limit, index.ntotal),
                               params=params)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
