"""The chunk and document store of one index generation (SQLite)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.chunks import Chunk
from indexer.coverage import Coverage
from indexer.metadata import DocumentMeta
from indexer.targets import Target

_SCHEMA = """
CREATE TABLE documents (
    doc TEXT PRIMARY KEY, sha256 TEXT NOT NULL, meta TEXT NOT NULL, text TEXT NOT NULL,
    page_count INTEGER, notes TEXT NOT NULL, coverage TEXT NOT NULL
);
CREATE TABLE sections (
    doc TEXT NOT NULL, ordinal INTEGER NOT NULL, heading TEXT NOT NULL, path TEXT NOT NULL,
    level INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    page_start INTEGER, page_end INTEGER, PRIMARY KEY (doc, ordinal)
);
CREATE TABLE chunks (
    vec_id INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, doc TEXT NOT NULL, ordinal INTEGER NOT NULL,
    section TEXT NOT NULL, section_ordinal INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, page_start INTEGER, page_end INTEGER,
    vector BLOB NOT NULL
);
CREATE INDEX chunks_doc ON chunks (doc, ordinal);
CREATE TABLE targets (doc TEXT NOT NULL, ordinal INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (doc, ordinal));
"""


@dataclass
class StoredDocument:
    doc: str
    sha256: str
    meta: DocumentMeta
    text: str
    page_count: int | None
    notes: list[str]
    coverage: Coverage = field(default_factory=Coverage)


@dataclass
class StoredSection:
    doc: str
    ordinal: int
    heading: str
    path: str
    level: int
    start: int
    end: int
    page_start: int | None
    page_end: int | None


class StoreWriter:
    """Writes a fresh store; chunks get consecutive vector ids 0..n-1 in insertion order."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(path)
        self._db.executescript(_SCHEMA)
        self._next_vec_id = 0

    def add_document(self, document: StoredDocument, sections: list[StoredSection],
                     chunks: list[Chunk], vectors: np.ndarray | None, targets: list[Target]) -> None:
        """A document and its parts; `vectors` None for passages not embedded yet (stored empty)."""
        self._db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (document.doc, document.sha256, json.dumps(document.meta.to_json(), ensure_ascii=False),
                          document.text, document.page_count, json.dumps(document.notes, ensure_ascii=False),
                          json.dumps(document.coverage.to_json(), ensure_ascii=False)))
        self._db.executemany("INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(s.doc, s.ordinal, s.heading, s.path, s.level, s.start, s.end, s.page_start,
                               s.page_end) for s in sections])
        rows = []
        for n, chunk in enumerate(chunks):
            vector = b"" if vectors is None else np.asarray(vectors[n], dtype=np.float32).tobytes()
            rows.append((self._next_vec_id, chunk.id, chunk.doc, chunk.ordinal, chunk.section,
                         chunk.section_ordinal, chunk.text, chunk.start, chunk.end, chunk.page_start,
                         chunk.page_end, vector))
            self._next_vec_id += 1
        self._db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._db.executemany("INSERT INTO targets VALUES (?, ?, ?)",
                             [(document.doc, n, json.dumps(t.to_json(), ensure_ascii=False))
                              for n, t in enumerate(targets)])

    def close(self) -> None:
        self._db.commit()
        self._db.close()


class Store:
    """Read access to a committed store."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    def documents(self, with_text: bool = True) -> list[StoredDocument]:
        """Every document; without its text (left empty) when only the metadata is wanted."""
        text = "text" if with_text else "''"
        rows = self._db.execute(f"SELECT doc, sha256, meta, {text}, page_count, notes, coverage FROM documents "
                                "ORDER BY doc")
        return [_document(r) for r in rows]

    def document(self, doc: str) -> StoredDocument | None:
        row = self._db.execute("SELECT doc, sha256, meta, text, page_count, notes, coverage FROM documents "
                               "WHERE doc = ?", (doc,)).fetchone()
        return _document(row) if row else None

    def sections(self, doc: str) -> list[StoredSection]:
        rows = self._db.execute('SELECT doc, ordinal, heading, path, level, start, "end", page_start, page_end '
                                "FROM sections WHERE doc = ? ORDER BY ordinal", (doc,))
        return [StoredSection(*r) for r in rows]

    def section(self, doc: str, ordinal: int) -> StoredSection | None:
        row = self._db.execute('SELECT doc, ordinal, heading, path, level, start, "end", page_start, page_end '
                               "FROM sections WHERE doc = ? AND ordinal = ?", (doc, ordinal)).fetchone()
        return StoredSection(*row) if row else None

    def targets(self, doc: str | None = None) -> list[Target]:
        """The targets of one document, or of all, in document order."""
        where, args = ("WHERE doc = ?", (doc,)) if doc else ("", ())
        rows = self._db.execute(f"SELECT record FROM targets {where} ORDER BY doc, ordinal", args)
        return [Target(**json.loads(r[0])) for r in rows]

    def chunks_of(self, doc: str) -> list[tuple[Chunk, np.ndarray]]:
        rows = self._db.execute(f"SELECT {_CHUNK_COLUMNS}, vector FROM chunks WHERE doc = ? ORDER BY ordinal", (doc,))
        return [(_chunk(r), np.frombuffer(r[-1], dtype=np.float32)) for r in rows]

    def chunks_by_vec_ids(self, vec_ids: list[int]) -> dict[int, Chunk]:
        if not vec_ids:
            return {}
        marks = ",".join("?" * len(vec_ids))
        rows = self._db.execute(f"SELECT vec_id, {_CHUNK_COLUMNS} FROM chunks WHERE vec_id IN ({marks})", vec_ids)
        return {r[0]: _chunk(r[1:]) for r in rows}

    def all_chunks(self) -> list[tuple[int, Chunk]]:
        rows = self._db.execute(f"SELECT vec_id, {_CHUNK_COLUMNS} FROM chunks ORDER BY vec_id")
        return [(r[0], _chunk(r[1:])) for r in rows]

    def chunk_docs(self) -> list[str]:
        """The document of every chunk, in vec_id order."""
        return [r[0] for r in self._db.execute("SELECT doc FROM chunks ORDER BY vec_id")]

    def vectors(self, vec_ids: list[int]) -> np.ndarray:
        """The float32 vectors of some chunks, in the order asked."""
        marks = ",".join("?" * len(vec_ids))
        rows = dict(self._db.execute(f"SELECT vec_id, vector FROM chunks WHERE vec_id IN ({marks})", vec_ids))
        return np.vstack([np.frombuffer(rows[v], dtype=np.float32) for v in vec_ids])

    def all_vectors(self, dimension: int) -> np.ndarray:
        rows = self._db.execute("SELECT vector FROM chunks ORDER BY vec_id").fetchall()
        if not rows:
            return np.zeros((0, dimension), dtype=np.float32)
        return np.vstack([np.frombuffer(r[0], dtype=np.float32) for r in rows])

    def count(self, table: str) -> int:
        assert table in ("documents", "sections", "chunks")
        return self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


_CHUNK_COLUMNS = 'id, doc, ordinal, section, section_ordinal, text, start, "end", page_start, page_end'


def _document(row: tuple) -> StoredDocument:
    return StoredDocument(row[0], row[1], DocumentMeta.from_json(json.loads(row[2])), row[3], row[4], json.loads(row[5]),
                          Coverage.from_json(json.loads(row[6])))


def _chunk(row: tuple) -> Chunk:
    return Chunk(id=row[0], doc=row[1], ordinal=row[2], section=row[3], section_ordinal=row[4], text=row[5],
                 start=row[6], end=row[7], page_start=row[8], page_end=row[9])
