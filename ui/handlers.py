"""What the web app does when a user acts, as plain methods of (the live service, the inputs) that a test
can call without a browser: the JSON API, the views of each tab, the library, and adding or removing plans.
The layout and the wiring are in `ui.web`."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import gradio as gr

from search.service import (MAX_QUERY_CHARS, FileStatus, Filters, IndexLocked, InputTooLong, SearchService,
                            StoredDocument, TargetFilters, TargetRow, bounded_input, display_date, document_label,
                            shorten, targets_csv, topic_csv)
from ui import admin
from ui.downloads import CSV_FILES
from ui.text import sections_text
from ui.views import (UploadOutcome, answer_html, library_cards_html, lineage_html, login_html, message_html,
                      metadata_html, plan_evidence_html, reader_html, references_text, removal_question_html,
                      stage_html, target_cards_html, target_sentence_html, topic_cards_html, topic_mentions_html,
                      topic_summary_html, upload_report_html)

ALL = "Tất cả"
LOGIN_MESSAGES = {"sai": "Sai mật khẩu quản trị.", "khoa": f"Đã nhập sai mật khẩu {admin.MAX_FAILURES} lần; hãy thử "
                  f"lại sau {admin.LOCKOUT_S // 60} phút.", "da-dang-xuat": "Đã đăng xuất."}
NOT_IN_INDEX = "<p>Văn bản này không còn trong chỉ mục; hãy tải lại trang.</p>"
# What indexing did with an uploaded file, as the admin tab says it.
UPLOAD_RESULTS = {FileStatus.INDEXED: "Đã thêm vào thư viện", FileStatus.UNCHANGED: "Đã có trong thư viện, không đổi",
                  FileStatus.SKIPPED: "Đã lưu tệp nhưng không đọc (loại tệp không hỗ trợ)",
                  FileStatus.FAILED: "Đã lưu tệp nhưng chưa đọc được nội dung"}


class AppState:
    """The live service; it switches to the new index generation after an upload or a removal."""

    def __init__(self, service: SearchService, documents: Path):
        self.service = service
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
            return self.service.reindex(self.documents).files
        except IndexLocked:
            raise admin.AdminError("Chỉ mục đang được cập nhật bởi một tiến trình khác; hãy thử lại sau.") from None


def bounded(text: str | None) -> str:
    """User input as the search may read it, checked on the server before any work: over
    MAX_INPUT_CHARS it is refused with a message (the browser's own limit can be bypassed)."""
    try:
        return bounded_input(text)
    except InputTooLong as error:
        raise gr.Error(str(error)) from None


def _chosen(value: object) -> object:
    return None if value in (None, "", ALL, 0, "0") else value


def _year(value: object) -> int | None:
    return int(_chosen(value)) if _chosen(value) else None


def filters_from(province: str | None, doc_type: str | None, year: str | int | None,
                 period: str | int | None = None, current: bool = False) -> Filters:
    return Filters(province=_chosen(province), doc_type=_chosen(doc_type), year=_year(year), period=_year(period),
                   current=bool(current))


def target_filters_from(indicator: str | None, level: str | None, period: str | int | None,
                        province: str | None, current: bool = False) -> TargetFilters:
    return TargetFilters(indicator=bounded(indicator).strip()[:MAX_QUERY_CHARS] or None, level=_chosen(level),
                         period=_year(period), province=_chosen(province), current=bool(current))


class Api:
    """The named JSON endpoints, for `gradio_client`."""

    def __init__(self, state: AppState):
        self.state = state

    def search(self, question: str, province: str = "", doc_type: str = "", year: int = 0, k: int = 10) -> list[dict]:
        """Ranked passages with citations."""
        hits = self.state.service.search(bounded(question), max(1, min(int(k), 50)),
                                         filters_from(province, doc_type, year))
        return [h.to_json() for h in hits]

    def ask(self, question: str, province: str = "", doc_type: str = "", year: int = 0, k: int = 5) -> dict:
        """The short answer, its citation, and the supporting passages with their answer sentences."""
        return self.state.service.ask(bounded(question), filters_from(province, doc_type, year),
                                      max(1, min(int(k), 20))).to_json()

    def topics(self, topic: str, province: str = "", doc_type: str = "", year: int = 0) -> dict:
        """The plans that address a topic (or cite a code), with evidence."""
        return self.state.service.topics(bounded(topic), filters_from(province, doc_type, year)).to_json()

    def targets(self, indicator: str = "", level: str = "", period: int = 0, province: str = "",
                current: bool = False) -> list[dict]:
        """The plans' quantitative targets, each cited to its sentence."""
        filters = target_filters_from(indicator, level, period, province, current)
        return [r.to_json() for r in self.state.service.targets(filters)]

    def lineage(self, code: str) -> dict:
        """The plans that implement a document code, directly or through other plans, and those that only
        mention it."""
        return self.state.service.lineage(bounded(code)[:100]).to_json()


class Views:
    """The tabs' views: from the inputs of a tab to what it shows. (Named apart from the API's methods:
    Gradio names an event after its function, and a name can be taken once.)"""

    def __init__(self, state: AppState):
        self.state = state

    def answer_page(self, question: str, province: str, doc_type: str, year: str, period: str,
                    current: bool) -> tuple:
        """The answer; and, for a question asking which plans address a topic, the button that opens the
        topic view on it, with the topic."""
        question = bounded(question)
        service = self.state.service
        query = service.parse(question)
        if query.empty:
            return ("<p>Hãy nhập câu hỏi, ví dụ: <i>Sở nào bố trí kinh phí thực hiện kế hoạch?</i></p>",
                    gr.update(visible=False), None)
        result = service.ask(question, filters_from(province, doc_type, year, period, current))
        sections = [service.section_text(p.hit.doc, p.hit.section_ordinal) for p in result.passages]
        offer = gr.update(visible=True, value=f"Xem mọi văn bản về “{result.topic}” (theo chủ đề)") \
            if result.topic else gr.update(visible=False)
        return answer_html(result, sections), offer, result.topic

    @staticmethod
    def open_topic(topic: str | None) -> tuple:
        """The topic view, chosen, with the topic typed in its box."""
        return bounded(topic), gr.Tabs(selected="topics")

    def topic_page(self, topic: str, province: str, doc_type: str, year: str, period: str, current: bool) -> tuple:
        """Summary, table rows, phone cards, the plans that only mention the topic, CSV download, the first
        plan's evidence, every plan's evidence."""
        filters = filters_from(province, doc_type, year, period, current)
        result = self.state.service.topics(bounded(topic), filters)
        rows = [[n, p.label, p.issuer or "", display_date(p.date), p.relevance, sections_text(p),
                 references_text(p), shorten(p.evidence_sentence(0), 200) if p.evidence else ""]
                for n, p in enumerate(result.plans, 1)]
        evidence_pages = [plan_evidence_html(p, result.read_as) for p in result.plans]
        csv_path = CSV_FILES.write("van-ban-theo-chu-de", result.topic, topic_csv(result)) \
            if result.plans or result.mentions else None
        return (topic_summary_html(result), rows, topic_cards_html(result.plans, result.read_as),
                topic_mentions_html(result),
                gr.update(value=csv_path, visible=csv_path is not None),
                evidence_pages[0] if evidence_pages else "", evidence_pages)

    def target_page(self, indicator: str, level: str, period: str, province: str, current: bool) -> tuple:
        """Summary, table rows, phone cards, CSV download, the first row's sentence, the rows."""
        rows = self.state.service.targets(target_filters_from(indicator, level, period, province, current))
        table = [[r.plan, r.province or "", r.target.indicator, ", ".join(r.target.levels), r.target.comparator,
                  r.target.value_text, r.target.unit, r.target.period or ""] for r in rows]
        plans = len({r.target.doc for r in rows})
        summary = f"**{len(rows)} chỉ tiêu** trong {plans} văn bản." if rows else "Không có chỉ tiêu nào phù hợp bộ lọc."
        csv_path = CSV_FILES.write("chi-tieu", indicator or "tat-ca", targets_csv(rows)) if rows else None
        return (summary, table, target_cards_html(rows), gr.update(value=csv_path, visible=csv_path is not None),
                self.target_sentence(rows[0]) if rows else "", rows)

    def target_sentence(self, row: TargetRow) -> str:
        service = self.state.service
        section = service.section(row.target.doc, row.target.section_ordinal)
        text = service.section_text(row.target.doc, row.target.section_ordinal)
        return target_sentence_html(row, text, section.start if section else 0)

    def target_row(self, rows: list[TargetRow] | None, event: gr.SelectData) -> str:
        row = _row(event)
        return self.target_sentence(rows[row]) if rows and 0 <= row < len(rows) else ""

    def plan_evidence(self, evidence_pages: list[str] | None, event: gr.SelectData) -> str:
        row = _row(event)
        return evidence_pages[row] if evidence_pages and 0 <= row < len(evidence_pages) else ""


class Library:
    """The library tab: the indexed plans, one read with its metadata and lineage, the index's status."""

    def __init__(self, state: AppState):
        self.state = state

    def choices(self) -> list[tuple[str, str]]:
        """The plans to read, named as a citation names them (the file name says little on a phone)."""
        return [(_short_label(d), doc) for doc, d in self.state.service.documents().items()]

    def removal_choices(self) -> list[tuple[str, str]]:
        """The plans to remove, named as cited, their file after (what is deleted, and what tells apart two
        plans cited alike)."""
        return [(f"{_short_label(d)} · tệp {doc}", doc) for doc, d in self.state.service.documents().items()]

    def label(self, doc: str) -> str | None:
        """The plan as cited, or None when the index does not hold `doc`."""
        stored = self.state.service.document(doc)
        return document_label(stored.meta) if stored else None

    def cards(self) -> str:
        """The plans as cards, for a phone (where the table is hidden)."""
        service = self.state.service
        return library_cards_html([(document_label(d.meta), service.plan_note(doc))
                                   for doc, d in service.documents().items()])

    def rows(self) -> list[list]:
        return [[d.doc, shorten(d.meta.title or "", 110), d.meta.number or "", d.meta.issuer_short or d.meta.issuer or "",
                 display_date(d.meta.date), d.meta.province or ""] for d in self.state.service.documents().values()]

    def status(self) -> str:
        status = self.state.service.status()
        return f"**{status.documents} văn bản, {status.chunks} đoạn** · cập nhật lúc {status.created[:16].replace('T', ' ')}"

    def stage(self) -> tuple[str, dict]:
        """The notice while only search by keywords is ready, and whether to look again later."""
        note = self.state.service.status().semantic_note()
        return stage_html(note), gr.update(active=bool(note))

    def technical(self) -> str:
        """For whoever runs the service: the model and the index generation being served."""
        status = self.state.service.status()
        return f"{status.model}\n\nThế hệ chỉ mục đang dùng: `{status.generation}`."

    def read(self, doc: str | None) -> str:
        service = self.state.service
        stored = service.document(doc or "")
        if stored is None:
            return "<p>Chọn một văn bản trong danh sách.</p>"
        return (metadata_html(stored, service.plan_note(stored.doc))
                + lineage_html(service.ancestors(stored.doc), service.descendants(stored.doc))
                + reader_html(service.sections(stored.doc), stored.text))

    def read_row(self, event: gr.SelectData) -> tuple:
        """The clicked row's own file name, not its position: the page may list an older library."""
        doc = str(event.row_value[0]) if event.row_value else None
        if doc not in self.state.service.documents():
            return gr.update(value=None), NOT_IN_INDEX
        return gr.update(value=doc), self.read(doc)

    def refreshed(self) -> tuple:
        """The library's table, status and every choice of documents and filters, from the live index: on
        each page load and after each upload or removal."""
        facets = self.state.service.facets()
        provinces, periods = gr.update(choices=[ALL, *facets.provinces]), gr.update(choices=[ALL, *map(str, facets.period_years)])
        return (self.status(), self.technical(), self.rows(), gr.update(choices=self.choices(), value=None),
                gr.update(choices=self.removal_choices(), value=None), provinces,
                gr.update(choices=[ALL, *facets.doc_types]), gr.update(choices=[ALL, *map(str, facets.years)]), periods,
                provinces, periods, self.cards())


class Admin:
    """Adding and removing plans, for a visitor logged in with the admin password. A removal is asked first,
    naming the plan, and done only once confirmed."""

    def __init__(self, state: AppState, library: Library):
        self.state = state
        self.library = library

    def panel(self, request: gr.Request) -> tuple:
        """The admin tab as this visitor may use it: the login form, or the controls once logged in; the tab
        itself is opened when the page comes back from logging in or out (`?quan-tri=...`)."""
        signed_in = admin.SESSIONS.valid(_session(request))
        outcome = (request.query_params.get("quan-tri") if request is not None else None) or ""
        controls = [gr.update(interactive=signed_in)] * 4
        tab = gr.update(selected="admin") if outcome else gr.update()
        return (login_html(admin.uploads_enabled(), signed_in, LOGIN_MESSAGES.get(outcome, "")), *controls, tab)

    def upload(self, files: list | None, request: gr.Request, progress=gr.Progress(track_tqdm=True)) -> tuple:
        """The report of each file, the chosen files cleared (their temporary copies are deleted), and the
        library refreshed."""
        try:
            admin.require_session(_session(request))
            if not files:
                raise admin.AdminError("Hãy chọn ít nhất một tệp.")
            progress(0, desc="Đang lưu tệp")
            message = upload_report_html(self.outcomes(*self.state.add([(Path(f), Path(f).name) for f in files])))
        except admin.AdminError as error:
            message = message_html(error, note=True)
        finally:
            for name in files or []:
                Path(name).unlink(missing_ok=True)  # Gradio's temporary copy
        return (message, None, *self.library.refreshed())

    def outcomes(self, saved: list[admin.Saved], reports: dict) -> list[UploadOutcome]:
        """Each uploaded file's result, with the plan it became or the plan already in the library it
        duplicates, as cited."""
        out = []
        for item in saved:
            report = reports.get(item.doc) if item.doc else None
            if report is not None:
                detail = report.reason or "; ".join([f"{report.chunks} đoạn văn", *report.notes])
                out.append(UploadOutcome(item.name, UPLOAD_RESULTS.get(report.status, report.status.label),
                                         self.library.label(item.doc) or "", detail, item.doc))
            elif item.copy_of and (label := self.library.label(item.copy_of)):
                out.append(UploadOutcome(item.name, "Không thêm, vì văn bản này đã có trong thư viện", label,
                                         f"nội dung giống hệt tệp “{item.copy_of}” đã có trong thư mục tài liệu"))
            else:
                out.append(UploadOutcome(item.name, "Không thêm", detail=item.problem or "không lập được chỉ mục",
                                         saved_as=item.doc or ""))
        return out

    def ask_removal(self, doc: str | None, request: gr.Request) -> tuple:
        """The report kept, the question naming the chosen plan with its confirm and cancel buttons shown, and
        the plan to remove; or, in the report, why it cannot be removed."""
        try:
            doc = _removable(doc, request)
        except admin.AdminError as error:
            return message_html(error, note=True), "", gr.update(visible=False), None
        return gr.update(), removal_question_html(self.library.label(doc) or doc, doc), gr.update(visible=True), doc

    def remove(self, doc: str | None, request: gr.Request) -> tuple:
        """Remove the plan the question named, once confirmed; the question is put away."""
        try:
            doc = _removable(doc, request)
            label = self.library.label(doc) or doc
            self.state.remove(doc)
            message = message_html(f"Đã xóa văn bản {label} (tệp {doc}) khỏi thư viện.")
        except admin.AdminError as error:
            message = message_html(error, note=True)
        return (message, gr.update(visible=False), None, *self.library.refreshed())

    def keep(self, doc: str | None) -> tuple:
        """The removal called off: the question is put away, and the plan kept."""
        kept = message_html(f"Đã hủy: văn bản {self.library.label(doc) or doc} vẫn được giữ.") if doc else ""
        return kept, gr.update(visible=False), None


def _removable(doc: str | None, request: gr.Request) -> str:
    """The plan to remove, once the visitor's admin session and the choice are checked."""
    admin.require_session(_session(request))
    if not doc:
        raise admin.AdminError("Hãy chọn văn bản cần xóa.")
    return doc


def _short_label(stored: StoredDocument) -> str:
    return shorten(document_label(stored.meta), 100)


def _session(request: gr.Request | None) -> str | None:
    """The admin session token the browser holds, if any."""
    return request.cookies.get(admin.SESSION_COOKIE) if request is not None else None


def _row(event: gr.SelectData) -> int:
    return int(event.index[0] if isinstance(event.index, (list, tuple)) else event.index)
