"""The BM25 side of an index generation: a tantivy index over pre-analyzed tokens.

Fields: `exact` and `folded` syllables with bigrams for the passage, `ctx_exact` and `ctx_folded` for its
context (plan title, number, issuer, province and heading path), `codes` for whole document codes, and
the filter fields of `indexer.facets` (`province`, `doc_type`, `year`, `period_year`, `replaced`). Tokens come
from `vietnamese.normalize.analyze`, so tantivy only splits on spaces; the same analyzer serves the query side.
"""

from __future__ import annotations

from pathlib import Path

import tantivy

from indexer.facets import DocumentFacets, add_bm25_fields, bm25_fields
from vietnamese.normalize import analyze

TOKENIZER = "edusearch_ws"
TEXT_FIELDS = ("exact", "folded", "ctx_exact", "ctx_folded", "codes")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("vec_id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    add_bm25_fields(builder)
    return builder.build()


SCHEMA = _schema()


def open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return index


def context_text(title: str | None, number: str | None, issuer: str | None, province: str | None,
                 section: str) -> str:
    return " ".join(part for part in (title, number, issuer, province, section) if part)


class Bm25Writer:
    def __init__(self, path: Path):
        path.mkdir(parents=True, exist_ok=True)
        self._index = open_index(path)
        self._writer = self._index.writer(heap_size=64_000_000, num_threads=1)

    def add(self, vec_id: int, text: str, context: str, facts: DocumentFacets) -> None:
        passage, ctx = analyze(text), analyze(context)
        fields: dict[str, object] = {
            "vec_id": vec_id,
            "exact": " ".join(passage.exact), "folded": " ".join(passage.folded),
            "ctx_exact": " ".join(ctx.exact), "ctx_folded": " ".join(ctx.folded),
            "codes": " ".join(passage.codes + ctx.codes),
        }
        self._writer.add_document(tantivy.Document(**fields, **bm25_fields(facts)))

    def commit(self) -> None:
        self._writer.commit()
        self._writer.wait_merging_threads()

    def abort(self) -> None:
        """Drop what was added and stop the writer's threads (after a failed commit)."""
        try:
            self._writer.rollback()
            self._writer.wait_merging_threads()
        except (ValueError, RuntimeError, OSError):
            pass
