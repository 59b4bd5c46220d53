"""The answer model: weights fitted on data and written with the sets they were fitted on; questions about
documents the index knows only from the plans that cite them; answers on text nobody tuned the rules on."""

import numpy as np
import pytest

from search.answer import answer, answer_candidates
from search.code_questions import asks_implementing_plan
from search.constraints import NO_PLACE
from search.evidence import FINAL_FEATURES, FIRST_FEATURES, load_answer_model
from search.logistic import fit, fit_ranker
from search.query import parse_query
from search.question import Focus, Question
from vietnamese.normalize import find_codes

def test_a_logistic_fit_finds_which_feature_carries_the_label():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 3))
    y = (x[:, 1] - 0.5 * x[:, 2] + 0.3 * rng.normal(size=400) > 0).astype(float)
    model = fit(x, y, ("noise", "signal", "against"))
    weights = dict(zip(model.features, model.weights))
    assert weights["signal"] > 1.0 and weights["against"] < -0.3 and abs(weights["noise"]) < 0.15 * weights["signal"]
    assert model.probabilities(np.array([[0.0, 3.0, 0.0]]))[0] > 0.9


def test_a_ranker_learns_which_candidate_of_each_question_is_the_right_one():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 3))
    groups = np.repeat(np.arange(40), 10)
    labels = np.zeros(400)
    for g in range(40):
        rows = np.flatnonzero(groups == g)
        labels[rows[np.argmax(2 * x[rows, 0] - x[rows, 1])]] = 1
    ranker = fit_ranker(x, groups, labels, ("first", "second", "noise"))
    picked = [np.flatnonzero(groups == g)[np.argmax(ranker.probabilities(x[groups == g]))] for g in range(40)]
    assert labels[picked].mean() > 0.9


def test_the_shipped_answer_model_says_what_it_was_fitted_on():
    model = load_answer_model()
    assert model.first.features == FIRST_FEATURES and model.final.features == FINAL_FEATURES
    fitted = model.fitted_on
    assert {"eval/dev_answers.jsonl", "legal-qa/dev_answers.jsonl"} <= set(fitted["sets"]) and fitted["fitted_questions"] > 200
    assert fitted["held_out_questions"] > 50 and "all" in fitted["held_out"] and "all" in fitted["cross_validated"]
    assert 0.0 < model.threshold < 1.0


def test_the_date_of_a_document_a_plan_cites_is_the_date_the_plan_gives_it(engine):
    result = answer(engine, "Kết luận 01-KL/TW của Bộ Chính trị được ban hành ngày nào?")
    assert result.doc.startswith("003") and result.short.startswith("Ngày 18/05/2021")
    assert "01-KL/TW" in result.short and "43/KH-UBND" in result.citation


def test_a_code_typed_in_lower_case_is_still_a_code(engine):
    assert parse_query("ket luan 01-kl/tw ban hanh ngay nao, giai doan 2021-2025").text == \
        "ket luan 01-KL/TW ban hanh ngay nao, giai doan 2021-2025"
    result = answer(engine, "ket luan 01-kl/tw cua bo chinh tri ban hanh ngay nao")
    assert result.short.startswith("Ngày 18/05/2021") and "43/KH-UBND" in result.citation


def test_the_plan_that_implements_a_code_is_answered_with_its_number(engine):
    result = answer(engine, "Kế hoạch nào của UBND tỉnh Lạng Sơn triển khai Nghị quyết 63-NQ/TU?")
    assert result.doc.startswith("003") and "43/KH-UBND" in result.short
    through = answer(engine, "Ban Thường vụ Huyện ủy cụ thể hóa Kết luận 51-KL/TW bằng văn bản nào?")
    assert through.doc.startswith("001") and "97-KH/TU" in through.short


def test_a_question_for_the_agency_is_answered_with_the_agency(engine):
    result = answer(engine, "Cơ quan nào chủ trì tham mưu xây dựng đề án về nhà giáo và cán bộ quản lý ở Lạng Sơn?")
    assert result.doc.startswith("003") and result.short.startswith("Sở Giáo dục và Đào tạo")


def test_a_question_about_a_document_no_plan_bears_or_cites_is_not_answered(engine):
    result = answer(engine, "Kế hoạch số 112-KH/TU của Tỉnh ủy Quảng Ninh về đổi mới giáo dục được ban hành ngày nào?")
    assert result.short is None and "không văn bản nào mang số hoặc nhắc đến 112-KH/TU" in result.reason


def test_a_question_for_a_number_is_not_answered_by_a_sentence_that_states_none(engine):
    result = answer(engine, "Huyện ủy dành bao nhiêu tỷ đồng cho công tác truyền thông về đổi mới giáo dục?")
    assert result.short is None and "không nêu" in result.reason


def test_a_ratio_is_not_the_amount_of_money_asked_for(engine):
    """`theo tỷ lệ giữa tổng quỹ lương …` says how a budget is shared, not how many billion đồng it is."""
    result = answer(engine, "Chi sự nghiệp giáo dục được phân bổ bao nhiêu tỷ đồng mỗi năm?")
    assert result.short is None and "không nêu" in result.reason, result.short


def test_a_question_for_a_fine_is_answered_by_a_clause_that_states_an_amount_of_money(articles_engine):
    """Clause 2 of hop-dong__8 (`phạt tù từ 03 năm đến 07 năm … Làm chết 02 người`) states a quantity, but no
    amount of money; clause 1 sets the fine for `Làm chết người`."""
    result = answer(articles_engine, "Người vi phạm quy định về an toàn lao động làm chết người có thể bị phạt tiền "
                                     "đến bao nhiêu?")
    assert "100.000.000 đồng" in result.short, result.short


def test_a_question_for_when_within_a_period_is_not_answered_by_the_period(engine):
    """The plan names the project `… giai đoạn 2021 - 2025`; that is not when, within it, the work is done."""
    result = answer(engine, "Khi nào trong giai đoạn 2021 - 2025 Lạng Sơn hoàn thành đầu tư cơ sở vật chất cho "
                            "trường mầm non?")
    assert result.short is None, result.short


def test_a_figure_counted_in_a_word_no_document_uses_is_not_answered(engine):
    """No sample plan says `tiết` (a lesson period): none can say how many."""
    result = answer(engine, "Mỗi trường tiểu học dạy bao nhiêu tiết Tin học một tuần?")
    assert result.short is None and "không văn bản nào nhắc đến “tiết”" in result.reason, result.short


def test_a_question_for_which_district_is_not_answered_by_a_sentence_that_names_none(engine):
    """The district plan never names its district; a sentence naming the province does not answer either."""
    result = answer(engine, "Ủy ban nhân dân của huyện nào xây dựng kế hoạch cụ thể để thực hiện Kết luận 51-KL/TW?")
    assert result.short is None and result.reason.endswith(NO_PLACE), result.short


def test_a_question_for_which_province_is_answered_by_a_sentence_that_names_it(engine):
    result = answer(engine, "Tỉnh nào xây dựng Đề án đầu tư cơ sở vật chất cho trường mầm non, phổ thông công lập "
                            "giai đoạn 2021 - 2025?")
    assert result.short and "tỉnh Lạng Sơn" in result.short


@pytest.mark.parametrize(("question", "penalty"), [
    ("Xuất khẩu trái phép chất thải nguy hại qua biên giới với khối lượng từ 500 kilôgam đến dưới 1.000 kilôgam "
     "thì bị phạt tù bao lâu?", "phạt tù từ 01 năm đến 03 năm"),
    ("Chôn, lấp chất thải nguy hại trái pháp luật có khối lượng từ 3.000 kilôgam đến dưới 5.000 kilôgam thì bị "
     "phạt tù bao lâu?", "phạt tù từ 03 năm đến 05 năm"),
])
def test_a_question_for_how_long_is_not_answered_by_a_sentence_that_states_no_length_of_time(
        articles_engine, question, penalty):
    """The clause's item repeats the case asked (`… từ 500 kilôgam …`, a quantity) but not the penalty, which
    its lead-in states: the answer is the lead-in with the item."""
    result = answer(articles_engine, question)
    assert result.doc.endswith("hop-dong__9.txt") and penalty in result.short, result.short


def test_a_number_typed_without_its_leading_zero_is_the_number_the_law_writes(articles_engine):
    """The article writes `Làm chết 02 người trở lên`; the question `2 người`."""
    result = answer(articles_engine, "Vi phạm quy định về an toàn lao động làm chết 2 người thì bị phạt tù bao lâu?")
    assert "phạt tù từ 03 năm đến 07 năm" in result.short, result.short


def test_an_aggravated_case_is_read_as_the_offense_of_the_first_clause_so_committed(articles_engine):
    """`2. Phạm tội thuộc một trong các trường hợp sau đây … đ) Tái phạm nguy hiểm.` is the offense of clause 1
    committed again: read so, it carries the question's words as well as clause 1 does, and the case too."""
    question = ("Người nào cho thuê, cho mượn phòng ở trong khu lưu trú của người lao động hoặc có bất kỳ hành vi "
                "nào khác để người khác đánh bạc trái phép, nếu tái phạm nguy hiểm thì bị phạt như thế nào?")
    found = answer_candidates(articles_engine, question)
    texts = {found.answer_text(c): c for passage in found.by_passage for c in passage}
    case = next(c for text, c in texts.items() if c.kind == "item" and text.endswith("Tái phạm nguy hiểm."))
    offense = next(c for text, c in texts.items() if c.kind == "sentence" and text.startswith("Người nào cho thuê"))
    assert case.features["coverage"] > offense.features["coverage"]


def test_a_question_naming_an_aggravated_case_is_not_answered_by_the_penalty_for_the_offense_without_it(
        articles_engine):
    """`dẫn đến nạn nhân tự sát` names `h) Làm nạn nhân tự sát.` of clause 2: clause 1's penalty, for the
    offense without such a case, does not apply; the case's clause answers."""
    question = ("Người trong quan hệ lao động xúc phạm nghiêm trọng nhân phẩm, danh dự người cùng làm việc, dẫn đến "
                "nạn nhân tự sát thì bị phạt tù bao lâu?")
    found = answer_candidates(articles_engine, question)
    offense = [c for c in found.by_passage[0] + found.by_passage[1] if c.sentence.text.startswith("1. Người nào")]
    assert offense and all("Làm nạn nhân tự sát" in c.veto for c in offense)
    result = answer(articles_engine, question)
    assert "phạt tù từ 01 năm đến 03 năm: h) Làm nạn nhân tự sát." in result.short, result.short


def test_a_figure_for_a_year_is_not_answered_by_a_law_that_names_no_year(articles_engine):
    """The article on personal leave gives 3 days for a wedding, in no year: it does not say 2030's figure."""
    result = answer(articles_engine, "Năm 2030, người lao động kết hôn được nghỉ việc riêng bao nhiêu ngày?")
    assert result.short is None and "2030" in result.reason, result.short
    assert "nghỉ 03 ngày" in answer(articles_engine, "Người lao động kết hôn được nghỉ việc riêng bao nhiêu ngày?").short


def test_a_criminal_law_article_found_first_is_read_whole(articles_engine):
    """With one passage asked for, the ranking leaves out clauses of the article; its aggravated cases may be
    among them, so every passage of the article the first passage belongs to is a candidate."""
    question = "Người nào vi phạm quy định về quản lý chất thải nguy hại mà làm chết người thì bị phạt tù bao lâu?"
    found = answer_candidates(articles_engine, question, passages=1)
    article = articles_engine.passages_of(found.hits[0].doc)
    assert found.hits[0].doc.endswith("hop-dong__9.txt") and len(article) > 5
    assert {h.chunk_id for h in article} <= {h.chunk_id for h in found.hits}


def test_a_question_for_the_penalty_is_answered_by_a_clause_that_states_one(articles_engine):
    """The case item alone (`a) Chôn, lấp, … từ 1.000 kilôgam đến dưới 3.000 kilôgam;`) states no penalty."""
    result = answer(articles_engine, "Chôn, lấp trái pháp luật 2.000 kilôgam chất thải nguy hại thì bị phạt như thế nào?")
    assert "phạt tù từ 01 năm đến 03 năm: a) Chôn, lấp" in " ".join(result.short.split()), result.short


def test_a_question_for_the_cases_of_a_list_is_answered_with_the_whole_list(articles_engine):
    """The lead-in of clause 1 sits alone in its passage, its items in the next ones: the answer reads them
    from the article, all of them, one per line with their markers."""
    result = answer(articles_engine, "Vi phạm quy định về quản lý chất thải nguy hại trong những trường hợp nào thì "
                                     "bị phạt tù từ 01 năm đến 03 năm?")
    lead, *items = result.short.split("\n")
    assert lead.startswith("1. Người nào vi phạm quy định về quản lý chất thải nguy hại") and lead.endswith("03 năm:")
    assert [item[:2] for item in items] == ["a)", "b)", "c)", "d)"] and items[0].startswith("a) Chôn, lấp")


def test_an_english_question_is_answered_in_the_documents_words(engine):
    result = answer(engine, "Which law must the education units follow when they spend state budget money?")
    assert result.short and "Luật Ngân sách" in result.short and result.confidence >= load_answer_model().threshold


@pytest.mark.parametrize(("question", "article", "gold"), [
    ("Hợp đồng lao động bắt đầu có hiệu lực từ lúc nào?", "hop-dong__1", "kể từ ngày hai bên giao kết"),
    # in English, through the glossary's legal terms (`labour contract`, `take effect`)
    ("When does a labour contract take effect?", "hop-dong__1", "kể từ ngày hai bên giao kết"),
    ("Cơ quan nào giúp Chính phủ quản lý việc sử dụng mật mã để bảo vệ bí mật công tác?", "hop-dong__4",
     "Ban Cơ yếu Chính phủ"),
    ("nguoi lao dong chua thanh nien duoc nghi hang nam bao nhieu ngay", "hop-dong__5", "14 ngày làm việc"),
    # the agency whose duties the article's title lists names the answer
    ("Bộ nào hướng dẫn, kiểm tra việc thực hiện chế độ tiền lương đối với công chức?", "hop-dong__7", "Bộ Nội vụ"),
    # the penalty of the clause whose case the question names, not of the article's first clause
    ("Vi phạm quy định về an toàn lao động có tổ chức thì bị phạt tù từ bao lâu đến bao lâu?", "hop-dong__8",
     "từ 03 năm đến 07 năm"),
    # a term's meaning, from the sentence that says what it is
    ('Định nghĩa của "Thời gian thử việc"?', "hop-dong__10", "Thời gian thử việc là khoảng thời gian"),
    # a long-named term: the sentence that says what it is, not another that names it whole
    ('Định nghĩa của "Người lao động làm việc theo hợp đồng khoán việc ngắn hạn tại hộ gia đình"?', "hop-dong__10",
     "tại hộ gia đình là người làm một công việc nhất định"),
    # a case whose clause's lead-in a chunk boundary left in the passage's heading
    ("Thải ra môi trường chất thải nguy hại có chứa chất phóng xạ vượt quy chuẩn thì bị phạt tù bao lâu?",
     "hop-dong__9", "phạt tù từ 01 năm đến 03 năm: b) Thải ra môi trường"),
])
def test_a_legal_article_question_is_answered_from_its_article(articles_engine, question, article, gold):
    result = answer(articles_engine, question)
    assert result.doc.endswith(f"{article}.txt") and gold in result.short, (result.short, result.reason)


@pytest.mark.parametrize(("question", "asks"), [
    ("Văn bản nào của tỉnh triển khai Nghị quyết 63-NQ/TU?", True),
    ("UBND tỉnh ban hành kế hoạch số mấy để thực hiện Nghị quyết 63-NQ/TU?", True),
    ("Which plans implement Conclusion 51-KL/TW?", True),
    ("Kế hoạch 43/KH-UBND thực hiện nghị quyết nào?", False),  # what the plan implements: the other way
    ("Nghị quyết 63-NQ/TU có mục tiêu gì?", False),
])
def test_a_question_for_the_plans_implementing_a_code_is_told_from_others(question, asks):
    asked = Question(question, question, Focus.NONE, None, (), (), (), tuple(find_codes(question)), False)
    assert asks_implementing_plan(asked) is asks
