"""Retrieval metrics for the `eval` command: hit@1, hit@5 and MRR@10 for passage queries (relevant = from
a listed document and containing a gold string, in its heading path or text, after normalization), recall@3/@5 for topic queries (the
documents of the top passages, in order of first appearance)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from indexer.normalize import fold, normalize_for_index
from search.engine import Mode, SearchEngine
from search.query import parse_query

DEPTH = 10
TOPIC_DEPTH = 50


@dataclass
class QueryResult:
    id: str
    q: str
    kind: str  # "passage" or "topic"
    rank: int | None = None  # passage: rank of the first relevant passage (1-based) within DEPTH
    docs_ranked: list[str] = field(default_factory=list)  # topic: document prefixes in rank order
    relevant_docs: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    results: list[QueryResult]

    def _passages(self) -> list[QueryResult]:
        return [r for r in self.results if r.kind == "passage"]

    def _topics(self) -> list[QueryResult]:
        return [r for r in self.results if r.kind == "topic"]

    def metrics(self) -> dict[str, float]:
        out: dict[str, float] = {}
        passages = self._passages()
        if passages:
            n = len(passages)
            out["hit@1"] = sum(1 for r in passages if r.rank == 1) / n
            out["hit@5"] = sum(1 for r in passages if r.rank and r.rank <= 5) / n
            out["mrr@10"] = sum(1 / r.rank for r in passages if r.rank) / n
        topics = self._topics()
        if topics:
            for k in (3, 5):
                out[f"recall@{k}"] = sum(len(set(r.docs_ranked[:k]) & set(r.relevant_docs)) / len(r.relevant_docs)
                                         for r in topics) / len(topics)
        return {key: round(value, 4) for key, value in out.items()}

    def misses(self) -> list[QueryResult]:
        return [r for r in self._passages() if r.rank != 1] + \
            [r for r in self._topics() if set(r.relevant_docs) - set(r.docs_ranked[:5])]


def load_queries(path: Path) -> list[dict]:
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
            if "q" not in item:
                raise ValueError(f"{path}:{number}: no 'q' field")
            item.setdefault("id", str(number))
            queries.append(item)
    return queries


def doc_prefix(doc: str) -> str:
    return doc.rsplit("/", 1)[-1][:3]


def evaluate(engine: SearchEngine, queries: list[dict], mode: Mode = "hybrid",
             strip_diacritics: bool = False) -> EvalReport:
    results = []
    for item in queries:
        text = fold(item["q"]) if strip_diacritics else item["q"]
        relevant = [str(d) for d in item.get("docs", [])]
        ranked = engine.rank(parse_query(text), mode=mode)
        if item.get("gold"):
            golds = [normalize_for_index(g) for g in item["gold"]]
            hits = engine.hits(ranked, DEPTH)
            rank = next((i for i, h in enumerate(hits, 1) if doc_prefix(h.doc) in relevant
                         and any(g in normalize_for_index(f"{h.section} {h.text}") for g in golds)), None)
            results.append(QueryResult(item["id"], item["q"], "passage", rank=rank, relevant_docs=relevant))
        else:
            docs: list[str] = []
            for hit in engine.hits(ranked, TOPIC_DEPTH):
                if doc_prefix(hit.doc) not in docs:
                    docs.append(doc_prefix(hit.doc))
            results.append(QueryResult(item["id"], item["q"], "topic", docs_ranked=docs, relevant_docs=relevant))
    return EvalReport(results)
