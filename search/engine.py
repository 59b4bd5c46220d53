"""One entry point for retrieval: a question in, ranked passages with citations out."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, replace
from typing import Literal

import numpy as np

from runtime.settings import Settings
from runtime.embed import Embedder
from runtime.profiles import profile_for
from search.cite import citation
from search.dense import dense_search, single_threaded
from search.english import is_english, translate
from search.feedback import FEEDBACK, with_feedback
from search.constraints import Checker
from search.fuse import fuse
from search.live_index import OpenIndex
from search.lexicon import ABBREVIATIONS, GLOSSARY, THESAURUS, Lexicon
from search.lexical import DEFAULT_WEIGHTS, FieldWeights, lexical_search
from indexer.build import embedding_text
from indexer.chunks import Chunk
from indexer.facets import Filters
from search.query import Query, parse_query
from search.terms import query_terms
from vietnamese.normalize import find_codes
from search.question import understand
from search import rerank

Mode = Literal["hybrid", "lexical", "dense"]
CANDIDATES = 100
QUERY_VECTOR_CACHE = 64
# Weights of the other forms of a question's words, next to the words themselves (1.0); measured with
# `edusearch eval` (README, "Retrieval quality").
EXPANSION_WEIGHTS = {ABBREVIATIONS: 0.6, THESAURUS: 0.3}


@dataclass
class Hit:
    doc: str
    title: str | None
    number: str | None
    section: str
    section_ordinal: int
    pages: list[int]
    text: str
    score: float
    citation: str
    plan_note: str  # the plan's period and status (replaced, amended), shown beside the citation
    chunk_id: str
    lexical_rank: int | None
    dense_rank: int | None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Ranked:
    """The fused ranking (vec_id, score), and each side's rank of every candidate it found."""

    fused: list[tuple[int, float]]
    lexical_ranks: dict[int, int]
    dense_ranks: dict[int, int]


class SearchEngine:
    """Holds the open index and, once needed, the embedding model (loaded once per process)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, verify: bool = True):
        self.settings = settings
        self.index = OpenIndex(settings.index_dir, settings.index_model, verify=verify)
        single_threaded()
        self._embedder = embedder
        self.profile = profile_for(settings.model)
        self.fusion = self.profile.fusion
        self.rank_model: rerank.RankModel | None = _rank_model_for(settings.model)
        self.field_weights: FieldWeights = DEFAULT_WEIGHTS
        self._query_vectors: dict[str, np.ndarray] = {}
        self._loading = threading.Lock()
        self.lexicon = Lexicon.load(settings.lexicon_dir)
        self.expand = {name.strip() for name in settings.expand.split(",") if name.strip()} - {"none"}
        unknown = self.expand - {ABBREVIATIONS, THESAURUS, GLOSSARY, FEEDBACK}
        if unknown:
            raise ValueError(f"unknown expansion {', '.join(sorted(unknown))} in the 'expand' setting "
                             f"(known: {ABBREVIATIONS}, {GLOSSARY}, {THESAURUS}, {FEEDBACK}, none)")

    @property
    def embedder(self) -> Embedder:
        """The model, loaded on first use; callers arriving while it loads wait for it."""
        with self._loading:
            if self._embedder is None:
                self._embedder = Embedder.from_settings(self.settings)
        return self._embedder

    def query_vector(self, text: str) -> np.ndarray:
        """The query's embedding, remembered for the last few questions (answers reuse it)."""
        if text not in self._query_vectors:
            if len(self._query_vectors) >= QUERY_VECTOR_CACHE:
                self._query_vectors.pop(next(iter(self._query_vectors)))
            self._query_vectors[text] = self.embedder.embed_query(text)
        return self._query_vectors[text]

    def parse(self, text: str) -> Query:
        """The question as retrieval sees it: cleaned and cut (`parse_query`); an English question put into
        Vietnamese through the glossary; and the other forms of its abbreviations (and, if enabled, its
        thesaurus terms) to search for at a lower weight. A Vietnamese question typed without diacritics gets
        them back from the indexed text's vocabulary, for the model and for the reader."""
        query = parse_query(text)
        english = is_english(query.text, self.lexicon.glossary)
        if GLOSSARY in self.expand and english:
            searcher = self.index.bm25.searcher()
            translation = translate(query.text, self.lexicon.glossary,
                                    lambda first, second: searcher.doc_freq("folded", f"{first}_{second}") > 0)
            if translation.text:
                query = replace(parse_query(translation.text), truncated=query.truncated, original=query.text,
                                glossary_terms=translation.terms, untranslated=translation.untranslated)
        elif query.typed_without_diacritics and not english and self.index.vocabulary:
            restored = self.index.vocabulary.restore(query.text)
            query = replace(query, restored=restored if restored != query.text else None)
        expansions = self.lexicon.expansions(query.text, self.expand, EXPANSION_WEIGHTS)
        return replace(query, expansions=tuple(expansions))

    def search(self, text: str, k: int = 10, filters: Filters = Filters(), mode: Mode = "hybrid") -> list[Hit]:
        return self.find(self.parse(text), k, filters, mode)

    def find(self, query: Query, k: int = 10, filters: Filters = Filters(), mode: Mode = "hybrid",
             weights: FieldWeights | None = None) -> list[Hit]:
        if query.empty:
            return []
        return self.hits(self.rank(query, filters, mode, weights=weights), k)

    def rank(self, query: Query, filters: Filters = Filters(), mode: Mode = "hybrid",
             candidates: int = CANDIDATES, weights: FieldWeights | None = None) -> Ranked:
        """Each side's best `candidates` passages, fused: by the fitted rank model (`search.rerank`) where it
        was fitted with this embedding model, else by the model's profile; `weights` replace the lexical
        field weights."""
        weights = weights or self.field_weights
        ready = self.index.semantic_ready  # False: a lexical generation, live while its passages are embedded
        if mode == "dense" and not ready:
            mode = "lexical"
        if FEEDBACK in self.expand and mode != "dense":
            query = with_feedback(self.index, query, filters, weights)
        lexical = lexical_search(self.index.bm25, query, candidates, filters, weights) \
            if mode != "dense" else []
        dense = dense_search(self.index.vectors, self.query_vector(self.dense_text(query)), candidates,
                             self.index.facets, filters, self.index.store.vectors) if mode != "lexical" and ready else []
        if mode == "lexical":
            fused = lexical
        elif mode == "dense":
            fused = dense
        elif self.rank_model:
            question = understand(query)
            features = rerank.candidates(self.index, question, Checker(self.index, question),
                                         query_terms(query, self.index.bm25.searcher()), lexical, dense,
                                         self.rank_model)
            fused = rerank.ranked(features, self.rank_model)
        else:
            fused = fuse(self.fusion, [(lexical, 1.0), (dense, self.profile.dense_weight)])
        if mode != "dense":
            fused = rerank.text_first(self.index, fused, rerank.TEXT_DEPTH, {v for v, _ in lexical})
            fused = rerank.bearer_first(self.index, fused, rerank.TEXT_DEPTH, tuple(find_codes(query.text)))
        return Ranked(fused, {v: r for r, (v, _) in enumerate(lexical, 1)},
                      {v: r for r, (v, _) in enumerate(dense, 1)})

    def dense_text(self, query: Query) -> str:
        """What the model embeds: a multilingual model reads an English question as asked; the others get its
        Vietnamese translation."""
        return query.original if query.original and self.profile.multilingual else query.meaning_text

    def similarities(self, query: Query, vec_ids: list[int]) -> list[float]:
        """The model's cosine between the query and each passage, from the passages' stored vectors (embedded
        now for a lexical generation, whose passages may not be yet)."""
        if not vec_ids:
            return []
        if self.index.semantic_ready:
            vectors = self.index.store.vectors(vec_ids)
        else:
            chunks = self.index.store.chunks_by_vec_ids(vec_ids)
            vectors = self.embedder.embed_passages(
                [embedding_text(self.index.documents[chunks[v].doc].meta, chunks[v]) for v in vec_ids])
        return (vectors @ self.query_vector(self.dense_text(query))).tolist()

    def section_text(self, doc: str, ordinal: int) -> str:
        """The whole text of one section of a plan, heading first."""
        section = self.index.store.section(doc, ordinal)
        document = self.index.store.document(doc)
        return document.text[section.start:section.end] if section and document else ""

    def reopened(self) -> "SearchEngine":
        """The same settings and loaded model over the index's live generation (after a rebuild)."""
        return SearchEngine(self.settings, self._embedder)

    def hits(self, ranked: Ranked, k: int) -> list[Hit]:
        top = ranked.fused[:k]
        chunks = self.index.store.chunks_by_vec_ids([v for v, _ in top])
        return [self._hit(chunks[vec_id], score, ranked.lexical_ranks.get(vec_id), ranked.dense_ranks.get(vec_id))
                for vec_id, score in top]

    def passages_of(self, doc: str) -> list[Hit]:
        """Every passage of one document, in its order, unranked."""
        return [self._hit(chunk, 0.0, None, None) for chunk, _ in self.index.store.chunks_of(doc)]

    def _hit(self, chunk: Chunk, score: float, lexical_rank: int | None, dense_rank: int | None) -> Hit:
        meta = self.index.documents[chunk.doc].meta
        last_page = chunk.page_end or chunk.page_start
        pages = [] if chunk.page_start is None else list(range(chunk.page_start, last_page + 1))
        return Hit(doc=chunk.doc, title=meta.title, number=meta.number, section=chunk.section,
                   section_ordinal=chunk.section_ordinal, pages=pages, text=chunk.text, score=round(float(score), 6),
                   citation=citation(meta, chunk.section, chunk.page_start, chunk.page_end),
                   plan_note=self.index.plan_note(chunk.doc), chunk_id=chunk.id, lexical_rank=lexical_rank,
                   dense_rank=dense_rank)


def _rank_model_for(model: str) -> rerank.RankModel | None:
    """The fitted rank model, where it weighs scores of an embedding model of this model's profile."""
    fitted = rerank.load_rank_model()
    return fitted if fitted and profile_for(fitted.embedding_model) == profile_for(model) else None
