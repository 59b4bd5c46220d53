"""Re-joining the hard line breaks of extracted text into paragraphs."""

from indexer.extract.records import Page
from indexer.layout import paragraphs_from_pages
from vietnamese.sentences import sentence_spans


def paragraphs(text: str) -> list[str]:
    return [p.text for p in paragraphs_from_pages([Page(1, text)])]


def test_a_line_ending_on_a_word_no_sentence_ends_on_runs_on():
    text = "3. Sở Tài chính\nChủ trì, phối hợp với Sở\nGiáo dục và Đào tạo tham mưu bố trí kinh phí."
    assert paragraphs(text) == ["3. Sở Tài chính", "Chủ trì, phối hợp với Sở Giáo dục và Đào tạo tham mưu bố trí kinh phí."]


def test_lowercase_and_comma_continuations_join_but_headings_and_bullets_do_not():
    text = "a) Mục tiêu chung\nNâng cao chất lượng,\nhiệu quả giáo dục\nvà đào tạo.\n- Trên 98% học sinh tốt nghiệp."
    assert paragraphs(text) == ["a) Mục tiêu chung", "Nâng cao chất lượng, hiệu quả giáo dục và đào tạo.",
                                "- Trên 98% học sinh tốt nghiệp."]


def test_sentences_and_list_items_stay_whole():
    text = "Có 1.715 đảng viên (52,19%). Sáp nhập từ tháng 3/2024;\n- Trên 98% học sinh"
    assert [text[a:b].strip() for a, b in sentence_spans(text)] == [
        "Có 1.715 đảng viên (52,19%).", "Sáp nhập từ tháng 3/2024;", "- Trên 98% học sinh"]
