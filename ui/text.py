"""Plain-text views for the terminal: a cited answer, a topic table."""

from __future__ import annotations

import textwrap

from search.answer import Answer, SupportingPassage
from search.topics import TopicResult

MARK_OPEN, MARK_CLOSE = "»", "«"
PASSAGE_CHARS = 700


def marked_passage(passage: SupportingPassage, open_mark: str = MARK_OPEN, close_mark: str = MARK_CLOSE) -> str:
    """The passage text with each answer sentence wrapped in marks."""
    return "".join(f"{open_mark}{text}{close_mark}" if is_answer else text for text, is_answer in passage.segments())


def answer_text(answer: Answer) -> str:
    lines = []
    if answer.short is None:
        lines.append("Không tìm thấy câu trả lời trong các văn bản đã lập chỉ mục." if not answer.passages else
                     "Không có câu nào trả lời rõ câu hỏi; xem các đoạn liên quan dưới đây.")
    else:
        lines += [f"Trả lời: {answer.short}", f"Nguồn: {answer.citation}"]
    lines += answer.notes
    if answer.generated:
        lines += ["", f"Tóm tắt do mô hình {answer.generated.model} viết từ các đoạn dưới đây: {answer.generated.text}"]
    if answer.references:
        lines += ["", "Văn bản mang hoặc dẫn chiếu số hiệu đã hỏi:"]
        lines += [f"  - {r.code}: {r.label} ({r.relation})" for r in answer.references]
    if answer.passages:
        lines += ["", f"Các đoạn liên quan (câu trả lời nằm giữa {MARK_OPEN} {MARK_CLOSE}):"]
    for rank, passage in enumerate(answer.passages, 1):
        lines.append(f"{rank}. {passage.hit.citation}")
        lines += textwrap.wrap(_clip(marked_passage(passage)), 100, initial_indent="   ", subsequent_indent="   ")
    return "\n".join(lines)


def topics_text(result: TopicResult) -> str:
    lines = [*result.notes]
    if not result.plans:
        lines.append(f"Không có văn bản nào đề cập rõ chủ đề “{result.topic}”.")
    else:
        lines.append(f"{len(result.plans)} văn bản đề cập chủ đề “{result.topic}”:")
    for rank, plan in enumerate(result.plans, 1):
        refs = f" [{'; '.join(plan.references)}]" if plan.references else ""
        lines.append(f"{rank}. {plan.label}{refs}  (điểm {plan.score:.2f}, {plan.matching_sections} mục phù hợp)")
        for hit in plan.evidence:
            lines.append(f"   - {hit.citation}: {_clip(' '.join(hit.text.split()), 200)}")
    if result.left_out:
        lines.append(f"({result.left_out} văn bản khác chỉ nhắc thoáng qua nên không được liệt kê.)")
    return "\n".join(lines)


def _clip(text: str, limit: int = PASSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
