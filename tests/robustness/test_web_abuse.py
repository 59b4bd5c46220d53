"""The web app refuses what it should: oversize uploads, uploads outside the admin tab, files outside its
own folders, raw server paths smuggled into event payloads."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.robustness.conftest import SMALL_MODEL
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


def _multipart(name: str, content: bytes) -> tuple[bytes, dict]:
    boundary = "edusearch-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture()
def uploads_on(monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_VARIABLE, "the-real-one")
    monkeypatch.setattr(admin, "PASSWORD_CHECK_S", 0)
    monkeypatch.setattr(admin, "GUARD", admin.PasswordGuard())
    monkeypatch.setattr(admin, "SESSIONS", admin.AdminSessions())


def _login(url: str, password: str) -> str | None:
    """The admin session cookie the login form sets, if it does."""
    request = urllib.request.Request(f"{url}admin/login", data=urllib.parse.urlencode({"password": password}).encode(),
                                     method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        cookie = error.headers.get("set-cookie") or ""
        assert error.code == 303
        return cookie.split(";")[0] if cookie.startswith(admin.SESSION_COOKIE) else None
    return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("state", ["uploads off", "no session", "wrong password"])
def test_the_upload_route_takes_no_file_without_an_admin_session(app_url, monkeypatch, state):
    """Gradio's upload route stores a file before any handler runs: the gate in front of it refuses."""
    url, _ = app_url
    headers = {}
    if state != "uploads off":
        monkeypatch.setenv(admin.PASSWORD_VARIABLE, "the-real-one")
        monkeypatch.setattr(admin, "PASSWORD_CHECK_S", 0)
        monkeypatch.setattr(admin, "GUARD", admin.PasswordGuard())
    if state == "wrong password":
        assert _login(url, "guess") is None
    body, headers = _multipart("a.txt", b"KE HOACH")
    status, answer = _status(f"{url}gradio_api/upload", body, headers)
    assert status == 403 and ("tắt" in answer or "đăng nhập" in answer), (status, answer[:200])


@pytest.fixture()
def own_app(tmp_path, small_embedder):
    """An app over its own small folder and index, for tests that add plans."""
    from indexer.build import build_index
    from runtime.settings import Settings
    from search.engine import SearchEngine

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "a.txt").write_text("KẾ HOẠCH\nDạy bơi\nDạy bơi an toàn cho học sinh tiểu học.\n", encoding="utf-8")
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path / "index")
    build_index(folder, settings, show_progress=False, embedder=small_embedder)
    with running_app(SearchEngine(settings, small_embedder), folder) as url:
        yield url, folder


def test_an_admin_session_uploads_within_the_size_limit_and_its_temporary_copy_is_removed(own_app, uploads_on):
    url, folder = own_app
    cookie = _login(url, "the-real-one")
    assert cookie
    body, headers = _multipart("big.txt", b"x" * ((admin.MAX_UPLOAD_MB + 1) * 1024 * 1024))
    assert _status(f"{url}gradio_api/upload", body, {**headers, "Cookie": cookie})[0] == 413
    body, headers = _multipart("ke-hoach.txt", "KẾ HOẠCH\nChuyển đổi số\nỨng dụng công nghệ.\n".encode())
    status, answer = _status(f"{url}gradio_api/upload", body, {**headers, "Cookie": cookie})
    assert status == 200
    [temporary] = json.loads(answer)
    payload = {"path": temporary, "meta": {"_type": "gradio.FileData"}, "orig_name": "ke-hoach.txt"}
    status, started = _status(f"{url}gradio_api/call/upload", json.dumps({"data": [[payload]]}).encode(),
                              {"Content-Type": "application/json", "Cookie": cookie})
    report = _status(f"{url}gradio_api/call/upload/{json.loads(started)['event_id']}", headers={"Cookie": cookie})[1]
    assert "tai-len/ke-hoach.txt" in report, report[:300]
    assert (folder / "tai-len" / "ke-hoach.txt").is_file()
    assert not Path(temporary).exists()


@pytest.mark.parametrize("password_set", [False, True], ids=["uploads off", "no session"])
def test_admin_events_called_directly_still_need_an_admin_session(app_url, monkeypatch, password_set):
    """Gradio 6.31 still runs an `api_visibility="private"` event posted to /gradio_api/call/<name>, so
    the session check inside the handler is what guards removing a plan."""
    url, _ = app_url
    if password_set:
        monkeypatch.setenv(admin.PASSWORD_VARIABLE, "the-real-one")
    body = _event(url, "remove", ["003_57e12f6a00bab054.txt"])
    expected = "\\u0111\\u0103ng nh\\u1eadp" if password_set else "\\u0111ang t\\u1eaft"
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
    ("answer_page", [LONG, "Tất cả", "Tất cả", "Tất cả", "Tất cả", False]),
    ("topic_page", [LONG, "Tất cả", "Tất cả", "Tất cả", "Tất cả", False]),
    ("target_page", [LONG, "Tất cả", "Tất cả", "Tất cả", False]),
    ("ask", [LONG, "", "", 0, 5]), ("search", [LONG, "", "", 0, 10]), ("topics", [LONG, "", "", 0]),
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_question_over_the_limit_is_refused_by_the_server_before_any_work(app_url, name, data):
    """The page's own events and the API refuse an input over 5,000 characters themselves: the browser's
    limit is no protection against a script posting megabytes that every user would then wait behind."""
    url, _ = app_url
    body = _event(url, name, data)
    assert "event: error" in body and "qu\\u00e1 d\\u00e0i" in body, body[:300]


def test_marking_words_reads_the_question_once_whatever_its_length(monkeypatch):
    from search import marking
    from search.answer import AnswerSentence, SupportingPassage
    from search.engine import Hit
    from ui import views

    read = []
    real = marking.syllables
    monkeypatch.setattr(marking, "syllables", lambda text: read.append(len(text)) or real(text))
    text = " ".join(f"Câu số {n} nói về giáo dục." for n in range(200))
    sentences = [AnswerSentence(m, m + 10, text[m:m + 10], 1.0) for m in range(0, len(text) - 10, 40)]
    hit = Hit("d.txt", None, None, "", 0, [], text, 1.0, "d.txt", "", "c", 1, None)
    question = "giáo dục nghề nghiệp " * 240  # 5,040 characters
    views.marked_passage_html(SupportingPassage(hit, sentences), question)
    assert sum(read) <= 2 * len(question), f"read {sum(read):,} characters of question for one passage"
