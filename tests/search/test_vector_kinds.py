"""The FAISS index kind follows the corpus size; every kind answers, filters inside the search, and the
approximate kinds agree with exact search."""

from dataclasses import replace

import faiss
import pytest

from indexer.build import build_index
from indexer.vectors import FLAT, HNSW, IVFPQ, choose_kind, kind_of
from search.engine import SearchEngine
from indexer.facets import Filters
from tests.conftest import DOCUMENTS, sample

pytestmark = pytest.mark.slow

QUESTION = "Sở Tài chính bố trí kinh phí"


def test_the_kind_follows_the_size_unless_one_is_set():
    assert choose_kind(49_999) == FLAT
    assert choose_kind(50_000) == HNSW
    assert choose_kind(6_000_000) == IVFPQ
    assert choose_kind(10, "hnsw") == HNSW
    assert choose_kind(100_000, hnsw_threshold=200_000) == FLAT
    with pytest.raises(ValueError, match="unknown vector index 'annoy'"):
        choose_kind(10, "annoy")


@pytest.fixture(scope="module", params=[HNSW, IVFPQ])
def approximate(request, tmp_path_factory, sample_settings, embedder) -> SearchEngine:
    settings = replace(sample_settings, index_dir=tmp_path_factory.mktemp(request.param),
                       vector_index=request.param)
    build_index(DOCUMENTS, settings, show_progress=False, embedder=embedder)
    return SearchEngine(settings, embedder=embedder)


def test_an_approximate_index_is_the_kind_asked_for_and_memory_mapped(approximate):
    kind = approximate.settings.vector_index
    assert kind_of(approximate.index.vectors) == kind
    if kind == HNSW:  # float16 storage: half the bytes of float32 vectors
        assert isinstance(approximate.index.vectors, faiss.IndexHNSWSQ)


def test_an_approximate_index_answers_like_the_exact_one(approximate, engine):
    assert approximate.search(QUESTION, 3)[0].section.endswith("3. Sở Tài chính")
    vector = engine.query_vector("phát triển đội ngũ nhà giáo")
    exact = set(engine.index.vectors.search(vector.reshape(1, -1), 10)[1][0])
    found = set(approximate.index.vectors.search(vector.reshape(1, -1), 10)[1][0])
    overlap = len(exact & found) / 10
    assert overlap == 1.0 if approximate.settings.vector_index == HNSW else overlap >= 0.6


def test_an_approximate_index_scores_its_candidates_with_the_exact_vectors(approximate, engine):
    question = "phát triển đội ngũ nhà giáo"
    exact = {h.chunk_id: h.score for h in engine.search(question, 100, mode="dense")}
    found = [(h.chunk_id, h.score) for h in approximate.search(question, 10, mode="dense")]
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
    # float16 or PQ scores differ in the 3rd decimal; two builds' embeddings of a passage, in the 6th
    assert all(abs(score - exact[chunk]) < 1e-5 for chunk, score in found)
    if approximate.settings.vector_index == HNSW:
        assert [chunk for chunk, _ in found] == list(exact)[:10]


def test_filters_apply_inside_an_approximate_search(approximate):
    hits = approximate.search("giáo dục", 10, Filters(province="Lạng Sơn"), mode="dense")
    assert hits and {h.doc for h in hits} == {sample("003").name}  # the one plan from Lạng Sơn
