"""`edusearch export --opensearch FILE`: the shape of what OpenSearch would load. No OpenSearch server runs
here, so this checks the files, not a load."""

from __future__ import annotations

import json

from search.service import SearchService
from ui.cli import main


def test_the_export_holds_every_passage_with_its_fields_vector_and_citation(sample_settings, tmp_path, capsys):
    bulk = tmp_path / "edusearch.ndjson"
    assert main(["export", "--opensearch", str(bulk), "--index-dir", str(sample_settings.index_dir)]) == 0
    assert "_bulk NDJSON" in capsys.readouterr().out
    status = SearchService(sample_settings).status()
    lines = bulk.read_text(encoding="utf-8").splitlines()
    actions, sources = [json.loads(x) for x in lines[::2]], [json.loads(x) for x in lines[1::2]]
    assert len(actions) == len(sources) == status.chunks
    assert all(a["index"]["_id"] == s["chunk_id"] for a, s in zip(actions, sources))
    assert all(len(s["vector"]) == status.dimension for s in sources)
    lang_son = [s for s in sources if s["doc"].startswith("003")]
    assert all(s["province"] == "Lạng Sơn" and s["replaced"] == 0 and 2028 in s["period_year"] for s in lang_son)
    assert any(s["citation"] == "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn, mục IV.3 (Sở Tài "
               "chính)" for s in lang_son)
    assert any("63-NQ/TU" in s["codes"] for s in lang_son)


def test_the_mapping_folds_vietnamese_and_searches_vectors_with_faiss(sample_settings, tmp_path):
    exported = SearchService(sample_settings).export_opensearch(tmp_path / "edusearch.ndjson")
    body = json.loads(exported.index_body.read_text(encoding="utf-8"))
    analyzers = body["settings"]["analysis"]["analyzer"]
    assert "icu_folding" in analyzers["vi_folded"]["filter"]
    fields = body["mappings"]["properties"]
    assert fields["text"]["fields"]["folded"]["analyzer"] == "vi_folded"
    vector = fields["vector"]
    assert (vector["type"], vector["method"]["engine"], vector["dimension"]) == ("knn_vector", "faiss", 384)
    assert {fields[f]["type"] for f in ("province", "doc_type")} == {"keyword"}
    pipeline = json.loads(exported.pipeline.read_text(encoding="utf-8"))["phase_results_processors"][0]
    weights = pipeline["normalization-processor"]["combination"]["parameters"]["weights"]
    assert weights[0] > weights[1] and abs(sum(weights) - 1) < 1e-3  # BM25 first, as the product fuses
