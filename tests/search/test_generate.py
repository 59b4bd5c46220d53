"""The generated-answer seam: off by default; when an OpenAI-compatible endpoint is configured, its answer
is shown only with [n] markers that point at shown passages. The endpoint here is a small local HTTP
server speaking the chat-completions format, since no language model runs in the test environment."""

import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from search.answer import answer
from search.engine import SearchEngine
from search.generate import GenerationFailed, checked_answer


class ChatServer:
    def __init__(self, reply: str):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                server.requests.append({"path": self.path, "headers": dict(self.headers),
                                        "body": json.loads(self.rfile.read(int(self.headers["Content-Length"])))})
                body = json.dumps({"choices": [{"message": {"role": "assistant", "content": reply}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def chat_server():
    server = ChatServer("Sở Tài chính tham mưu bố trí kinh phí [1]. Việc này do Bộ quyết định. Xem thêm [9].")
    yield server
    server.close()


def test_without_an_endpoint_nothing_is_contacted(engine, chat_server):
    assert engine.settings.llm_url is None
    result = answer(engine, "Sở nào bố trí kinh phí?")
    assert result.generated is None and result.short
    assert chat_server.requests == []


def test_a_configured_endpoint_answers_from_the_shown_passages(sample_settings, embedder, chat_server):
    settings = replace(sample_settings, llm_url=chat_server.url, llm_model="qwen-local", llm_api_key="k")
    result = answer(SearchEngine(settings, embedder=embedder), "Sở nào bố trí kinh phí?", passages=3)
    assert result.generated.text == "Sở Tài chính tham mưu bố trí kinh phí [1]."
    assert result.generated.cited == [1] and result.generated.dropped == 2
    request = chat_server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["headers"]["Authorization"] == "Bearer k"
    prompt = request["body"]["messages"][-1]["content"]
    assert request["body"]["model"] == "qwen-local"
    assert "Sở nào bố trí kinh phí?" in prompt
    assert all(f"[{n}] {p.hit.citation}" in prompt for n, p in enumerate(result.passages, 1))


def test_an_unreachable_endpoint_leaves_the_extractive_answer(sample_settings, embedder):
    settings = replace(sample_settings, llm_url="http://127.0.0.1:9/v1")
    result = answer(SearchEngine(settings, embedder=embedder), "Sở nào bố trí kinh phí?")
    assert result.generated is None and result.short
    assert result.notes[-1].startswith("Không tạo được câu trả lời tổng hợp: cannot reach the answer endpoint")


def test_an_answer_without_valid_markers_is_refused():
    with pytest.raises(GenerationFailed):
        checked_answer("Sở Tài chính bố trí kinh phí. Theo đoạn [4].", passage_count=3, model="m")
    assert checked_answer("A [1][2]. B [3].", passage_count=3, model="m").cited == [1, 2, 3]
