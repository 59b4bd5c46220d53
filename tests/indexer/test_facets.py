"""The filters are defined once (`indexer.facets`): a document passes in Python, in the BM25 query and in
the vector mask alike, for every filter."""

from __future__ import annotations

import numpy as np
import pytest
import tantivy

from indexer.bm25 import SCHEMA, Bm25Writer, open_index
from indexer.facets import DocumentFacets, Filters, VectorFacets, covers
from indexer.metadata import DocumentMeta

PLANS = {
    "lang-son-2022": DocumentFacets.of(DocumentMeta(province="Lạng Sơn", doc_type="Kế hoạch", date="2022-02-23",
                                                    period_start=2021, period_end=2030), replaced=False),
    "lang-son-2019": DocumentFacets.of(DocumentMeta(province="Lạng Sơn", doc_type="Kế hoạch", date="2019-06-01",
                                                    period_start=2019, period_end=2020), replaced=True),
    "gia-lai-report": DocumentFacets.of(DocumentMeta(province="Gia Lai", doc_type="Báo cáo", date="2019-09-19"),
                                        replaced=False),
    "no-facts": DocumentFacets.of(DocumentMeta(), replaced=False),
}
CASES = [Filters(), Filters(province="Lạng Sơn"), Filters(doc_type="Báo cáo"), Filters(year=2019),
         Filters(period=2025), Filters(period=2020), Filters(current=True),
         Filters(province="Lạng Sơn", current=True), Filters(province="Hà Nội"), Filters(period=2031)]


@pytest.fixture(scope="module")
def bm25(tmp_path_factory) -> tantivy.Index:
    path = tmp_path_factory.mktemp("bm25")
    writer = Bm25Writer(path)
    for vec_id, facts in enumerate(PLANS.values()):
        writer.add(vec_id, "giáo dục", "", facts)
    writer.commit()
    index = open_index(path)
    index.reload()
    return index


def _bm25_passes(index: tantivy.Index, filters: Filters) -> set[str]:
    everything = [(tantivy.Occur.Must, tantivy.Query.all_query())]
    query = tantivy.Query.boolean_query(everything + filters.bm25_clauses(SCHEMA))
    found = index.searcher().search(query, limit=len(PLANS)).hits
    names = list(PLANS)
    return {names[index.searcher().doc(address)["vec_id"][0]] for _, address in found}


@pytest.mark.parametrize("filters", CASES, ids=str)
def test_a_filter_passes_the_same_documents_in_python_in_bm25_and_in_the_vector_mask(bm25, filters):
    in_python = {name for name, facts in PLANS.items() if filters.accepts(facts)}
    mask = filters.vector_mask(VectorFacets.of(list(PLANS.values()), np.arange(len(PLANS))))
    in_vectors = {name for name, passes in zip(PLANS, mask) if passes}
    assert in_python == in_vectors == _bm25_passes(bm25, filters)


def test_what_the_filters_pass():
    def passing(filters: Filters) -> list[str]:
        return [name for name, facts in PLANS.items() if filters.accepts(facts)]

    assert passing(Filters(period=2025)) == ["lang-son-2022"]
    assert passing(Filters(province="Lạng Sơn", current=True)) == ["lang-son-2022"]
    assert passing(Filters(year=2019)) == ["lang-son-2019", "gia-lai-report"]
    assert not Filters().active() and Filters(current=True).active()


def test_a_period_covers_a_year_from_its_start_or_only_its_end():
    assert covers(2021, 2030, 2025) and covers(None, 2025, 2025) and not covers(None, 2025, 2024)
    assert not covers(2021, None, 2021)
