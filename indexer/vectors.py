"""The dense side of an index generation: a FAISS index of normalized vectors (inner product = cosine).
Vector ids are the chunk store's `vec_id`s.

The kind follows the size (setting `vector_index`, "auto" by default):
- flat: exact search over float32 vectors, below `hnsw_threshold` chunks;
- hnsw: a graph over float16 vectors (half the memory, the same ranking to 3 decimals), up to
  `IVF_PQ_THRESHOLD` chunks;
- ivfpq: inverted lists of product-quantized codes (48 bytes a vector) above it, where even float16 vectors
  no longer fit comfortably in memory.
Flat and HNSW vectors are memory-mapped when read, so a large index opens without reading every vector."""

from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

FLAT, HNSW, IVFPQ = "flat", "hnsw", "ivfpq"
KINDS = ("auto", FLAT, HNSW, IVFPQ)
IVF_PQ_THRESHOLD = 5_000_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 1024  # BENCHMARKS.md: recall@10 at 100k, 0.913 at 512 and 0.953 at 1024, for 2.3 -> 4.7 ms
PQ_BYTES = 48  # sub-quantizers of 8 bits each
IVF_NPROBE = 48
IVF_TRAINING_SAMPLE = 200_000


def choose_kind(count: int, setting: str = "auto", hnsw_threshold: int = 50_000) -> str:
    if setting not in KINDS:
        raise ValueError(f"unknown vector index '{setting}'; choose one of {', '.join(KINDS)}")
    if setting != "auto":
        return setting
    if count < hnsw_threshold:
        return FLAT
    return HNSW if count < IVF_PQ_THRESHOLD else IVFPQ


def build_faiss(vectors: np.ndarray, dimension: int, kind: str) -> faiss.Index:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if kind == HNSW:
        index = faiss.IndexHNSWSQ(dimension, faiss.ScalarQuantizer.QT_fp16, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    elif kind == IVFPQ:
        index = _trained_ivfpq(vectors, dimension)
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(vectors)
    _set_search_parameters(index)
    return index


def _trained_ivfpq(vectors: np.ndarray, dimension: int) -> faiss.Index:
    lists = max(1, min(65_536, int(4 * math.sqrt(len(vectors))), len(vectors) // 39))
    sub_quantizers = PQ_BYTES if dimension % PQ_BYTES == 0 else 1
    bits = max(1, min(8, int(math.log2(max(2, len(vectors))))))  # no more codewords than training vectors
    index = faiss.IndexIVFPQ(faiss.IndexFlatIP(dimension), dimension, lists, sub_quantizers, bits,
                             faiss.METRIC_INNER_PRODUCT)
    sample = vectors
    if len(vectors) > IVF_TRAINING_SAMPLE:
        rows = np.random.default_rng(0).choice(len(vectors), IVF_TRAINING_SAMPLE, replace=False)
        sample = vectors[np.sort(rows)]
    index.train(sample)
    return index


def _set_search_parameters(index: faiss.Index) -> None:
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif isinstance(index, faiss.IndexIVF):
        index.nprobe = IVF_NPROBE


def kind_of(index: faiss.Index) -> str:
    if isinstance(index, faiss.IndexHNSW):
        return HNSW
    return IVFPQ if isinstance(index, faiss.IndexIVF) else FLAT


def write_faiss(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def read_faiss(path: Path) -> faiss.Index:
    """The index with its stored vectors memory-mapped (paged in by the OS as searches touch them)."""
    index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    _set_search_parameters(index)
    return index
