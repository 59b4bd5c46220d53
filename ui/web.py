"""The Gradio web app: answers for officials, a topic table and a table of the plans' targets for
researchers, the library of indexed plans with their lineage, and (behind a password) adding and removing
plans. Its API endpoints `/search`, `/ask`, `/topics`, `/targets` and `/lineage` return JSON for
`gradio_client`."""

from __future__ import annotations

import atexit
import contextlib
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from indexer.build import FAILED, build_index
from indexer.config import Settings
from indexer.generations import IndexLocked
from indexer.models import describe
from indexer.normalize import fold
from search.answer import answer
from indexer.targets import LEVELS
from search.cite import display_date, document_label, shorten
from search.comparison import TargetFilters, TargetRow, target_rows, targets_csv
from search.engine import SearchEngine
from search.lineage import LineageGraph, asked_code
from search.query import MAX_INPUT_CHARS, MAX_QUERY_CHARS, Filters, InputTooLong, bounded_input
from search.spreadsheet import write_csv
from search.topics import plans_for_topic, topic_csv
from ui import admin
from ui.gate import AdminGate
from ui.views import (CSS, answer_html, esc, lineage_html, login_html, metadata_html, plan_evidence_html,
                      reader_html, target_cards_html, target_sentence_html, topic_cards_html, topic_summary_html)

EXAMPLES = [
    "Sở nào chịu trách nhiệm bố trí kinh phí thực hiện kế hoạch?",
    "tỷ lệ học sinh tốt nghiệp trung học phổ thông giai đoạn 2026 - 2030",
    "trung tam huong nghiep sap nhap tu khi nao",
    "51-KL/TW",
]
TOPIC_EXAMPLES = ["phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục", "chuyển đổi số", "xã hội học tập"]
TOPIC_COLUMNS = ["#", "Văn bản", "Cơ quan ban hành", "Ngày", "Điểm", "Số mục phù hợp", "Thực hiện hay nhắc đến",
                 "Câu phù hợp nhất"]
TARGET_COLUMNS = ["Văn bản", "Tỉnh/thành", "Chỉ tiêu", "Cấp học", "So sánh", "Giá trị", "Đơn vị", "Giai đoạn"]
ALL = "Tất cả"
# System fonts with complete Vietnamese coverage, none downloaded: Gradio's bundled Source Sans Pro semibold
# lacks some capitals and combining marks, which the browser then takes from another font.
FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Helvetica Neue", "Arial", "DejaVu Sans",
         "sans-serif"]
MONO_FONTS = ["ui-monospace", "Consolas", "Noto Sans Mono", "DejaVu Sans Mono", "monospace"]
# Run in the browser: the result regions announce their changes to screen readers.
ON_LOAD_JS = """() => {
  for (const [id, label] of [["answers", "Câu trả lời"], ["topic-summary", "Kết quả theo chủ đề"],
                             ["targets-summary", "Kết quả chỉ tiêu"]]) {
    const region = document.getElementById(id);
    if (region) { region.setAttribute("aria-live", "polite"); region.setAttribute("role", "region");
                  region.setAttribute("aria-label", label); }
  }
}"""


def scroll_to(elem_id: str) -> str:
    """Browser code that brings a result region into view (below the fold on a phone after Enter)."""
    return f"""() => {{ const region = document.getElementById("{elem_id}");
  if (region) region.scrollIntoView({{block: "start"}}); }}"""
LOGIN_MESSAGES = {"sai": "Sai mật khẩu quản trị.", "khoa": f"Đã nhập sai mật khẩu {admin.MAX_FAILURES} lần; hãy thử "
                  f"lại sau {admin.LOCKOUT_S // 60} phút.", "da-dang-xuat": "Đã đăng xuất."}
# Gradio keeps per-session state in memory, and every API call is a new session: its default capacity of
# 10,000 sessions let the server grow by about 110 MB per 1,000 calls (bench/load_web.py).
SESSION_CAPACITY = 300
CSV_MAX_AGE_S = 3600
# Gradio's own copies of served and uploaded files are deleted after an hour, checked every 10 minutes.
CACHE_CLEANUP = (600, 3600)


class AppState:
    """The live search engine; swapped for a fresh one over the new index generation after an upload."""

    def __init__(self, engine: SearchEngine, documents: Path):
        self.engine = engine
        self.documents = documents
        self._write = threading.Lock()

    def add(self, uploads: list[tuple[Path, str]]) -> tuple[list[admin.Saved], dict]:
        """Save uploaded files into the documents folder and index them: (what was saved, reports by doc).
        Refused before anything is saved while another change is being indexed."""
        with self._writing():
            saved = admin.save_uploads(self.documents, uploads)
            return saved, ({r.doc: r for r in self._reindex()} if any(s.doc for s in saved) else {})

    def remove(self, doc: str) -> None:
        with self._writing():
            admin.remove_document(self.documents, doc)
            self._reindex()

    def reindex(self) -> list:
        """Index the documents folder again (only changed files are read) and switch to the result."""
        with self._writing():
            return self._reindex()

    @contextlib.contextmanager
    def _writing(self):
        if not self._write.acquire(blocking=False):
            raise admin.AdminError("Đang cập nhật chỉ mục; hãy thử lại sau ít phút.")
        try:
            yield
        finally:
            self._write.release()

    def _reindex(self) -> list:
        try:
            report = build_index(self.documents, self.engine.settings, embedder=self.engine.embedder)
        except IndexLocked:
            raise admin.AdminError("Chỉ mục đang được cập nhật bởi một tiến trình khác; hãy thử lại sau.") from None
        self.engine = self.engine.reopened()
        return report.files

    def facets(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """Provinces, document types, issue years, and the years the plans' periods cover."""
        metas = [d.meta for d in self.engine.index.documents.values()]
        covered = {y for f in self.engine.index.doc_facets.values() for y in f.period_years}
        return (sorted({m.province for m in metas if m.province}), sorted({m.doc_type for m in metas if m.doc_type}),
                [str(y) for y in sorted({m.year for m in metas if m.year}, reverse=True)],
                [str(y) for y in sorted(covered)])


def model_line(settings: Settings) -> str:
    """What the embedding model does for Vietnamese, and why it is not the default when it is not."""
    return " ".join(part for part in (settings.model_note, describe(settings.model)) if part)


def bounded(text: str | None) -> str:
    """User input as the search may read it, checked on the server before any work: over
    MAX_INPUT_CHARS it is refused with a message (the browser's own limit can be bypassed)."""
    try:
        return bounded_input(text)
    except InputTooLong as error:
        raise gr.Error(str(error)) from None


def _chosen(value: object) -> object:
    return None if value in (None, "", ALL, 0, "0") else value


def filters_from(province: str | None, doc_type: str | None, year: str | int | None,
                 period: str | int | None = None, current: bool = False) -> Filters:
    return Filters(province=_chosen(province), doc_type=_chosen(doc_type),
                   year=int(_chosen(year)) if _chosen(year) else None,
                   period=int(_chosen(period)) if _chosen(period) else None, current=bool(current))


def target_filters_from(indicator: str | None, level: str | None, period: str | int | None,
                        province: str | None, current: bool = False) -> TargetFilters:
    return TargetFilters(indicator=bounded(indicator).strip()[:MAX_QUERY_CHARS] or None, level=_chosen(level),
                         period=int(_chosen(period)) if _chosen(period) else None, province=_chosen(province),
                         current=bool(current))


def build_app(state: AppState) -> gr.Blocks:
    provinces, types, years, period_years = state.facets()

    # --- API endpoints (JSON) -------------------------------------------------------------------------
    def search(question: str, province: str = "", doc_type: str = "", year: int = 0, k: int = 10) -> list[dict]:
        """Ranked passages with citations."""
        hits = state.engine.search(bounded(question), max(1, min(int(k), 50)), filters_from(province, doc_type, year))
        return [h.to_json() for h in hits]

    def ask(question: str, province: str = "", doc_type: str = "", year: int = 0, k: int = 5) -> dict:
        """The short answer, its citation, and the supporting passages with their answer sentences."""
        return answer(state.engine, bounded(question), filters_from(province, doc_type, year),
                      max(1, min(int(k), 20))).to_json()

    def topics(topic: str, province: str = "", doc_type: str = "", year: int = 0) -> dict:
        """The plans that address a topic (or cite a code), with evidence."""
        return plans_for_topic(state.engine, bounded(topic), filters_from(province, doc_type, year)).to_json()

    def targets(indicator: str = "", level: str = "", period: int = 0, province: str = "",
                current: bool = False) -> list[dict]:
        """The plans' quantitative targets, each cited to its sentence."""
        return [r.to_json() for r in _target_rows(indicator, level, period, province, current)]

    def lineage(code: str) -> dict:
        """The plans that implement a document code, directly or through other plans, and those that only
        mention it."""
        return LineageGraph(state.engine.index.documents).lineage(*asked_code(bounded(code)[:100])).to_json()

    def _target_rows(indicator, level, period, province, current) -> list[TargetRow]:
        return target_rows(state.engine.index, state.engine.lexicon,
                           target_filters_from(indicator, level, period, province, current))

    # --- views ----------------------------------------------------------------------------------------
    def ask_view(question: str, province: str, doc_type: str, year: str, period: str, current: bool) -> str:
        question = bounded(question)
        query = state.engine.parse(question)
        if query.empty:
            return "<p>Hãy nhập câu hỏi, ví dụ: <i>Sở nào bố trí kinh phí thực hiện kế hoạch?</i></p>"
        engine = state.engine
        result = answer(engine, question, filters_from(province, doc_type, year, period, current))
        sections = [engine.section_text(p.hit.doc, p.hit.section_ordinal) for p in result.passages]
        note = "Câu hỏi được tìm không phân biệt dấu." if query.typed_without_diacritics and not query.restored else ""
        return answer_html(result, sections, note)

    def topic_view(topic: str, province: str, doc_type: str, year: str, period: str, current: bool):
        result = plans_for_topic(state.engine, bounded(topic), filters_from(province, doc_type, year, period, current))
        rows = [[n, p.label, p.issuer or "", display_date(p.date), f"{p.score:.2f}", p.matching_sections,
                 "; ".join(p.references), shorten(p.evidence_sentence(0), 200) if p.evidence else ""]
                for n, p in enumerate(result.plans, 1)]
        evidence_pages = [plan_evidence_html(p, result.read_as) for p in result.plans]
        csv_path = _temporary_csv("van-ban-theo-chu-de", result.topic, topic_csv(result)) if result.plans else None
        return (topic_summary_html(result), rows, topic_cards_html(result.plans, result.read_as),
                gr.update(value=csv_path, visible=csv_path is not None),
                evidence_pages[0] if evidence_pages else "", evidence_pages)

    def target_view(indicator: str, level: str, period: str, province: str, current: bool):
        rows = _target_rows(indicator, level, period, province, current)
        table = [[r.plan, r.province or "", r.target.indicator, ", ".join(r.target.levels), r.target.comparator,
                  r.target.value_text, r.target.unit, r.target.period or ""] for r in rows]
        plans = len({r.target.doc for r in rows})
        summary = f"**{len(rows)} chỉ tiêu** trong {plans} văn bản." if rows else "Không có chỉ tiêu nào phù hợp bộ lọc."
        csv_path = _temporary_csv("chi-tieu", indicator or "tat-ca", targets_csv(rows)) if rows else None
        return (summary, table, target_cards_html(rows), gr.update(value=csv_path, visible=csv_path is not None),
                _target_sentence(rows[0]) if rows else "", rows)

    def _target_sentence(row: TargetRow) -> str:
        index = state.engine.index
        section = index.store.section(row.target.doc, row.target.section_ordinal)
        text = state.engine.section_text(row.target.doc, row.target.section_ordinal)
        return target_sentence_html(row, text, section.start if section else 0)

    def target_sentence_view(rows: list[TargetRow] | None, event: gr.SelectData) -> str:
        row = _row(event)
        return _target_sentence(rows[row]) if rows and 0 <= row < len(rows) else ""

    def plan_view(evidence_pages: list[str] | None, event: gr.SelectData) -> str:
        row = _row(event)
        return evidence_pages[row] if evidence_pages and 0 <= row < len(evidence_pages) else ""

    def document_choices() -> list[tuple[str, str]]:
        """The plans to read, named as a citation names them (the file name says little on a phone)."""
        return [(shorten(document_label(d.meta), 100), doc) for doc, d in state.engine.index.documents.items()]

    def library_rows() -> list[list]:
        return [[d.doc, shorten(d.meta.title or "", 110), d.meta.number or "", d.meta.issuer_short or d.meta.issuer or "",
                 display_date(d.meta.date), d.meta.province or ""] for d in state.engine.index.documents.values()]

    def status_text() -> str:
        manifest = state.engine.index.manifest
        return (f"**{manifest.counts['documents']} văn bản, {manifest.counts['chunks']} đoạn** · cập nhật lúc "
                f"{manifest.created[:16].replace('T', ' ')}")

    def technical_text() -> str:
        """For whoever runs the service: the model and the index generation being served."""
        return (f"{model_line(state.engine.settings)}\n\nThế hệ chỉ mục đang dùng: "
                f"`{state.engine.index.generation.name}`.")

    def open_plan(doc: str | None) -> str:
        engine = state.engine
        stored = engine.index.store.document(doc or "")
        if stored is None:
            return "<p>Chọn một văn bản trong danh sách.</p>"
        graph = LineageGraph(engine.index.documents)
        return (metadata_html(stored, engine.index.plan_note(stored.doc))
                + lineage_html(graph.ancestors(stored.doc), graph.descendants(stored.doc))
                + reader_html(engine.index.store.sections(stored.doc), stored.text))

    def open_plan_from_row(event: gr.SelectData) -> tuple:
        """The clicked row's own file name, not its position: the page may list an older library."""
        doc = str(event.row_value[0]) if event.row_value else None
        if doc not in state.engine.index.documents:
            return gr.update(value=None), "<p>Văn bản này không còn trong chỉ mục; hãy tải lại trang.</p>"
        return gr.update(value=doc), open_plan(doc)

    def refreshed_library():
        """The library's table, status and every choice of documents and filters, from the live index: on
        each page load and after each upload or removal."""
        docs = list(state.engine.index.documents)
        provinces_, types_, years_, periods_ = state.facets()
        provinces_update, periods_update = gr.update(choices=[ALL, *provinces_]), gr.update(choices=[ALL, *periods_])
        return (status_text(), technical_text(), library_rows(), gr.update(choices=document_choices(), value=None),
                gr.update(choices=docs, value=None),
                provinces_update, gr.update(choices=[ALL, *types_]), gr.update(choices=[ALL, *years_]), periods_update,
                provinces_update, periods_update)

    def admin_panel(request: gr.Request) -> tuple:
        """The admin tab as this visitor may use it: the login form, or the controls once logged in."""
        signed_in = admin.SESSIONS.valid(_session(request))
        outcome = (request.query_params.get("quan-tri") if request is not None else None) or ""
        controls = [gr.update(interactive=signed_in)] * 4
        return (login_html(admin.uploads_enabled(), signed_in, LOGIN_MESSAGES.get(outcome, "")), *controls)

    def upload(files: list | None, request: gr.Request, progress=gr.Progress(track_tqdm=True)):
        try:
            admin.require_session(_session(request))
            if not files:
                raise admin.AdminError("Hãy chọn ít nhất một tệp.")
            progress(0, desc="Đang lưu tệp")
            message = _upload_report(*state.add([(Path(f), Path(f).name) for f in files]))
        except admin.AdminError as error:
            message = f"<p class='note'>{esc(error)}</p>"
        finally:
            for name in files or []:
                Path(name).unlink(missing_ok=True)  # Gradio's temporary copy
        return (message, *refreshed_library())

    def remove(doc: str | None, request: gr.Request):
        try:
            admin.require_session(_session(request))
            if not doc:
                raise admin.AdminError("Hãy chọn văn bản cần xóa.")
            state.remove(doc)
            message = f"<p>Đã xóa “{esc(doc)}” khỏi thư mục tài liệu và chỉ mục.</p>"
        except admin.AdminError as error:
            message = f"<p class='note'>{esc(error)}</p>"
        return (message, *refreshed_library())

    # --- layout ---------------------------------------------------------------------------------------
    with gr.Blocks(title="Tra cứu kế hoạch giáo dục", delete_cache=CACHE_CLEANUP) as app:
        gr.Markdown("## Tra cứu kế hoạch, báo cáo đổi mới giáo dục\nĐặt câu hỏi bằng tiếng Việt, có dấu hoặc "
                    "không dấu (hoặc bằng tiếng Anh). Mỗi câu trả lời ghi rõ văn bản, số hiệu, ngày, cơ quan ban "
                    "hành và mục.")
        with gr.Accordion("Bộ lọc", open=False):
            with gr.Row():
                province = gr.Dropdown([ALL, *provinces], value=ALL, label="Tỉnh/thành")
                doc_type = gr.Dropdown([ALL, *types], value=ALL, label="Loại văn bản")
                year = gr.Dropdown([ALL, *years], value=ALL, label="Năm ban hành")
                period = gr.Dropdown([ALL, *period_years], value=ALL, label="Giai đoạn kế hoạch có năm")
                current = gr.Checkbox(False, label="Chỉ văn bản chưa bị thay thế")
        filters = [province, doc_type, year, period, current]
        with gr.Tabs(overflow_behavior="wrap"):  # every tab stays in view on a phone, on two lines
            with gr.Tab("Hỏi đáp", id="ask"):
                with gr.Row():
                    question = gr.Textbox(label="Câu hỏi", scale=5, max_length=MAX_INPUT_CHARS, elem_id="question",
                                          placeholder="Ví dụ: Sở nào bố trí kinh phí thực hiện kế hoạch?",
                                          info=f"Nhấn Enter để tìm. Câu hỏi dài hơn {MAX_QUERY_CHARS} ký tự sẽ được rút gọn.")
                    ask_button = gr.Button("Tìm câu trả lời", variant="primary", scale=1)
                ask_examples = gr.Examples(EXAMPLES, inputs=question, label="Câu hỏi mẫu (bấm để hỏi)")
                answers = gr.HTML(elem_id="answers")
            with gr.Tab("Theo chủ đề", id="topics"):
                with gr.Row():
                    topic = gr.Textbox(label="Chủ đề hoặc số hiệu văn bản", scale=5, max_length=MAX_INPUT_CHARS,
                                       elem_id="topic", placeholder="Ví dụ: phân luồng học sinh; hoặc 51-KL/TW")
                    topic_button = gr.Button("Tìm văn bản", variant="primary", scale=1)
                topic_examples = gr.Examples(TOPIC_EXAMPLES, inputs=topic, label="Chủ đề mẫu (bấm để tìm)")
                topic_summary = gr.HTML(elem_id="topic-summary")
                table = gr.Dataframe(headers=TOPIC_COLUMNS, interactive=False, wrap=True, elem_id="topic-table",
                                     column_widths=["5%", "33%", "16%", "10%", "8%", "28%"],
                                     label="Văn bản đề cập chủ đề (bấm vào một dòng để xem bằng chứng)")
                topic_cards = gr.HTML(elem_id="topic-cards")
                download = gr.DownloadButton("Tải bảng (CSV)", visible=False, elem_id="topic-csv")
                evidence = gr.HTML(elem_id="evidence")
                topic_state = gr.State()
            with gr.Tab("Chỉ tiêu", id="targets"):
                gr.Markdown("Các chỉ tiêu định lượng mà mỗi kế hoạch đặt ra (tỷ lệ, số trường, mức độ phổ cập...), "
                            "đặt cạnh nhau để so sánh. Bấm vào một dòng để xem câu gốc trong văn bản.")
                with gr.Row():
                    indicator = gr.Textbox(label="Chỉ tiêu có các từ", scale=3, max_length=500, elem_id="indicator",
                                           placeholder="Ví dụ: tốt nghiệp THPT; đạt chuẩn quốc gia; lao động qua đào tạo")
                    level = gr.Dropdown([ALL, *LEVELS], value=ALL, label="Cấp học", scale=1)
                    target_period = gr.Dropdown([ALL, *period_years], value=ALL, label="Giai đoạn có năm", scale=1)
                    target_province = gr.Dropdown([ALL, *provinces], value=ALL, label="Tỉnh/thành", scale=1)
                    target_current = gr.Checkbox(False, label="Chỉ văn bản chưa bị thay thế", scale=1)
                target_button = gr.Button("Lập bảng chỉ tiêu", variant="primary")
                target_summary = gr.Markdown(elem_id="targets-summary")
                target_table = gr.Dataframe(headers=TARGET_COLUMNS, interactive=False, wrap=True, elem_id="target-table",
                                            column_widths=["22%", "9%", "33%", "9%", "8%", "6%", "6%", "7%"],
                                            label="Chỉ tiêu (bấm vào một dòng để xem câu gốc)")
                target_cards = gr.HTML(elem_id="target-cards")
                target_download = gr.DownloadButton("Tải bảng (CSV)", visible=False, elem_id="target-csv")
                target_sentence = gr.HTML(elem_id="target-sentence")
                target_state = gr.State()
            with gr.Tab("Thư viện", id="library"):
                status = gr.Markdown(status_text())
                with gr.Accordion("Chi tiết kỹ thuật", open=False):
                    technical = gr.Markdown(technical_text(), elem_id="technical")
                documents = gr.Dataframe(library_rows(), headers=["Tệp", "Tiêu đề", "Số hiệu", "Cơ quan", "Ngày",
                                                                  "Tỉnh/thành"], interactive=False, wrap=True,
                                         column_widths=["20%", "40%", "12%", "12%", "8%", "8%"], elem_id="library-table",
                                         label="Văn bản đã lập chỉ mục (bấm vào một dòng để đọc)")
                plan = gr.Dropdown(document_choices(), label="Đọc văn bản", value=None, elem_id="plan-choice")
                reader = gr.HTML(elem_id="reader")
            with gr.Tab("Thêm/xóa văn bản", id="admin"):
                enabled = admin.uploads_enabled()
                gr.Markdown("Tải lên PDF, DOCX, TXT hoặc HTML (tối đa "
                            f"{admin.MAX_UPLOAD_MB} MB mỗi tệp). Văn bản mới tìm được ngay khi lập chỉ mục xong."
                            if enabled else
                            "Chức năng này đang tắt. Người quản trị bật nó bằng cách đặt biến môi trường "
                            f"`{admin.PASSWORD_VARIABLE}` trước khi chạy `edusearch serve`.")
                login = gr.HTML(login_html(enabled, False, ""), elem_id="admin-login")
                files = gr.File(label="Tệp cần thêm", file_count="multiple", interactive=False,
                                file_types=list(admin.SUPPORTED_SUFFIXES), elem_id="admin-files")
                upload_button = gr.Button("Thêm và lập chỉ mục", variant="primary", interactive=False)
                to_remove = gr.Dropdown(list(state.engine.index.documents), label="Văn bản cần xóa", value=None,
                                        interactive=False)
                remove_button = gr.Button("Xóa văn bản", variant="stop", interactive=False)
                admin_report = gr.HTML(elem_id="admin-report")

        ask_inputs = [question, *filters]
        for asked in (question.submit, ask_button.click, ask_examples.load_input_event.then):
            asked(ask_view, ask_inputs, answers, api_visibility="private").then(None, js=scroll_to("answers"))
        topic_outputs = [topic_summary, table, topic_cards, download, evidence, topic_state]
        for searched in (topic.submit, topic_button.click, topic_examples.load_input_event.then):
            searched(topic_view, [topic, *filters], topic_outputs, api_visibility="private").then(
                None, js=scroll_to("topic-summary"))
        table.select(plan_view, [topic_state], evidence, api_visibility="private")
        target_inputs = [indicator, level, target_period, target_province, target_current]
        target_outputs = [target_summary, target_table, target_cards, target_download, target_sentence, target_state]
        for listed in (indicator.submit, target_button.click):
            listed(target_view, target_inputs, target_outputs, api_visibility="private").then(
                None, js=scroll_to("targets-summary"))
        target_table.select(target_sentence_view, [target_state], target_sentence, api_visibility="private")
        library_outputs = [status, technical, documents, plan, to_remove, province, doc_type, year, period, target_province,
                           target_period]
        app.load(refreshed_library, None, library_outputs, api_visibility="private")
        plan.change(open_plan, plan, reader, api_visibility="private")
        documents.select(open_plan_from_row, None, [plan, reader], api_visibility="private")
        app.load(admin_panel, None, [login, files, upload_button, to_remove, remove_button], api_visibility="private")
        upload_button.click(upload, [files], [admin_report, *library_outputs], api_visibility="private")
        remove_button.click(remove, [to_remove], [admin_report, *library_outputs], api_visibility="private")
        gr.api(search, api_name="search")
        gr.api(ask, api_name="ask")
        gr.api(topics, api_name="topics")
        gr.api(targets, api_name="targets")
        gr.api(lineage, api_name="lineage")
    return app


def _session(request: gr.Request | None) -> str | None:
    """The admin session token the browser holds, if any."""
    return request.cookies.get(admin.SESSION_COOKIE) if request is not None else None


def _row(event: gr.SelectData) -> int:
    return int(event.index[0] if isinstance(event.index, (list, tuple)) else event.index)


class CsvFolder:
    """One temporary folder for the tables offered for download, deleted when the server stops; a table is
    kept CSV_MAX_AGE_S, long enough to be downloaded, and deleted at a later write."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._lock = threading.Lock()

    def write(self, kind: str, subject: str, text: str) -> str:
        """`KIND-SUBJECT.csv` in a subfolder of its own (two users' tables never collide)."""
        slug = re.sub(r"[^a-z0-9]+", "-", fold(subject))[:40].strip("-") or "bang"
        with self._lock:
            if self._path is None:
                self._path = Path(tempfile.mkdtemp(prefix="edusearch-csv-"))
                atexit.register(self.remove)
            self._drop_old()
            path = Path(tempfile.mkdtemp(dir=self._path)) / f"{kind}-{slug}.csv"
        write_csv(path, text)
        return str(path)

    def remove(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None

    def _drop_old(self) -> None:
        cutoff = time.time() - CSV_MAX_AGE_S
        for folder in self._path.iterdir():
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


CSV_FILES = CsvFolder()


def _temporary_csv(kind: str, subject: str, text: str) -> str:
    return CSV_FILES.write(kind, subject, text)


def _upload_report(saved: list[admin.Saved], reports: dict) -> str:
    labels = {"indexed": "đã lập chỉ mục", "unchanged": "không đổi", "skipped": "bỏ qua", FAILED: "LỖI"}
    rows = []
    for item in saved:
        report = reports.get(item.doc) if item.doc else None
        if report is None:
            outcome, detail = "từ chối", item.problem or "không lập được chỉ mục"
        else:
            outcome = labels.get(report.status, report.status)
            detail = report.reason or (f"{report.chunks} đoạn" + (f"; {'; '.join(report.notes)}" if report.notes else ""))
        rows.append(f"<tr><td>{esc(item.name)}</td><td>{esc(item.doc or '')}</td><td>{esc(outcome)}</td>"
                    f"<td>{esc(detail)}</td></tr>")
    return ("<table class='meta'><tr><th>Tệp tải lên</th><th>Lưu thành</th><th>Kết quả</th><th>Chi tiết</th></tr>"
            + "".join(rows) + "</table>")


def launch(state: AppState, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    app = build_app(state)
    app.queue(default_concurrency_limit=4, max_size=64)
    settings = state.engine.settings
    app.launch(server_name=host, server_port=port, css=CSS, js=ON_LOAD_JS,
               theme=gr.themes.Default(font=FONTS, font_mono=MONO_FONTS), max_file_size=f"{admin.MAX_UPLOAD_MB}mb",
               blocked_paths=[str(settings.index_dir), str(state.documents)], prevent_thread_lock=not block,
               quiet=not block, footer_links=["api"], state_session_capacity=SESSION_CAPACITY,
               enable_monitoring=False, app_kwargs={"middleware": [Middleware(AdminGate)]})  # Gradio's /monitoring/summary shows every event, admin ones too, to anyone
    return app


def serve(settings: Settings, documents: Path, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Index `documents` if anything changed (only changed files are re-read), then serve the app."""
    report = build_index(documents, settings)
    failed = [f for f in report.files if f.status == FAILED]
    print(f"Chỉ mục sẵn sàng: {report.chunks_total} đoạn từ {len(report.files) - len(failed)} tệp.", file=sys.stderr)
    for item in failed:
        print(f"  LỖI {item.doc}: {item.reason}", file=sys.stderr)
    if settings.llm_url:
        print(f"Câu hỏi sẽ được gửi tới {settings.llm_url} để viết câu trả lời tổng hợp "
              f"(địa chỉ đặt bởi {settings.llm_url_source}).", file=sys.stderr)
    engine = SearchEngine(settings)
    # The model (about 7 s to import and load on 2 cores) loads while the page is already served; the
    # first question waits for it if it comes sooner.
    threading.Thread(target=lambda: engine.embedder, name="load-model", daemon=True).start()
    launch(AppState(engine, documents), host, port)
