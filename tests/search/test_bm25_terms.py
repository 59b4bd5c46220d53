"""The BM25 side on a few passages: exact and folded syllables, codes, context; and the question's terms,
weighted by how rare they are, as the answer and topic steps measure a passage's coverage with them."""

from __future__ import annotations

from dataclasses import replace

import pytest
import tantivy

from indexer.bm25 import Bm25Writer, open_index
from indexer.facets import DocumentFacets, Filters
from indexer.metadata import DocumentMeta
from search.engine import EXPANSION_WEIGHTS
from search.lexical import FieldWeights, lexical_search
from search.lexicon import ABBREVIATIONS, Lexicon
from search.query import parse_query
from search.question import understand
from search.terms import query_terms

PASSAGES = [
    ("Sở Tài chính bố trí kinh phí thực hiện kế hoạch.", "Kế hoạch 43/KH-UBND IV. TỔ CHỨC THỰC HIỆN"),
    ("Sở Giáo dục và Đào tạo chủ trì triển khai kế hoạch.", "Kế hoạch 43/KH-UBND IV. TỔ CHỨC THỰC HIỆN"),
    ("Thực hiện Kết luận số 51-KL/TW của Ban Bí thư về giáo dục.", "Kế hoạch của Huyện ủy"),
    ("Phấn đấu 95% trẻ mẫu giáo được huy động đến trường.", "Báo cáo của Sở Giáo dục và Đào tạo Gia Lai"),
]


def _bm25_index(path, passages: list[tuple[str, str]], provinces: list[str | None]) -> tantivy.Index:
    writer = Bm25Writer(path)
    for vec_id, ((text, context), province) in enumerate(zip(passages, provinces)):
        writer.add(vec_id, text, context, DocumentFacets.of(DocumentMeta(province=province), replaced=False))
    writer.commit()
    index = open_index(path)
    index.reload()
    return index


@pytest.fixture(scope="module")
def bm25(tmp_path_factory) -> tantivy.Index:
    return _bm25_index(tmp_path_factory.mktemp("bm25"), PASSAGES, ["Lạng Sơn", "Lạng Sơn", None, "Gia Lai"])


def _found(bm25, question: str, filters: Filters = Filters()) -> list[int]:
    return [vec_id for vec_id, _ in lexical_search(bm25, parse_query(question), 10, filters)]


def test_a_question_with_or_without_diacritics_finds_the_same_passage_first(bm25):
    assert _found(bm25, "Sở nào bố trí kinh phí?")[0] == 0
    assert _found(bm25, "so nao bo tri kinh phi")[0] == 0


def test_a_code_is_one_token_and_the_context_is_searched_too(bm25):
    assert _found(bm25, "51-KL/TW") == [2]
    assert _found(bm25, "Gia Lai")[0] == 3  # only in the passage's context (its plan's issuer)


def test_filters_narrow_the_bm25_search(bm25):
    assert set(_found(bm25, "kế hoạch", Filters(province="Lạng Sơn"))) == {0, 1}


def test_question_words_are_not_what_an_answer_must_contain(bm25):
    terms = query_terms(parse_query("Phạt tù từ bao lâu? Lưu trữ ở đâu, như nào?"), bm25.searcher())
    assert {"phat", "tu", "luu", "tru"} <= set(terms.folded) and not {"bao", "lau", "dau", "nao"} & set(terms.folded)


def test_rare_words_weigh_more_in_a_passages_coverage(bm25):
    terms = query_terms(parse_query("Sở Tài chính bố trí kinh phí"), bm25.searcher())
    assert terms.folded["tai"] > terms.folded["so"]  # `sở` is in three passages, `tài` in one
    assert terms.coverage(PASSAGES[0][0]) == pytest.approx(1.0)
    assert 0 < terms.coverage(PASSAGES[1][0]) < 0.3
    assert terms.coverage("không liên quan") == 0.0


def test_a_question_without_diacritics_is_covered_by_its_folded_words_only(bm25):
    terms = query_terms(parse_query("so tai chinh bo tri kinh phi"), bm25.searcher())
    assert terms.exact == {} and terms.coverage(PASSAGES[0][0]) == pytest.approx(1.0)


def test_a_context_term_in_most_contexts_is_not_searched(bm25):
    """`kế hoạch` is in three of the four contexts: it would add about the same to each, so only the passages
    that say it count; `Huyện ủy`, in one context, is searched there."""
    heading_weights = FieldWeights(context=1.0)
    every_term = FieldWeights(context=1.0, common_context=1.0)

    def found(question: str, weights: FieldWeights) -> set[int]:
        return {vec_id for vec_id, _ in lexical_search(bm25, parse_query(question), 10, weights=weights)}

    assert found("kế hoạch", heading_weights) == {0, 1}
    assert found("kế hoạch", every_term) == {0, 1, 2}
    assert found("Huyện ủy", heading_weights) == {2}


LAW_ARTICLES = [
    ("Hoa lợi, lợi tức\n1. Hoa lợi là sản vật tự nhiên mà tài sản mang lại.\n2. Lợi tức là khoản lợi thu được từ "
     "việc khai thác tài sản.", "Hoa lợi, lợi tức"),
    ("Sửa đổi Điều 32 của Bộ luật Tố tụng dân sự số 92/2015/QH13 như sau: Bộ luật dân sự được áp dụng.",
     "Sửa đổi, bổ sung"),
    ("Giao dịch dân sự theo Bộ luật này được xác lập.", "Giao dịch dân sự"),
    ("Hợp tác trong GDĐT với các tỉnh bạn được mở rộng.", "Hợp tác quốc tế"),
    ("Hợp tác với các tỉnh bạn về văn hóa, du lịch và thương mại được mở rộng.", "Hợp tác quốc tế"),
]


@pytest.fixture(scope="module")
def laws(tmp_path_factory) -> tantivy.Index:
    return _bm25_index(tmp_path_factory.mktemp("laws"), LAW_ARTICLES, [None] * len(LAW_ARTICLES))


def test_the_law_a_question_names_is_which_document_to_read_not_what_to_find_in_it(laws):
    query = parse_query("Theo Bộ luật Dân sự 2015, lợi tức được hiểu như thế nào?")
    assert query.source == "Theo Bộ luật Dân sự 2015,"
    assert understand(query).years is None  # 2015 is the law's year, not a period asked about
    assert [v for v, _ in lexical_search(laws, query, 3)][0] == 0  # not the article citing `Bộ luật … dân sự`
    assert parse_query("Theo Điều 9: Thực hiện quyền dân sự, trong Bộ luật dân sự 2015, cá nhân …").source == \
        "trong Bộ luật dân sự 2015,"  # the article's title stays a thing to find
    assert parse_query("Luật sư được mời năm 2015 khi nào?").source == ""


def test_an_abbreviation_written_as_no_passage_writes_it_is_searched_in_the_form_they_use(laws):
    """`GD&ĐT` occurs nowhere; the passages write `GDĐT`, which then weighs as the question's own word would,
    with the word pair it makes in the question (`trong GDĐT`): as a lesser alternative, 0.73 of it."""
    def score(question: str) -> float:
        query = parse_query(question)
        expansions = Lexicon.load().expansions(query.text, {ABBREVIATIONS}, EXPANSION_WEIGHTS)
        return dict(lexical_search(laws, replace(query, expansions=tuple(expansions)), 5))[3]

    assert score("hợp tác trong GD&ĐT") > 0.8 * score("hợp tác trong GDĐT")
