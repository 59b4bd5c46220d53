"""Opening the live index generation read-only, after checking that it is whole and was built by the
configured model with the current formats."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import faiss
import numpy as np
import tantivy

from indexer import generations as gen
from vietnamese.accents import Vocabulary
from indexer.bm25 import open_index
from indexer.facets import DocumentFacets, VectorFacets
from indexer.chunks import CHUNKER_VERSION
from vietnamese.normalize import NORMALIZATION_VERSION
from indexer.references import changes_to, is_replaced
from indexer.store import Store
from indexer.vectors import read_faiss
from search.cite import document_label, plan_note
from search.lineage import LineageGraph

IndexUnusable = gen.IndexUnusable


class IndexMissing(IndexUnusable):
    pass


OPEN_ATTEMPTS = 3


class OpenIndex:
    def __init__(self, index_dir: Path, model: str, verify: bool = True):
        """Open the live generation. A writer may publish a newer one and delete this one while it is being
        opened; then the newer one is opened instead."""
        for attempt in range(OPEN_ATTEMPTS):
            generation = gen.current_generation(index_dir)
            try:
                self._open(index_dir, generation, model, verify)
                return
            except (IndexUnusable, OSError, ValueError, RuntimeError):
                if attempt + 1 == OPEN_ATTEMPTS or gen.current_generation(index_dir) == generation:
                    raise

    def _open(self, index_dir: Path, generation: Path | None, model: str, verify: bool) -> None:
        if generation is None:
            raise IndexMissing(f"no index in {index_dir} yet; build it with: edusearch index [FOLDER]")
        manifest_path = generation / gen.MANIFEST
        if not manifest_path.exists():
            raise IndexUnusable(f"the live index generation {generation.name} has no manifest; "
                                "rebuild with: edusearch index --rebuild")
        self.manifest = gen.Manifest.load(manifest_path)
        self._check_compatible(model)
        if verify:
            problems = gen.verify(generation, self.manifest)
            if problems:
                raise IndexUnusable(f"the index in {index_dir} is damaged ({'; '.join(problems[:3])}); "
                                    "it will not be used. Rebuild with: edusearch index --rebuild")
        self.generation = generation
        self.store = Store(generation / gen.STORE)
        # A lexical generation is searched by BM25 alone while its passages are embedded (`semantic_ready`).
        self.semantic_ready = self.manifest.stage == gen.HYBRID
        self.vectors: faiss.Index | None = read_faiss(generation / gen.VECTORS) if self.semantic_ready else None
        self.bm25: tantivy.Index = open_index(generation / gen.BM25)
        self.documents = {d.doc: d for d in self.store.documents(with_text=False)}  # text: store.document
        self.changes = changes_to({doc: d.meta for doc, d in self.documents.items()})
        self.doc_facets = {doc: DocumentFacets.of(d.meta, is_replaced(self.changes.get(doc, [])))
                           for doc, d in self.documents.items()}
        self.facets = self._facets()

    def _check_compatible(self, model: str) -> None:
        m = self.manifest
        if m.model != model:
            raise IndexUnusable(
                f"the index was built with model '{m.model}', but the configured model is '{model}'. "
                "Rebuild with: edusearch index --rebuild (or set EDUSEARCH_MODEL and EDUSEARCH_EMBED_BACKEND "
                "to what built it)")
        if (m.schema_version, m.normalization_version, m.chunker_version) != (
                gen.SCHEMA_VERSION, NORMALIZATION_VERSION, CHUNKER_VERSION):
            raise IndexUnusable("the index was built by another version of edusearch; "
                                "rebuild with: edusearch index --rebuild")

    def _facets(self) -> VectorFacets:
        docs = sorted(self.documents)
        position = {doc: n for n, doc in enumerate(docs)}
        of_chunk = np.array([position[doc] for doc in self.store.chunk_docs()], dtype=np.int64)
        return VectorFacets.of([self.doc_facets[d] for d in docs], of_chunk)

    @functools.cached_property
    def lineage(self) -> LineageGraph:
        """The code relations of every indexed document, built once per open generation."""
        return LineageGraph(self.documents)

    @functools.cached_property
    def chunk_counts(self) -> Counter:
        """How many passages each document has."""
        return Counter(self.store.chunk_docs())

    @functools.cached_property
    def vocabulary(self) -> Vocabulary | None:
        """The indexed text's accented syllables (for questions typed without diacritics); None for an index
        written before it was kept."""
        path = self.generation / gen.VOCABULARY
        return Vocabulary.load(path) if path.exists() else None

    def plan_note(self, doc: str) -> str:
        """Period and status of an indexed plan, for display beside its citations (search.cite.plan_note)."""
        changes = [(c.relation, document_label(self.documents[c.by].meta)) for c in self.changes.get(doc, [])]
        return plan_note(self.documents[doc].meta, changes)

    def integrity_problems(self) -> list[str]:
        """Every chunk in the store has its vector and its BM25 entry, and nothing more."""
        chunks = self.store.count("chunks")
        problems = []
        if self.vectors is not None and self.vectors.ntotal != chunks:
            problems.append(f"{self.vectors.ntotal} vectors for {chunks} chunks")
        searcher = self.bm25.searcher()
        if searcher.num_docs != chunks:
            problems.append(f"{searcher.num_docs} BM25 entries for {chunks} chunks")
        if chunks:
            found = searcher.search(tantivy.Query.all_query(), chunks + 1).hits
            ids = sorted(searcher.doc(address)["vec_id"][0] for _, address in found)
            if ids != list(range(chunks)):
                problems.append("BM25 entries do not match the chunk ids")
        if self.manifest.counts.get("chunks") != chunks:
            problems.append(f"the manifest counts {self.manifest.counts.get('chunks')} chunks, the store {chunks}")
        return problems

    def close(self) -> None:
        self.store.close()
