"""Adding and removing plans from the web app: behind a password from the environment, limited in type and
size, with sanitized file names, and never writing or deleting outside the documents folder."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from search.service import SIDECAR_SUFFIX, SUPPORTED_SUFFIXES, sha256_file

PASSWORD_VARIABLE = "EDUSEARCH_ADMIN_PASSWORD"
UPLOAD_FOLDER = "tai-len"  # uploads go to documents/tai-len/
MAX_UPLOAD_MB = 20
MAX_NAME_CHARS = 120
PASSWORD_CHECK_S = 0.5  # every password check takes this long, right or wrong, so timing tells nothing
MAX_FAILURES = 5  # wrong passwords from one client within LOCKOUT_S, after which it is locked out
LOCKOUT_S = 900
SESSION_COOKIE = "edusearch_admin"
SESSION_S = 8 * 3600
log = logging.getLogger("edusearch.admin")
_UNSAFE = re.compile(r"[^\w .()\-]+")


class AdminError(ValueError):
    """A refused admin action; the message is for the user, in Vietnamese."""


def uploads_enabled() -> bool:
    return bool(os.environ.get(PASSWORD_VARIABLE))


class PasswordGuard:
    """Checks the admin password: in constant time and constant duration; a client with MAX_FAILURES wrong
    passwords within LOCKOUT_S is refused, even with the right one, until the oldest of them is that old.
    Every failure and lockout is logged with the client's address."""

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def check(self, given: str | None, client: str) -> None:
        expected = os.environ.get(PASSWORD_VARIABLE)
        if not expected:
            raise AdminError(f"Chức năng thêm/xóa văn bản đang tắt. Người quản trị bật nó bằng biến môi trường "
                             f"{PASSWORD_VARIABLE}.")
        deadline = time.monotonic() + PASSWORD_CHECK_S
        try:
            self._check(given or "", expected, client)
        finally:
            time.sleep(max(0.0, deadline - time.monotonic()))

    def _check(self, given: str, expected: str, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < LOCKOUT_S]
            self._failures[client] = recent
            if len(recent) >= MAX_FAILURES:
                log.warning("admin: %s is locked out after %d wrong passwords", client, len(recent))
                raise AdminError(f"Đã nhập sai mật khẩu {MAX_FAILURES} lần; hãy thử lại sau "
                                 f"{LOCKOUT_S // 60} phút.")
            right = hmac.compare_digest(hashlib.sha256(given.encode("utf-8", "replace")).digest(),
                                        hashlib.sha256(expected.encode("utf-8", "replace")).digest())
            if not right:
                recent.append(now)
                log.warning("admin: wrong password from %s (%d of %d)", client, len(recent), MAX_FAILURES)
                raise AdminError("Sai mật khẩu quản trị.")


GUARD = PasswordGuard()


def check_password(given: str | None, client: str = "local") -> None:
    GUARD.check(given, client)


class AdminSessions:
    """Admin sessions opened with the password: a random token, kept in a cookie (HttpOnly, SameSite
    Strict), valid SESSION_S. Every admin action and Gradio's file-upload route need one."""

    def __init__(self) -> None:
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def open(self, password: str | None, client: str) -> str:
        """A new session's token; raises AdminError for a wrong password or a locked-out client."""
        check_password(password, client)
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._expiry = {t: e for t, e in self._expiry.items() if e > now}
            self._expiry[token] = now + SESSION_S
        log.info("admin: session opened from %s", client)
        return token

    def valid(self, token: str | None) -> bool:
        with self._lock:
            return bool(token) and uploads_enabled() and self._expiry.get(token, 0.0) > time.monotonic()

    def close(self, token: str | None) -> None:
        with self._lock:
            self._expiry.pop(token or "", None)


SESSIONS = AdminSessions()


def require_session(token: str | None) -> None:
    """Raises AdminError unless uploads are on and `token` is an open admin session."""
    if not uploads_enabled():
        raise AdminError(f"Chức năng thêm/xóa văn bản đang tắt. Người quản trị bật nó bằng biến môi trường "
                         f"{PASSWORD_VARIABLE}.")
    if not SESSIONS.valid(token):
        raise AdminError("Hãy đăng nhập quản trị (ô mật khẩu ở trên) trước khi thêm hoặc xóa văn bản.")


def safe_name(name: str) -> str:
    """A plain file name from whatever a browser sent: no folders, no NUL or control characters, no
    leading dot, Vietnamese letters kept (NFC), at most MAX_NAME_CHARS, the suffix lower-cased."""
    base = re.split(r"[\\/]", name.replace("\x00", ""))[-1]
    base = unicodedata.normalize("NFC", "".join(c for c in base if unicodedata.category(c)[0] != "C"))
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = " ".join(_UNSAFE.sub("_", stem).split()).strip(" ._") or "tai-lieu"
    suffix = _UNSAFE.sub("", suffix).lower()
    return stem[:MAX_NAME_CHARS] + (f".{suffix}" if suffix else "")


@dataclass
class Saved:
    name: str  # as uploaded
    doc: str | None  # path relative to the documents folder, when saved
    problem: str = ""  # why it was refused
    copy_of: str | None = None  # the file of the documents folder with the same content, when refused for it


class PresentFiles:
    """The documents already in the folder (hidden entries, sidecars and links left out), found by content:
    only those of an upload's size are hashed, each once."""

    def __init__(self, root: Path):
        self.root = root
        self._by_size: dict[int, list[Path]] = {}
        self._hashes: dict[Path, str] = {}
        for path in _document_paths(root):
            self.add(path)

    def add(self, path: Path) -> None:
        self._by_size.setdefault(path.stat().st_size, []).append(path)

    def copy_of(self, source: Path) -> str | None:
        """The file (relative to the folder) whose bytes are those of `source`, or None."""
        same_size = self._by_size.get(source.stat().st_size, [])
        if not same_size:
            return None
        digest = sha256_file(source)
        return next((path.relative_to(self.root).as_posix() for path in same_size if self._hash(path) == digest), None)

    def _hash(self, path: Path) -> str:
        if path not in self._hashes:
            self._hashes[path] = sha256_file(path)
        return self._hashes[path]


def save_uploads(documents: Path, uploads: list[tuple[Path, str]]) -> list[Saved]:
    """Copy each (temporary file, original name) into documents/tai-len/, refusing unsupported types,
    oversize files and a file whose content is already in the documents folder (or earlier in the same
    upload); an existing file of the same name is kept and the new one numbered."""
    target_dir = (documents / UPLOAD_FOLDER).resolve()
    root = documents.resolve()
    target_dir.mkdir(parents=True, exist_ok=True)
    present = PresentFiles(root)
    out = []
    for source, original in uploads:
        name = safe_name(original)
        suffix = Path(name).suffix
        if suffix not in SUPPORTED_SUFFIXES:
            out.append(Saved(original, None, f"loại tệp {suffix or '(không có đuôi)'} không được hỗ trợ "
                                             f"(nhận {', '.join(SUPPORTED_SUFFIXES)})"))
            continue
        size = source.stat().st_size
        if size > MAX_UPLOAD_MB * 1024 * 1024:
            out.append(Saved(original, None, f"tệp {size / 1e6:.0f} MB, quá giới hạn {MAX_UPLOAD_MB} MB"))
            continue
        if copy := present.copy_of(source):
            out.append(Saved(original, None, f"nội dung trùng với tệp “{copy}” đã có trong thư mục tài liệu", copy))
            continue
        target = _free_path(target_dir / name)
        if not target.resolve().is_relative_to(root):
            out.append(Saved(original, None, "tên tệp không hợp lệ"))
            continue
        _copy_atomically(source, target)
        present.add(target)
        out.append(Saved(original, target.relative_to(root).as_posix()))
    return out


def remove_document(documents: Path, doc: str) -> Path:
    """Delete an indexed file (and its sidecar) from the documents folder; the caller re-indexes. A
    symbolic link is removed itself: what it points to is never deleted."""
    root = documents.resolve()
    entry = root / doc
    folder = entry.parent.resolve()
    path = folder / entry.name
    if not folder.is_relative_to(root) or entry.name in ("", ".", "..") or path == root \
            or not (path.is_symlink() or path.is_file()):
        raise AdminError(f"Không có văn bản “{doc}” trong thư mục tài liệu.")
    path.unlink()
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.is_file():
        sidecar.unlink()
    return path


def _document_paths(root: Path) -> list[Path]:
    """The regular files of the folder that may be documents: not hidden, not sidecars, not links."""
    found = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [path for name in names if not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX)
                  and (path := Path(folder) / name).suffix.lower() in SUPPORTED_SUFFIXES
                  and path.is_file() and not path.is_symlink()]
    return found


def _free_path(path: Path) -> Path:
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return candidate


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy to a hidden temporary file in the target folder (which indexing skips), then rename."""
    handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
