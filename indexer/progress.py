"""How far the embedding of a build has gone, written by the indexer into the index folder while a lexical
generation is live, and read by the web app and the command line to say when search by meaning is ready.

    INDEX_DIR/PROGRESS   {"pid", "updated", "done", "total", "rate"}   (replaced atomically)
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

PROGRESS = "PROGRESS"


@dataclass
class EmbeddingProgress:
    pid: int  # the indexing process
    updated: float  # epoch seconds
    done: int  # passages embedded
    total: int  # passages to embed in this build
    rate: float  # passages per second of embedding so far; 0 before the first window is done

    def eta_s(self) -> float | None:
        """Seconds until every passage is embedded, at the rate so far; None before the rate is known."""
        return max(0.0, (self.total - self.done) / self.rate) if self.rate > 0 else None

    def running(self) -> bool:
        """Whether the indexing process is still alive (it may be another process on this machine)."""
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def write_progress(index_dir: Path, progress: EmbeddingProgress) -> None:
    path = index_dir / PROGRESS
    tmp = path.with_name(f".{PROGRESS}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(asdict(progress)), encoding="utf-8")
    os.replace(tmp, path)


def read_progress(index_dir: Path) -> EmbeddingProgress | None:
    """The progress of the build now embedding, or None when there is none or the file is unreadable."""
    try:
        values = json.loads((index_dir / PROGRESS).read_text(encoding="utf-8"))
        progress = EmbeddingProgress(**values)
    except (OSError, ValueError, TypeError):
        return None
    numbers = all(isinstance(getattr(progress, f.name), (int, float)) for f in fields(progress))
    return progress if numbers else None


def clear_progress(index_dir: Path) -> None:
    (index_dir / PROGRESS).unlink(missing_ok=True)
