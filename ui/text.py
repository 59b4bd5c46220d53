"""Plain-text views for the terminal: a cited answer, a topic table, a target table, a lineage."""

from __future__ import annotations

import io
import re
import textwrap

from search.service import (BY_MEANING, Answer, LineageResult, PlanMatch, SupportingPassage, TargetRow, TopicResult,
                            display_date)

MARK_OPEN, MARK_CLOSE = "»", "«"
PASSAGE_CHARS = 700
# Control characters other than line feed and tab: a document's ESC sequences would otherwise drive the
# user's terminal (clear it, set its title, rewrite what was printed); C1 controls such as U+009B too.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    return _CONTROL.sub("", text)


class TerminalSafe(io.TextIOBase):
    """A text stream that writes through to another with control characters removed."""

    def __init__(self, stream: io.TextIOBase):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def marked_passage(passage: SupportingPassage, open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE) -> str:
    """The passage text with each answer sentence wrapped in marks."""
    return "".join(f"{open_mark}{text}{close_mark}" if is_answer else text for text, is_answer in passage.segments())


def answer_text(answer: Answer) -> str:
    lines = []
    if answer.short is None:
        lines.append(answer.reason or "Các văn bản đã lập chỉ mục không trả lời câu hỏi này.")
        if answer.passages:
            lines.append("Các đoạn dưới đây chỉ là những đoạn gần nhất, không phải câu trả lời.")
    else:
        lines += [f"Trả lời: {answer.short}", f"Nguồn: {answer.citation}"]
        if answer.plan_note:
            lines.append(f"       ({answer.plan_note})")
    lines += answer.notes + answer.details
    if answer.generated:
        lines += ["", f"Tóm tắt do mô hình {answer.generated.model} viết từ các đoạn dưới đây: {answer.generated.text}"]
    if answer.references:
        lines += ["", "Văn bản mang hoặc dẫn chiếu số hiệu đã hỏi:"]
        lines += [f"  - {r.target}: {r.label} ({r.relation})" for r in answer.references]
    if answer.passages:
        lines += ["", f"Các đoạn liên quan (câu trả lời nằm giữa {MARK_OPEN} {MARK_CLOSE}):"]
    for rank, passage in enumerate(answer.passages, 1):
        note = f" [{passage.hit.plan_note}]" if passage.hit.plan_note else ""
        lines.append(f"{rank}. {passage.hit.citation}{note}")
        lines += textwrap.wrap(_clip(_from_first_mark(marked_passage(passage))), 100, initial_indent="   ",
                               subsequent_indent="   ")
    return "\n".join(lines)


def sections_text(plan: PlanMatch) -> str:
    """`4 mục nói về chủ đề này`; for a plan found by meaning, its sections close to the topic and that none
    carries the topic's whole wording; nothing for a plan found only by the code it bears or cites."""
    if plan.found_by == BY_MEANING:
        return f"{plan.matching_sections} mục gần nghĩa với chủ đề (không mục nào dùng nguyên cụm từ này)"
    return f"{plan.matching_sections} mục nói về chủ đề này" if plan.matching_sections else ""


def topics_text(result: TopicResult) -> str:
    lines = [*result.notes, *result.details]
    if not result.plans:
        lines.append(f"Không có văn bản nào đề cập rõ chủ đề “{result.topic}”"
                     + ("." if result.mentions else "; không văn bản nào trong thư viện nhắc đến nó."))
    else:
        lines.append(f"{len(result.plans)} văn bản đề cập chủ đề “{result.topic}”:")
    for rank, plan in enumerate(result.plans, 1):
        refs = f" [{'; '.join(plan.references)}]" if plan.references else ""
        sections = f"  ({sections_text(plan)})" if sections_text(plan) else ""
        lines.append(f"{rank}. {plan.label}{refs}{sections}")
        for n, hit in enumerate(plan.evidence):
            lines.append(f"   - {hit.citation}: {_clip(' '.join(plan.evidence_sentence(n).split()), 200)}")
    if result.mentions:
        lines.append(f"\n{len(result.mentions)} văn bản chỉ nhắc đến chủ đề:")
        for plan in result.mentions:
            lines.append(f"- {plan.evidence[0].citation}: {_clip(' '.join(plan.evidence_sentence(0).split()), 200)}")
    return "\n".join(lines)


def targets_text(rows: list[TargetRow]) -> str:
    if not rows:
        return "Không có chỉ tiêu nào phù hợp."
    lines = [f"{len(rows)} chỉ tiêu:"]
    plan = None
    for row in rows:
        if row.plan != plan:
            plan = row.plan
            replaced = f" (đã bị thay thế bởi {'; '.join(row.replaced_by)})" if row.replaced_by else ""
            lines += ["", f"{plan}{replaced}"]
        t = row.target
        levels = f" [{', '.join(t.levels)}]" if t.levels else ""
        lines.append(f"  {t.period or '(không rõ giai đoạn)'}: {t.comparator} {t.value_text} {t.unit} · "
                     f"{_clip(t.indicator, 120)}{levels}")
        lines.append(f"      {row.citation}")
    return "\n".join(lines)


def lineage_text(result: LineageResult) -> str:
    lines = []
    if result.bearer:
        lines.append(f"{result.code} là văn bản đã lập chỉ mục: {result.bearer}")
    if len(result.dates) > 1:
        lines.append(f"{result.code} là số hiệu của {len(result.dates)} văn bản khác nhau: "
                     + "; ".join(f"ngày {display_date(d)}" for d in result.dates) + ".")
    if result.implementing:
        lines.append(f"{len(result.implementing)} văn bản thực hiện {result.code}:")
    else:
        lines.append(f"Không văn bản nào trong chỉ mục nói rằng mình thực hiện {result.code}.")
    for plan in result.implementing:
        lines.append(f"- {plan.label}{_which(result, plan.reaches)}")
        lines += [f"    {chain.via()}: {chain.text()}" for chain in plan.chains]
    if result.mentioning:
        lines += ["", f"Chỉ nhắc đến {result.code} (không nói là thực hiện):"]
        lines += [f"- {m.label}{_which(result, [m.date])}" for m in result.mentioning]
    return "\n".join(lines)


def _which(result: LineageResult, dates: list[str | None]) -> str:
    """Which of several documents sharing the code a plan means, or that its text does not say."""
    if len(result.dates) < 2:
        return ""
    if None in dates:
        return " (không ghi ngày văn bản: không xác định được là văn bản nào)"
    return " (văn bản ngày " + "; ".join(display_date(d) for d in dates) + ")"


def _from_first_mark(text: str, lead: int = 150) -> str:
    """The passage from a little before its first answer sentence, when that sentence would fall past the
    clip."""
    first = text.find(MARK_OPEN)
    if first < PASSAGE_CHARS - 200:
        return text
    return "… " + text[first - lead:].split(" ", 1)[-1]


def _clip(text: str, limit: int = PASSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
