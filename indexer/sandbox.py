"""Reading one file in a child process, bounded in time and memory, so that a pathological file (a PDF
that sends pypdf into a loop, a decompression bomb, thousands of pages to OCR) fails alone with a reason
instead of hanging or exhausting the whole indexing run.

The child is forked (no re-import), gets its own process group (so OCR subprocesses die with it), and an
address-space limit of its inherited size plus the memory budget."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import resource
import signal
from dataclasses import dataclass
from pathlib import Path

from indexer.extract import ExtractionError, UnsupportedFile
from indexer.ingest import ParsedDocument, parse_file

_OK, _UNSUPPORTED, _FAILED = "ok", "unsupported", "failed"
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True)
class Limits:
    seconds: float = 600.0  # per file, OCR included
    memory_mb: int = 2048  # on top of what the indexing process already uses


def parse_bounded(path: Path, doc: str, limits: Limits) -> ParsedDocument:
    """`parse_file` in a child process. Raises ExtractionError when the file fails, takes longer than
    `limits.seconds` or needs more than `limits.memory_mb`, and UnsupportedFile as parse_file does."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(path, doc, limits.memory_mb, os.getpid(), sender), daemon=True)
    # Objects inherited from the parent (an index writer with native threads, say) must not be collected in
    # the child, where their threads do not exist.
    gc.freeze()
    try:
        child.start()
    finally:
        gc.unfreeze()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise ExtractionError(f"reading took longer than {limits.seconds:g} s, so the file was skipped "
                                  "(a damaged or pathological file?)")
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):
            child.join(5)
            raise ExtractionError(_death(child.exitcode, limits)) from None
    finally:
        _kill_group(child)
        receiver.close()
    if status == _OK:
        return payload
    if status == _UNSUPPORTED:
        raise UnsupportedFile(payload)
    raise ExtractionError(payload)


def _child(path: Path, doc: str, memory_mb: int, parent: int, sender) -> None:
    _die_with(parent)
    os.setsid()
    _limit_memory(memory_mb)
    try:
        result = (_OK, parse_file(path, doc))
    except UnsupportedFile as error:
        result = (_UNSUPPORTED, str(error))
    except ExtractionError as error:
        result = (_FAILED, str(error))
    except MemoryError:
        result = (_FAILED, f"reading needed more than {memory_mb} MB of memory, so the file was skipped")
    except Exception as error:  # noqa: BLE001 - any failure is this file's, reported with its reason
        result = (_FAILED, f"unexpected error while reading ({type(error).__name__}: {error})")
    try:
        sender.send(result)
    except MemoryError:
        sender.send((_FAILED, f"reading needed more than {memory_mb} MB of memory, so the file was skipped"))
    finally:
        sender.close()


def _die_with(parent: int) -> None:
    """Ask Linux to kill this reader when the indexer dies (kill -9 included), so no orphan reads on."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


def _limit_memory(memory_mb: int) -> None:
    with open("/proc/self/statm", encoding="ascii") as handle:
        current = int(handle.read().split()[0]) * resource.getpagesize()
    limit = current + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _kill_group(child) -> None:
    if child.pid is None:
        return
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    child.join(5)


def _death(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return (f"the reader process was killed by {name} (out of memory? the budget is {limits.memory_mb} MB), "
                "so the file was skipped")
    return f"the reader process stopped unexpectedly (exit code {exitcode}), so the file was skipped"
