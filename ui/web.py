"""The Gradio web app: answers for officials, a topic table and a table of the plans' targets for
researchers, the library of indexed plans with their lineage, and (behind a password) adding and removing
plans. Its API endpoints `/search`, `/ask`, `/topics`, `/targets` and `/lineage` return JSON for
`gradio_client`. This module holds the layout and the wiring; what each action does is in `ui.handlers`."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from runtime.settings import Settings
from search.service import (FAILED, LEVELS, MAX_INPUT_CHARS, MAX_QUERY_CHARS, SEARCHABLE, SearchService,
                            build_index)
from ui import admin
from ui.gate import AdminGate
from ui.handlers import ALL, Admin, Api, AppState, Library, Views
from ui.views import CSS, login_html

EXAMPLES = [
    "Sở nào chịu trách nhiệm bố trí kinh phí thực hiện kế hoạch?",
    "tỷ lệ học sinh tốt nghiệp trung học phổ thông giai đoạn 2026 - 2030",
    "trung tam huong nghiep sap nhap tu khi nao",
    "51-KL/TW",
]
TOPIC_EXAMPLES = ["phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục", "chuyển đổi số", "xã hội học tập"]
TOPIC_COLUMNS = ["#", "Văn bản", "Cơ quan ban hành", "Ngày", "Mức liên quan", "Mục nói về chủ đề",
                 "Thực hiện hay nhắc đến", "Câu phù hợp nhất"]
TARGET_COLUMNS = ["Văn bản", "Tỉnh/thành", "Chỉ tiêu", "Cấp học", "So sánh", "Giá trị", "Đơn vị", "Giai đoạn"]
# Gradio keeps per-session state in memory, and every API call is a new session: its default capacity of
# 10,000 sessions let the server grow by about 110 MB per 1,000 calls (bench/load_web.py).
SESSION_CAPACITY = 300
STAGE_REFRESH_S = 20  # how often a page looks again whether search by meaning is ready, until it is
# Gradio's own copies of served and uploaded files are deleted after an hour, checked every 10 minutes.
CACHE_CLEANUP = (600, 3600)
# System fonts with complete Vietnamese coverage, none downloaded: Gradio's bundled Source Sans Pro semibold
# lacks some capitals and combining marks, which the browser then takes from another font.
FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Helvetica Neue", "Arial", "DejaVu Sans",
         "sans-serif"]
MONO_FONTS = ["ui-monospace", "Consolas", "Noto Sans Mono", "DejaVu Sans Mono", "monospace"]
# Run in the browser: the result regions announce their changes to screen readers.
ON_LOAD_JS = """() => {
  document.documentElement.lang = "vi";
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


@dataclass
class FilterControls:
    """The filter controls shared by every tab."""

    province: gr.Dropdown
    doc_type: gr.Dropdown
    year: gr.Dropdown
    period: gr.Dropdown
    current: gr.Checkbox

    def inputs(self) -> list:
        return [self.province, self.doc_type, self.year, self.period, self.current]


def build_app(state: AppState) -> gr.Blocks:
    api, views, library = Api(state), Views(state), Library(state)
    manage = Admin(state, library)
    with gr.Blocks(title="Tra cứu kế hoạch giáo dục", delete_cache=CACHE_CLEANUP) as app:
        gr.Markdown("## Tra cứu kế hoạch, báo cáo đổi mới giáo dục\nĐặt câu hỏi bằng tiếng Việt, có dấu hoặc "
                    "không dấu (hoặc bằng tiếng Anh). Mỗi câu trả lời ghi rõ văn bản, số hiệu, ngày, cơ quan ban "
                    "hành và mục.")
        stage, stage_timer = gr.HTML(elem_id="index-stage"), gr.Timer(STAGE_REFRESH_S)
        filters = _filter_controls(state)
        with gr.Tabs(overflow_behavior="wrap") as tabs:  # every tab stays in view on a phone, on two lines
            to_topic, asked_topic = _ask_tab(views, filters)
            topic, topic_shown = _topic_tab(views, filters)
            target_filters = _target_tab(views, state)
            library_outputs = _library_tab(library, filters, target_filters)
            _admin_tab(app, manage, library_outputs, tabs)
        to_topic.click(views.open_topic, asked_topic, [topic, tabs], api_visibility="private").then(
            views.topic_page, [topic, *filters.inputs()], topic_shown, api_visibility="private").then(
            None, js=scroll_to("topic-summary"))
        app.load(library.refreshed, None, library_outputs, api_visibility="private")
        for event in (app.load, stage_timer.tick):
            event(library.stage, None, [stage, stage_timer], api_visibility="private")
        for endpoint in (api.search, api.ask, api.topics, api.targets, api.lineage):
            gr.api(endpoint, api_name=endpoint.__name__)
    return app


def _filter_controls(state: AppState) -> FilterControls:
    facets = state.service.facets()
    with gr.Accordion("Bộ lọc", open=False), gr.Row():
        return FilterControls(gr.Dropdown([ALL, *facets.provinces], value=ALL, label="Tỉnh/thành"),
                       gr.Dropdown([ALL, *facets.doc_types], value=ALL, label="Loại văn bản"),
                       gr.Dropdown([ALL, *map(str, facets.years)], value=ALL, label="Năm ban hành"),
                       gr.Dropdown([ALL, *map(str, facets.period_years)], value=ALL, label="Giai đoạn kế hoạch có năm"),
                       gr.Checkbox(False, label="Chỉ văn bản chưa bị thay thế"))


def _ask_tab(views: Views, filters: FilterControls) -> tuple[gr.Button, gr.State]:
    """The question box and its answer; returns the button that opens the topic view on the topic a
    question asked about (`which plans address …`), and that topic."""
    with gr.Tab("Hỏi đáp", id="ask"):
        with gr.Row():
            question = gr.Textbox(label="Câu hỏi", scale=5, max_length=MAX_INPUT_CHARS, elem_id="question",
                                  placeholder="Ví dụ: Sở nào bố trí kinh phí thực hiện kế hoạch?",
                                  info=f"Nhấn Enter để tìm. Câu hỏi dài hơn {MAX_QUERY_CHARS} ký tự sẽ được rút gọn.")
            button = gr.Button("Tìm câu trả lời", variant="primary", scale=1)
        examples = gr.Examples(EXAMPLES, inputs=question, label="Câu hỏi mẫu (bấm để hỏi)")
        to_topic = gr.Button(visible=False, elem_id="to-topic", variant="secondary")
        answers = gr.HTML(elem_id="answers")
        topic = gr.State()
    for asked in (question.submit, button.click, examples.load_input_event.then):
        asked(views.answer_page, [question, *filters.inputs()], [answers, to_topic, topic],
              api_visibility="private").then(None, js=scroll_to("answers"))
    return to_topic, topic


def _topic_tab(views: Views, filters: FilterControls) -> tuple[gr.Textbox, list]:
    """The topic box and its ranked plans; returns the box and what a search fills."""
    with gr.Tab("Theo chủ đề", id="topics"):
        with gr.Row():
            topic = gr.Textbox(label="Chủ đề hoặc số hiệu văn bản", scale=5, max_length=MAX_INPUT_CHARS,
                               elem_id="topic", placeholder="Ví dụ: phân luồng học sinh; hoặc 51-KL/TW")
            button = gr.Button("Tìm văn bản", variant="primary", scale=1)
        examples = gr.Examples(TOPIC_EXAMPLES, inputs=topic, label="Chủ đề mẫu (bấm để tìm)")
        summary = gr.HTML(elem_id="topic-summary")
        table, cards, download, evidence, pages = _result_table(
            "topic", TOPIC_COLUMNS, ["4%", "26%", "14%", "8%", "6%", "8%", "12%", "22%"],
            "Văn bản đề cập chủ đề (bấm vào một dòng để xem bằng chứng)", "evidence")
        mentions = gr.HTML(elem_id="topic-mentions")
    outputs = [summary, table, cards, mentions, download, evidence, pages]
    for searched in (topic.submit, button.click, examples.load_input_event.then):
        searched(views.topic_page, [topic, *filters.inputs()], outputs, api_visibility="private").then(
            None, js=scroll_to("topic-summary"))
    table.select(views.plan_evidence, [pages], evidence, api_visibility="private")
    return topic, outputs


def _result_table(name: str, headers: list[str], widths: list[str], label: str, detail_id: str) -> tuple:
    """A result table (stacked cards on a phone), its CSV download, the pane a clicked row opens, and the
    rows behind the table."""
    table = gr.Dataframe(headers=headers, interactive=False, wrap=True, elem_id=f"{name}-table", column_widths=widths,
                         label=label)
    return (table, gr.HTML(elem_id=f"{name}-cards"),
            gr.DownloadButton("Tải bảng (CSV)", visible=False, elem_id=f"{name}-csv"), gr.HTML(elem_id=detail_id),
            gr.State())


def _target_tab(views: Views, state: AppState) -> tuple[gr.Dropdown, gr.Dropdown]:
    """The target table; returns its province and period choices, which the library refreshes."""
    facets = state.service.facets()
    with gr.Tab("Chỉ tiêu", id="targets"):
        gr.Markdown("Các chỉ tiêu định lượng mà mỗi kế hoạch đặt ra (tỷ lệ, số trường, mức độ phổ cập...), "
                    "đặt cạnh nhau để so sánh. Bấm vào một dòng để xem câu gốc trong văn bản.")
        with gr.Row():
            indicator = gr.Textbox(label="Chỉ tiêu có các từ", scale=3, max_length=500, elem_id="indicator",
                                   placeholder="Ví dụ: tốt nghiệp THPT; đạt chuẩn quốc gia; lao động qua đào tạo")
            level = gr.Dropdown([ALL, *LEVELS], value=ALL, label="Cấp học", scale=1)
            period = gr.Dropdown([ALL, *map(str, facets.period_years)], value=ALL, label="Giai đoạn có năm", scale=1)
            province = gr.Dropdown([ALL, *facets.provinces], value=ALL, label="Tỉnh/thành", scale=1)
            current = gr.Checkbox(False, label="Chỉ văn bản chưa bị thay thế", scale=1)
        button = gr.Button("Lập bảng chỉ tiêu", variant="primary")
        summary = gr.Markdown(elem_id="targets-summary")
        table, cards, download, sentence, rows = _result_table(
            "target", TARGET_COLUMNS, ["22%", "9%", "33%", "9%", "8%", "6%", "6%", "7%"],
            "Chỉ tiêu (bấm vào một dòng để xem câu gốc)", "target-sentence")
    outputs = [summary, table, cards, download, sentence, rows]
    for listed in (indicator.submit, button.click):
        listed(views.target_page, [indicator, level, period, province, current], outputs, api_visibility="private").then(
            None, js=scroll_to("targets-summary"))
    table.select(views.target_row, [rows], sentence, api_visibility="private")
    return province, period


def _library_tab(library: Library, filters: FilterControls, target_filters: tuple[gr.Dropdown, gr.Dropdown]) -> list:
    """The library; returns what `Library.refreshed` updates, the admin tab's list of plans included."""
    with gr.Tab("Thư viện", id="library"):
        status = gr.Markdown(library.status())
        with gr.Accordion("Chi tiết kỹ thuật", open=False):
            technical = gr.Markdown(library.technical(), elem_id="technical")
        documents = gr.Dataframe(library.rows(), headers=["Tệp", "Tiêu đề", "Số hiệu", "Cơ quan", "Ngày",
                                                          "Tỉnh/thành"], interactive=False, wrap=True,
                                 column_widths=["19%", "34%", "11%", "15%", "10%", "11%"], elem_id="library-table",
                                 label="Văn bản đã lập chỉ mục (bấm vào một dòng để đọc)")
        cards = gr.HTML(library.cards(), elem_id="library-cards")
        plan = gr.Dropdown(library.choices(), label="Đọc văn bản", value=None, elem_id="plan-choice")
        reader = gr.HTML(elem_id="reader")
    plan.change(library.read, plan, reader, api_visibility="private")
    documents.select(library.read_row, None, [plan, reader], api_visibility="private")
    to_remove = gr.Dropdown(library.removal_choices(), label="Văn bản cần xóa", value=None, interactive=False,
                            render=False, elem_id="remove-choice")
    return [status, technical, documents, plan, to_remove, filters.province, filters.doc_type, filters.year,
            filters.period, *target_filters, cards]


def _admin_tab(app: gr.Blocks, manage: Admin, library_outputs: list, tabs: gr.Tabs) -> None:
    """Adding plans, and removing one after a question that names it; the tab opens by itself when the
    page comes back from logging in or out."""
    to_remove = library_outputs[4]
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
        upload = gr.Button("Thêm và lập chỉ mục", variant="primary", interactive=False)
        to_remove.render()
        remove = gr.Button("Xóa văn bản…", variant="stop", interactive=False, elem_id="remove-ask")
        with gr.Column(visible=False, elem_id="remove-confirm") as confirm:
            question = gr.HTML()
            with gr.Row():
                confirmed = gr.Button("Xóa", variant="stop", elem_id="remove-yes")
                cancelled = gr.Button("Hủy, giữ văn bản", elem_id="remove-no")
        pending = gr.State()
        report = gr.HTML(elem_id="admin-report")
    app.load(manage.panel, None, [login, files, upload, to_remove, remove, tabs], api_visibility="private")
    upload.click(manage.upload, [files], [report, files, *library_outputs], api_visibility="private")
    remove.click(manage.ask_removal, [to_remove], [report, question, confirm, pending], api_visibility="private")
    confirmed.click(manage.remove, [pending], [report, confirm, pending, *library_outputs], api_visibility="private")
    cancelled.click(manage.keep, [pending], [report, confirm, pending], api_visibility="private")


def launch(state: AppState, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    app = build_app(state)
    app.queue(default_concurrency_limit=4, max_size=64)
    settings = state.service.settings
    # Gradio's /monitoring/summary would show every event, admin ones too, to anyone: it stays off.
    app.launch(server_name=host, server_port=port, css=CSS, js=ON_LOAD_JS,
               theme=gr.themes.Default(font=FONTS, font_mono=MONO_FONTS), max_file_size=f"{admin.MAX_UPLOAD_MB}mb",
               blocked_paths=[str(settings.index_dir), str(state.documents)], prevent_thread_lock=not block,
               quiet=not block, footer_links=["api"], state_session_capacity=SESSION_CAPACITY,
               enable_monitoring=False, app_kwargs={"middleware": [Middleware(AdminGate)]})
    return app


def serve(settings: Settings, documents: Path, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Index `documents` if anything changed (only changed files are re-read), then serve the app: as soon
    as the text is searchable by keywords when many passages are to be embedded, the app then switching to
    hybrid search by itself when embedding ends (`SearchService.engine`)."""
    build = BackgroundBuild(documents, settings)
    build.wait_searchable()
    if settings.llm_url:
        print(f"Câu hỏi sẽ được gửi tới {settings.llm_url} để viết câu trả lời tổng hợp "
              f"(địa chỉ đặt bởi {settings.llm_url_source}).", file=sys.stderr)
    service = SearchService(settings)
    # The model (about 7 s to import and load on 2 cores) loads while the page is already served; the
    # first question waits for it if it comes sooner.
    threading.Thread(target=service.load_model, name="load-model", daemon=True).start()
    launch(AppState(service, documents), host, port)


class BackgroundBuild:
    """`build_index` in a thread, so that the app can be served once the text is searchable, before its
    passages are embedded. An error before that point is raised by `wait_searchable`; one after it is
    printed, and the last generation keeps answering."""

    def __init__(self, documents: Path, settings: Settings):
        self._searchable = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(documents, settings), name="index", daemon=True)
        self._thread.start()

    def wait_searchable(self) -> None:
        self._searchable.wait()
        if self._error is not None:
            raise self._error

    def _run(self, documents: Path, settings: Settings) -> None:
        try:
            report = build_index(documents, settings, on_stage=self._on_stage)
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread, or printed
            if self._searchable.is_set():
                print(f"edusearch: indexing stopped: {error}", file=sys.stderr)
            self._error = error
            self._searchable.set()
            return
        failed = [f for f in report.files if f.status == FAILED]
        print(f"Chỉ mục sẵn sàng: {report.chunks_total} đoạn từ {len(report.files) - len(failed)} tệp"
              f"{', tìm được theo nghĩa' if report.searchable_seconds is not None else ''}.", file=sys.stderr)
        for item in failed:
            print(f"  LỖI {item.doc}: {item.reason}", file=sys.stderr)
        self._searchable.set()

    def _on_stage(self, stage: str) -> None:
        if stage == SEARCHABLE:
            print("Đã tìm được theo từ khóa; tìm theo nghĩa sẽ sẵn sàng khi mã hóa xong các đoạn văn.",
                  file=sys.stderr)
            self._searchable.set()
