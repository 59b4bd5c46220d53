"""What an official reads under an answer: each period's figure when a plan sets one per period, cards
that read every sentence of their passage once, no recipients list as evidence, and the plans themselves
when the question asks which plans address a topic."""

from indexer.boilerplate import RECIPIENTS, SIGNATURE, classify
from indexer.layout import Paragraph
from search.answer import AnswerSentence, answer, disjoint
from search.topic_request import topic_asked


def test_a_figure_set_for_two_periods_is_answered_for_each_labelled_when_no_period_is_asked(engine):
    result = answer(engine, "ty le hoc sinh tot nghiep THPT dat bao nhieu")
    assert result.short == ("Giai đoạn 2021 - 2025: Trên 97% học sinh tốt nghiệp trung học phổ thông; "
                            "giai đoạn 2026 - 2030: Trên 98% học sinh tốt nghiệp trung học phổ thông.")
    assert result.citation.endswith("mục II.1 (Giai đoạn 2021 - 2025) và mục II.2 (Giai đoạn 2026 - 2030)")
    marked = {p.hit.section.split(" › ")[-1]: [s.text for s in p.sentences] for p in result.passages[:2]}
    assert "Trên 98% học sinh tốt nghiệp trung học phổ thông." in marked["2. Giai đoạn 2026 - 2030"]


def test_a_question_naming_a_period_gets_that_period_only(engine):
    result = answer(engine, "đến năm 2030 tỷ lệ học sinh tốt nghiệp THPT đạt bao nhiêu")
    assert "98%" in result.short and "97%" not in result.short


def test_every_card_reads_its_passage_once_in_order(engine):
    """Marked sentences that overlap (a target's clause inside its sentence) once glued and repeated text:
    `…trung học phổ thông.Trên 95% thanh…`, `…lên 10%.phấn đấu 375 trường…`."""
    for question in ("ty le hoc sinh tot nghiep THPT dat bao nhieu", "bao nhiêu trường học đạt chuẩn quốc gia",
                     "tỷ lệ học sinh dân tộc thiểu số học ở trường phổ thông dân tộc nội trú"):
        for passage in answer(engine, question).passages:
            assert "".join(piece for piece, _ in passage.segments()) == passage.hit.text, question


def test_overlapping_marks_merge_into_one_span():
    text = "Một. Hai ba bốn. Năm."
    spans = [AnswerSentence(5, 16, "Hai ba bốn.", 0.9), AnswerSentence(9, 15, "ba bốn", 0.5),
             AnswerSentence(0, 4, "Một.", 0.4), AnswerSentence(14, 21, "ốn. Năm.", 0.3)]
    assert [(s.start, s.end, s.text) for s in disjoint(spans, text)] == [(0, 4, "Một."), (5, 21, "Hai ba bốn. Năm.")]


def _paragraphs(*lines: str) -> list[Paragraph]:
    return [Paragraph(line, None, None) for line in lines]


def test_a_recipients_list_whose_first_dash_was_lost_is_not_content():
    labels = classify(_paragraphs("Ủy ban nhân dân tỉnh yêu cầu các sở nghiêm túc tổ chức thực hiện Kế hoạch này./.",
                                  "Nơi nhận:", "Bộ Giáo dục và Đào tạo (b/c);", "- Thường trực Tỉnh ủy (b/c);",
                                  "- Lưu: VT, KGVX(NTH).", "TM. ỦY BAN NHÂN DÂN TỈNH", "Dương Xuân Huyên"))
    assert labels == [None, RECIPIENTS, RECIPIENTS, RECIPIENTS, RECIPIENTS, SIGNATURE, SIGNATURE]


def test_a_signer_that_ocr_merged_into_the_recipients_column_is_not_content():
    labels = classify(_paragraphs("Phối hợp làm tốt công tác tuyên truyền tới nhân dân về kế hoạch này./.",
                                  "Nơi nhận: TM. UBND HUYỆN", "- Thường trực HU. HĐND huyện, MTTQ huyện; KT. CHỦ TỊCH",
                                  "đoàn; Hội CCB huyện, Hội khuyến học huyện.;", "Bản điện tử:",
                                  "- UBND các xã, thị trấn;", "Tạ Việt Hùng", "PHỤ LỤC 1"))
    assert labels == [None] + [RECIPIENTS] * 5 + [SIGNATURE, None]


def test_no_card_shows_the_recipients_list(engine):
    for question in ("ke hoach 43/KH-UBND ban hanh ngay nao", "Thường trực Tỉnh ủy"):
        assert not any("(b/c)" in p.hit.text for p in answer(engine, question).passages), question


def test_which_plans_address_a_topic_is_read_as_a_topic():
    assert topic_asked("Những kế hoạch nào đề cập đến chuyển đổi số trong giáo dục?") == "chuyển đổi số trong giáo dục"
    assert topic_asked("ke hoach nao co noi dung ve kiem dinh chat luong giao duc") == "kiem dinh chat luong giao duc"
    assert topic_asked("Which plans address teacher training?") == "teacher training"
    assert topic_asked("Văn bản nào triển khai Kết luận 51-KL/TW?") is None  # a code: its lineage answers
    assert topic_asked("Sở nào bố trí kinh phí thực hiện kế hoạch?") is None
    assert topic_asked("Văn bản nào quy định thời hạn của hợp đồng lao động?") is None  # a fact, not a list


def test_which_plans_address_a_topic_is_answered_with_the_plans_and_their_evidence(engine):
    result = answer(engine, "Những kế hoạch nào đề cập đến phát triển đội ngũ nhà giáo?")
    assert result.topic == "phát triển đội ngũ nhà giáo"
    assert result.short.startswith(f"{result.short.split()[0]} văn bản đề cập chủ đề “phát triển đội ngũ nhà giáo”: ")
    assert int(result.short.split()[0]) >= 2
    assert all(p.sentences for p in result.passages)
    assert len({p.hit.doc for p in result.passages}) == len(result.passages)  # one card per plan


OCR_TABLE = """UBND HUYỆN HIỆP HÒA
TỔNG HỢP LỘ TRÌNH TRANG BỊ THIẾT BỊ DẠY TIN HỌC (Phụ lục 6a)
(Kèm theo Kế hoạch sãl/KH-UBND, ngày»#tháng 10 năm 2017 cua UBND huyện)
""" + "\n".join(f"| {n} |TiêuhọcHươngLâm{n % 3} | 43 | {n * 7} |}} KH-UBND | 2021-2022 | {n + 43} |" for n in range(1, 40))


def test_an_ocr_table_that_shares_a_code_with_the_question_is_not_a_card_above_the_plan(tmp_path, embedder):
    from indexer.build import build_index
    from runtime.settings import Settings
    from search.constraints import reads_as_text
    from search.engine import SearchEngine
    from tests.conftest import sample

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "phu-luc-quet.txt").write_text(OCR_TABLE, encoding="utf-8")
    (folder / "ke-hoach-43.txt").write_text(sample("003").read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index")
    build_index(folder, settings, show_progress=False, embedder=embedder)
    engine = SearchEngine(settings, embedder)

    hits = engine.search("Kế hoạch 43/KH-UBND", k=40)
    from_table = [n for n, hit in enumerate(hits) if hit.doc == "phu-luc-quet.txt"]
    assert from_table and all(not reads_as_text(hits[n].text) for n in from_table)
    assert min(from_table) > max(n for n, hit in enumerate(hits) if hit.doc == "ke-hoach-43.txt" and n < 30)
    assert not any(p.hit.doc == "phu-luc-quet.txt" for p in answer(engine, "kế hoạch 43/KH-UBND ban hành ngày nào").passages)
    assert engine.search("TiêuhọcHươngLâm1", k=3)[0].doc == "phu-luc-quet.txt"  # still found when nothing else matches


def test_prose_law_and_plans_read_as_text_and_ocr_tables_do_not():
    from search.constraints import reads_as_text

    assert reads_as_text("Trên 97% học sinh tốt nghiệp trung học phổ thông; 100% giáo viên đạt chuẩn.")
    assert reads_as_text("1. Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày và không quá 48 giờ.")
    assert not reads_as_text("TOng 604 . 198 27 27 43 604 80 8 10 13 310 70 10 _ 9 8 169 48 9 8 22 Tiing town huyen")
    assert not reads_as_text("tinh | chiếu | thông | quét| ¡in | tỉnh |chiếu| thông| quét| in | tỉnh chiếu |thông|")
