from vietnamese.accents import Vocabulary
from vietnamese.normalize import analyze, clean_display, find_codes, fold, normalize_tone


def test_tone_placement_is_normalized_to_one_style():
    assert normalize_tone("hoà thuỷ uỷ ban khoẻ") == "hòa thủy ủy ban khỏe"
    assert normalize_tone("HOÀ") == "HÒA"
    assert normalize_tone("hòan qúy gìa") == "hoàn quý già"
    for unchanged in ("hoàn", "huỳnh", "khuỷu", "thuyền", "quý", "giữa", "của", "thuở"):
        assert normalize_tone(unchanged) == unchanged


def test_nfd_input_is_composed():
    decomposed = "gia\u0301o du\u0323c"
    assert normalize_tone(decomposed) == "giáo dục"
    assert analyze(decomposed).exact[:2] == ["giáo", "dục"]


def test_fold_strips_marks_and_d_stroke():
    assert fold("Giáo dục Đào tạo") == "giao duc dao tao"


def test_display_cleaning_collapses_odd_spaces_and_rejoins_codes():
    assert clean_display("Nghị quyết số 63- NQ/TU\u00a0ngày") == "Nghị quyết số 63-NQ/TU ngày"
    assert clean_display("hoà") == "hoà"  # display keeps the document's own tone placement


def test_document_codes_are_found_whole():
    text = "Kết luận số 51-KL/TW, Quyết định số 1895/QĐ-TTg và Thông tư 32/2020/TT-BGDĐT; năm 2021-2025"
    assert find_codes(text) == ["51-KL/TW", "1895/QĐ-TTg", "32/2020/TT-BGDĐT"]


def test_a_legislatures_laws_and_resolutions_are_codes_with_its_term():
    text = "Căn cứ Luật Giáo dục số 43/2019/QH14 và Nghị quyết số 03/2021/NQ-UBTVQH15 của Ủy ban Thường vụ Quốc hội"
    assert find_codes(text) == ["43/2019/QH14", "03/2021/NQ-UBTVQH15"]


def test_analyze_gives_exact_and_folded_tokens_with_bigrams_and_codes():
    tokens = analyze("Giáo dục 51-KL/TW đạt 90%")
    assert "giáo_dục" in tokens.exact and "giao_duc" in tokens.folded
    assert tokens.codes == ["51-kl/tw"]
    assert "phần" in tokens.exact and "tram" in tokens.folded  # '%' reads as 'phần trăm'


def test_scraps_of_ocr_with_a_codes_shape_are_not_codes():
    text = "Kế hoạch sá/§0/KH-UBND; giáo viên Tin học 14-Tin; Thông tư 32/2020/TT-BGDĐT; Quyết định 1895/QĐ-TTg"
    assert find_codes(text) == ["32/2020/TT-BGDĐT", "1895/QĐ-TTg"]


def test_a_question_phrase_gets_its_diacritics_back_as_questions_write_it():
    """`bảo` (bảo đảm, bảo hiểm) is written far more often than `bao` in what plans and laws state; `bao
    nhieu` is still `bao nhiêu`."""
    stated = "Đơn vị đã bảo đảm chi thường xuyên, được ký tối đa bảo hiểm cho người lao động."
    vocabulary = Vocabulary.of_corpus([stated] * 20)
    assert vocabulary.restore("don vi duoc ky toi da bao nhieu nguoi") == "đơn vị được ký tối đa bao nhiêu người"
