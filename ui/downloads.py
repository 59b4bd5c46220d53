"""The tables offered for download by the web app, as CSV files in one temporary folder."""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from search.service import fold, write_csv

CSV_MAX_AGE_S = 3600


class CsvFolder:
    """One temporary folder for the tables offered for download, deleted when the server stops; a table is
    kept CSV_MAX_AGE_S, long enough to be downloaded, and deleted at a later write."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._lock = threading.Lock()

    def write(self, kind: str, subject: str, text: str) -> str:
        """`KIND-SUBJECT.csv` in a subfolder of its own (two users' tables never collide)."""
        slug = re.sub(r"[^a-z0-9]+", "-", fold(subject))[:40].strip("-") or "bang"
        with self._lock:
            if self._path is None:
                self._path = Path(tempfile.mkdtemp(prefix="edusearch-csv-"))
                atexit.register(self.remove)
            self._drop_old()
            path = Path(tempfile.mkdtemp(dir=self._path)) / f"{kind}-{slug}.csv"
        write_csv(path, text)
        return str(path)

    def remove(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None

    def _drop_old(self) -> None:
        cutoff = time.time() - CSV_MAX_AGE_S
        for folder in self._path.iterdir():
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


CSV_FILES = CsvFolder()


CSV_FILES = CsvFolder()
