"""HTML views for the web app. Every piece of document text, metadata and user input is escaped before it
is shown; the only markup is the one built here."""

from __future__ import annotations

import html
from dataclasses import dataclass

from search.service import (Answer, AnswerSentence, Chain, Coverage, DocumentMeta, Hit, PlanLineage, PlanMatch,
                            StoredDocument, StoredSection, SupportingPassage, TargetRow, TopicResult, display_date,
                            marked_words)
from ui.text import sections_text


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def highlight(text: str, query: str) -> str:
    """Escape `text` and mark the words the query really contains (`search.marking`)."""
    return "".join(f"<mark>{esc(piece)}</mark>" if marked else esc(piece) for piece, marked in marked_words(text, query))


def login_html(enabled: bool, signed_in: bool, message: str) -> str:
    """The admin tab's login form (posted to the app's HTTP gate, `ui.gate`), or the logout button."""
    if not enabled:
        return ""
    note = f"<p class='note'>{esc(message)}</p>" if message else ""
    if signed_in:
        return (f"{note}<form method='post' action='admin/logout' class='admin-login'>Đã đăng nhập quản trị. "
                "<button type='submit'>Đăng xuất</button></form>")
    return (f"{note}<form method='post' action='admin/login' class='admin-login'><label>Mật khẩu quản trị "
            "<input type='password' name='password' autocomplete='current-password' required></label> "
            "<button type='submit'>Đăng nhập</button></form>")


def message_html(text: object, note: bool = False) -> str:
    """One line for the admin tab: what was done, or (a note) why it was refused."""
    return f"<p class='note'>{esc(text)}</p>" if note else f"<p>{esc(text)}</p>"


@dataclass
class UploadOutcome:
    """What became of one uploaded file, as the admin tab says it."""

    name: str  # as uploaded
    result: str  # `Đã thêm vào thư viện`, `Không thêm: …`
    plan: str = ""  # the plan it became, or the one already in the library that it duplicates, as cited
    detail: str = ""  # the reason, or what was indexed
    saved_as: str = ""  # the path in the documents folder, when saved


def upload_report_html(outcomes: list[UploadOutcome]) -> str:
    """One card per uploaded file: its name, then its result, plan, details and where it was saved, each
    line with its own label."""
    cards = []
    for outcome in outcomes:
        facts = [("Kết quả", outcome.result), ("Văn bản", outcome.plan), ("Chi tiết", outcome.detail),
                 ("Lưu thành", outcome.saved_as)]
        items = "".join(f"<li><span class='fact'>{esc(label)}:</span> {esc(value)}</li>" for label, value in facts
                        if value)
        cards.append(f"<div class='card upload-outcome'><div class='cite'>{esc(outcome.name)}</div>"
                     f"<ul class='facts'>{items}</ul></div>")
    return "".join(cards)


def removal_question_html(label: str, doc: str) -> str:
    """The question asked before a plan is deleted, naming it as cited and by its file."""
    return (f"<p class='confirm-question'>Xóa văn bản <b>{esc(label)}</b>?</p>"
            f"<p class='file'>Tệp: {esc(doc)}. Tệp sẽ bị xóa khỏi thư mục tài liệu và văn bản không còn tìm thấy "
            "được.</p>")


def marked_passage_html(passage: SupportingPassage, query: str) -> str:
    """The passage with its answer sentences in <mark class="answer"> and the query's words marked."""
    return "".join(f"<mark class='answer'>{highlight(text, query)}</mark>" if is_answer else highlight(text, query)
                   for text, is_answer in passage.segments())


def _card(rank: int, hit: Hit, body: str, section_text: str) -> str:
    context = (f"<details class='context'><summary>Xem toàn bộ mục trong văn bản</summary>"
               f"<div class='section-text'>{esc(section_text)}</div></details>") if section_text else ""
    note = f"<div class='plan-note'>{esc(hit.plan_note)}</div>" if hit.plan_note else ""
    return ("<div class='hit'>"
            f"<div class='cite'><span class='rank'>{rank}.</span> {esc(hit.citation)}</div>{note}"
            f"<div class='passage'>{body}</div>{context}"
            f"<div class='file'>Tệp: {esc(hit.doc)}</div></div>")


NOT_ANSWERED = "Các văn bản đã lập chỉ mục không trả lời câu hỏi này."


def answer_html(answer: Answer, section_texts: list[str], note: str = "") -> str:
    """The short answer with its citation, then a card per supporting section (one card per section: its
    best passage), then, collapsed, how the search read the question."""
    parts = notes_html([note, *answer.notes])
    if answer.short:
        parts.append("<div class='answer-box'><div class='label'>Trả lời</div>"
                     f"<div class='short'>{esc(answer.short)}</div>"
                     f"<div class='source'>Nguồn: {esc(answer.citation)}</div>"
                     + (f"<div class='plan-note'>{esc(answer.plan_note)}</div>" if answer.plan_note else "")
                     + "</div>")
    elif answer.passages:
        parts.append("<div class='answer-box none'><div class='label'>Chưa có câu trả lời</div>"
                     f"<div class='short'>{esc(answer.reason or NOT_ANSWERED)}</div>"
                     "<div class='source'>Các đoạn dưới đây chỉ là những đoạn gần nhất, không phải câu trả lời."
                     "</div></div>")
    else:
        return "".join(parts) + ("<p>Không tìm thấy đoạn văn phù hợp. Hãy thử diễn đạt khác, "
                                 "gõ đủ dấu hoặc bỏ bớt bộ lọc.</p>") + details_html(answer.details)
    if answer.generated:
        parts.append(f"<div class='generated'><div class='label'>Tóm tắt do mô hình {esc(answer.generated.model)} "
                     f"viết từ các đoạn dưới đây</div>{esc(answer.generated.text)}</div>")
    if answer.references:
        items = "".join(f"<li>{esc(r.label)} <span class='relation'>({esc(r.relation)} {esc(r.target)})</span></li>"
                        for r in answer.references)
        parts.append(f"<div class='references'><div class='label'>Văn bản mang hoặc dẫn chiếu số hiệu đã hỏi"
                     f"</div><ul>{items}</ul></div>")
    shown: set[tuple[str, int]] = set()
    for rank, (passage, section) in enumerate(zip(answer.passages, section_texts), 1):
        place = (passage.hit.doc, passage.hit.section_ordinal)
        if place in shown and not answer.generated:  # a summary's [n] markers count every passage
            continue
        shown.add(place)
        parts.append(_card(rank if answer.generated else len(shown), passage.hit,
                           marked_passage_html(passage, answer.read_as or answer.question), section))
    return "\n".join(parts) + details_html(answer.details)


def notes_html(notes: list[str]) -> list[str]:
    return [f"<p class='note'>{esc(n)}</p>" for n in notes if n]


def details_html(details: list[str]) -> str:
    """Technical details (query expansion, model, index build), collapsed under `Chi tiết kỹ thuật`."""
    if not details:
        return ""
    items = "".join(f"<li>{esc(d)}</li>" for d in details)
    return f"<details class='tech'><summary>Chi tiết kỹ thuật</summary><ul>{items}</ul></details>"


def results_html(hits: list[Hit], query: str, note: str = "") -> str:
    """Plain ranked passages, for the `/search` view."""
    parts = [f"<p class='note'>{esc(note)}</p>"] if note else []
    if not hits:
        return "".join(parts) + "<p>Không tìm thấy đoạn văn phù hợp. Hãy thử diễn đạt khác hoặc bỏ bớt bộ lọc.</p>"
    parts += [_card(rank, hit, highlight(hit.text, query), "") for rank, hit in enumerate(hits, 1)]
    return "\n".join(parts)


# How a plan relates to a code the topic names, in the words of `search.lineage`, as an official says it.
def references_text(plan: PlanMatch) -> str:
    """`thực hiện 51-KL/TW ngày 30/05/2019; chính là văn bản 43/KH-UBND`: how the plan relates to the codes
    the topic names."""
    return "; ".join(plan.references)


def plan_evidence_html(plan: PlanMatch, topic: str) -> str:
    refs = f"<div class='relation'>{esc(references_text(plan))}</div>" if plan.references else ""
    head = f"<h3>{esc(plan.label)}</h3>{refs}<p class='note'>{esc(sections_text(plan))}</p>"
    if not plan.evidence:
        return head + "<p>Văn bản này mang hoặc dẫn chiếu số hiệu đã hỏi; không có mục nào khác nói về chủ đề.</p>"
    cards = []
    for rank, hit in enumerate(plan.evidence, 1):
        start, end = plan.sentences[rank - 1]
        sentence = AnswerSentence(start, end, hit.text[start:end], plan.score)
        cards.append(_card(rank, hit, marked_passage_html(SupportingPassage(hit, [sentence]), topic), ""))
    return head + "\n".join(cards)


def topic_summary_html(result: TopicResult) -> str:
    """What was understood of the topic, how many plans address it and how many only mention it; how the
    search widened it, collapsed."""
    mentioned = f" {len(result.mentions)} văn bản khác chỉ nhắc đến (xem bên dưới)." if result.mentions else ""
    if not result.plans:
        counted = "Không có văn bản nào đề cập rõ chủ đề này." + (
            mentioned or " Không văn bản nào trong thư viện nhắc đến nó.")
    elif any(plan.references for plan in result.plans):  # the topic names a code: how each plan relates to it
        counted = f"<b>{len(result.plans)} văn bản</b> mang số hiệu này, thực hiện, căn cứ hoặc nhắc đến nó " \
                  "(mỗi dòng ghi rõ)." + mentioned
    else:
        counted = f"<b>{len(result.plans)} văn bản</b> đề cập chủ đề này." + mentioned
    return "".join(notes_html(result.notes)) + f"<p>{counted}</p>" + details_html(result.details)


def topic_mentions_html(result: TopicResult) -> str:
    """The second tier, collapsed: each plan that only mentions the topic, with its sentence and citation."""
    if not result.mentions:
        return ""
    cards = "".join(
        f"<div class='card'><div class='cite'>{esc(plan.label)}</div><div class='passage'>"
        f"{highlight(plan.evidence_sentence(0), result.read_as)}</div>"
        f"<div class='file evidence-cite'>{esc(plan.evidence[0].citation)}</div></div>" for plan in result.mentions)
    return (f"<details class='mentions'><summary>{len(result.mentions)} văn bản chỉ nhắc đến chủ đề này "
            f"(bấm để xem câu nhắc đến)</summary>{cards}</details>")


def topic_cards_html(plans: list[PlanMatch], read_as: str) -> str:
    """The topic table as stacked cards, for narrow screens: each plan with how many of its sections speak of
    the topic, its best matching sentence and citation, and its evidence a tap away."""
    cards = []
    for n, plan in enumerate(plans, 1):
        facts = " · ".join(part for part in (sections_text(plan), references_text(plan)) if part)
        best = (f"<div class='passage'>{highlight(plan.evidence_sentence(0), read_as)}</div>"
                f"<div class='file evidence-cite'>{esc(plan.evidence[0].citation)}</div>") if plan.evidence else ""
        cards.append(f"<div class='card'><div class='cite'><span class='rank'>{n}.</span> {esc(plan.label)}</div>"
                     f"<div class='relation'>{esc(facts)}</div>{best}<details class='context'><summary>Xem bằng "
                     f"chứng</summary>{plan_evidence_html(plan, read_as)}</details></div>")
    return f"<div class='phone-cards'>{''.join(cards)}</div>" if cards else ""


def library_cards_html(plans: list[tuple[str, str]]) -> str:
    """The library as stacked cards, for narrow screens: each plan named as a citation names it, with its
    period and status; (label, note) pairs in the library's order."""
    cards = [f"<div class='card'><div class='cite'><span class='rank'>{n}.</span> {esc(label)}</div>"
             + (f"<div class='plan-note'>{esc(note)}</div>" if note else "") + "</div>"
             for n, (label, note) in enumerate(plans, 1)]
    return (f"<div class='phone-cards'><p class='note'>{len(cards)} văn bản; chọn một văn bản ở ô dưới để đọc."
            f"</p>{''.join(cards)}</div>") if cards else ""


def target_cards_html(rows: list[TargetRow]) -> str:
    """The target table as stacked cards, for narrow screens: the figure, what it measures, its period and
    level, the plan's sentence and its citation."""
    cards = []
    for row in rows:
        t = row.target
        where = " · ".join(part for part in (t.period, ", ".join(t.levels), row.province) if part)
        cards.append(f"<div class='card'><div class='figure'>{esc(t.comparator)} {esc(t.value_text)} {esc(t.unit)}"
                     f"</div><div>{esc(t.indicator)}</div><div class='relation'>{esc(where)}</div>"
                     f"<details class='context'><summary>Câu gốc</summary><div class='passage'>"
                     f"<mark class='answer'>{esc(t.sentence)}</mark></div></details>"
                     f"<div class='file'>{esc(row.citation)}</div></div>")
    return f"<div class='phone-cards'>{''.join(cards)}</div>" if cards else ""


def stage_html(note: str) -> str:
    """The notice that search is by keywords only for now (a lexical generation), or nothing."""
    return f"<p class='stage-note' role='status'>{esc(note.replace('`', ''))}</p>" if note else ""


def metadata_html(stored: StoredDocument, plan_note: str = "") -> str:
    meta = stored.meta
    signer = ", ".join(part for part in (meta.signer, meta.signer_title) if part)
    rows = [("Tiêu đề", _sourced(meta, "title", meta.title)), ("Loại văn bản", meta.doc_type),
            ("Số hiệu", _sourced(meta, "number", meta.number)),
            ("Cơ quan ban hành", _sourced(meta, "issuer", meta.issuer)), ("Thẩm quyền ban hành", meta.authority),
            ("Người ký", signer), ("Địa danh", meta.place), ("Ngày", _sourced(meta, "date", display_date(meta.date))),
            ("Tỉnh/thành", meta.province), ("Huyện, thành phố, xã", _sourced(meta, "locality", meta.locality)),
            ("Giai đoạn, hiệu lực", plan_note),
            ("Thực hiện", ", ".join(meta.implements)), ("Căn cứ", ", ".join(meta.bases)),
            ("Thay thế", ", ".join(meta.replaces)), ("Sửa đổi, bổ sung", ", ".join(meta.amends)),
            ("Chỉ nhắc đến", ", ".join(meta.mentions)), ("Tìm kiếm", coverage_text(stored.coverage)),
            ("Số trang", stored.page_count), ("Tệp", stored.doc)]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows if v)
    warning = (f"<p class='note'>Lưu ý: chỉ tìm được {_percent(stored.coverage)} nội dung văn bản này; hãy đọc "
               "tệp gốc cho phần còn lại.</p>") if stored.coverage.low else ""
    return f"<table class='meta'>{body}</table>{warning}{details_html(stored.notes)}"


def _sourced(meta: DocumentMeta, name: str, value: str | None) -> str | None:
    """A field's value with where it was read when that was not the document's header."""
    if not value:
        return value
    if name in meta.from_sidecar:
        return f"{value} (từ tệp .meta.json)"
    if name in meta.from_text:
        return f"{value} ({'lấy từ câu mở đầu' if name == 'title' else 'đọc từ nội dung văn bản'})"
    if name in meta.from_file_name:
        return f"{value} (phần đầu văn bản không đọc được số; lấy từ tên tệp)"
    return value


_REMOVED_LABELS = {"header": "phần đầu văn bản", "title": "tiêu đề", "recipients": "nơi nhận",
                   "signature": "chữ ký", "page": "số trang, đầu trang", "web": "khung trang web"}


def coverage_text(coverage: Coverage) -> str:
    """`Đã đưa vào tìm kiếm toàn bộ nội dung, trừ phần đầu văn bản (105 ký tự) và chữ ký (51 ký tự)`, or
    `… 98% nội dung (120 ký tự chưa tìm được), …`: how much of the text search reaches, and what was left out
    on purpose."""
    share = "toàn bộ nội dung" if coverage.lost <= 0 else (
        f"{_percent(coverage)} nội dung ({_count(coverage.lost)} ký tự chưa tìm được)")
    removed = [f"{_REMOVED_LABELS.get(rule, rule)} ({_count(n)} ký tự)" for rule, n in coverage.removed.items() if n]
    return f"Đã đưa vào tìm kiếm {share}" + (f", trừ {_listed(removed)}" if removed else "")


def _percent(coverage: Coverage) -> str:
    """The share of the text in passages, rounded down: 99.6% is `99%`, never `100%` with some text lost."""
    return f"{int(coverage.ratio * 100)}%"


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _listed(items: list[str]) -> str:
    """`a`, `a và b`, `a, b và c`."""
    return " và ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def lineage_html(ancestors: list[Chain], descendants: list[PlanLineage]) -> str:
    """A plan's place in the chain of implementation: what it implements, up to the top, and which indexed
    plans implement it."""
    up = "".join(f"<li>{esc(chain.text())}</li>" for chain in ancestors) or \
        "<li class='note'>Văn bản không nêu văn bản cấp trên nào mà nó thực hiện.</li>"
    down = "".join(f"<li>{esc(plan.label)} <span class='relation'>({esc(plan.chains[0].via())})</span></li>"
                   for plan in descendants) or "<li class='note'>Chưa có văn bản nào trong thư viện thực hiện văn bản này.</li>"
    return (f"<div class='lineage'><div class='label'>Văn bản cấp trên (văn bản này thực hiện)</div><ul>{up}</ul>"
            f"<div class='label'>Văn bản cấp dưới (thực hiện văn bản này)</div><ul>{down}</ul></div>")


def target_sentence_html(row: TargetRow, section_text: str, section_start: int) -> str:
    """The sentence that states a target, marked inside its whole section, under its citation."""
    t = row.target
    start, end = t.start - section_start, t.end - section_start
    if 0 <= start <= end <= len(section_text):
        body = (f"{esc(section_text[:start])}<mark class='answer'>{esc(section_text[start:end])}</mark>"
                f"{esc(section_text[end:])}")
    else:
        body = f"<mark class='answer'>{esc(t.sentence)}</mark>"
    replaced = (f"<p class='note'>Văn bản này đã bị thay thế bởi {esc('; '.join(row.replaced_by))}.</p>"
                if row.replaced_by else "")
    return (f"<div class='hit'><div class='cite'>{esc(row.citation)}</div>{replaced}"
            f"<p><b>{esc(t.comparator)} {esc(t.value_text)} {esc(t.unit)}</b> · {esc(t.indicator)}"
            f"{' · ' + esc(t.period) if t.period else ''}</p>"
            f"<div class='section-text'>{body}</div></div>")


def reader_html(sections: list[StoredSection], text: str) -> str:
    """The plan's outline (linked) followed by its text, section by section."""
    outline, body = [], []
    for section in sections:
        anchor = f"muc-{section.ordinal}"
        indent = max(section.level - 1, 0)
        if section.heading:
            outline.append(f"<li style='margin-left:{indent * 1.2}em'><a href='#{anchor}'>{esc(section.heading)}</a></li>")
        content = text[section.start:section.end]
        run_in = section.heading.rstrip("…").rstrip()  # a long heading is cut short; its paragraph holds it
        if section.heading and content.startswith(section.heading):
            heading, shown = f"<h4 id='{anchor}'>{esc(section.heading)}</h4>", esc(content[len(section.heading):].strip())
        elif section.heading.endswith("…") and content.startswith(run_in):
            heading, shown = f"<a id='{anchor}'></a>", esc(content.strip())
        else:
            heading = f"<h4 id='{anchor}'>{esc(section.heading)}</h4>" if section.heading else f"<a id='{anchor}'></a>"
            shown = esc(content.strip())
        pages = f"<span class='file'> (tr. {section.page_start})</span>" if section.page_start else ""
        body.append(f"<section class='reader-section'>{heading}{pages}<div class='section-text'>{shown}</div></section>")
    return (f"<div class='outline'><div class='label'>Mục lục</div><ul>{''.join(outline)}</ul></div>"
            f"<div class='reader'>{''.join(body)}</div>")


CSS = """
.hit {border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; margin: 8px 0;}
.cite {font-weight: 600; margin-bottom: 6px;}
.rank {color: #57606a;}
.passage, .section-text {white-space: pre-line; line-height: 1.55;}
.passage mark, .section-text mark {background: #fff3a3; padding: 0;}
mark.answer {background: #d4f0d4; padding: 1px 0;}
mark.answer mark {background: #b6e3a8; font-weight: 600;}
.answer-box {border-left: 5px solid #2da44e; background: #f0fff4; padding: 10px 14px; margin: 6px 0 12px;}
.answer-box.none {border-left-color: #bf8700; background: #fff8e5;}
.stage-note {border-left: 5px solid #bf8700; background: #fff8e5; padding: 8px 12px; margin: 4px 0;}
.answer-box .short {font-size: 1.1em; margin: 4px 0; white-space: pre-line;}
.label {font-size: 0.8em; text-transform: uppercase; color: #57606a; letter-spacing: .04em;}
.source {color: #24292f; font-style: italic;}
.generated, .references {border: 1px dashed #8c959f; padding: 8px 12px; margin: 8px 0;}
.relation {color: #57606a; font-size: 0.9em;}
.plan-note {color: #57606a; font-size: 0.85em; margin: -4px 0 6px;}
.lineage ul {margin: 4px 0 10px;}
.file, .note {color: #57606a; font-size: 0.85em;}
details.context {margin-top: 6px;} details.context summary {cursor: pointer; color: #0969da;}
details.context summary, details.tech summary {min-height: 44px; display: flex; align-items: center;}
table.meta th {text-align: left; padding-right: 12px; vertical-align: top; white-space: nowrap;}
.outline ul {list-style: none; padding-left: 0;}
.reader-section h4 {margin: 14px 0 4px;}
details.tech {margin: 10px 0; color: #57606a; font-size: 0.85em;}
details.tech summary {cursor: pointer;}
details.mentions {margin: 12px 0;}
details.mentions summary {cursor: pointer; color: #0969da; min-height: 44px; display: flex; align-items: center;}
.card {border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin: 8px 0;}
.card .figure {font-size: 1.15em; font-weight: 600;}
.phone-cards {display: none;}
.upload-outcome ul.facts {list-style: none; padding-left: 0; margin: 4px 0 0;}
.upload-outcome .fact {color: #57606a;}
#remove-confirm {border: 2px solid #cf222e; border-radius: 8px; padding: 10px 12px;}
.confirm-question {font-size: 1.05em; margin: 0 0 4px;}
.admin-login button {min-height: 44px; padding: 0 14px;}
.table-wrap, .table-wrap th, .table-wrap td, .table-wrap span, [role=columnheader], [role=gridcell] {
  font-family: var(--font) !important;}
[role=columnheader] span {word-break: normal !important; overflow-wrap: normal !important; hyphens: none;}
@media (max-width: 640px) {
  #topic-table, #target-table, #library-table, #evidence, #target-sentence {display: none !important;}
  .phone-cards {display: block;}
  .tab-container button {padding-left: 8px !important; padding-right: 8px !important; font-size: 14px !important;}
  button, summary, .label-wrap, .gallery-item, .admin-login input {min-height: 44px !important;}
  textarea, .wrap-inner {min-height: 44px !important; box-sizing: border-box;}
  .wrap-inner input {text-overflow: ellipsis; padding-right: 28px;}
  .label-wrap {align-items: center !important;}
  .outline a {display: flex; align-items: center; min-height: 44px; text-align: start;}
  #admin-files a {display: inline-flex; align-items: center; min-height: 44px;}
  .hit, .card {padding: 8px 10px;}
  table.meta, table.meta tbody, table.meta tr, table.meta th, table.meta td {display: block; white-space: normal;}
  table.meta td {overflow-wrap: anywhere; margin-bottom: 6px;}
  table.meta th, table.meta td {border: none !important; padding: 0 !important; background: none !important;}
  table.meta th {color: #57606a; font-size: 0.85em;}
}
"""
