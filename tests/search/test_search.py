"""Searching the shipped sample plans."""

import pytest

from search.answer import answer
from search.evaluate import evaluate, load_queries
from indexer.facets import Filters
from tests.conftest import SHARED


def test_hits_carry_citations_and_sections(engine):
    hit = engine.search("Sở nào bố trí kinh phí thực hiện kế hoạch", k=3)[0]
    assert hit.doc.startswith("003_")
    assert hit.section == "IV. TỔ CHỨC THỰC HIỆN › 3. Sở Tài chính"
    assert hit.citation == ("Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn, "
                            "mục IV.3 (Sở Tài chính)")
    assert set(hit.to_json()) >= {"doc", "title", "number", "section", "pages", "text", "score", "citation"}


def test_citation_without_number_falls_back_to_title(engine):
    hit = engine.search("Gia Lai bổ sung quy hoạch cán bộ quản lý", k=1)[0]
    assert hit.doc.startswith("002_")
    assert hit.citation.startswith("ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO LÃNH ĐẠO")
    assert "số" not in hit.citation.split(" ngày ")[0].split()[:2]


def test_queries_without_diacritics_find_the_same_passage(engine):
    accented = engine.search("biên chế cho ngành giáo dục", k=1)[0]
    plain = engine.search("bien che cho nganh giao duc", k=1)[0]
    assert plain.chunk_id == accented.chunk_id


def test_a_question_without_diacritics_is_read_with_them_from_the_plans_own_words(engine):
    query = engine.parse("ty le hoc sinh tot nghiep trung hoc pho thong")
    assert query.restored == "tỷ lệ học sinh tốt nghiệp trung học phổ thông"
    assert query.meaning_text == query.restored
    assert "Đã hiểu là: tỷ lệ học sinh tốt nghiệp trung học phổ thông" in answer(engine, query.text).notes
    assert engine.parse("tỷ lệ học sinh").restored is None  # typed with diacritics: taken as typed
    assert engine.parse("What is the graduation rate?").restored is None  # English: translated instead


def test_document_codes_are_findable(engine):
    hits = engine.search("97-KH/TU", k=3)
    assert hits and hits[0].doc.startswith("001_")


@pytest.mark.parametrize("query", ['"giáo dục" AND (mầm non) OR title:x*', "SELECT * FROM chunks; --", "!!!???",
                                   "🙂 giáo dục 🙂", "x" * 10_000, "Lạng Sơn teachers 教育"])
def test_odd_queries_do_not_crash(engine, query):
    assert isinstance(engine.search(query, k=3), list)


@pytest.mark.parametrize("query", ["", "   ", "...", "🙂"])
def test_empty_queries_give_no_results(engine, query):
    assert engine.search(query) == []


def test_filters_apply_inside_retrieval(engine):
    hits = engine.search("giáo dục", k=20, filters=Filters(province="Gia Lai"))
    assert hits and {h.doc[:3] for h in hits} == {"002"}
    assert engine.search("giáo dục", k=5, filters=Filters(year=2022), mode="dense")[0].doc.startswith("003_")


DEV = SHARED / "eval"


@pytest.mark.skipif(not DEV.is_dir(), reason="shared/eval is not beside the repository")
def test_dev_queries_meet_the_quality_bar(engine):
    queries = load_queries(DEV / "dev_queries.jsonl")
    hybrid = evaluate(engine, queries).metrics()
    lexical = evaluate(engine, queries, mode="lexical").metrics()
    plain = evaluate(engine, queries, strip_diacritics=True).metrics()
    assert hybrid["hit@5"] >= 0.93 and hybrid["mrr@10"] >= 0.88
    assert hybrid["mrr@10"] >= lexical["mrr@10"]
    assert plain["mrr@10"] >= 0.85
    topics = evaluate(engine, load_queries(DEV / "dev_topics.jsonl")).metrics()
    assert topics["recall@5"] == 1.0
