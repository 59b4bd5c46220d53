"""Generated answers through an OpenAI-compatible chat endpoint (a local server, say): off unless
`llm_url` is configured, and then written from the shown passages only.

The model is asked for a short Vietnamese answer in which every sentence ends with [n] markers pointing at
the numbered passages. Its reply is checked: a sentence without a marker, or with a marker that points at
no shown passage, is dropped, so whatever is shown is traceable to a passage on the page.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from runtime.settings import Settings
from vietnamese.sentences import sentence_spans

TIMEOUT_S = 60
MAX_PASSAGE_CHARS = 1500
_MARKER = re.compile(r"\[(\d{1,2})\]")

SYSTEM_PROMPT = (
    "Bạn là trợ lý tra cứu văn bản chính sách giáo dục Việt Nam. Chỉ dùng thông tin trong các đoạn trích được "
    "đánh số. Trả lời ngắn gọn bằng tiếng Việt, tối đa 4 câu. Mỗi câu phải kết thúc bằng dấu [n] chỉ đoạn trích "
    "làm căn cứ, ví dụ [1] hoặc [1][3]. Nếu các đoạn trích không trả lời được câu hỏi, hãy nói rõ như vậy."
)


class GenerationFailed(RuntimeError):
    """The endpoint could not be reached or gave no usable answer; the message says which."""


@dataclass
class GeneratedAnswer:
    text: str  # only sentences carrying valid [n] markers
    cited: list[int]  # passage numbers (1-based) the text points at
    dropped: int  # sentences removed for lack of a valid marker
    model: str


def generate_answer(settings: Settings, question: str, passages: list[tuple[str, str]]) -> GeneratedAnswer | None:
    """`passages` are (citation, text), numbered from 1 in the order shown. None when no endpoint is set."""
    if not settings.llm_url or not passages:
        return None
    reply = _chat(settings, [{"role": "system", "content": SYSTEM_PROMPT},
                             {"role": "user", "content": _prompt(question, passages)}])
    return checked_answer(reply, len(passages), settings.llm_model)


def checked_answer(reply: str, passage_count: int, model: str) -> GeneratedAnswer:
    kept, cited, dropped = [], [], 0
    for start, end in sentence_spans(reply):
        sentence = reply[start:end].strip()
        markers = [int(n) for n in _MARKER.findall(sentence)]
        if markers and all(1 <= n <= passage_count for n in markers):
            kept.append(sentence)
            cited += [n for n in markers if n not in cited]
        else:
            dropped += 1
    if not kept:
        raise GenerationFailed("the generated answer cites none of the shown passages; it is not shown")
    return GeneratedAnswer(" ".join(kept), sorted(cited), dropped, model)


def _prompt(question: str, passages: list[tuple[str, str]]) -> str:
    numbered = "\n\n".join(f"[{n}] {citation}\n{text[:MAX_PASSAGE_CHARS]}"
                           for n, (citation, text) in enumerate(passages, 1))
    return f"Các đoạn trích:\n\n{numbered}\n\nCâu hỏi: {question}"


def _chat(settings: Settings, messages: list[dict]) -> str:
    url = settings.llm_url.rstrip("/") + "/chat/completions"
    body = json.dumps({"model": settings.llm_model, "messages": messages, "temperature": 0}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.llm_api_key:
        headers["Authorization"] = f"Bearer {settings.llm_api_key}"
    request = urllib.request.Request(url, body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            payload = json.loads(response.read().decode("utf-8"))
        return str(payload["choices"][0]["message"]["content"])
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise GenerationFailed(f"cannot reach the answer endpoint {url} ({error})") from None
    except (ValueError, KeyError, IndexError, TypeError):
        raise GenerationFailed(f"the answer endpoint {url} did not reply in the chat-completions format") from None
