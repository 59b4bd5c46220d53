"""Kill -9 at many moments of an indexing run, I/O errors and a full disk at each save step, damaged
files in a committed generation: the previous index keeps answering, whole, and a re-run completes."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import bm25, build, generations as gen, store
from indexer.build import UNCHANGED, build_index
from runtime.settings import Settings
from search.engine import SearchEngine
from search.live_index import OpenIndex
from tests.robustness.conftest import SMALL_MODEL
from tests.conftest import DOCUMENTS, REPO
from tests.indexer.fixtures import make_pdf
from tests.robustness.test_hostile_files import PLAN

QUESTION = "Sở Tài chính bố trí kinh phí"
KILL_TRIALS = 20
READING_BAR = "Đọc tài liệu".encode()
WRITE_PHASE_DELAYS = (0.0, 0.02, 0.05, 0.1, 0.2)  # seconds after the new generation's folder appears
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("small_model_commands")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in DOCUMENTS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


def _index_process(folder: Path, index_dir: Path, progress: bool = False) -> subprocess.Popen:
    env = {**os.environ, "EDUSEARCH_INDEX_DIR": str(index_dir)}
    quiet = [] if progress else ["--quiet"]
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "index", str(folder), "--rebuild", *quiet],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE if progress else subprocess.DEVNULL)


def _timed_run(folder: Path, index_dir: Path) -> tuple[float, float]:
    """(seconds until the run starts reading files, seconds until it ends): the kills aim between them, so
    they land while reading, embedding, writing and publishing rather than while Python starts."""
    started = time.monotonic()
    process = _index_process(folder, index_dir, progress=True)
    seen, work_starts = b"", 0.0
    while chunk := os.read(process.stderr.fileno(), 4096):
        seen += chunk
        if not work_starts and READING_BAR in seen:  # the progress bar of the reading stage
            work_starts = time.monotonic() - started
    process.wait(timeout=300)
    return work_starts, time.monotonic() - started


def _assert_whole_and_answering(settings: Settings, small_embedder) -> list[str]:
    index = OpenIndex(settings.index_dir, settings.index_model)  # checksums verified
    assert index.integrity_problems() == []
    leftovers = [p.name for p in settings.index_dir.iterdir() if p.name.startswith(".CURRENT")]
    assert leftovers == []
    hits = SearchEngine(settings, embedder=small_embedder).search(QUESTION, k=3)
    assert hits and hits[0].section.endswith("3. Sở Tài chính")
    return [h.chunk_id for h in hits]


def test_kill_minus_nine_at_twenty_moments_never_breaks_the_index(tmp_path, corpus, small_embedder):
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path / "index")
    build_index(corpus, settings, show_progress=False, embedder=small_embedder)
    expected = _assert_whole_and_answering(settings, small_embedder)

    work_starts, full_run = _timed_run(corpus, settings.index_dir)
    survived, published = 0, 0
    for trial in range(1, KILL_TRIALS + 1):
        live = gen.current_generation(settings.index_dir)
        process = _index_process(corpus, settings.index_dir)
        time.sleep(work_starts + (full_run - work_starts) * trial / (KILL_TRIALS + 1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        published += gen.current_generation(settings.index_dir) != live
        assert _assert_whole_and_answering(settings, small_embedder) == expected
        survived += 1
    for delay in WRITE_PHASE_DELAYS:  # aimed at the short writing and publishing phase
        live = gen.current_generation(settings.index_dir)
        process = _index_process(corpus, settings.index_dir)
        while process.poll() is None and not [p for p in gen.generations_dir(settings.index_dir).iterdir()
                                              if p != live and p.name > live.name]:
            time.sleep(0.002)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        published += gen.current_generation(settings.index_dir) != live
        assert _assert_whole_and_answering(settings, small_embedder) == expected
        survived += 1
    print(f"\n{survived}/{KILL_TRIALS + len(WRITE_PHASE_DELAYS)} kill -9 trials left a whole, answering index (run {full_run:.1f} s, "
          f"work from {work_starts:.1f} s; {published} kills came after the new generation was published)")
    rerun = build_index(corpus, settings, show_progress=False, embedder=small_embedder)
    assert rerun.count(UNCHANGED) == 5
    assert _assert_whole_and_answering(settings, small_embedder) == expected


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return children


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_killing_the_indexer_while_it_reads_a_file_frees_the_index_and_the_reader(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "slow.pdf", [PLAN] * 1900)  # about 5 s of reading
    index_dir = tmp_path / "index"
    process = _index_process(folder, index_dir)
    deadline = time.monotonic() + 60
    while not (readers := _children(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert readers, "the indexer never started a reader process"
    process.send_signal(signal.SIGKILL)
    process.wait()
    with gen.WriterLock(index_dir):  # a new run may start at once
        pass
    deadline = time.monotonic() + 5
    while any(map(_alive, readers)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(map(_alive, readers)), "the reader went on after the indexer was killed"


def _fail(error_number: int):
    def raise_error(*args, **kwargs):
        raise OSError(error_number, os.strerror(error_number))
    return raise_error


SAVE_STEPS = {
    "vectors": lambda mp, e: mp.setattr(build, "write_faiss", _fail(e)),
    "bm25": lambda mp, e: mp.setattr(bm25.Bm25Writer, "commit", _fail(e)),
    "chunk store": lambda mp, e: mp.setattr(store.StoreWriter, "close", _fail(e)),
    "manifest": lambda mp, e: _fail_atomic_write(mp, e, gen.MANIFEST),
    "pointer": lambda mp, e: _fail_atomic_write(mp, e, gen.POINTER),
}


def _fail_atomic_write(monkeypatch, error_number: int, name: str) -> None:
    real = gen._write_atomic

    def write(path: Path, text: str) -> None:
        if path.name == name:
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            tmp.write_text(text[: len(text) // 2], encoding="utf-8")  # a partial write, then the error
            try:
                raise OSError(error_number, os.strerror(error_number))
            finally:
                tmp.unlink()
        real(path, text)

    monkeypatch.setattr(gen, "_write_atomic", write)


@pytest.mark.parametrize("error_number", [errno.ENOSPC, errno.EIO], ids=["disk full", "I/O error"])
@pytest.mark.parametrize("step", list(SAVE_STEPS))
def test_a_failed_save_step_keeps_the_previous_index_serving(tmp_path, corpus, small_embedder, monkeypatch, step,
                                                            error_number):
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path / "index")
    build_index(corpus, settings, show_progress=False, embedder=small_embedder)
    live = gen.current_generation(settings.index_dir)
    expected = _assert_whole_and_answering(settings, small_embedder)

    SAVE_STEPS[step](monkeypatch, error_number)
    with pytest.raises(gen.IndexWriteFailed) as failure:
        build_index(corpus, settings, rebuild=True, show_progress=False, embedder=small_embedder)
    message = str(failure.value)
    assert os.strerror(error_number) in message and "the previous index is unchanged" in message
    monkeypatch.undo()

    assert gen.current_generation(settings.index_dir) == live
    assert [p for p in gen.generations_dir(settings.index_dir).iterdir()] == [live]
    assert _assert_whole_and_answering(settings, small_embedder) == expected


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage", [_flip_byte, _truncate], ids=["flipped byte", "truncated"])
@pytest.mark.parametrize("target", ["store.sqlite", "vectors.faiss", "bm25 segment", "manifest.json"])
def test_a_damaged_committed_file_is_caught_and_never_answered_from(tmp_path, corpus, small_embedder, damage, target):
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path / "index")
    build_index(corpus, settings, show_progress=False, embedder=small_embedder)
    live = gen.current_generation(settings.index_dir)
    if target == "bm25 segment":
        path = max((live / gen.BM25).glob("*.idx"), key=lambda p: p.stat().st_size)
    else:
        path = live / target
    damage(path)
    with pytest.raises(gen.IndexUnusable, match="damaged|unreadable|manifest"):
        SearchEngine(settings, embedder=small_embedder)
    code = subprocess.run([sys.executable, "-m", "ui.cli", "search", QUESTION, "--index-dir", str(settings.index_dir)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert code.returncode == 1 and "edusearch index --rebuild" in code.stderr and code.stdout == ""
