"""The BM25 side of an index generation: a tantivy index over pre-analyzed tokens.

Fields: `exact` and `folded` syllables with bigrams for the passage, `ctx_exact` and `ctx_folded` for its
context (plan title, number, issuer, province and heading path), `codes` for whole document codes, and
`province`, `doc_type`, `year`, `period_year` (each year of the plan's period) and `replaced` for filters. Tokens come from `indexer.normalize.analyze`, so tantivy only
splits on spaces; the same analyzer serves the query side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tantivy

from indexer.metadata import DocumentMeta
from indexer.normalize import analyze

TOKENIZER = "edusearch_ws"
TEXT_FIELDS = ("exact", "folded", "ctx_exact", "ctx_folded", "codes")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("vec_id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    builder.add_text_field("province", tokenizer_name="raw")
    builder.add_text_field("doc_type", tokenizer_name="raw")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("period_year", indexed=True)  # every year the plan's period covers
    builder.add_integer_field("replaced", indexed=True)  # 1 when another indexed document replaces the plan
    return builder.build()


SCHEMA = _schema()


def open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return index


@dataclass(frozen=True)
class DocumentFacets:
    """What filters can narrow a search by, for one document."""

    province: str | None
    doc_type: str | None
    year: int | None
    period_years: range  # empty when the plan states no period
    replaced: bool

    @classmethod
    def of(cls, meta: DocumentMeta, replaced: bool) -> "DocumentFacets":
        last = meta.period_end
        years = range(meta.period_start or last, last + 1) if last else range(0)
        return cls(meta.province, meta.doc_type, meta.year, years, replaced)


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
        if facts.province:
            fields["province"] = facts.province
        if facts.doc_type:
            fields["doc_type"] = facts.doc_type
        if facts.year:
            fields["year"] = facts.year
        if facts.period_years:
            fields["period_year"] = list(facts.period_years)
        fields["replaced"] = int(facts.replaced)
        self._writer.add_document(tantivy.Document(**fields))

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
