"""Extractive answers: the sentence that answers, with a citation an official can paste into a report."""

import pytest

from vietnamese.normalize import fold
from indexer.sections import split_marker
from search.answer import answer
from search.constraints import counts_in, focus_match
from search.question import Focus, understand
from search.evaluate import evaluate, has_gold, load_queries
from tests.conftest import SHARED

DEV = SHARED / "eval"


def test_the_department_that_funds_the_plan_is_cited_by_section(engine):
    result = answer(engine, "Sở nào chịu trách nhiệm bố trí kinh phí?")
    assert "bố trí nguồn kinh phí thực hiện Kế hoạch" in result.short
    assert result.citation == "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn, mục IV.3 (Sở Tài chính)"


def test_a_question_about_a_rate_is_answered_with_the_figure(engine):
    result = answer(engine, "tỷ lệ học sinh tốt nghiệp trung học phổ thông giai đoạn 2026 - 2030")
    assert result.focus is Focus.QUANTITY
    assert "98%" in result.short
    assert "mục II.2 (Giai đoạn 2026 - 2030)" in result.citation


def test_a_question_about_when_is_answered_with_the_date(engine):
    result = answer(engine, "trung tâm hướng nghiệp tin học ngoại ngữ sáp nhập từ khi nào")
    assert result.focus is Focus.TIME
    assert "tháng 3/2024" in result.short


def test_a_question_without_diacritics_gets_the_same_answer(engine):
    question = "Sở Nội vụ tham mưu biên chế cho ngành giáo dục"
    folded, typed = answer(engine, fold(question)).short, answer(engine, question).short
    assert folded and typed and (folded.startswith(typed) or typed.startswith(folded))  # the sentence, or its paragraph


def test_answer_sentences_are_marked_inside_their_passages(engine):
    result = answer(engine, "nhiệm vụ của Sở Nội vụ về biên chế ngành giáo dục")
    assert result.passages and result.passages[0].sentences
    for passage in result.passages:
        for sentence in passage.sentences:
            assert passage.hit.text[sentence.start:sentence.end].strip() == sentence.text
    assert result.short.startswith("Sở Nội vụ: Chủ trì, phối hợp tham mưu UBND tỉnh về biên chế cho ngành giáo dục.")
    assert result.citation.endswith("mục IV.4 (Sở Nội vụ)")


def test_a_question_naming_a_code_lists_the_plans_that_cite_it(engine):
    result = answer(engine, "Kết luận 51-KL/TW được thực hiện thế nào")
    citing = {r.doc[:3]: r.relation for r in result.references}
    assert citing == {"000": "nhắc đến", "001": "thực hiện", "002": "nhắc đến"}
    assert "51-KL/TW" in result.short


def test_nothing_to_answer_says_so(engine):
    result = answer(engine, "   ")
    assert result.short is None and result.passages == [] and result.reason
    assert answer(engine, "x" * 2000).notes[0].startswith("Câu hỏi dài đã được rút gọn")


@pytest.mark.parametrize(("question", "focus"), [
    ("bao nhiêu phần trăm giáo viên đạt chuẩn", Focus.QUANTITY), ("ty le hoc sinh bo hoc", Focus.QUANTITY),
    ("sáp nhập từ khi nào", Focus.TIME), ("giai đoạn nào", Focus.TIME),
    ("Sở nào chủ trì", Focus.AGENCY), ("co quan nao phu trach", Focus.AGENCY),
    ("nâng cao chất lượng giáo dục", Focus.NONE),
    ("cấp giấy chứng nhận giám định quyền tác giả trong bao lâu", Focus.QUANTITY),
    ("hỗ trợ tiền thuê nhà tối đa mấy tháng", Focus.QUANTITY),
    ("Ai là Trưởng ban Chỉ đạo", Focus.PERSON), ("trưởng ban chỉ đạo là ai", Focus.PERSON),
])
def test_question_focus(engine, question, focus):
    assert understand(engine.parse(question)).focus is focus


def test_a_year_inside_a_code_is_not_the_period_asked_and_copyright_is_not_an_author(engine):
    assert understand(engine.parse("Quyết định 08/2022/QĐ-TTg có hiệu lực từ ngày nào?")).years is None
    assert understand(engine.parse("kế hoạch năm 2022 số 43/KH-UBND")).years == (2022, 2022)
    assert understand(engine.parse("giám định quyền tác giả")).document_fact is None


def test_a_figure_asked_in_a_unit_must_be_given_in_that_unit(engine):
    assert understand(engine.parse("Trong bao nhiêu ngày làm việc thì cấp giấy chứng nhận")).measure == "ngày"
    assert understand(engine.parse("bao nhieu phan tram giao vien dat chuan")).measure == "phần trăm"
    assert understand(engine.parse("tỷ lệ là bao nhiêu")).measure is None
    assert counts_in("Trong thời hạn 08 ngày làm việc kể từ ngày nhận đủ hồ sơ", "ngày")
    assert counts_in("đạt 52,19% đảng viên", "phần trăm") and counts_in("tối đa 3 tháng", "tháng")
    assert not counts_in("thuộc phạm vi quản lý từ 02 tỉnh, thành phố trở lên", "ngày")


def test_focus_matches_figures_dates_and_agencies():
    assert focus_match(Focus.QUANTITY, "đạt 52,19% đảng viên") == 1.0
    assert focus_match(Focus.QUANTITY, "có 1.715 người") == 0.5
    assert focus_match(Focus.QUANTITY, "nâng cao chất lượng") == 0.0
    assert focus_match(Focus.TIME, "từ tháng 3/2024 sáp nhập") == 1.0
    assert focus_match(Focus.AGENCY, "Chủ trì, tham mưu", heading="Sở Tài chính") == 1.0
    assert focus_match(Focus.AGENCY, "phối hợp với Sở Giáo dục và Đào tạo") == 0.5


def test_a_gold_list_written_one_item_per_line_is_found_in_an_answer_that_runs_it_on():
    gold = ["a) Kết hôn: nghỉ 03 ngày;\n\nb) Con đẻ kết hôn: nghỉ 01 ngày."]
    assert has_gold("Trong trường hợp sau đây: a) Kết hôn: nghỉ 03 ngày; b) Con đẻ kết hôn: nghỉ 01 ngày.", gold)
    assert not has_gold("a) Kết hôn: nghỉ 03 ngày;", gold)


@pytest.mark.skipif(not DEV.is_dir(), reason="shared/eval is not beside the repository")
def test_short_answers_contain_the_gold_string_for_most_dev_queries(engine):
    good, judged = evaluate(engine, load_queries(DEV / "dev_queries.jsonl")).answer_counts()
    assert judged >= 14 and good >= 12


def test_a_figure_is_answered_for_the_period_the_question_names(engine):
    """Sample 003 sets 97% for 2021-2025 and 98% for 2026-2030: the period named, or a year inside it,
    picks the figure."""
    for question, figure, section in [
        ("tỷ lệ học sinh tốt nghiệp THPT giai đoạn 2021-2025 là bao nhiêu", "97%", "mục II.1"),
        ("tỷ lệ học sinh tốt nghiệp THPT giai đoạn 2026-2030 là bao nhiêu", "98%", "mục II.2"),
        ("Năm 2028 Lạng Sơn đặt mục tiêu bao nhiêu phần trăm học sinh tốt nghiệp trung học phổ thông?", "98%", "mục II.2"),
        ("nam 2023 ty le hoc sinh tot nghiep THPT cua Lang Son la bao nhieu", "97%", "mục II.1"),
    ]:
        result = answer(engine, question)
        assert result.short and figure in result.short, question
        assert section in result.citation, question


def test_an_agency_duty_is_answered_from_that_agencys_section(engine):
    result = answer(engine, "Sở Lao động - Thương binh và Xã hội phối hợp với ngành giáo dục làm gì?")
    assert result.short.startswith("Sở Lao động - Thương binh và Xã hội: Phối hợp với ngành giáo dục")
    assert "mục IV.5" in result.citation


def test_a_province_no_document_covers_is_not_answered(engine):
    result = answer(engine, "Tỉnh Cao Bằng đặt mục tiêu bao nhiêu phần trăm học sinh tốt nghiệp THPT?")
    assert result.short is None and result.citation is None
    assert result.reason.endswith("không văn bản nào nhắc đến Cao Bằng.")  # all of them, not the first one's name
    assert result.passages, "the closest passages are still shown as related"
    mixed = answer(engine, "Tỉnh Lạng Sơn đặt chỉ tiêu bao nhiêu trường đạt chuẩn ở Hạ Long?")
    assert mixed.short is None and "không văn bản nào" not in mixed.reason  # each place is named by one plan


def test_a_figure_no_plan_gives_is_not_answered(engine):
    result = answer(engine, "Lạng Sơn chi bao nhiêu tỷ đồng cho kho học liệu mở?")
    assert result.short is None
    assert "không nêu số tỷ" in result.reason or "không nêu con số được hỏi" in result.reason
    assert result.to_json()["short_answer"] is None and result.to_json()["reason"]


def test_a_year_no_plan_covers_is_not_answered(engine):
    result = answer(engine, "nam hoc 2023-2024 so GD&DT Gia Lai da hoan thanh nhung nhiem vu nao")
    assert result.short is None and "2023 - 2024" in result.reason


def test_a_preamble_is_not_an_answer(engine):
    result = answer(engine, "UBND tỉnh Lạng Sơn ban hành kế hoạch thực hiện Nghị quyết 63-NQ/TU để làm gì")
    assert not (result.short or "").startswith("Thực hiện Nghị quyết số 63-NQ/TU")


def test_a_documents_own_date_and_signer_come_from_its_header_and_signature(engine):
    dated = answer(engine, "Kế hoạch 43/KH-UBND được ban hành ngày nào?")
    assert dated.short == "Ngày 23 tháng 02 năm 2022" and dated.doc.startswith("003")
    signed = answer(engine, "Ai ký Kế hoạch 43/KH-UBND?")
    assert signed.short.startswith("Dương Xuân Huyên")


TWO_PERIODS = """ỦY BAN NHÂN DÂN
TỈNH CAO BẰNG
Số: 12/KH-UBND
Cao Bằng, ngày 10 tháng 3 năm 2023
KẾ HOẠCH
Phát triển giáo dục mầm non giai đoạn 2023 - 2030
I. MỤC TIÊU
Tỷ lệ huy động trẻ mẫu giáo đến trường đạt 95% vào năm 2025, đạt 98% vào năm 2030.
Phấn đấu 100% trường mầm non có bếp ăn bán trú vào năm 2027.
II. TỔ CHỨC THỰC HIỆN
1. Sở Giáo dục và Đào tạo
Chủ trì hướng dẫn, kiểm tra việc thực hiện Kế hoạch.
"""


@pytest.fixture(scope="module")
def two_period_engine(tmp_path_factory, embedder):
    from indexer.build import build_index
    from runtime.settings import Settings
    from search.engine import SearchEngine

    corpus = tmp_path_factory.mktemp("two-periods")
    (corpus / "ke-hoach-12.txt").write_text(TWO_PERIODS, encoding="utf-8")
    settings = Settings(index_dir=tmp_path_factory.mktemp("two-periods-index"))
    build_index(corpus, settings, show_progress=False, embedder=embedder)
    return SearchEngine(settings, embedder)


@pytest.mark.parametrize(("question", "figure"), [
    ("Năm 2028 tỷ lệ huy động trẻ mẫu giáo đến trường phải đạt bao nhiêu?", "Đến năm 2030: đạt 98% — "),
    ("ty le huy dong tre mau giao den truong nam 2024 la bao nhieu", "Đến năm 2025: đạt 95% — "),
    ("Năm 2031 tỷ lệ huy động trẻ mẫu giáo đến trường phải đạt bao nhiêu?", None),
])
def test_a_sentence_with_two_periods_answers_with_the_target_of_the_year_asked(two_period_engine, question, figure):
    """One sentence sets 95% by 2025 and 98% by 2030: the figure in force in the year asked comes first,
    then the sentence it is read from; a year after the plan gets no answer."""
    result = answer(two_period_engine, question)
    if figure is None:
        assert result.short is None and "2031" in result.reason
    else:
        assert result.short.startswith(figure), result.short
        assert result.short.endswith("đạt 95% vào năm 2025, đạt 98% vào năm 2030.")


def test_a_name_typed_in_lower_case_in_an_english_question_is_kept(engine):
    result = answer(engine, "how much priority does ha long give to education and training in its programmes?")
    assert result.doc.startswith("004") and "ưu tiên đi trước một bước" in result.short


def test_a_sentence_that_names_the_agency_asked_answers_under_another_agencys_heading(engine):
    result = answer(engine, "UBND huyện xây dựng kế hoạch cụ thể thực hiện Kết luận 51")
    opening = split_marker(result.short)[1]  # `1. ` kept: the answer runs over two numbered paragraphs
    assert result.doc.startswith("001") and opening.startswith("Uỷ ban nhân dân huyện xây dựng kế hoạch")


def test_the_agency_in_a_document_code_is_not_an_agency_asked_about(engine):
    result = answer(engine, "ke hoach 43/kh-ubnd cua lang son co nhung phu luc nao kem theo")
    assert result.short and "Phụ lục I, II, III" in result.short


def test_a_numbered_part_named_in_the_question_is_answered_with_what_it_says(engine):
    result = answer(engine, "Trong báo cáo của Đảng ủy Khối, Chương trình 5 có nội dung gì?")
    assert result.doc.startswith("000") and result.short.startswith("Chương trình 5: Đổi mới chính sách")
    costed = answer(engine, "Chương trình 5 của Đảng ủy Khối bố trí bao nhiêu tỷ đồng?")
    assert costed.short is None and ("con số" in costed.reason or "số tỷ" in costed.reason)


def test_quan_typed_without_diacritics_names_a_district_only_where_it_reads_quan(engine):
    """`quan triet nghi quyet` is `quán triệt nghị quyết`: no district `triet nghi` for a veto to miss."""
    asked = understand(engine.parse("ban thuong vu huyen uy xac dinh viec quan triet nghi quyet la nhiem vu gi"))
    assert asked.places == ()
    assert understand(engine.parse("huyen hiep hoa co bao nhieu truong")).places == ("hiep hoa",)
