"""Index generations on disk, and how a new one is published atomically.

    INDEX_DIR/
      CURRENT                 name of the live generation (replaced atomically)
      .lock                   held by the one writer
      generations/<name>/     store.sqlite, vectors.faiss, bm25/, manifest.json

A generation is written completely, fsynced, and only then named in CURRENT, so a crash or kill at any
point leaves the previous generation live and whole. Readers open one generation and never see a mix.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

SCHEMA_VERSION = 7  # 5: signer, fields read from the text, the syllable vocabulary; 6: dates of cited codes;
# 7: a passage scored in BM25 with its own heading (`indexer.build.lexical_text`)
POINTER = "CURRENT"
MANIFEST = "manifest.json"
STORE = "store.sqlite"
VECTORS = "vectors.faiss"
BM25 = "bm25"
VOCABULARY = "vocabulary.json"
# What a generation can answer: a lexical one is published as soon as the text is in BM25, before its
# passages are embedded (no vectors file); a hybrid one has both sides.
LEXICAL, HYBRID = "lexical", "hybrid"


class IndexUnusable(RuntimeError):
    """The index cannot be used as it is; the message says why and what to run."""


class IndexLocked(IndexUnusable):
    pass


class IndexWriteFailed(RuntimeError):
    """Writing a new generation failed (disk full, I/O error); the live one is untouched."""


@dataclass
class Manifest:
    schema_version: int
    normalization_version: int
    chunker_version: int
    model: str
    dimension: int
    created: str
    documents: dict[str, str]  # doc -> sha256 of its content (and sidecar)
    counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # file in the generation -> sha256
    stage: str = HYBRID  # LEXICAL or HYBRID

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        try:
            manifest = cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as error:
            raise IndexUnusable(f"the index manifest {path} is unreadable ({error}); "
                                "rebuild with: edusearch index --rebuild") from None
        wrong = [name for name, kind in _MANIFEST_TYPES.items() if not isinstance(getattr(manifest, name), kind)
                 or isinstance(getattr(manifest, name), bool)]
        if manifest.stage not in (LEXICAL, HYBRID):
            wrong.append("stage")
        if wrong:
            raise IndexUnusable(f"the index manifest {path} has fields of the wrong type ({', '.join(wrong)}); "
                                "rebuild with: edusearch index --rebuild")
        return manifest


_MANIFEST_TYPES = {"schema_version": int, "normalization_version": int, "chunker_version": int, "model": str,
                   "dimension": int, "created": str, "documents": dict, "counts": dict, "files": dict, "stage": str}


def generations_dir(index_dir: Path) -> Path:
    return index_dir / "generations"


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise IndexUnusable(f"{pointer} is unreadable ({error}); rebuild with: edusearch index --rebuild") from None
    if not name or "/" in name or "\\" in name or name.startswith(".") or not name.isprintable():
        raise IndexUnusable(f"{pointer} is damaged; rebuild with: edusearch index --rebuild")
    return generations_dir(index_dir) / name


def live_generation(index_dir: Path) -> Path | None:
    """The live generation, or None when there is none or the pointer to it is damaged."""
    try:
        return current_generation(index_dir)
    except IndexUnusable:
        return None


def remove_partial(index_dir: Path) -> None:
    """Delete generations that were never sealed with a manifest (a build killed or failed while writing),
    other than the live one. Called with the writer lock held, before a build."""
    folder = generations_dir(index_dir)
    if not folder.is_dir():
        return
    live = live_generation(index_dir)
    for path in folder.iterdir():
        if path.is_dir() and path != live and not (path / MANIFEST).exists():
            shutil.rmtree(path, ignore_errors=True)


def new_generation_dir(index_dir: Path) -> Path:
    name = time.strftime("g%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}"
    path = generations_dir(index_dir) / name
    path.mkdir(parents=True)
    return path


def file_digests(generation: Path) -> dict[str, str]:
    digests = {}
    for path in sorted(generation.rglob("*")):
        if path.is_file() and path.name != MANIFEST and not path.name.startswith("."):
            digests[path.relative_to(generation).as_posix()] = sha256_file(path)
    return digests


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(generation: Path, manifest: Manifest) -> list[str]:
    """Problems found by comparing the generation's files with the manifest's checksums."""
    problems = []
    actual = file_digests(generation)
    for name, digest in manifest.files.items():
        if name not in actual:
            problems.append(f"missing file {name}")
        elif actual[name] != digest:
            problems.append(f"checksum mismatch in {name}")
    problems.extend(f"unexpected file {name}" for name in sorted(set(actual) - set(manifest.files)))
    return problems


def publish(index_dir: Path, generation: Path, manifest: Manifest) -> None:
    """Seal `generation` with its manifest and make it the live one."""
    manifest.files = file_digests(generation)
    _fsync_tree(generation)
    _write_atomic(generation / MANIFEST, json.dumps(manifest.to_json(), ensure_ascii=False, indent=1, sort_keys=True))
    _write_atomic(index_dir / POINTER, generation.name + "\n")


def discard(index_dir: Path, generation: Path) -> None:
    """Delete a generation that failed to be written, unless it somehow became the live one."""
    if live_generation(index_dir) != generation:
        shutil.rmtree(generation, ignore_errors=True)


def remove_old(index_dir: Path, keep: int = 2) -> None:
    """Delete generations other than the live one and the `keep - 1` newest before it; a reader that
    still has an older one open keeps its open files (POSIX semantics)."""
    live = live_generation(index_dir)
    names = sorted(p for p in generations_dir(index_dir).iterdir() if p.is_dir())
    sealed = [p for p in names if (p / MANIFEST).exists()]
    keep_set = {live} | set(sealed[-keep:]) if live else set(sealed[-keep:])
    for path in names:
        if path not in keep_set:
            shutil.rmtree(path, ignore_errors=True)


class WriterLock:
    """An exclusive, non-blocking lock on the index directory for the duration of a build.

    The lock is an flock, which a forked child (a file reader in `sandbox`) would otherwise share: a child
    outliving a killed indexer would keep the index locked. Forked children therefore drop held locks."""

    def __init__(self, index_dir: Path):
        index_dir.mkdir(parents=True, exist_ok=True)
        self._path = index_dir / ".lock"
        self._handle = None

    def __enter__(self) -> "WriterLock":
        self._handle = self._path.open("a+")
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._handle.close()
            raise IndexLocked(f"another 'edusearch index' is already running on {self._path.parent}; "
                              "wait for it to finish") from None
        _HELD_LOCKS.add(self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle:
            _HELD_LOCKS.discard(self._handle)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()


_HELD_LOCKS: set = set()


def _drop_locks_in_child() -> None:
    """Closing the child's copy leaves the parent's lock in place (an flock lives until every copy of its
    descriptor is closed or unlocked), and ends with the parent."""
    for handle in _HELD_LOCKS:
        handle.close()
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for directory in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        _fsync_dir(directory)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
