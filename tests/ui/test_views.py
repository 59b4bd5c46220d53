import re

from indexer.store import StoredSection
from search.answer import Answer, SupportingPassage
from search.engine import Hit
from search.service import PlanMatch
from ui.views import (answer_html, coverage_text, highlight, reader_html, removal_question_html, results_html,
                      topic_cards_html)


def _hit(text: str = "x", section_ordinal: int = 0, **fields) -> Hit:
    values = dict(doc="a.txt", title=None, number=None, section="", section_ordinal=section_ordinal, pages=[],
                  text=text, score=1.0, plan_note="", citation="Kế hoạch số 1/KH-UBND", chunk_id="c", lexical_rank=1,
                  dense_rank=None)
    return Hit(**(values | fields))


def _marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_document_text_is_escaped_and_query_words_marked():
    marked = highlight("<script>alert(1)</script> Giáo dục & đào tạo", "giao duc")
    assert "<script>" not in marked and "&lt;script&gt;" in marked
    assert "<mark>Giáo</mark> <mark>dục</mark> &amp; đào tạo" in marked


def test_a_question_without_diacritics_marks_only_the_words_it_contains():
    text = "Sở Tài chính bố trí số kinh phí; duy trì chất lượng, lương giáo viên; người bị bệnh"
    assert _marked(highlight(text, "so tai chinh")) == ["Sở", "Tài", "chính"]  # not `số`: alone, it is ambiguous
    assert _marked(highlight(text, "tri")) == []  # neither `trí` nor `trì`
    assert _marked(highlight(text, "chat luong")) == ["chất", "lượng"]  # a pair of the question: not `lương`
    assert _marked(highlight("Giao duc va dao tao", "giao duc")) == ["Giao", "duc"]  # a text without diacritics


def test_a_question_read_with_diacritics_marks_those_syllables():
    text = "Sở Tài chính bố trí số kinh phí; người bị bệnh"
    assert _marked(highlight(text, "số kinh phí")) == ["số", "kinh", "phí"]  # `Đã hiểu là: số kinh phí`
    assert _marked(highlight(text, "Sở nào bố trí kinh phí của các đơn vị và những gì")) == [
        "Sở", "bố", "trí", "kinh", "phí"]  # question and function words are never marked


def test_a_syllable_is_marked_where_it_makes_the_questions_word_not_inside_another_word():
    text = "Thực hiện theo quy định hiện hành; thiết thực; 29-NQ/TW và 51-KL/TW; cơ sở vật chất"
    assert _marked(highlight(text, "Sở nào thực hiện kế hoạch?")) == ["Thực", "hiện", "sở"]  # not `hiện hành`
    assert _marked(highlight(text, "51-KL/TW")) == ["51", "KL", "TW"]  # not the `TW` of 29-NQ/TW


def test_an_answer_shows_one_card_per_section_and_keeps_technical_details_collapsed():
    passages = [SupportingPassage(_hit("Sở Tài chính bố trí kinh phí.", 3), []),
                SupportingPassage(_hit("Bố trí kinh phí hằng năm.", 3), []),
                SupportingPassage(_hit("Sở Giáo dục chủ trì.", 4), [])]
    result = Answer("so nao bo tri kinh phi", None, None, passages, notes=["Đã hiểu là: sở nào bố trí kinh phí"],
                    details=["Tìm cả: kinh phí → ngân sách."])
    page = answer_html(result, ["mục 3", "mục 3", "mục 4"])
    assert page.count("class='hit'") == 2
    assert "<p class='note'>Đã hiểu là: sở nào bố trí kinh phí</p>" in page
    assert "<details class='tech'><summary>Chi tiết kỹ thuật</summary><ul><li>Tìm cả: kinh phí → ngân sách.</li>" in page


def test_the_reader_shows_a_long_run_in_heading_once():
    text = "a) Cụ thể hóa mục tiêu, nhiệm vụ thành các chương trình, đề án của tỉnh. Tiếp theo."
    section = StoredSection("a.txt", 0, "a) Cụ thể hóa mục tiêu, nhiệm vụ thành các chương trình, đề …", "", 2, 0,
                            len(text), None, None)
    page = reader_html([section], text)
    assert page.count("Cụ thể hóa mục tiêu") == 2  # in the outline, and once in the text
    assert "a) Cụ thể hóa mục tiêu, nhiệm vụ thành các chương trình, đề án của tỉnh." in page


def test_results_escape_citations_too():
    hit = _hit(doc="a<b>.txt", citation="<img src=x onerror=alert(1)>")
    page = results_html([hit], "x")
    assert "<img" not in page and "a&lt;b&gt;.txt" in page


def test_the_library_says_how_much_of_a_document_is_searchable_and_what_was_left_out():
    from indexer.coverage import Coverage
    from indexer.metadata import DocumentMeta
    from indexer.store import StoredDocument
    from ui.views import metadata_html

    coverage = Coverage(characters=1_000, indexed=850, removed={"header": 100, "signature": 50})
    stored = StoredDocument("qd.txt", "0" * 64, DocumentMeta(authority="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG"),
                            "", None, [], coverage)
    page = metadata_html(stored)
    assert ("Đã đưa vào tìm kiếm toàn bộ nội dung, trừ phần đầu văn bản (100 ký tự) và chữ ký (50 ký tự)"
            in page)
    assert "Thẩm quyền ban hành" in page and "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG" in page
    lossy = StoredDocument("bc.txt", "0" * 64, DocumentMeta(), "", None, [],
                           Coverage(characters=3_000, indexed=1_499, removed={"page": 1}))
    page = metadata_html(lossy)
    assert "Đã đưa vào tìm kiếm 49% nội dung (1.500 ký tự chưa tìm được), trừ số trang, đầu trang (1 ký tự)" in page
    assert "Lưu ý: chỉ tìm được 49% nội dung văn bản này" in page
    assert not re.search(r"chỉ mục|không tính", page)
    nearly = Coverage(characters=1_000, indexed=997)
    assert coverage_text(nearly) == "Đã đưa vào tìm kiếm 99% nội dung (3 ký tự chưa tìm được)"


def test_the_library_says_a_number_came_from_the_file_name():
    from indexer.metadata import DocumentMeta
    from indexer.store import StoredDocument
    from ui.views import metadata_html

    meta = DocumentMeta(number="150/KH-UBND", from_file_name=["number"])
    page = metadata_html(StoredDocument("ke-hoach-150-KH-UBND.pdf", "0" * 64, meta, "", None, []))
    assert "150/KH-UBND (phần đầu văn bản không đọc được số; lấy từ tên tệp)" in page


def _plan(**fields) -> PlanMatch:
    values = dict(doc="a.txt", label="Kế hoạch số 43/KH-UBND", title=None, number="43/KH-UBND", issuer=None,
                  date=None, province=None, locality=None, score=0.87, matching_sections=4, evidence=[])
    return PlanMatch(**(values | fields))


def test_topic_cards_say_how_many_sections_speak_of_the_topic_in_plain_words():
    cards = topic_cards_html([_plan(), _plan(matching_sections=0, references=["chính là văn bản 43/KH-UBND",
                                                                               "thực hiện 51-KL/TW"])], "x")
    assert "4 mục nói về chủ đề này" in cards and "0.87" not in cards and "điểm" not in cards
    assert "chính là văn bản 43/KH-UBND; thực hiện 51-KL/TW" in cards
    assert "0 mục" not in cards


def test_the_removal_question_names_the_plan_and_its_file_escaped():
    page = removal_question_html("Kế hoạch <b>số 1</b>", "tai-len/<x>.txt")
    assert page.startswith("<p class='confirm-question'>Xóa văn bản <b>Kế hoạch &lt;b&gt;số 1&lt;/b&gt;</b>?</p>")
    assert "tai-len/&lt;x&gt;.txt" in page


def test_a_topic_that_is_a_code_says_how_the_listed_plans_relate_to_it():
    from search.service import TopicResult
    from ui.views import topic_summary_html

    coded = topic_summary_html(TopicResult("51-KL/TW", [_plan(references=["thực hiện 51-KL/TW"]), _plan()], []))
    assert "2 văn bản</b> mang số hiệu này, thực hiện, căn cứ hoặc nhắc đến nó" in coded
    assert "đề cập chủ đề này" in topic_summary_html(TopicResult("xã hội học tập", [_plan()], []))
