"""Matching beyond the literal words: abbreviations, i/y spelling variants, the thesaurus, English
questions; each with the exact form still ranked first."""

from dataclasses import replace

import pytest

from indexer.build import build_index
from runtime.settings import Settings
from search.engine import SearchEngine
from search.answer import answer
from search.english import is_english, translate
from search.lexicon import Lexicon
from search.query import query_details, query_notes

PLANS = {
    "full.txt": "KẾ HOẠCH\nPhân luồng học sinh\nTổ chức phân luồng học sinh sau trung học cơ sở vào học nghề.\n",
    "short.txt": "KẾ HOẠCH\nTuyển sinh\nHướng dẫn tuyển sinh vào lớp 10 cho học sinh THCS trên địa bàn.\n",
    "ky.txt": "BÁO CÁO\nKỳ thi\nKỳ thi tốt nghiệp năm 2024 diễn ra an toàn, đúng quy chế.\n",
    "ki.txt": "BÁO CÁO\nKì thi\nKì thi chọn học sinh giỏi cấp tỉnh được tổ chức nghiêm túc.\n",
    "money.txt": "KẾ HOẠCH\nTài chính\nBố trí kinh phí mua sắm thiết bị dạy học cho các trường.\n",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("meaning-docs")
    for name, text in PLANS.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(index_dir=tmp_path_factory.mktemp("meaning-index"), documents=folder)
    build_index(folder, settings, show_progress=False, embedder=embedder)
    return settings


def docs(settings, embedder, question, expand="abbreviations,glossary,thesaurus"):
    engine = SearchEngine(replace(settings, expand=expand), embedder=embedder)
    return [hit.doc for hit in engine.search(question, k=5, mode="lexical")]


def test_thcs_finds_trung_hoc_co_so_and_the_typed_form_ranks_first(small, embedder):
    assert docs(small, embedder, "THCS")[:2] == ["short.txt", "full.txt"]
    assert docs(small, embedder, "trung học cơ sở")[:2] == ["full.txt", "short.txt"]
    assert docs(small, embedder, "THCS", expand="none") == ["short.txt"]


def test_ki_and_ky_spellings_find_each_other_with_the_typed_spelling_first(small, embedder):
    assert docs(small, embedder, "kì thi")[:2] == ["ki.txt", "ky.txt"]
    assert docs(small, embedder, "kỳ thi")[:2] == ["ky.txt", "ki.txt"]
    assert set(docs(small, embedder, "ky thi")[:2]) == {"ki.txt", "ky.txt"}


def test_ngan_sach_finds_a_passage_that_says_kinh_phi(small, embedder):
    assert docs(small, embedder, "ngân sách mua sắm")[0] == "money.txt"
    assert docs(small, embedder, "ngân sách", expand="abbreviations,glossary") == []


def test_an_english_question_finds_the_right_vietnamese_passage(engine):
    hits = engine.search("Which plan assigns the Department of Finance to fund the education reform plan?", k=3)
    assert hits[0].citation.endswith("mục IV.3 (Sở Tài chính)")
    query = engine.parse("Which department is responsible for teacher staffing?")
    assert query.original and ("staffing", "biên chế") in query.glossary_terms
    assert "biên chế" in query.text and "giáo viên" in query.text


def test_an_english_question_left_unanswered_names_the_words_left_out(engine):
    result = answer(engine, "How many squirrels did the teachers of Lang Son count in 2024?")
    assert result.short is None and "squirrels" in result.reason and "hỏi bằng tiếng Việt" in result.reason


def test_language_detection_and_translation():
    glossary = Lexicon.load().glossary
    assert is_english("How many teachers meet the national standards in Lang Son?", glossary)
    for vietnamese in ("tang cuong kiem tra thanh tra", "the nao la truong chuan", "giáo viên đạt chuẩn", "THCS",
                       "tin", "ban", "truong"):
        assert not is_english(vietnamese, glossary)
    assert is_english("teachers", glossary) and is_english("STEM", glossary)  # one word the glossary knows
    # English words the glossary does not know are still no Vietnamese syllables; a code is neither language
    assert is_english("From what date does Circular 03/2021/TT-BNV on regular salary step increases take effect?",
                      glossary)
    assert not is_english("so gd&dt o lang son an the nao", glossary)
    translation = translate("How many teachers in Lang Son meet the qualification standards by 2025 (63-NQ/TU)?",
                            glossary)
    assert translation.text.split(" ")[:2] == ["bao", "nhiêu"]
    assert "giáo viên" in translation.text and "Lang Son" in translation.text
    assert "2025" in translation.text and "63-NQ/TU" in translation.text


def test_the_view_says_what_the_question_was_searched_as(engine):
    widened = engine.parse("phân luồng học sinh sau THCS")
    assert query_notes(widened) == []  # nothing to say to an official
    assert query_details(widened)[0].startswith("Tìm cả: THCS → trung học cơ sở; ")  # on request
    english = query_notes(engine.parse("Which department funds the plan?"))
    assert english[0].startswith("Câu hỏi tiếng Anh được tra bằng các thuật ngữ tiếng Việt: ")


def test_users_extend_the_lexicon_with_their_own_files(tmp_path):
    (tmp_path / "abbreviations.tsv").write_text("# ours\nPGD\tphòng giáo dục\n", encoding="utf-8")
    (tmp_path / "thesaurus.tsv").write_text("sáp nhập | hợp nhất | nhập\n", encoding="utf-8")
    lexicon = Lexicon.load(tmp_path)
    kinds = {"abbreviations", "thesaurus"}
    expansions = {e.text for e in lexicon.expansions("PGD huyện", kinds, {"abbreviations": 0.6, "thesaurus": 0.3})}
    assert "phòng giáo dục" in expansions
    (tmp_path / "glossary.tsv").write_text("only one column\n", encoding="utf-8")
    with pytest.raises(ValueError, match="glossary.tsv:1"):
        Lexicon.load(tmp_path)
