"""Metrics for the `eval` command.

Passage queries (with `gold`): hit@1, hit@5 and MRR@10, where a relevant passage is from a listed document
and contains a gold string in its heading path or text, after normalization; and `answer`, the share of
the queries whose relevant passage is retrieved (top 10) for which the short answer contains a gold string.

Target annotations (lines with `value`, from `edusearch eval` on a file such as
`tests/indexer/data/targets_003.jsonl`): every target a person found in a section (`doc`: a file's 3-character prefix or its name; `within`:
the section's heading path), with its period, comparator, value, unit, a piece of its indicator's wording and
optionally its level. The extracted targets of those sections are matched one to one (all of period,
comparator, value and unit equal, the wording contained, the level among the levels): precision and recall.

Answer questions (lines with `cat` or `abstain`, as `../shared/eval/dev_answers.jsonl`): a question with
`gold` is right when the short answer comes from one of its `docs` and contains a gold string (both
normalized: NFC, one tone placement, lowercase, collapsed spaces); an `abstain` question is right when there
is no short answer. A document is named by its 3-character prefix, its file name or its file stem. Reported: accuracy per category and overall, answered precision (right answers among
all questions answered), abstention recall and false abstention (answerable questions left unanswered).

Topic queries (no `gold`): the plans `plans_for_topic` lists as addressing the topic, scored by recall@3,
recall@5 and recall of the whole list (over topics that have relevant plans), and precision of the whole
list (a topic that no plan addresses scores 1 when the list is empty). Where a topic file also names the
plans that only mention a topic (`mentions`), the second tier is scored too: the share of those listed as
mentions, the share of listed mentions that are relevant at all, and the share of every named plan
listed in either tier.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from vietnamese.normalize import fold, normalize_for_index
from indexer.targets import Target
from search.engine import Mode, SearchEngine
from search.answer import answer
from search.topics import plans_for_topic

DEPTH = 10


@dataclass
class QueryResult:
    id: str
    q: str
    kind: str  # "passage" or "topic"
    rank: int | None = None  # passage: rank of the first relevant passage (1-based) within DEPTH
    answer: str | None = None  # passage: the short answer
    answer_has_gold: bool | None = None  # passage: None when no relevant passage is retrieved
    docs_ranked: list[str] = field(default_factory=list)  # topic: the plans that address it, in rank order
    relevant_docs: list[str] = field(default_factory=list)
    mentions_listed: list[str] = field(default_factory=list)  # topic: the plans listed as only mentioning it
    mentioned_docs: list[str] = field(default_factory=list)  # topic: the plans a person found only mention it

    def to_json(self) -> dict:
        return asdict(self)

    def precision(self) -> float:
        listed = set(self.docs_ranked)
        return len(listed & set(self.relevant_docs)) / len(listed) if listed else float(not self.relevant_docs)

    def average_precision(self) -> float:
        """The mean of precision at the rank of each relevant plan (those not listed count 0)."""
        relevant, found, total = set(self.relevant_docs), 0, 0.0
        for rank, doc in enumerate(self.docs_ranked, 1):
            if doc in relevant:
                found += 1
                total += found / rank
        return total / len(relevant) if relevant else 1.0


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
            judged = [r for r in passages if r.answer_has_gold is not None]
            if judged:
                out["answer"] = sum(1 for r in judged if r.answer_has_gold) / len(judged)
        topics = self._topics()
        with_relevant = [r for r in topics if r.relevant_docs]
        for k, label in ((3, "recall@3"), (5, "recall@5"), (None, "recall")):
            if with_relevant:
                out[label] = sum(len(set(r.docs_ranked[:k]) & set(r.relevant_docs)) / len(r.relevant_docs)
                                 for r in with_relevant) / len(with_relevant)
        if topics:
            out["precision"] = sum(r.precision() for r in topics) / len(topics)
        if with_relevant:
            out["MAP"] = sum(r.average_precision() for r in with_relevant) / len(with_relevant)
        judged = [r for r in topics if r.mentioned_docs or r.mentions_listed]
        if any(r.mentioned_docs for r in topics):  # a topic file that names the plans that only mention topics
            found = [r for r in judged if r.mentioned_docs]
            listing = [r for r in judged if r.mentions_listed]
            if found:
                out["mentions recall"] = sum(len(set(r.mentions_listed) & set(r.mentioned_docs)) / len(r.mentioned_docs)
                                             for r in found) / len(found)
            if listing:
                out["mentions precision"] = sum(
                    len(set(r.mentions_listed) & set(r.relevant_docs + r.mentioned_docs)) / len(r.mentions_listed)
                    for r in listing) / len(listing)
            seen = [r for r in topics if r.relevant_docs or r.mentioned_docs]
            out["recall, both tiers"] = sum(
                len(set(r.docs_ranked + r.mentions_listed) & set(r.relevant_docs + r.mentioned_docs))
                / len(set(r.relevant_docs + r.mentioned_docs)) for r in seen) / len(seen)
        return {key: round(value, 4) for key, value in out.items()}

    def answer_counts(self) -> tuple[int, int]:
        """(short answers containing gold, queries whose relevant passage is retrieved)."""
        judged = [r for r in self._passages() if r.answer_has_gold is not None]
        return sum(1 for r in judged if r.answer_has_gold), len(judged)

    def misses(self) -> list[QueryResult]:
        return [r for r in self._passages() if r.rank != 1 or r.answer_has_gold is False] + \
            [r for r in self._topics() if set(r.relevant_docs) - set(r.docs_ranked[:5]) or r.precision() < 1]


@dataclass
class AnswerResult:
    id: str
    q: str
    category: str
    abstain: bool  # the documents do not answer it
    answer: str | None
    doc: str | None
    right: bool

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class AnswerReport:
    results: list[AnswerResult]

    def metrics(self) -> dict[str, float]:
        results = self.results
        answered = [r for r in results if r.answer is not None]
        negatives = [r for r in results if r.abstain]
        positives = [r for r in results if not r.abstain]
        out = {f"accuracy {category}": _share(r.right for r in results if r.category == category)
               for category in dict.fromkeys(r.category for r in results)}
        out["accuracy"] = _share(r.right for r in results)
        out["answered precision"] = _share(r.right for r in answered)
        out["abstention recall"] = _share(r.answer is None for r in negatives)
        out["false abstention"] = _share(r.answer is None for r in positives)
        return {key: round(value, 4) for key, value in out.items()}

    def counts(self) -> dict[str, tuple[int, int]]:
        """(right, questions) per category."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.results:
            right, total = out.get(r.category, (0, 0))
            out[r.category] = (right + r.right, total + 1)
        return out

    def misses(self) -> list[AnswerResult]:
        return [r for r in self.results if not r.right]


def _share(flags) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0


def is_answer_question(item: dict) -> bool:
    return "cat" in item or "abstain" in item


def evaluate_answers(engine: SearchEngine, questions: list[dict], strip_diacritics: bool = False) -> AnswerReport:
    results = []
    for item in questions:
        result = answer(engine, fold(item["q"]) if strip_diacritics else item["q"])
        if item.get("abstain"):
            right = result.short is None
        else:
            right = (result.short is not None and is_gold_document(result.doc or "", item["docs"])
                     and has_gold(result.short, item["gold"]))
        results.append(AnswerResult(item["id"], item["q"], item.get("cat", "-"), bool(item.get("abstain")),
                                    result.short, result.doc, right))
    return AnswerReport(results)


@dataclass
class TargetScore:
    precision: float
    recall: float
    matched: int
    missed: list[dict]  # annotated targets that were not extracted
    extra: list[Target]  # extracted targets that match no annotation

    def metrics(self) -> dict[str, float]:
        return {"targets precision": round(self.precision, 4), "targets recall": round(self.recall, 4)}


def is_target_annotation(item: dict) -> bool:
    return "value" in item and "q" not in item


def score_targets(extracted: list[Target], annotations: list[dict]) -> TargetScore:
    """Extracted targets of the annotated sections against the annotations."""
    scopes = {(str(a["doc"]), a["within"]) for a in annotations}
    candidates = [t for t in extracted if any(doc in (doc_prefix(t.doc), t.doc.rsplit("/", 1)[-1])
                                              and t.section.startswith(within) for doc, within in scopes)]
    unmatched = list(candidates)
    missed = []
    for item in annotations:
        found = next((t for t in unmatched if _same_target(t, item)), None)
        if found is None:
            missed.append(item)
        else:
            unmatched.remove(found)
    matched = len(annotations) - len(missed)
    return TargetScore(matched / len(candidates) if candidates else 0.0,
                       matched / len(annotations) if annotations else 0.0, matched, missed, unmatched)


def _same_target(target: Target, item: dict) -> bool:
    return (target.period == item["period"] and target.comparator == item["comparator"]
            and abs(target.value - float(item["value"])) < 1e-9 and target.unit == item["unit"]
            and normalize_for_index(item["indicator"]) in normalize_for_index(target.indicator)
            and (not item.get("level") or item["level"] in target.levels))


def load_queries(path: Path) -> list[dict]:
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
            if "q" not in item and not is_target_annotation(item):
                raise ValueError(f"{path}:{number}: no 'q' field (nor a target's 'value')")
            item.setdefault("id", str(number))
            queries.append(item)
    return queries


def doc_prefix(doc: str) -> str:
    return doc.rsplit("/", 1)[-1][:3]


def gold_name(doc: str, docs: list[str]) -> str:
    """An indexed document as the question file names it: the name in `docs` it matches, else its file stem."""
    return next((d for d in docs if is_gold_document(doc, [d])), doc.rsplit("/", 1)[-1].rsplit(".", 1)[0])


def is_gold_document(doc: str, docs: list) -> bool:
    """Whether an indexed document is one a question's `docs` names: by its 3-character prefix (`003`), its
    file name, or its file stem (`91-2015-qh13__7`)."""
    name = doc.rsplit("/", 1)[-1]
    return any(str(d) in (name[:3], name, name.rsplit(".", 1)[0]) for d in docs)


def has_gold(short: str, gold: list[str]) -> bool:
    """Whether a short answer contains one of the gold strings, both normalized and their line breaks and
    runs of spaces read as one space (a gold list written one item per line is the answer's list)."""
    text = _spaced(short)
    return any(_spaced(g) in text for g in gold)


def _spaced(text: str) -> str:
    return " ".join(normalize_for_index(text).split())


def evaluate(engine: SearchEngine, queries: list[dict], mode: Mode = "hybrid",
             strip_diacritics: bool = False) -> EvalReport:
    results = []
    for item in queries:
        text = fold(item["q"]) if strip_diacritics else item["q"]
        relevant = [str(d) for d in item.get("docs", [])]
        if item.get("gold"):
            results.append(_passage_result(engine, item, text, relevant, mode))
        else:
            result = plans_for_topic(engine, text)
            mentioned = [str(d) for d in item.get("mentions", [])]
            named = relevant + mentioned
            results.append(QueryResult(item["id"], item["q"], "topic",
                                       docs_ranked=[gold_name(p.doc, named) for p in result.plans],
                                       relevant_docs=relevant,
                                       mentions_listed=[gold_name(p.doc, named) for p in result.mentions],
                                       mentioned_docs=mentioned))
    return EvalReport(results)


def _passage_result(engine: SearchEngine, item: dict, text: str, relevant: list[str], mode: Mode) -> QueryResult:
    golds = [normalize_for_index(g) for g in item["gold"]]
    hits = engine.find(engine.parse(text), DEPTH, mode=mode)
    rank = next((i for i, h in enumerate(hits, 1) if doc_prefix(h.doc) in relevant
                 and any(g in normalize_for_index(f"{h.section} {h.text}") for g in golds)), None)
    short = answer(engine, text).short if mode == "hybrid" else None
    has_gold = None if rank is None or mode != "hybrid" else \
        bool(short) and any(g in normalize_for_index(short) for g in golds)
    return QueryResult(item["id"], item["q"], "passage", rank=rank, answer=short, answer_has_gold=has_gold,
                       relevant_docs=relevant)
