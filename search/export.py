"""An index generation as OpenSearch reads it, for a corpus past one machine (docs/scaling.md): the index
body (settings and mapping: ICU-folded and exact text fields, the filter facets, a k-NN field on the FAISS
engine), a hybrid search pipeline that normalizes and weighs the two scores as the product's fusion does,
and the `_bulk` NDJSON of every passage with its fields, vector and citation. Nothing here talks to a
server: the files are loaded with `curl` (the commands are in docs/scaling.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from indexer.build import chunk_context
from indexer.facets import FACETS, bm25_fields
from runtime.profiles import ModelProfile
from search.cite import citation
from search.live_index import IndexUnusable, OpenIndex
from vietnamese.normalize import find_codes

INDEX_NAME = "edusearch"
PIPELINE_NAME = "edusearch-hybrid"
HNSW = {"m": 32, "ef_construction": 200}  # the FAISS HNSW parameters of indexer.vectors, kept alike


@dataclass(frozen=True)
class Exported:
    bulk: Path  # the `_bulk` NDJSON
    index_body: Path  # settings and mapping, for `PUT /edusearch`
    pipeline: Path  # the hybrid search pipeline, for `PUT /_search/pipeline/edusearch-hybrid`
    passages: int


def index_body(dimension: int) -> dict:
    """Settings and mapping: each text field analyzed as written (ICU tokens, lower case) and folded
    (`icu_folding`: `Giáo dục` and `giao duc` meet), as the tantivy index does with its two token streams."""
    text = {"type": "text", "analyzer": "vi_exact", "fields": {"folded": {"type": "text", "analyzer": "vi_folded"}}}
    facets = {f.field: {"type": "integer" if f.numeric else "keyword"} for f in FACETS}
    return {
        "settings": {"index": {"knn": True}, "analysis": {"analyzer": {
            "vi_exact": {"type": "custom", "tokenizer": "icu_tokenizer", "filter": ["lowercase"]},
            "vi_folded": {"type": "custom", "tokenizer": "icu_tokenizer", "filter": ["icu_folding"]}}}},
        "mappings": {"properties": {
            "text": text, "context": text, "section": {**text, "fields": {**text["fields"], "raw": {"type": "keyword"}}},
            "codes": {"type": "keyword"}, "doc": {"type": "keyword"}, "chunk_id": {"type": "keyword"},
            "citation": {"type": "keyword", "index": False}, "pages": {"type": "integer"}, **facets,
            "vector": {"type": "knn_vector", "dimension": dimension, "method": {
                "name": "hnsw", "engine": "faiss", "space_type": "innerproduct", "parameters": HNSW}},
        }},
    }


def search_pipeline(profile: ModelProfile) -> dict:
    """Min-max normalized BM25 and k-NN scores, summed with the product's weights (BM25 1, dense the
    profile's), as `search.fuse.weighted_sum` does."""
    total = 1.0 + profile.dense_weight
    return {"description": "edusearch: BM25 and k-NN scores min-max normalized, weighted as the product fuses them",
            "phase_results_processors": [{"normalization-processor": {
                "normalization": {"technique": "min_max"},
                "combination": {"technique": "arithmetic_mean",
                                "parameters": {"weights": [round(1.0 / total, 4), round(profile.dense_weight / total, 4)]}},
            }}]}


def export_opensearch(index: OpenIndex, profile: ModelProfile, bulk: Path) -> Exported:
    """Write the bulk file at `bulk` and, beside it, `<name>.index.json` and `<name>.pipeline.json`. Passages
    are read one document at a time, so memory stays bounded whatever the corpus."""
    if not index.semantic_ready:
        raise IndexUnusable("the index's passages are still being embedded (only search by keywords is ready); "
                            "export once 'edusearch index' has finished")
    body, pipeline = bulk.with_suffix(".index.json"), bulk.with_suffix(".pipeline.json")
    bulk.parent.mkdir(parents=True, exist_ok=True)
    body.write_text(json.dumps(index_body(index.manifest.dimension), ensure_ascii=False, indent=1), encoding="utf-8")
    pipeline.write_text(json.dumps(search_pipeline(profile), ensure_ascii=False, indent=1), encoding="utf-8")
    passages = 0
    with bulk.open("w", encoding="utf-8") as out:
        for doc, stored in sorted(index.documents.items()):
            meta, facets = stored.meta, bm25_fields(index.doc_facets[doc])
            for chunk, vector in index.store.chunks_of(doc):
                context = chunk_context(meta, chunk.section)
                source = {"chunk_id": chunk.id, "doc": doc, "text": chunk.text, "section": chunk.section,
                          "context": context, "codes": find_codes(f"{chunk.text} {context}"),
                          "pages": [p for p in (chunk.page_start, chunk.page_end) if p is not None],
                          "citation": citation(meta, chunk.section, chunk.page_start, chunk.page_end),
                          **facets, "vector": [round(float(v), 6) for v in vector]}
                out.write(json.dumps({"index": {"_index": INDEX_NAME, "_id": chunk.id}}) + "\n")
                out.write(json.dumps(source, ensure_ascii=False) + "\n")
                passages += 1
    return Exported(bulk, body, pipeline, passages)
