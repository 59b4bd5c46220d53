"""Indexing on a Ray cluster (a local one, started by the test) writes the generation a local build writes."""

import numpy as np
import pytest

from indexer.distributed import Cluster, build_on_ray
from runtime.settings import Settings
from search.service import SearchService
from tests.conftest import DOCUMENTS

QUESTIONS = ["Sở nào chịu trách nhiệm bố trí kinh phí thực hiện kế hoạch?",
             "tỷ lệ học sinh tốt nghiệp trung học phổ thông giai đoạn 2026 - 2030",
             "trung tam huong nghiep sap nhap tu khi nao"]


@pytest.mark.slow  # starts a Ray cluster and a model in its actor
def test_a_generation_built_on_ray_equals_a_local_one(tmp_path, sample_settings, embedder):
    settings = Settings(index_dir=tmp_path / "ray-index")
    report = build_on_ray(DOCUMENTS, settings, Cluster(actors=1), show_progress=False)
    assert report.chunks_embedded == report.chunks_total

    local, distributed = SearchService(sample_settings, embedder=embedder), SearchService(settings, embedder=embedder)
    local_store, ray_store = local.engine.index.store, distributed.engine.index.store
    assert [c for _, c in ray_store.all_chunks()] == [c for _, c in local_store.all_chunks()]
    assert {d: s.meta for d, s in distributed.documents().items()} == {d: s.meta for d, s in local.documents().items()}
    dimension = local.status().dimension
    difference = np.abs(ray_store.all_vectors(dimension) - local_store.all_vectors(dimension)).max()
    assert difference < 1e-5
    for question in QUESTIONS:
        ours, theirs = distributed.ask(question), local.ask(question)
        assert (ours.short, ours.citation) == (theirs.short, theirs.citation)
