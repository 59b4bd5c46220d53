"""The web app refuses what it should: oversize uploads, uploads outside the admin tab, files outside its
own folders, raw server paths smuggled into event payloads."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import DOCUMENTS
from tests.ui.running import running_app
from ui import admin

PASSWD_LINE = "root:x:0:0"


@pytest.fixture(scope="module")
def app_url(engine, sample_settings):
    with running_app(engine, DOCUMENTS) as url:
        yield url, sample_settings


def _status(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


@pytest.mark.parametrize("path", ["/etc/passwd", "INDEX/CURRENT", "INDEX/.lock", "DOCUMENTS/003_57e12f6a00bab054.txt",
                                  "DOCUMENTS/../pyproject.toml", "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
                                  "%2Fetc%2Fpasswd", "/ETC/PASSWD", "/etc/./passwd", "~/.bashrc", "/proc/self/environ"])
def test_files_outside_the_apps_own_folders_are_refused(app_url, path):
    url, settings = app_url
    path = path.replace("INDEX", str(settings.index_dir)).replace("DOCUMENTS", str(DOCUMENTS))
    for route in ("gradio_api/file=", "file=", "GRADIO_API/FILE="):
        status, body = _status(f"{url}{route}{path}")
        assert status in (403, 404, 405) and PASSWD_LINE not in body and "KẾ HOẠCH" not in body


def test_an_oversize_upload_is_answered_413(app_url):
    url, _ = app_url
    boundary = "edusearch-boundary"
    size = (admin.MAX_UPLOAD_MB + 1) * 1024 * 1024
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    status, _ = _status(f"{url}gradio_api/upload", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 413


@pytest.mark.parametrize("password_set", [False, True], ids=["uploads off", "wrong password"])
def test_admin_events_called_directly_still_need_the_password(app_url, monkeypatch, password_set):
    """Gradio 6.31 still runs an `api_visibility="private"` event posted to /gradio_api/call/<name>, so
    the password check inside the handler is what guards removing a plan."""
    url, _ = app_url
    if password_set:
        monkeypatch.setenv(admin.PASSWORD_VARIABLE, "the-real-one")
        monkeypatch.setattr(admin, "PASSWORD_CHECK_S", 0)
        monkeypatch.setattr(admin, "GUARD", admin.PasswordGuard())
    status, body = _status(f"{url}gradio_api/call/remove",
                           json.dumps({"data": ["003_57e12f6a00bab054.txt", "guess"]}).encode(),
                           {"Content-Type": "application/json"})
    if status == 200:
        _, body = _status(f"{url}gradio_api/call/remove/{json.loads(body)['event_id']}")
    expected = "Sai m\\u1eadt kh\\u1ea9u" if password_set else "\\u0111ang t\\u1eaft"
    assert expected in body
    assert (DOCUMENTS / "003_57e12f6a00bab054.txt").is_file()


def test_a_raw_server_path_in_a_payload_leaks_nothing(app_url):
    url, _ = app_url
    payload = {"path": "/etc/passwd", "url": None, "meta": {"_type": "gradio.FileData"}, "orig_name": "passwd"}
    status, body = _status(f"{url}gradio_api/call/search", json.dumps({"data": [payload]}).encode(),
                           {"Content-Type": "application/json"})
    if status == 200:
        event = json.loads(body)["event_id"]
        _, body = _status(f"{url}gradio_api/call/search/{urllib.parse.quote(event)}")
    assert PASSWD_LINE not in body


def _event(url: str, name: str, data: list) -> str:
    """Post an event of the page straight to the server, as a script would, and read its outcome."""
    status, body = _status(f"{url}gradio_api/call/{name}", json.dumps({"data": data}).encode(),
                           {"Content-Type": "application/json"})
    if status != 200:
        return body
    return _status(f"{url}gradio_api/call/{name}/{json.loads(body)['event_id']}")[1]


LONG = "giáo dục " * 1000  # 9,000 characters


@pytest.mark.parametrize(("name", "data"), [
    ("ask_view", [LONG, "Tất cả", "Tất cả", "Tất cả", "Tất cả", False]),
    ("topic_view", [LONG, "Tất cả", "Tất cả", "Tất cả", "Tất cả", False]),
    ("target_view", [LONG, "Tất cả", "Tất cả", "Tất cả", False]),
    ("ask", [LONG, "", "", 0, 5]), ("search", [LONG, "", "", 0, 10]), ("topics", [LONG, "", "", 0]),
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_question_over_the_limit_is_refused_by_the_server_before_any_work(app_url, name, data):
    """The page's own events and the API refuse an input over 5,000 characters themselves: the browser's
    limit is no protection against a script posting megabytes that every user would then wait behind."""
    url, _ = app_url
    body = _event(url, name, data)
    assert "event: error" in body and "qu\\u00e1 d\\u00e0i" in body, body[:300]


def test_marking_words_reads_the_question_once_whatever_its_length(monkeypatch):
    from search.answer import AnswerSentence, SupportingPassage
    from search.engine import Hit
    from ui import views

    read = []
    real = views.syllables
    monkeypatch.setattr(views, "syllables", lambda text: read.append(len(text)) or real(text))
    text = " ".join(f"Câu số {n} nói về giáo dục." for n in range(200))
    sentences = [AnswerSentence(m, m + 10, text[m:m + 10], 1.0) for m in range(0, len(text) - 10, 40)]
    hit = Hit("d.txt", None, None, "", 0, [], text, 1.0, "d.txt", "", "c", 1, None)
    question = "giáo dục nghề nghiệp " * 240  # 5,040 characters
    views.marked_passage_html(SupportingPassage(hit, sentences), question)
    assert sum(read) <= 2 * len(question), f"read {sum(read):,} characters of question for one passage"
