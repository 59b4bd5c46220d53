"""The front door into search: everything the web app and the command line ask of the index, as methods
returning records. ui/ imports this module (and the settings) and nothing below it; the records it returns
are re-exported here so that a view can name them.

    service = SearchService(load_settings())
    service.ask("Sở nào bố trí kinh phí?").citation
    service.topics("chuyển đổi số").plans[0].label
    service.lineage("51-KL/TW ngày 30/5/2019").implementing
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from indexer.build import FAILED, SEARCHABLE, BuildReport, FileStatus, build_index
from indexer.distributed import Cluster, build_on_ray
from runtime.settings import Settings
from indexer.coverage import LOW_COVERAGE, Coverage
from runtime.embed import Embedder, ModelUnavailable, default_model_folder, install_default_model, local_copy
from indexer.extract import SUPPORTED_SUFFIXES
from indexer.generations import IndexLocked, IndexUnusable, IndexWriteFailed, live_generation, sha256_file
from indexer.progress import EmbeddingProgress, read_progress
from indexer.metadata import SIDECAR_SUFFIX, DocumentMeta
from runtime.profiles import describe, profile_for
from vietnamese.normalize import fold
from indexer.store import StoredDocument, StoredSection
from indexer.targets import LEVELS
from search.answer import Answer, AnswerSentence, SupportingPassage, answer
from search.cite import display_date, document_label, shorten
from search.target_table import TargetFilters, TargetRow, target_rows, targets_csv
from search.engine import Hit, Mode, SearchEngine
from search.export import Exported, export_opensearch
from search.evaluate import (AnswerReport, EvalReport, TargetScore, evaluate, evaluate_answers, is_answer_question,
                             is_target_annotation, load_queries, score_targets)
from search.lineage import Chain, LineageGraph, LineageResult, PlanLineage, asked_code
from search.marking import marked_words
from indexer.facets import Filters
from search.query import MAX_INPUT_CHARS, MAX_QUERY_CHARS, InputTooLong, Query, bounded_input
from search.spreadsheet import write_csv
from search.topics import BY_MEANING, PlanMatch, TopicResult, plans_for_topic, topic_csv

__all__ = [
    "FAILED", "LEVELS", "LOW_COVERAGE", "MAX_INPUT_CHARS", "MAX_QUERY_CHARS", "SEARCHABLE", "SIDECAR_SUFFIX",
    "SUPPORTED_SUFFIXES", "Cluster", "build_on_ray",
    "BY_MEANING", "Answer", "AnswerSentence", "BuildReport", "Exported", "FileStatus", "Chain", "Coverage", "DocumentMeta", "Facets", "Filters", "Hit",
    "IndexLocked", "IndexStatus", "IndexUnusable", "IndexWriteFailed", "InputTooLong", "LineageResult",
    "ModelUnavailable", "PlanLineage", "PlanMatch", "SearchService", "StoredDocument", "StoredSection",
    "SupportingPassage", "TargetFilters", "TargetRow", "TopicResult", "bounded_input", "build_index",
    "display_date", "document_label", "fold", "marked_words", "model_line", "shorten", "targets_csv", "topic_csv",
    "write_csv", "AnswerReport", "EvalReport", "TargetScore", "is_answer_question", "is_target_annotation",
    "load_queries", "default_model_folder", "install_default_model", "describe", "local_copy", "profile_for",
    "sha256_file",
]


@dataclass(frozen=True)
class Facets:
    """The values the filters offer, from the live index."""

    provinces: list[str]
    doc_types: list[str]
    years: list[int]  # years documents were issued, newest first
    period_years: list[int]  # years the plans' periods cover


@dataclass(frozen=True)
class IndexStatus:
    documents: int
    chunks: int
    created: str  # ISO time the generation was built
    generation: str  # its folder name: technical
    model: str  # what the embedding model does for Vietnamese (model_line): technical
    model_name: str  # the model whose vectors the index holds
    dimension: int
    semantic_ready: bool = True  # False while a lexical generation is live and its passages are embedded
    embedding: EmbeddingProgress | None = None  # how far that embedding has gone, when it is under way

    def semantic_note(self) -> str:
        """For a lexical generation, in Vietnamese: that search is by keywords for now, and until when; ""
        once search by meaning is ready."""
        if self.semantic_ready:
            return ""
        progress = self.embedding
        if progress is None or not progress.running():
            return ("Hiện chỉ tìm được theo từ khóa: việc chuẩn bị tìm theo nghĩa đã dừng giữa chừng. "
                    "Chạy lại `edusearch index` để hoàn tất.")
        eta = progress.eta_s()
        when = f"sau khoảng {_duration(eta)}" if eta is not None else "sau ít phút"
        return (f"Đang tìm theo từ khóa; tìm theo nghĩa sẽ sẵn sàng {when} "
                f"(đã mã hóa {progress.done:,}/{progress.total:,} đoạn).").replace(",", ".")


class SearchService:
    """One open index and, once needed, its embedding model. It follows the live generation: when a build
    (here or in another process) publishes a new one, the next call opens it."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, verify: bool = True,
                 engine: SearchEngine | None = None):
        self._engine = engine or SearchEngine(settings, embedder=embedder, verify=verify)
        self.settings = self._engine.settings
        self._switching = threading.Lock()
        self._refused: Path | None = None  # a newer generation that could not be opened: not tried again

    @property
    def engine(self) -> SearchEngine:
        """The engine over the live generation. Calls made while a new one is being opened keep the previous
        one; a new one that cannot be opened (another model, damaged) leaves the previous one answering."""
        live = live_generation(self.settings.index_dir)
        if live in (None, self._refused, self._engine.index.generation) or not self._switching.acquire(blocking=False):
            return self._engine
        try:
            self._engine = self._engine.reopened()
        except (IndexUnusable, OSError, ValueError, RuntimeError) as error:
            self._refused = live
            print(f"edusearch: the new index generation {live.name} is not used ({error}); the previous one "
                  "still answers", file=sys.stderr)
        finally:
            self._switching.release()
        return self._engine

    def search(self, question: str, k: int = 10, filters: Filters = Filters(), mode: Mode = "hybrid") -> list[Hit]:
        """Ranked passages with citations."""
        return self.engine.search(question, k, filters, mode)

    def ask(self, question: str, filters: Filters = Filters(), passages: int = 5) -> Answer:
        """The short answer with its citation and supporting passages, or why there is none."""
        return answer(self.engine, question, filters, passages)

    def topics(self, topic: str, filters: Filters = Filters()) -> TopicResult:
        """The plans that address a topic (or cite a code), ranked, with evidence."""
        return plans_for_topic(self.engine, topic, filters)

    def targets(self, filters: TargetFilters = TargetFilters()) -> list[TargetRow]:
        """The plans' quantitative targets side by side, each cited to its sentence."""
        return target_rows(self.engine.index, self.engine.lexicon, filters)

    def lineage(self, asked: str) -> LineageResult:
        """The plans that implement a code (`51-KL/TW`, or `51-KL/TW ngày 30/5/2019` for one document of
        that code), and those that only mention it."""
        return self._graph().lineage(*asked_code(asked))

    def ancestors(self, doc: str) -> list[Chain]:
        return self._graph().ancestors(doc)

    def descendants(self, doc: str) -> list[PlanLineage]:
        return self._graph().descendants(doc)

    def parse(self, question: str) -> Query:
        """The question as the search reads it (cleaned, translated, diacritics put back)."""
        return self.engine.parse(question)

    def documents(self) -> dict[str, StoredDocument]:
        return self.engine.index.documents

    def document(self, doc: str) -> StoredDocument | None:
        return self.engine.index.store.document(doc)

    def sections(self, doc: str) -> list[StoredSection]:
        return self.engine.index.store.sections(doc)

    def section(self, doc: str, ordinal: int) -> StoredSection | None:
        return self.engine.index.store.section(doc, ordinal)

    def section_text(self, doc: str, ordinal: int) -> str:
        """The whole text of one section of a plan, heading first."""
        return self.engine.section_text(doc, ordinal)

    def plan_note(self, doc: str) -> str:
        """The plan's period and status (replaced, amended)."""
        return self.engine.index.plan_note(doc)

    def status(self) -> IndexStatus:
        index = self.engine.index
        manifest = index.manifest
        return IndexStatus(manifest.counts["documents"], manifest.counts["chunks"], manifest.created,
                           index.generation.name, model_line(self.settings), manifest.model, manifest.dimension,
                           index.semantic_ready,
                           None if index.semantic_ready else read_progress(self.settings.index_dir))

    def integrity_problems(self) -> list[str]:
        return self.engine.index.integrity_problems()

    def facets(self) -> Facets:
        metas = [d.meta for d in self.documents().values()]
        covered = {y for f in self.engine.index.doc_facets.values() for y in f.period_years}
        return Facets(sorted({m.province for m in metas if m.province}), sorted({m.doc_type for m in metas if m.doc_type}),
                      sorted({m.year for m in metas if m.year}, reverse=True), sorted(covered))

    def evaluate(self, items: list[dict], mode: Mode = "hybrid", strip_diacritics: bool = False) -> EvalReport:
        """Passage or topic queries with their relevant documents, scored (`search.evaluate`)."""
        return evaluate(self.engine, items, mode, strip_diacritics)

    def evaluate_answers(self, questions: list[dict], strip_diacritics: bool = False) -> AnswerReport:
        """Short-answer questions with their gold answers (or none), scored."""
        return evaluate_answers(self.engine, questions, strip_diacritics)

    def score_targets(self, annotations: list[dict]) -> TargetScore:
        """The extracted targets against hand annotations."""
        return score_targets(self.engine.index.store.targets(), annotations)

    def reindex(self, documents: Path) -> BuildReport:
        """Index the documents folder again (only changed files are read) with the loaded model, and switch
        to the result."""
        report = build_index(documents, self.settings, embedder=self.engine.embedder)
        self._engine = self._engine.reopened()
        return report

    def export_opensearch(self, bulk: Path) -> Exported:
        """The live generation as OpenSearch loads it: `_bulk` NDJSON, index body and hybrid pipeline."""
        return export_opensearch(self.engine.index, self.engine.profile, bulk)

    def load_model(self) -> None:
        """Load the embedding model now (the first question would otherwise wait for it)."""
        _ = self.engine.embedder

    def _graph(self) -> LineageGraph:
        return self.engine.index.lineage


def _duration(seconds: float) -> str:
    """`dưới 1 phút`, `12 phút`, `1 giờ 25 phút`."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "dưới 1 phút"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} giờ {minutes} phút" if hours else f"{minutes} phút"


def model_line(settings: Settings) -> str:
    """What the embedding model does for Vietnamese, and why it is not the default when it is not."""
    return " ".join(part for part in (settings.model_note, describe(settings.model)) if part)
