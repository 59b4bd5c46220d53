"""Build or update the index of a folder of documents: only new or changed files are parsed and
embedded, deleted ones drop out, and the result is published as a new generation all at once."""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import sqlite3
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Protocol
from pathlib import Path

import numpy as np
from tqdm import tqdm

from indexer import generations as gen
from vietnamese.accents import Vocabulary, lacks_diacritics
from indexer.bm25 import Bm25Writer, context_text
from indexer.facets import DocumentFacets
from indexer.chunks import CHUNKER_VERSION, Chunk
from runtime.settings import Settings
from indexer.coverage import Coverage
from runtime.embed import Embedder
from indexer.extract import SUPPORTED_SUFFIXES, ExtractionError, UnsupportedFile
from indexer.ingest import ParsedDocument
from indexer.metadata import SIDECAR_SUFFIX, DocumentMeta, sidecar_path
from indexer.progress import EmbeddingProgress, clear_progress, write_progress
from vietnamese.normalize import NORMALIZATION_VERSION
from indexer.references import changes_to, is_replaced
from indexer.sections import SECTION_SEPARATOR
from indexer.sandbox import Limits, parse_bounded
from indexer.store import Store, StoredDocument, StoredSection, StoreWriter
from indexer.targets import Target
from indexer.vectors import build_faiss, choose_kind, write_faiss



class FileStatus(StrEnum):
    """What indexing did with one file; `label` is how the command line and the web app say it."""

    INDEXED = "indexed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {"indexed": "đã lập chỉ mục", "unchanged": "không đổi", "skipped": "bỏ qua", "failed": "LỖI",
                "removed": "đã xóa"}[self.value]


INDEXED, UNCHANGED, SKIPPED, FAILED, REMOVED = FileStatus
EMBED_WINDOW = 1024  # chunks embedded together (sorted by length inside); progress is written after each
FIRST_WINDOW = 128  # a smaller first window: the rate, and so the time left, is known within seconds
READERS = max(1, min(4, os.cpu_count() or 1))  # files read at once, each in a child process of its own
SEARCHABLE = "searchable"  # the stage at which a lexical generation is live (`build_index`'s on_stage)


@dataclass
class FileReport:
    doc: str
    status: FileStatus
    reason: str = ""
    chunks: int = 0
    notes: list[str] = field(default_factory=list)
    coverage: dict | None = None  # Coverage.to_json() of a file that is in the index

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, doc: str, status: FileStatus, chunks: int, notes: list[str], coverage: Coverage) -> "FileReport":
        """The report of a file in the index: its notes end with a warning when its coverage is low."""
        warning = coverage.note()
        return cls(doc, status, chunks=chunks, notes=[*notes, warning] if warning else list(notes),
                   coverage=coverage.to_json())


@dataclass
class BuildReport:
    files: list[FileReport]
    generation: str
    chunks_total: int
    chunks_embedded: int
    seconds: float
    embed_seconds: float
    searchable_seconds: float | None = None  # when a lexical generation was published first: after how long

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


@dataclass
class Prepared:
    """A document ready to be written: its record, sections, chunks and (once embedded) their vectors, and
    the targets it states."""
    document: StoredDocument
    sections: list[StoredSection]
    chunks: list[Chunk]
    vectors: np.ndarray | None  # None until embedded
    targets: list[Target] = field(default_factory=list)

    @functools.cached_property
    def without_diacritics(self) -> bool:
        return lacks_diacritics(self.document.text)


def embedding_text(meta: DocumentMeta, chunk: Chunk) -> str:
    """What the dense side embeds: `title › heading path: passage`."""
    title = (meta.printed("title") or "")[:120]
    head = " › ".join(part for part in (title, chunk.section) if part)
    return f"{head}: {chunk.text}" if head else chunk.text


def lexical_text(meta: DocumentMeta, chunk: Chunk) -> str:
    """What the BM25 passage fields score: the passage under its own heading (the last part of its heading
    path) or, for a passage outside any section, under the document's title (a law article's title line);
    a passage that opens with its heading (a section's first) is scored as it is. A heading scored with its
    text, not only as context, is what a plain bigram BM25 gets right on legal articles (BENCHMARKS.md,
    "Retrieval fused on every dev set")."""
    head = chunk.section.rsplit(SECTION_SEPARATOR, 1)[-1] if chunk.section else meta.printed("title") or ""
    head = head.removesuffix("…").strip()  # a long heading is cut with an ellipsis
    return f"{head}\n{chunk.text}" if head and not chunk.text.startswith(head) else chunk.text


def chunk_context(meta: DocumentMeta, section: str) -> str:
    return context_text(meta.printed("title"), meta.number, meta.printed("issuer_short") or meta.printed("issuer"),
                        meta.province, section)


def build_index(documents: Path, settings: Settings, *, rebuild: bool = False, show_progress: bool = True,
                embedder: PassageEncoder | None = None, on_stage: Callable[[str], None] | None = None,
                reader: Reader | None = None) -> BuildReport:
    """Index `documents` into `settings.index_dir`. Raises IndexUnusable (or IndexLocked) with advice. The
    files are read by `reader` (here, by default) and embedded by `embedder` (loaded when needed, by
    default); `indexer.distributed` passes ones that run on a Ray cluster.

    Passages are embedded once every file is read. When at least `settings.lexical_first_chunks` are to be,
    a lexical generation is published first (searchable as soon as the text is, `on_stage(SEARCHABLE)`),
    and the hybrid one when embedding ends; meanwhile the index folder's PROGRESS file says how far
    embedding has gone."""
    started = time.perf_counter()
    if not documents.is_dir():
        raise FileNotFoundError(f"documents folder not found: {documents}")
    if embedder is not None and embedder.name != settings.index_model:
        raise ValueError(f"the loaded model is {embedder.name} but the settings name {settings.index_model}: "
                         "an index must record the model that embedded it")
    index_dir = settings.index_dir
    searchable_seconds = None
    with gen.WriterLock(index_dir):
        gen.remove_partial(index_dir)
        previous, previous_manifest = (None, None) if rebuild else _open_previous(index_dir, settings.index_model)
        files = _document_files(documents)
        limits = Limits(settings.extract_timeout_s, settings.extract_memory_mb)
        embedding = _Embedding(embedder, settings, show_progress)
        reports, prepared = _read_all(files, documents, previous, limits, embedding, reader or LocalReader())
        present = {r.doc for r in reports}
        if previous:
            reports.extend(FileReport(d.doc, REMOVED) for d in previous.documents(with_text=False)
                           if d.doc not in present)
            previous.close()
        if embedding.left() >= max(settings.lexical_first_chunks, 1):
            write_index(index_dir, prepared, 0, settings, on_stage, stage=gen.LEXICAL)
            searchable_seconds = time.perf_counter() - started
            embedding.report_progress(index_dir)
            if on_stage:
                on_stage(SEARCHABLE)
        try:
            embedding.finish(need_embedder=previous_manifest is None)
        finally:
            clear_progress(index_dir)
        embedder, embed_seconds, embedded = embedding.embedder, embedding.seconds, embedding.count
        dimension = embedder.dimension if embedder else previous_manifest.dimension

        generation, total = write_index(index_dir, prepared, dimension, settings, on_stage)
    return BuildReport(reports, generation.name, total, embedded, time.perf_counter() - started, embed_seconds,
                       searchable_seconds)


def write_index(index_dir: Path, prepared: list[Prepared], dimension: int, settings: Settings,
                on_stage: Callable[[str], None] | None = None, stage: str = gen.HYBRID) -> tuple[Path, int]:
    """Write prepared documents as a new generation and publish it: (the generation, its chunk count). A
    hybrid generation needs every passage embedded; a lexical one keeps the vectors that are ready (a later
    build reuses them) and has no vector index. On a write error the previous generation stays live and
    IndexWriteFailed says what happened. The caller holds the index's WriterLock."""
    if on_stage:
        on_stage("writing")
    generation = gen.new_generation_dir(index_dir)
    try:
        total = _write_generation(generation, prepared, dimension, settings, stage)
        manifest = gen.Manifest(
            schema_version=gen.SCHEMA_VERSION, normalization_version=NORMALIZATION_VERSION,
            chunker_version=CHUNKER_VERSION, model=settings.index_model, dimension=dimension,
            created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            documents={p.document.doc: p.document.sha256 for p in prepared},
            counts={"documents": len(prepared), "chunks": total,
                    "sections": sum(len(p.sections) for p in prepared)},
            stage=stage,
        )
        if on_stage:
            on_stage("publishing")
        gen.publish(index_dir, generation, manifest)
    except (OSError, sqlite3.Error, RuntimeError, ValueError) as error:
        # OSError from our own writes; sqlite3 (chunk store), ValueError (tantivy) and RuntimeError (FAISS)
        # are how the libraries report a full disk or an I/O error.
        gen.discard(index_dir, generation)
        raise gen.IndexWriteFailed(
            f"could not write the new index ({_write_failure(error)}); the previous index is unchanged and "
            "still answers. Free disk space or fix the problem, then run edusearch index again") from error
    gen.remove_old(index_dir)
    return generation, total


def _document_files(root: Path) -> list[Path]:
    """Every entry of the folder that may be a document, links included (they are judged by `_decide`);
    symbolic links to folders are listed but never followed, hidden entries and sidecars are left out."""
    found = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        base = Path(folder)
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [base / d for d in subfolders if (base / d).is_symlink()]
        found += [base / n for n in names if not n.startswith(".") and not n.endswith(SIDECAR_SUFFIX)]
    return sorted(found)


def _not_a_document(path: Path, root: Path) -> str | None:
    """Why an entry is not read: a link that leads out of the documents folder (or to a folder), or
    anything but a regular file. Nothing outside the folder is ever read."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            return "symbolic link to a place outside the documents folder; not indexed"
        if target.is_dir():
            return "symbolic link to a folder; not followed"
    if not path.is_file():
        return "not a regular file; not indexed"
    return None


def _content_hash(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.exists() and not sidecar.is_symlink():
        digest.update(b"\0sidecar\0" + sidecar.read_bytes())
    return digest.hexdigest()


def _decide(path: Path, doc: str, previous: Store | None, root: Path) -> tuple[FileReport, Prepared | None] | str:
    """The outcome for a file that needs no reading (skipped, unreadable, unchanged), or its content hash."""
    if reason := _not_a_document(path, root):
        return FileReport(doc, SKIPPED, reason), None
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return FileReport(doc, SKIPPED, f"unsupported file type '{path.suffix or '(none)'}'"), None
    try:
        sha = _content_hash(path)
    except OSError as error:
        return FileReport(doc, FAILED, f"cannot read the file ({error.strerror or error})"), None
    if previous is not None:
        stored = previous.document(doc)
        if stored is not None and stored.sha256 == sha:
            pairs = previous.chunks_of(doc)
            embedded = all(len(v) for _, v in pairs)  # a lexical generation may hold passages not yet embedded
            vectors = np.vstack([v for _, v in pairs]) if pairs else np.zeros((0, 1), np.float32)
            item = Prepared(stored, previous.sections(doc), [c for c, _ in pairs], vectors if embedded else None,
                            previous.targets(doc))
            return FileReport.of(doc, UNCHANGED, len(pairs), stored.notes, stored.coverage), item
    return sha


def read_file(path: Path, doc: str, sha: str, limits: Limits) -> tuple[FileReport, Prepared | None]:
    """One file read and parsed (in a child process, within `limits`): its report, and what to index."""
    try:
        parsed = parse_bounded(path, doc, limits)
    except UnsupportedFile as error:
        return FileReport(doc, SKIPPED, str(error)), None
    except ExtractionError as error:
        return FileReport(doc, FAILED, str(error)), None
    if not parsed.chunks:
        return FileReport(doc, FAILED, "no searchable text found", notes=parsed.notes), None
    return FileReport.of(doc, INDEXED, len(parsed.chunks), parsed.notes, parsed.coverage), _from_parsed(parsed, sha)


def _from_parsed(parsed: ParsedDocument, sha: str) -> Prepared:
    document = StoredDocument(parsed.doc, sha, parsed.meta, parsed.text, parsed.page_count, parsed.notes,
                              parsed.coverage)
    sections = [StoredSection(parsed.doc, s.ordinal, s.heading, s.path_text, s.level, s.start, s.end, *s.pages)
                for s in parsed.sections]
    return Prepared(document, sections, parsed.chunks, None, parsed.targets)


class PassageEncoder(Protocol):
    """What embeds passages: an `Embedder` here, or actors on a cluster (`indexer.distributed`)."""

    name: str  # the model identity the index records
    dimension: int

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """One L2-normalised float32 row per text."""


class Reader(Protocol):
    """Reads the files that changed: here (`LocalReader`) or on a cluster (`indexer.distributed`)."""

    def submit(self, path: Path, doc: str, sha: str, limits: Limits) -> Future:
        """A future of `read_file(path, doc, sha, limits)`."""

    def close(self) -> None:
        """Give up what is not begun (on an interruption)."""


class LocalReader:
    """Reads READERS files at once, from threads, each file in a child process (`indexer.sandbox`)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="reader")

    def submit(self, path: Path, doc: str, sha: str, limits: Limits) -> Future:
        return self._pool.submit(read_file, path, doc, sha, limits)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _read_all(files: list[Path], documents: Path, previous: Store | None, limits: Limits,
              embedding: "_Embedding", reader: Reader) -> tuple[list[FileReport], list[Prepared]]:
    """Read every file (several at once, the reports in the folder's order), collecting what to embed."""
    reports: list[FileReport] = []
    prepared: list[Prepared] = []
    try:
        jobs = []
        for path in files:
            doc = path.relative_to(documents).as_posix()
            decided = _decide(path, doc, previous, documents)
            jobs.append(decided if isinstance(decided, tuple) else reader.submit(path, doc, decided, limits))
        for job in tqdm(jobs, desc="Đọc tài liệu", unit="tệp", disable=not embedding.show_progress, file=sys.stderr):
            report, item = job if isinstance(job, tuple) else job.result()
            reports.append(report)
            if item:
                prepared.append(item)
                embedding.add(item)
    finally:
        reader.close()  # on an interruption, files not yet begun stay unread
    return reports, prepared


class _Embedding:
    """Collects the documents to embed while files are read, then embeds them in windows of chunks (the
    model sorts each window by length, so batches pad little), loading the model only when something needs
    embedding. Nothing is embedded while files are read: on a machine whose cores reading keeps busy, that
    only delays the first search. Once asked (`report_progress`), it writes its progress into the index
    folder after each window."""

    def __init__(self, embedder: PassageEncoder | None, settings: Settings, show_progress: bool):
        self.embedder, self.settings, self.show_progress = embedder, settings, show_progress
        self.seconds, self.count, self.total = 0.0, 0, 0
        self._pending: list[Prepared] = []
        self._without_diacritics: list[Prepared] = []  # embedded last, with diacritics put back
        self._accented: list[Prepared] = []  # whose words put them back
        self._progress_dir: Path | None = None

    def add(self, item: Prepared) -> None:
        restoring = self.settings.restore_diacritics and item.without_diacritics
        if not item.without_diacritics:
            self._accented.append(item)
        if item.vectors is None:
            (self._without_diacritics if restoring else self._pending).append(item)
            self.total += len(item.chunks)

    def left(self) -> int:
        """Passages not embedded yet."""
        return self.total - self.count

    def report_progress(self, index_dir: Path) -> None:
        self._progress_dir = index_dir
        self._write_progress()

    def finish(self, need_embedder: bool) -> None:
        """Embed every document collected, those without diacritics last, with them put back from the words
        of all the others (a model reads `ty le hoc sinh` poorly); load the model anyway when the vector
        dimension is not known otherwise."""
        with tqdm(total=self.total, desc="Mã hóa đoạn văn", unit="đoạn", disable=not self.show_progress,
                  file=sys.stderr) as bar:
            self._embed(self._pending, str, bar)
            if self._without_diacritics:
                self._embed(self._without_diacritics, _vocabulary(self._accented).restore, bar)
        if self.embedder is None and need_embedder:
            self.embedder = Embedder.from_settings(self.settings)

    def _embed(self, items: list[Prepared], restore: Callable[[str], str], bar: tqdm) -> None:
        for window in _windows(items):
            started = time.perf_counter()
            if self.embedder is None:
                self.embedder = Embedder.from_settings(self.settings)
            texts = [restore(embedding_text(item.document.meta, c)) for item in window for c in item.chunks]
            vectors = self.embedder.embed_passages(texts, self.settings.batch_size)
            offset = 0
            for item in window:
                item.vectors = vectors[offset:offset + len(item.chunks)]
                offset += len(item.chunks)
            self.seconds += time.perf_counter() - started
            self.count += len(texts)
            bar.update(len(texts))
            self._write_progress()

    def _write_progress(self) -> None:
        if self._progress_dir:
            write_progress(self._progress_dir, EmbeddingProgress(os.getpid(), time.time(), self.count, self.total,
                                                                 self.count / self.seconds if self.seconds else 0.0))


def _windows(items: list[Prepared]) -> list[list[Prepared]]:
    """Whole documents, in order, grouped until a group holds FIRST_WINDOW chunks (the first) or
    EMBED_WINDOW (the others)."""
    windows: list[list[Prepared]] = [[]]
    size = 0
    for item in items:
        if size >= (FIRST_WINDOW if len(windows) == 1 else EMBED_WINDOW):
            windows.append([])
            size = 0
        windows[-1].append(item)
        size += len(item.chunks)
    return [w for w in windows if w]


def _write_generation(generation: Path, prepared: list[Prepared], dimension: int, settings: Settings,
                      stage: str) -> int:
    bm25 = Bm25Writer(generation / gen.BM25)
    try:
        return _write_parts(generation, prepared, dimension, settings, bm25, stage)
    except BaseException:
        bm25.abort()
        raise


def _write_parts(generation: Path, prepared: list[Prepared], dimension: int, settings: Settings,
                 bm25: Bm25Writer, stage: str) -> int:
    store = StoreWriter(generation / gen.STORE)
    all_vectors = []
    vec_id = 0
    changes = changes_to({item.document.doc: item.document.meta for item in prepared})
    vocabulary = _vocabulary(prepared)
    vocabulary.save(generation / gen.VOCABULARY)
    any_without = any(item.without_diacritics for item in prepared)
    restore = vocabulary.restore if settings.restore_diacritics and any_without else None
    for item in prepared:
        vectors = item.vectors  # None in a lexical generation for a passage not embedded yet
        assert vectors is not None or stage == gen.LEXICAL
        meta = item.document.meta
        store.add_document(item.document, item.sections, item.chunks, vectors, item.targets)
        facts = DocumentFacets.of(meta, is_replaced(changes.get(item.document.doc, [])))
        searchable = restore if restore and item.without_diacritics else str
        for chunk in item.chunks:
            bm25.add(vec_id, searchable(lexical_text(meta, chunk)), searchable(chunk_context(meta, chunk.section)), facts)
            vec_id += 1
        if len(item.chunks) and vectors is not None:
            all_vectors.append(vectors)
    store.close()
    bm25.commit()
    if stage == gen.HYBRID:
        vectors = np.vstack(all_vectors) if all_vectors else np.zeros((0, dimension), dtype=np.float32)
        kind = choose_kind(len(vectors), settings.vector_index, settings.hnsw_threshold)
        write_faiss(build_faiss(vectors, dimension, kind), generation / gen.VECTORS)
    return vec_id


def _vocabulary(prepared: list[Prepared]) -> Vocabulary:
    """What puts diacritics back into documents without them (here and before embedding) and into questions
    typed without them (search/engine.py)."""
    return Vocabulary.of_corpus(c.text for item in prepared if not item.without_diacritics for c in item.chunks)


def _write_failure(error: BaseException) -> str:
    """What went wrong while writing, in one line: `disk full (No space left on device): store.sqlite`."""
    if isinstance(error, OSError):
        reason = f"{error.strerror or error}{': ' + str(error.filename) if error.filename else ''}"
    else:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
    full = (isinstance(error, OSError) and error.errno == errno.ENOSPC) or \
        any(sign in str(error).lower() for sign in ("disk is full", "no space left"))
    return f"disk full: {reason}" if full else reason


def _open_previous(index_dir: Path, model: str) -> tuple[Store | None, gen.Manifest | None]:
    """The live generation's store, to reuse what did not change, and its manifest; (None, None) when
    there is none, or when its pointer or manifest is damaged: then every file is read again and nothing
    of it is kept."""
    generation = gen.live_generation(index_dir)
    if generation is None or not (generation / gen.MANIFEST).exists():
        return None, None
    try:
        manifest = gen.Manifest.load(generation / gen.MANIFEST)
    except gen.IndexUnusable:
        return None, None
    if manifest.model != model:
        raise gen.IndexUnusable(
            f"the index in {index_dir} was built with model '{manifest.model}', not '{model}'; vectors of "
            "two models cannot be mixed. Rebuild it with: edusearch index --rebuild")
    if (manifest.schema_version, manifest.normalization_version, manifest.chunker_version) != (
            gen.SCHEMA_VERSION, NORMALIZATION_VERSION, CHUNKER_VERSION):
        return None, manifest  # an older format: everything is parsed again
    if gen.verify(generation, manifest):
        return None, None  # a damaged generation is not reused; the new one is built from the files
    return Store(generation / gen.STORE), manifest


