"""Target extraction, pinned on sample 003's `II. MỤC TIÊU` (annotated by hand in data/targets_003.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.ingest import parse_file
from indexer.period import period_in
from indexer.sections import build_sections
from indexer.layout import Paragraph
from indexer.targets import extract_targets
from search.evaluate import score_targets
from tests.conftest import sample

ANNOTATIONS = Path(__file__).parent / "data" / "targets_003.jsonl"


def _annotations() -> list[dict]:
    return [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _targets_of(text: str):
    paragraphs, offset = [], 0
    for line in text.split("\n"):
        paragraphs.append(Paragraph(line, None, None, start=offset, end=offset + len(line)))
        offset += len(line) + 1
    return extract_targets("plan.txt", build_sections(paragraphs), None)


def test_sample_003_2021_2025_targets_are_extracted_with_their_years():
    parsed = parse_file(sample("003"), "003.txt")
    rows = [(t.comparator, t.value_text, t.unit, t.year_from, t.year_to)
            for t in parsed.targets if t.period == "2021 - 2025"]
    assert rows == [
        ("giảm", "10", "%", 2021, 2025), ("đạt", "300", "trường", 2021, 2025), ("đạt", "100", "%", 2021, 2025),
        ("đạt", "7", "%", 2021, 2025), ("đạt", "100", "%", 2021, 2025), ("đạt", "100", "%", 2021, 2025),
        ("ít nhất", "50", "%", 2021, 2025), ("đạt", "99,9", "%", 2021, 2025), ("đạt", "99,9", "%", 2021, 2025),
        ("đạt", "3", "mức độ", 2021, 2025), ("trên", "95", "%", 2021, 2025), ("trên", "99,9", "%", 2021, 2025),
        ("trên", "90", "%", 2021, 2025), ("trên", "97", "%", 2021, 2025), ("trên", "98", "%", 2021, 2025),
        ("đạt", "65", "%", 2021, 2025), ("đạt", "100", "%", 2021, 2025), ("đạt", "70", "%", 2021, 2025),
        ("trên", "93", "%", 2021, 2025), ("đạt", "100", "%", 2021, 2025), ("trên", "90", "%", 2021, 2025),
        ("từ … trở lên", "18", "%", 2021, 2025), ("đạt", "100", "%", 2021, 2025),
        ("tăng ít nhất", "3", "trường", 2021, 2025), ("tăng ít nhất", "1", "trường", 2021, 2025),
        ("tăng ít nhất", "1", "trường", 2021, 2025), ("ít nhất", "18", "trường", 2021, 2025),
    ]
    by_value = {(t.value_text, t.unit): t for t in parsed.targets if t.period == "2021 - 2025"}
    graduation = by_value[("97", "%")]
    assert graduation.indicator == "học sinh tốt nghiệp trung học phổ thông"
    assert graduation.levels == ["THPT"]
    assert graduation.section == "II. MỤC TIÊU › 1. Giai đoạn 2021 - 2025"
    assert parsed.text[graduation.start:graduation.end] == graduation.sentence
    assert by_value[("65", "%")].indicator == "tỷ lệ lao động qua đào tạo"
    assert by_value[("65", "%")].levels == ["GDNN"]
    assert by_value[("300", "trường")].indicator == "trường học đạt chuẩn quốc gia"


def test_every_annotated_target_of_sample_003_is_found_and_nothing_else():
    parsed = parse_file(sample("003"), "003_57e12f6a00bab054.txt")
    score = score_targets(parsed.targets, _annotations())
    assert (score.missed, score.extra) == ([], [])
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_the_score_counts_a_wrong_value_as_both_a_miss_and_an_extra():
    parsed = parse_file(sample("003"), "003_57e12f6a00bab054.txt")
    annotations = _annotations()
    annotations[0] = {**annotations[0], "value": 11}
    score = score_targets(parsed.targets, annotations)
    assert len(score.missed) == 1 and len(score.extra) == 1
    assert score.recall == 41 / 42


def test_a_report_of_past_results_states_no_targets():
    text = "Năm 2023, toàn tỉnh đã có 95% học sinh tốt nghiệp trung học phổ thông, 120 trường đạt chuẩn quốc gia."
    assert _targets_of(text) == []


def test_a_commitment_outside_a_goals_section_is_a_target_with_its_deadline():
    text = "III. NHIỆM VỤ\nPhấn đấu đến năm 2025 có ít nhất 45% trường mầm non đạt chuẩn quốc gia."
    [target] = _targets_of(text)
    assert (target.comparator, target.value, target.unit, target.period, target.year_to) == \
        ("ít nhất", 45.0, "%", "2025", 2025)
    assert target.levels == ["mầm non"]
    assert "trường mầm non đạt chuẩn quốc gia" in target.indicator


def test_ages_years_and_conditions_are_not_targets():
    text = ("II. MỤC TIÊU\n1. Giai đoạn 2021 - 2025\n"
            "- Ít nhất 18 trường tự chủ tài chính ở mức 30% chi thường xuyên; phổ cập giáo dục mầm non cho trẻ 5 tuổi.")
    [target] = _targets_of(text)
    assert (target.value, target.unit, target.period) == (18.0, "trường", "2021 - 2025")


def test_plan_periods():
    assert period_in("GIAI ĐOẠN 2021 - 2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030").text == "2021 - 2025, định hướng đến năm 2030"
    assert (period_in("năm học 2018 - 2019").start, period_in("năm học 2018 - 2019").end) == (2018, 2019)
    assert period_in("đến năm 2030").start is None
    assert period_in("trong độ tuổi 15 - 18") is None
