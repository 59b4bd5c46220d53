"""The search filters, defined once: each facet a document can be narrowed by, and the three places it is
tested, all derived from `FACETS`:

- in Python, on one document's facts (`Filters.accepts`);
- in tantivy, as clauses of the BM25 query (`Filters.bm25_clauses`), over fields written at indexing time
  (`bm25_fields`, `add_bm25_fields`);
- in FAISS, as a mask over the vectors (`Filters.vector_mask`), from per-vector arrays (`VectorFacets`).

Adding a filter is one `Facet`, a field of `Filters` and one of `DocumentFacets`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import tantivy

from indexer.metadata import DocumentMeta

Kind = Literal["equals", "covers", "excludes"]


@dataclass(frozen=True)
class Facet:
    chosen: str  # the attribute of Filters
    fact: str  # the attribute of DocumentFacets
    field: str  # the BM25 field
    kind: Kind  # equals: the fact is the chosen value; covers: the chosen year is in the fact's range of
    #             years; excludes: documents whose fact is true are left out when the filter is on
    numeric: bool = False  # an integer field in BM25, else a raw string


FACETS = (
    Facet("province", "province", "province", "equals"),
    Facet("doc_type", "doc_type", "doc_type", "equals"),
    Facet("year", "year", "year", "equals", numeric=True),
    Facet("period", "period_years", "period_year", "covers", numeric=True),  # every year of the plan's period
    Facet("current", "replaced", "replaced", "excludes", numeric=True),  # 1 when another document replaces it
)


def covers(first: int | None, last: int | None, year: int) -> bool:
    """A period from `first` (or, when only its end is known, `last`) to `last` holds `year`."""
    return last is not None and (first or last) <= year <= last


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


@dataclass(frozen=True)
class Filters:
    province: str | None = None
    doc_type: str | None = None
    year: int | None = None  # the year the document was issued
    period: int | None = None  # a year the plan's period covers (`2021 - 2025, định hướng đến năm 2030`)
    current: bool = False  # leave out plans that another indexed document replaces

    def chosen(self) -> list[tuple[Facet, object]]:
        return [(f, getattr(self, f.chosen)) for f in FACETS if getattr(self, f.chosen) not in (None, False)]

    def active(self) -> bool:
        return bool(self.chosen())

    def accepts(self, facts: DocumentFacets) -> bool:
        for facet, value in self.chosen():
            fact = getattr(facts, facet.fact)
            if (facet.kind == "equals" and fact != value) or (facet.kind == "covers" and value not in fact) \
                    or (facet.kind == "excludes" and fact):
                return False
        return True

    def bm25_clauses(self, schema: tantivy.Schema) -> list:
        clauses = []
        for facet, value in self.chosen():
            if facet.kind == "excludes":
                clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_query(schema, facet.field, 1)))
            else:
                clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(schema, facet.field, value)))
        return clauses

    def vector_mask(self, facets: "VectorFacets") -> np.ndarray:
        """Which vectors pass, as a boolean array over vector ids."""
        allowed = np.ones(facets.size, dtype=bool)
        for facet, value in self.chosen():
            column = facets.columns[facet.fact]
            if facet.kind == "equals":
                allowed &= column == value
            elif facet.kind == "covers":
                first, last = column
                allowed &= (first <= value) & (value <= last)
            else:
                allowed &= ~column
        return allowed


def add_bm25_fields(builder: tantivy.SchemaBuilder) -> None:
    for facet in FACETS:
        if facet.numeric:
            builder.add_integer_field(facet.field, indexed=True, fast=facet.kind == "equals")
        else:
            builder.add_text_field(facet.field, tokenizer_name="raw")


def bm25_fields(facts: DocumentFacets) -> dict[str, object]:
    """The filter fields of one passage's BM25 document."""
    fields: dict[str, object] = {}
    for facet in FACETS:
        fact = getattr(facts, facet.fact)
        if facet.kind == "excludes":
            fields[facet.field] = int(fact)
        elif facet.kind == "covers" and fact:
            fields[facet.field] = list(fact)
        elif fact:
            fields[facet.field] = fact
    return fields


@dataclass
class VectorFacets:
    """Each facet's values aligned with vector ids; a `covers` facet as (first, last) arrays (0 and -1 when
    the plan states no period, so no year falls inside)."""

    size: int
    columns: dict[str, object]

    @classmethod
    def of(cls, documents: list[DocumentFacets], of_vector: np.ndarray) -> "VectorFacets":
        """From each document's facets and, for each vector id, the position of its document in that list."""
        columns: dict[str, object] = {}
        for facet in FACETS:
            values = [getattr(f, facet.fact) for f in documents]
            if facet.kind == "covers":
                columns[facet.fact] = (np.array([r.start if r else 0 for r in values], dtype=np.int32)[of_vector],
                                       np.array([r.stop - 1 if r else -1 for r in values], dtype=np.int32)[of_vector])
            elif facet.kind == "excludes":
                columns[facet.fact] = np.array(values, dtype=bool)[of_vector]
            elif facet.numeric:
                columns[facet.fact] = np.array([v or 0 for v in values], dtype=np.int32)[of_vector]
            else:
                columns[facet.fact] = np.array([v or "" for v in values], dtype=object)[of_vector]
        return cls(len(of_vector), columns)
