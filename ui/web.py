"""The Gradio web app: a question box over the indexed plans, with cited passages."""

from __future__ import annotations

import sys
from pathlib import Path

import gradio as gr

from indexer.build import build_index
from indexer.config import Settings
from search.engine import SearchEngine
from search.query import MAX_QUERY_CHARS, Filters, parse_query
from ui.views import CSS, results_html

EXAMPLES = [
    "Sở nào chịu trách nhiệm bố trí kinh phí thực hiện kế hoạch?",
    "tỷ lệ học sinh tốt nghiệp trung học phổ thông giai đoạn 2026 - 2030",
    "phan luong hoc sinh sau trung hoc co so",
    "51-KL/TW",
]


def build_app(engine: SearchEngine) -> gr.Blocks:
    provinces = sorted({d.meta.province for d in engine.index.documents.values() if d.meta.province})

    def search(question: str, province: str | None, k: int) -> str:
        query = parse_query(question or "")
        if query.empty:
            return "<p>Hãy nhập câu hỏi, ví dụ: <i>Sở nào bố trí kinh phí?</i></p>"
        note = f"Câu hỏi dài đã được rút gọn còn {MAX_QUERY_CHARS} ký tự." if query.truncated else ""
        hits = engine.search(query.text, int(k), Filters(province=province or None))
        return results_html(hits, query.text, note)

    with gr.Blocks(title="Tra cứu kế hoạch giáo dục") as app:
        gr.Markdown("## Tra cứu kế hoạch, báo cáo đổi mới giáo dục\nGõ câu hỏi, có dấu hoặc không dấu. "
                    "Mỗi kết quả ghi rõ văn bản, số hiệu, ngày, cơ quan ban hành và mục.")
        with gr.Row():
            question = gr.Textbox(label="Câu hỏi", placeholder="Ví dụ: nhiệm vụ của Sở Nội vụ về biên chế",
                                  scale=4, max_length=5000)
            province = gr.Dropdown(choices=[""] + provinces, value="", label="Tỉnh/thành", scale=1)
            k = gr.Slider(1, 30, value=10, step=1, label="Số kết quả", scale=1)
        button = gr.Button("Tìm kiếm", variant="primary")
        results = gr.HTML()
        gr.Examples(EXAMPLES, inputs=question)
        question.submit(search, [question, province, k], results, api_name="search")
        button.click(search, [question, province, k], results, api_name=False)
    return app


def serve(settings: Settings, documents: Path, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Index `documents` if anything changed (only changed files are re-read), then serve the app."""
    report = build_index(documents, settings)
    failed = [f for f in report.files if f.status == "failed"]
    print(f"Chỉ mục sẵn sàng: {report.chunks_total} đoạn từ {len(report.files) - len(failed)} tệp.", file=sys.stderr)
    for item in failed:
        print(f"  LỖI {item.doc}: {item.reason}", file=sys.stderr)
    engine = SearchEngine(settings)
    engine.embedder  # load the model once, before the first visitor
    app = build_app(engine)
    app.queue(default_concurrency_limit=4, max_size=64)
    app.launch(server_name=host, server_port=port, css=CSS, max_file_size="20mb")
