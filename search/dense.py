"""Dense retrieval: the query embedded by the index's model, searched in FAISS, filters applied inside
the search (an id selector), not after it. An approximate index (HNSW over float16 vectors, IVF-PQ codes)
finds the candidates; their exact float32 vectors, read from the chunk store, put them in order."""

from __future__ import annotations

from typing import Callable

import faiss
import numpy as np

from indexer.facets import VectorFacets
from indexer.facets import Filters


def single_threaded() -> None:
    """Search one query at a time on one thread. FAISS's OpenMP threads otherwise spin after each search and
    take the cores from the model encoding the next query (measured on 2 cores: query encoding 17 -> 11 ms
    p50, 29 -> 12 ms p95; a flat search of 10k vectors 2.2 -> 0.8 ms). Process-wide: an index built in
    the same process (the web app's uploads) is then built on one thread too."""
    faiss.omp_set_num_threads(1)


def dense_search(index: faiss.Index, vector: np.ndarray, limit: int, facets: VectorFacets,
                 filters: Filters = Filters(),
                 exact_vectors: Callable[[list[int]], np.ndarray] | None = None) -> list[tuple[int, float]]:
    """(vec_id, cosine similarity) in rank order. With `exact_vectors` (vec_ids -> float32 rows), the
    candidates of an approximate index are scored again exactly (BENCHMARKS.md: recall@10 at 1M)."""
    if index.ntotal == 0:
        return []
    params = None
    if filters.active():
        ids = np.flatnonzero(filters.vector_mask(facets)).astype(np.int64)
        if len(ids) == 0:
            return []
        selector = faiss.IDSelectorBatch(ids)
        params = _parameters(index, selector)
    scores, ids = index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), min(limit, index.ntotal),
                               params=params)
    found = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
    if exact_vectors is None or not found or isinstance(index, faiss.IndexFlat):
        return found
    return rescored(found, np.asarray(vector, dtype=np.float32), exact_vectors)


def rescored(found: list[tuple[int, float]], vector: np.ndarray,
             exact_vectors: Callable[[list[int]], np.ndarray]) -> list[tuple[int, float]]:
    """The same candidates, scored with their exact vectors and put in that order."""
    ids = [i for i, _ in found]
    scores = exact_vectors(ids) @ vector
    order = np.argsort(-scores, kind="stable")
    return [(ids[k], float(scores[k])) for k in order]


def _parameters(index: faiss.Index, selector: faiss.IDSelector) -> faiss.SearchParameters:
    """Search parameters that keep the index's own settings (efSearch, nprobe) while filtering."""
    if isinstance(index, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=index.hnsw.efSearch)
    if isinstance(index, faiss.IndexIVF):
        return faiss.SearchParametersIVF(sel=selector, nprobe=index.nprobe)
    return faiss.SearchParameters(sel=selector)
