"""Which plans address a topic: ranked plans with evidence, and below them the plans that only mention it."""

import csv
import re
import io

import pytest

from search.evaluate import evaluate, load_queries
from indexer.facets import Filters
from search.topics import (CSV_COLUMNS, TopicModel, listed_terms, load_topic_model, plans_for_topic, topic_csv,
                           topic_model_for)
from tests.conftest import REPO, SHARED
from ui.text import sections_text

DEV = SHARED / "eval"


def prefixes(result):
    return [p.doc[:3] for p in result.plans]


def mentioned(result):
    return [p.doc[:3] for p in result.mentions]


def test_a_topic_lists_the_plans_that_address_it_with_cited_evidence(engine):
    result = plans_for_topic(engine, "học sinh dân tộc nội trú, bán trú")
    assert prefixes(result) == ["003"]
    assert result.mentions and all(p.tier == "mentions" and p.evidence for p in result.mentions)
    plan = result.plans[0]
    assert plan.number == "43/KH-UBND" and plan.date == "2022-02-23" and plan.province == "Lạng Sơn"
    assert plan.matching_sections >= 2
    assert 1 <= len(plan.evidence) <= 3
    assert all(hit.citation.startswith("Kế hoạch số 43/KH-UBND") for hit in plan.evidence)
    assert "nội trú" in plan.evidence[0].text


@pytest.mark.parametrize("topic", ["giáo dục STEM", "bảo vệ rừng đầu nguồn"])
def test_a_topic_no_plan_contains_is_neither_listed_nor_counted_as_mentioned(engine, topic):
    result = plans_for_topic(engine, topic)  # passages that share only `giáo dục` or `bảo vệ` do not mention it
    assert (result.plans, result.mentions) == ([], [])


def test_evidence_is_the_matching_sentence_of_matching_passages(engine):
    plan = plans_for_topic(engine, "học sinh dân tộc nội trú, bán trú").plans[0]
    sentences = [plan.evidence_sentence(n) for n in range(len(plan.evidence))]
    assert all("nội trú" in sentence for sentence in sentences)
    assert len(set(sentences)) == len(sentences)  # overlapping passages do not show one sentence twice
    assert all(len(sentence) < len(hit.text) for sentence, hit in zip(sentences, plan.evidence))


def test_plans_are_ranked_by_how_much_of_them_is_about_the_topic(engine):
    plans = plans_for_topic(engine, "phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục").plans
    scores = [p.score for p in plans]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1 and max(scores) <= 1.0


def test_a_topic_typed_without_diacritics_finds_the_same_plans(engine):
    assert prefixes(plans_for_topic(engine, "chuyen doi so")) == prefixes(plans_for_topic(engine, "chuyển đổi số")) == ["003"]


def test_a_code_lists_every_plan_that_cites_it(engine):
    result = plans_for_topic(engine, "51-KL/TW")
    assert sorted(prefixes(result)) == ["000", "001", "002"]
    assert result.mentions == []  # no other plan contains the code
    assert {p.doc[:3]: p.references for p in result.plans} == {
        "000": ["nhắc đến 51-KL/TW ngày 30/05/2019"], "001": ["thực hiện 51-KL/TW ngày 30/05/2019"],
        "002": ["nhắc đến 51-KL/TW ngày 29/10/2012"]}  # two documents share the code


def test_filters_narrow_the_plans(engine):
    topic = "phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục"
    assert len(plans_for_topic(engine, topic).plans) == 5
    assert prefixes(plans_for_topic(engine, topic, Filters(province="Lạng Sơn"))) == ["003"]


def test_the_csv_is_a_table_a_spreadsheet_reads(engine):
    result = plans_for_topic(engine, "phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục")
    rows = list(csv.reader(io.StringIO(topic_csv(result))))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == 1 + len(result.plans) + len(result.mentions)
    lang_son = next(row for row in (dict(zip(CSV_COLUMNS, r)) for r in rows) if row["Số hiệu"] == "43/KH-UBND")
    assert lang_son["Mức độ"] == "Đề cập chủ đề"
    assert (lang_son["Ngày"], lang_son["Tỉnh/thành"], lang_son["Huyện/thành phố/xã"]) == ("23/02/2022", "Lạng Sơn", "")
    assert lang_son["Trích dẫn 1"].startswith("Kế hoạch số 43/KH-UBND") and lang_son["Câu phù hợp 1"]
    assert re.fullmatch(r"\d{1,3}%", lang_son["Mức liên quan"])  # no decimal point a Vietnamese spreadsheet misreads


def test_plans_that_only_mention_a_topic_are_listed_below_with_their_sentence_and_in_the_csv(engine):
    result = plans_for_topic(engine, "tự chủ tài chính")
    assert prefixes(result) == ["003"]
    gia_lai = next(p for p in result.mentions if p.doc.startswith("002"))  # autonomy, not financial autonomy
    assert "tự chủ" in gia_lai.evidence_sentence(0)
    rows = [dict(zip(CSV_COLUMNS, r)) for r in csv.reader(io.StringIO(topic_csv(result)))][1:]
    assert [r["Mức độ"] for r in rows] == ["Đề cập chủ đề"] + ["Chỉ nhắc đến"] * len(result.mentions)
    assert rows[0]["Tìm thấy"] == "theo từ ngữ"
    assert any("tự chủ" in r["Câu phù hợp 1"] for r in rows[1:])


def test_one_passage_of_its_own_with_the_topic_is_enough_for_a_plan_to_address_it(engine):
    """002 says it once: `Công tác phân luồng học sinh sau trung học cơ sở đã có nhiều chuyển biến`."""
    result = plans_for_topic(engine, "phân luồng học sinh sau THCS")
    gia_lai = next(p for p in result.plans if p.doc.startswith("002"))
    assert gia_lai.matching_sections == 1 and gia_lai.found_by == "wording"
    assert "phân luồng học sinh sau trung học cơ sở" in gia_lai.evidence_sentence(0)


def test_a_topic_worded_otherwise_than_the_plans_finds_them_by_meaning(engine):
    """No plan writes `đào tạo lại giáo viên`; 003 writes of `đào tạo, bồi dưỡng` teachers and managers."""
    result = plans_for_topic(engine, "đào tạo lại giáo viên")
    by_meaning = [p for p in result.plans if p.found_by == "meaning"]
    assert by_meaning and all(p.evidence and p.matching_sections >= 1 for p in by_meaning)
    assert sections_text(by_meaning[0]).endswith("mục gần nghĩa với chủ đề (không mục nào dùng nguyên cụm từ này)")
    assert all(p.score < min((q.score for q in result.plans if q.found_by == "wording"), default=1.0)
               for p in by_meaning)


def test_the_meaning_model_names_what_it_was_fitted_on_and_serves_only_its_own_embedding_model():
    fitted = load_topic_model()
    assert {"dev_topics.jsonl", "topic_tiers_b.jsonl"} <= set(fitted.fitted_on["sets"])
    assert any(part.endswith("held_out") for part in fitted.fitted_on["figures"])
    assert TopicModel.from_json(fitted.to_json()) == fitted
    assert topic_model_for("multilingual-e5-small") == fitted
    assert topic_model_for("all-MiniLM-L6-v2") is None  # its similarities are on another scale


def test_a_footnote_citing_another_documents_title_is_not_evidence(engine):
    """003 cites Quyết định 522/QĐ-TTg, `Đề án "Giáo dục hướng nghiệp và định hướng phân luồng ..."`, in a
    footnote; its own passages on career guidance speak of it otherwise."""
    result = plans_for_topic(engine, "giáo dục hướng nghiệp và định hướng phân luồng học sinh")
    footnotes = [h for p in result.plans for h in p.evidence if h.section == "Chú thích"]
    assert footnotes == []
    assert all(p.evidence for p in result.plans if not p.references)


@pytest.mark.skipif(not DEV.is_dir(), reason="shared/eval is not beside the repository")
def test_dev_topics_are_recalled_and_precise(engine):
    metrics = evaluate(engine, load_queries(DEV / "dev_topics.jsonl")).metrics()
    assert metrics["recall@5"] == 1.0 and metrics["precision"] >= 0.9


def test_phrase_topics_list_or_count_every_plan_that_contains_the_phrase(engine):
    """bench/topic_phrases.jsonl names the plans that contain each phrase (some phrases are in no plan):
    each is listed when it addresses the topic, or else below as mentioning it; no other plan addresses it by
    its wording (one may by meaning)."""
    for item in load_queries(REPO / "bench" / "topic_phrases.jsonl"):
        result = plans_for_topic(engine, item["q"])
        listed = {p.doc[:3] for p in result.plans if p.found_by != "meaning"}
        assert listed <= set(item["docs"]), item["q"]
        assert set(item["docs"]) <= listed | set(mentioned(result)), item["q"]


def test_an_english_topic_lists_what_its_vietnamese_counterpart_lists(engine):
    """bench/topic_phrases_en.jsonl: policy phrases as a researcher types them in English, bare; the glossary
    translates each wholly, and its translation is what the passages' similarity is measured against."""
    for item in load_queries(REPO / "bench" / "topic_phrases_en.jsonl"):
        english, vietnamese = plans_for_topic(engine, item["q"]), plans_for_topic(engine, item["vi"])
        assert english.notes[0].startswith("Câu hỏi tiếng Anh được tra"), item["q"]
        both = [(sorted(prefixes(r)), sorted(mentioned(r))) for r in (english, vietnamese)]
        assert both[0] == both[1], item["q"]


def test_the_first_evidence_is_the_sentence_that_carries_the_topic_not_one_under_its_heading(engine):
    """003's section `4. Thực hiện hiệu quả công tác phân luồng học sinh sau trung học cơ sở …` matches through
    its heading in every passage; the passage that opens with the heading is shown first."""
    lang_son = next(p for p in plans_for_topic(engine, "phân luồng học sinh sau THCS").plans if p.doc.startswith("003"))
    assert "phân luồng học sinh sau trung học cơ sở" in lang_son.evidence_sentence(0)


def test_an_english_topic_is_a_list_of_terms_whose_order_vietnamese_need_not_keep(engine):
    """`in schools` adds `trường học`; no plan writes the pair `hướng nghiệp trường học`, 003 writes both terms."""
    assert listed_terms(engine.parse("career guidance in schools")).text == "hướng nghiệp, trường học"
    assert listed_terms(engine.parse("career guidance and student streaming")).text == \
        "hướng nghiệp và phân luồng học sinh"
    result = plans_for_topic(engine, "career guidance in schools")
    assert any(p.doc.startswith("003") and p.found_by == "wording" for p in result.plans)


def test_an_abbreviated_topic_finds_the_plans_that_spell_it_out(engine):
    result = plans_for_topic(engine, "phân luồng học sinh sau THCS")
    assert sorted(prefixes(result)) == ["001", "002", "003"]
    # spelled out in the first evidence, in its text or in the heading it is shown under
    assert all("phân luồng học sinh sau trung học cơ sở" in f"{p.evidence[0].section} {p.evidence[0].text}"
               for p in result.plans)
