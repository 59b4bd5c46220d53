"""The hybrid ranking: a passage scored with its own heading, both sides weighed by a fitted model, and what
the question constrains (its period, its places) used in ranking, not only in the answer."""

from indexer.build import lexical_text
from indexer.chunks import Chunk
from indexer.metadata import DocumentMeta
from search.constraints import Checker, blank_form_share
from search.engine import _rank_model_for
from search.lexical import lexical_search
from search.question import understand
from search.rerank import FEATURES, check_features, is_heading_only, load_rank_model
from search.terms import query_terms


def _chunk(section: str, text: str) -> Chunk:
    return Chunk(id="c", doc="d.txt", ordinal=0, section=section, section_ordinal=1, text=text, start=0,
                 end=len(text), page_start=None, page_end=None)


def test_a_passage_is_scored_with_its_own_heading_or_else_the_title():
    meta = DocumentMeta(title="Nghỉ việc riêng")
    later = _chunk("Chương II › Điều 5. Mức hỗ trợ", "2. Thời gian hỗ trợ: tối đa 3 tháng.")
    assert lexical_text(meta, later) == "Điều 5. Mức hỗ trợ\n2. Thời gian hỗ trợ: tối đa 3 tháng."
    opening = _chunk("Chương II › Điều 5. Mức hỗ trợ", "Điều 5. Mức hỗ trợ\n1. Mức hỗ trợ: 500.000 đồng.")
    assert lexical_text(meta, opening) == opening.text  # a section's first passage carries its heading once
    assert lexical_text(meta, _chunk("", "a) Kết hôn: nghỉ 03 ngày;")).startswith("Nghỉ việc riêng\n")


def test_the_words_of_an_articles_title_weigh_as_its_text_does(articles_engine):
    """`việc riêng` is only in the title line of hop-dong__6; `nghỉ` is in the text of both 5 and 6. Scored
    as context (0.1), the title left the two within a factor 1.5; scored with the text, 6 is far ahead."""
    ranking = lexical_search(articles_engine.index.bm25, articles_engine.parse("nghỉ việc riêng"), 3)
    chunks = articles_engine.index.store.chunks_by_vec_ids([v for v, _ in ranking])
    scores = {chunks[v].doc: score for v, score in ranking}
    assert max(scores, key=scores.get) == "hop-dong__6.txt" and scores["hop-dong__6.txt"] > 2.5 * scores["hop-dong__5.txt"]


def test_a_blank_form_is_told_from_text_with_an_ellipsis():
    form = "Tháng...... năm 2022\nKính gửi: Ủy ban nhân dân quận/huyện..............\nHọ và tên người lao động"
    assert blank_form_share(form) == 2 / 3
    assert blank_form_share("Căn cứ … Luật Giáo dục...\nCác nhiệm vụ khác.") == 0.0


def test_a_passage_that_is_only_a_chapters_heading_is_told_from_a_clause():
    chapter = _chunk("Chương II. HỖ TRỢ NGƯỜI LAO ĐỘNG", "Chương II. HỖ TRỢ NGƯỜI LAO ĐỘNG ĐANG LÀM VIỆC TRONG DOANH NGHIỆP")
    clause = _chunk("Điều 5 › 2. Đối với người dưới 18 tuổi", "2. Đối với người dưới 18 tuổi phạm nhiều tội thì …")
    assert is_heading_only(chapter) and not is_heading_only(clause)


def test_the_period_and_the_place_a_question_names_are_checked_for_each_passage(engine):
    question = understand(engine.parse("tỷ lệ học sinh tốt nghiệp trung học phổ thông giai đoạn 2026 - 2030 ở Lạng Sơn"))
    checker = Checker(engine.index, question)
    pairs = query_terms(engine.parse(question.text), engine.index.bm25.searcher()).pairs()
    chunks = dict(engine.index.store.all_chunks())
    by_period = {c.section.rsplit(" › ", 1)[-1]: c for c in chunks.values()
                 if c.doc.startswith("003") and c.section.startswith("II. MỤC TIÊU") and "Giai đoạn" in c.section}
    asked = check_features(engine.index, question, checker, by_period["2. Giai đoạn 2026 - 2030"], pairs)
    other = check_features(engine.index, question, checker, by_period["1. Giai đoạn 2021 - 2025"], pairs)
    assert (asked["period_match"], asked["period_conflict"], asked["name_missing"]) == (1.0, 0.0, 0.0)
    assert (other["period_match"], other["period_conflict"]) == (0.0, 1.0)
    elsewhere = next(c for c in chunks.values() if c.doc.startswith("004"))  # a Hạ Long report
    assert check_features(engine.index, question, checker, elsewhere, pairs)["name_missing"] == 1.0


def test_a_passage_that_keeps_the_questions_phrasing_carries_more_of_its_word_pairs(engine):
    """However long the passage: BM25 shortens a long passage's score for each word it has."""
    question = engine.parse("phân luồng học sinh sau trung học cơ sở")
    checker = Checker(engine.index, understand(question))
    pairs = query_terms(question, engine.index.bm25.searcher()).pairs()
    whole = _chunk("", "Các trường tổ chức tư vấn tuyển sinh, hướng nghiệp và thực hiện phân luồng học sinh sau "
                       "trung học cơ sở theo kế hoạch của tỉnh, gắn với nhu cầu nhân lực của địa phương.")
    scattered = _chunk("", "Học sinh trung học cơ sở được tư vấn; phân luồng sau tốt nghiệp.")
    features = [check_features(engine.index, understand(question), checker, c, pairs)["word_pairs"]
                for c in (whole, scattered)]
    assert features[0] == 1.0 > features[1] + 0.3


def test_the_passage_of_the_period_asked_comes_first(engine):
    hits = engine.search("tỷ lệ học sinh tốt nghiệp trung học phổ thông giai đoạn 2026 - 2030")
    assert hits[0].doc.startswith("003") and "2026 - 2030" in hits[0].section


def test_the_shipped_rank_model_says_what_it_was_fitted_on_and_which_model_it_weighs():
    model = load_rank_model()
    assert model.model.features == FEATURES and model.depth > 0
    fitted = model.fitted_on
    assert {"legal-qa", "dev_queries", "dev_queries folded", "meaning"} <= set(fitted["sets"])
    assert fitted["held_out_questions"] > 50 and "held_out" in fitted["mrr@10"]
    weights = dict(zip(model.model.features, model.model.weights))
    assert weights["lexical"] > 0 and weights["dense"] > 0 and weights["period_conflict"] < 0
    assert weights["word_pairs"] > 0
    assert _rank_model_for("multilingual-e5-small") is model
    assert _rank_model_for("all-MiniLM-L6-v2") is None  # another model's scores: fused by its profile


def test_the_passages_of_the_plan_whose_number_the_question_names_come_first(engine):
    """`43/KH-UBND` is one token among the question's words; the plan bearing it is what the question names."""
    hits = engine.search("Kế hoạch 43/KH-UBND về tuyên truyền, quán triệt trong cán bộ, đảng viên", k=12)
    bearing = [hit.doc.startswith("003_") for hit in hits]
    assert bearing[0] and bearing == sorted(bearing, reverse=True), bearing  # all its passages, then the others
    assert not engine.search("tuyên truyền, quán triệt trong cán bộ, đảng viên", k=3)[0].doc.startswith("003_")
