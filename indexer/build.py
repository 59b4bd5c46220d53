"""Build or update the index of a folder of documents: only new or changed files are parsed and
embedded, deleted ones drop out, and the result is published as a new generation all at once."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from indexer import generations as gen
from indexer.bm25 import Bm25Writer, context_text
from indexer.chunks import CHUNKER_VERSION, Chunk
from indexer.config import Settings
from indexer.embed import Embedder
from indexer.extract import SUPPORTED_SUFFIXES, ExtractionError, UnsupportedFile
from indexer.ingest import ParsedDocument
from indexer.metadata import SIDECAR_SUFFIX, DocumentMeta, sidecar_path
from indexer.normalize import NORMALIZATION_VERSION
from indexer.sandbox import Limits, parse_bounded
from indexer.store import Store, StoredDocument, StoredSection, StoreWriter
from indexer.vectors import build_faiss, write_faiss

INDEXED, UNCHANGED, SKIPPED, FAILED, REMOVED = "indexed", "unchanged", "skipped", "failed", "removed"


@dataclass
class FileReport:
    doc: str
    status: str  # indexed, unchanged, skipped, failed, removed
    reason: str = ""
    chunks: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    files: list[FileReport]
    generation: str
    chunks_total: int
    chunks_embedded: int
    seconds: float
    embed_seconds: float

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


@dataclass
class _Prepared:
    document: StoredDocument
    sections: list[StoredSection]
    chunks: list[Chunk]
    vectors: np.ndarray | None  # None until embedded


def embedding_text(meta: DocumentMeta, chunk: Chunk) -> str:
    """What the dense side embeds: `title › heading path: passage`."""
    title = (meta.title or "")[:120]
    head = " › ".join(part for part in (title, chunk.section) if part)
    return f"{head}: {chunk.text}" if head else chunk.text


def chunk_context(meta: DocumentMeta, section: str) -> str:
    return context_text(meta.title, meta.number, meta.issuer_short or meta.issuer, meta.province, section)


def build_index(documents: Path, settings: Settings, *, rebuild: bool = False, show_progress: bool = True,
                embedder: Embedder | None = None, on_stage: Callable[[str], None] | None = None) -> BuildReport:
    """Index `documents` into `settings.index_dir`. Raises IndexUnusable (or IndexLocked) with advice."""
    started = time.perf_counter()
    if not documents.is_dir():
        raise FileNotFoundError(f"documents folder not found: {documents}")
    index_dir = settings.index_dir
    with gen.WriterLock(index_dir):
        previous = None if rebuild else _open_previous(index_dir, settings.model)
        reports: list[FileReport] = []
        prepared: list[_Prepared] = []
        files = list(_document_files(documents))
        limits = Limits(settings.extract_timeout_s, settings.extract_memory_mb)
        for path in tqdm(files, desc="Đọc tài liệu", unit="tệp", disable=not show_progress, file=sys.stderr):
            doc = path.relative_to(documents).as_posix()
            report, item = _prepare(path, doc, previous, limits)
            reports.append(report)
            if item:
                prepared.append(item)
        present = {r.doc for r in reports}
        if previous:
            reports.extend(FileReport(d.doc, REMOVED) for d in previous.documents() if d.doc not in present)
            previous.close()

        to_embed = [(item, c) for item in prepared if item.vectors is None for c in item.chunks]
        embed_started = time.perf_counter()
        if to_embed or embedder is None and not _dimension_known(index_dir, settings.model):
            embedder = embedder or Embedder(settings.model)
        if to_embed:
            assert embedder is not None
            _embed(prepared, embedder, settings.batch_size, show_progress)
        embed_seconds = time.perf_counter() - embed_started
        dimension = embedder.dimension if embedder else _previous_dimension(index_dir)

        if on_stage:
            on_stage("writing")
        generation = gen.new_generation_dir(index_dir)
        try:
            total = _write_generation(generation, prepared, dimension, settings)
            manifest = gen.Manifest(
                schema_version=gen.SCHEMA_VERSION, normalization_version=NORMALIZATION_VERSION,
                chunker_version=CHUNKER_VERSION, model=settings.model, dimension=dimension,
                created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                documents={p.document.doc: p.document.sha256 for p in prepared},
                counts={"documents": len(prepared), "chunks": total,
                        "sections": sum(len(p.sections) for p in prepared)},
            )
            if on_stage:
                on_stage("publishing")
            gen.publish(index_dir, generation, manifest)
        except OSError as error:
            gen.discard(index_dir, generation)
            raise gen.IndexWriteFailed(
                f"could not write the new index ({error.strerror or error}"
                f"{': ' + str(error.filename) if error.filename else ''}); the previous index is unchanged and "
                "still answers. Free disk space or fix the problem, then run edusearch index again") from error
        gen.remove_old(index_dir)
    return BuildReport(reports, generation.name, total, len(to_embed), time.perf_counter() - started, embed_seconds)


def _document_files(root: Path):
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.name.endswith(SIDECAR_SUFFIX):
            continue
        yield path


def _content_hash(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.exists():
        digest.update(b"\0sidecar\0" + sidecar.read_bytes())
    return digest.hexdigest()


def _prepare(path: Path, doc: str, previous: Store | None, limits: Limits) -> tuple[FileReport, _Prepared | None]:
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
            item = _Prepared(stored, previous.sections(doc), [c for c, _ in pairs],
                             np.vstack([v for _, v in pairs]) if pairs else np.zeros((0, 1), np.float32))
            return FileReport(doc, UNCHANGED, chunks=len(pairs), notes=stored.notes), item
    try:
        parsed = parse_bounded(path, doc, limits)
    except UnsupportedFile as error:
        return FileReport(doc, SKIPPED, str(error)), None
    except ExtractionError as error:
        return FileReport(doc, FAILED, str(error)), None
    if not parsed.chunks:
        return FileReport(doc, FAILED, "no searchable text found", notes=parsed.notes), None
    return FileReport(doc, INDEXED, chunks=len(parsed.chunks), notes=parsed.notes), _from_parsed(parsed, sha)


def _from_parsed(parsed: ParsedDocument, sha: str) -> _Prepared:
    document = StoredDocument(parsed.doc, sha, parsed.meta, parsed.text, parsed.page_count, parsed.notes)
    sections = [StoredSection(parsed.doc, s.ordinal, s.heading, s.path_text, s.level, s.start, s.end, *s.pages)
                for s in parsed.sections]
    return _Prepared(document, sections, parsed.chunks, None)


def _embed(prepared: list[_Prepared], embedder: Embedder, batch_size: int, show_progress: bool) -> None:
    pending = [item for item in prepared if item.vectors is None]
    texts = [embedding_text(item.document.meta, c) for item in pending for c in item.chunks]
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    with tqdm(total=len(texts), desc="Mã hóa đoạn văn", unit="đoạn", disable=not show_progress,
              file=sys.stderr) as bar:
        step = batch_size * 4
        for start in range(0, len(texts), step):
            vectors[start:start + step] = embedder.embed_passages(texts[start:start + step], batch_size)
            bar.update(min(step, len(texts) - start))
    offset = 0
    for item in pending:
        item.vectors = vectors[offset:offset + len(item.chunks)]
        offset += len(item.chunks)


def _write_generation(generation: Path, prepared: list[_Prepared], dimension: int, settings: Settings) -> int:
    bm25 = Bm25Writer(generation / gen.BM25)
    try:
        return _write_parts(generation, prepared, dimension, settings, bm25)
    except BaseException:
        bm25.abort()
        raise


def _write_parts(generation: Path, prepared: list[_Prepared], dimension: int, settings: Settings,
                 bm25: Bm25Writer) -> int:
    store = StoreWriter(generation / gen.STORE)
    all_vectors = []
    vec_id = 0
    for item in prepared:
        assert item.vectors is not None
        meta = item.document.meta
        store.add_document(item.document, item.sections, item.chunks, item.vectors)
        for chunk in item.chunks:
            bm25.add(vec_id, chunk.text, chunk_context(meta, chunk.section), meta.province, meta.doc_type,
                     meta.year)
            vec_id += 1
        if len(item.chunks):
            all_vectors.append(item.vectors)
    store.close()
    bm25.commit()
    vectors = np.vstack(all_vectors) if all_vectors else np.zeros((0, dimension), dtype=np.float32)
    write_faiss(build_faiss(vectors, dimension, settings.hnsw_threshold), generation / gen.VECTORS)
    return vec_id


def _open_previous(index_dir: Path, model: str) -> Store | None:
    generation = gen.current_generation(index_dir)
    if generation is None or not (generation / gen.MANIFEST).exists():
        return None
    manifest = gen.Manifest.load(generation / gen.MANIFEST)
    if manifest.model != model:
        raise gen.IndexUnusable(
            f"the index in {index_dir} was built with model '{manifest.model}', not '{model}'; vectors of "
            "two models cannot be mixed. Rebuild it with: edusearch index --rebuild")
    if (manifest.schema_version, manifest.normalization_version, manifest.chunker_version) != (
            gen.SCHEMA_VERSION, NORMALIZATION_VERSION, CHUNKER_VERSION):
        return None  # an older format: everything is parsed again
    problems = gen.verify(generation, manifest)
    if problems:
        return None  # a damaged previous generation is not reused; the new one is built from the files
    return Store(generation / gen.STORE)


def _dimension_known(index_dir: Path, model: str) -> bool:
    generation = gen.current_generation(index_dir)
    if generation is None or not (generation / gen.MANIFEST).exists():
        return False
    return gen.Manifest.load(generation / gen.MANIFEST).model == model


def _previous_dimension(index_dir: Path) -> int:
    generation = gen.current_generation(index_dir)
    assert generation is not None
    return gen.Manifest.load(generation / gen.MANIFEST).dimension
