"""The hybrid ranking, fitted: both sides' normalized scores weighed by a fitted linear model, then the first
passages scored again with what the question constrains and what the passage is.

Every candidate (the union of each side's best passages) gets `lexical` and `dense`, its score min-max
normalized within that side's list (0 when that side did not find it). The first `depth` by those two also get
- `period_match` / `period_conflict`: the question names a year or period, and the passage (its text, else
  its heading path) names one that overlaps / does not (0.5: the passage names none and its plan's period
  does not overlap);
- `name_missing`: the share of the places and proper names the question names that the passage's document
  does not carry (`Hạ Long`, `Lạng Sơn`);
- `blank_form`: the share of the passage's lines that are lines of a blank form (`Tháng...... năm 2022`);
- `heading_only`: the passage is nothing but a part's heading (`Chương II. HỖ TRỢ NGƯỜI LAO ĐỘNG …`), which
  repeats a question's words without saying anything about them.
- `word_pairs`: the IDF-weighted share of the question's word pairs the passage (with its heading path)
  carries, whatever its length: BM25 shortens a long passage's score for every word it has.
The weights are those of a conditional logit (`search.logistic.fit_ranker`: which candidate of a question is
a relevant one), fitted by `bench/retrieval_sweep.py --write` on part of every retrieval dev set and written
to `rank_model.json` with the figures of the part held out. The model is used with the embedding model it
was fitted with (their scores are what it weighs); another model's index is fused by its profile alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from indexer.chunks import Chunk
from indexer.layout import is_all_caps
from vietnamese.normalize import code_token
from search.constraints import Checker, blank_form_share, reads_as_text, years_of
from search.live_index import OpenIndex
from search.logistic import LogisticModel
from search.question import Question
from search.terms import QueryTerms

MODEL_FILE = Path(__file__).with_name("rank_model.json")
SIDES = ("lexical", "dense")
CHECKS = ("period_match", "period_conflict", "name_missing", "blank_form", "heading_only")
FEATURES = SIDES + CHECKS + ("word_pairs",)
Ranking = list[tuple[int, float]]
TEXT_DEPTH = 30  # how many of the first passages are put in that order
_PART = re.compile(r"^(?:Chương|Phần|Mục|Phụ lục)\s+[\dIVXLC]+\.?\s*[A-ZĐ]", re.IGNORECASE)


@dataclass(frozen=True)
class RankModel:
    model: LogisticModel
    depth: int  # the passages, first by both sides' scores, that the checks are computed for
    embedding_model: str
    fitted_on: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"embedding_model": self.embedding_model, "depth": self.depth, "fitted_on": self.fitted_on,
                "model": self.model.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> "RankModel":
        return cls(LogisticModel.from_json(data["model"]), int(data["depth"]), data["embedding_model"],
                   data.get("fitted_on", {}))


@lru_cache(maxsize=4)
def load_rank_model(path: Path = MODEL_FILE) -> RankModel | None:
    return RankModel.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None


def side_scores(lexical: Ranking, dense: Ranking) -> dict[int, dict[str, float]]:
    """Every candidate's `lexical` and `dense` feature."""
    out: dict[int, dict[str, float]] = {}
    for name, ranking in zip(SIDES, (lexical, dense)):
        if not ranking:
            continue
        values = [s for _, s in ranking]
        low, span = min(values), (max(values) - min(values)) or 1.0
        for vec_id, score in ranking:
            out.setdefault(vec_id, dict.fromkeys(FEATURES, 0.0))[name] = (score - low) / span
    return out


def is_heading_only(chunk: Chunk) -> bool:
    """A passage that is nothing but a part's heading (`Chương II. HỖ TRỢ NGƯỜI LAO ĐỘNG …`, `Phụ lục`): a
    title line with no text under it in this passage."""
    text = " ".join(chunk.text.split())
    return "\n" not in chunk.text.strip() and (bool(_PART.match(text)) or is_all_caps(text))


def check_features(index: OpenIndex, question: Question, checker: Checker, chunk: Chunk,
                   pairs: QueryTerms) -> dict[str, float]:
    """The checks of one passage and the share of the question's word `pairs` it carries (see the module's
    docstring)."""
    out = {"blank_form": blank_form_share(chunk.text), "period_match": 0.0, "period_conflict": 0.0,
           "name_missing": 0.0, "heading_only": float(is_heading_only(chunk)),
           "word_pairs": pairs.coverage(chunk.text)}
    if question.years:
        start, end = question.years
        span = years_of(chunk.text) or years_of(chunk.section)
        if span is not None:
            overlaps = span[0] <= end and start <= span[1]
            out["period_match" if overlaps else "period_conflict"] = 1.0
        else:
            plan = checker.plan_years(chunk.doc)
            out["period_conflict"] = 0.5 if plan and not (plan[0] <= end and start <= plan[1]) else 0.0
    names = question.places + question.names
    if names:
        out["name_missing"] = sum(not checker.names(chunk.doc, n) for n in names) / len(names)
    return out


def candidates(index: OpenIndex, question: Question, checker: Checker, terms: QueryTerms, lexical: Ranking,
               dense: Ranking, model: RankModel) -> dict[int, dict[str, float]]:
    """The features of every candidate; the checks only for the first `model.depth` by both sides' scores."""
    features = side_scores(lexical, dense)
    vec_ids = list(features)
    if not vec_ids:
        return features
    first = model.model.log_odds(model.model.rows([features[v] for v in vec_ids]))
    head = [vec_ids[i] for i in np.argsort(-first, kind="stable")[:model.depth]]
    chunks = index.store.chunks_by_vec_ids(head)
    pairs = terms.pairs()
    for vec_id in head:
        features[vec_id].update(check_features(index, question, checker, chunks[vec_id], pairs))
    return features


def text_first(index: OpenIndex, ranking: Ranking, depth: int, matched: set[int]) -> Ranking:
    """The first `depth` passages with those that are not text (a table of figures, a scan's OCR of one, a
    blank form's dotted lines: `constraints.reads_as_text`) moved below every text passage that `matched`
    the question's words (the lexical side found it), each group in rank order: such a passage matches a
    number or code of the question by chance, and reads as noise on a result card. Where no text passage
    matches the words, it keeps its rank."""
    head = ranking[:depth]
    chunks = index.store.chunks_by_vec_ids([v for v, _ in head])
    is_text = [reads_as_text(chunks[v].text) for v, _ in head]
    last = max((n for n, (v, _) in enumerate(head) if is_text[n] and v in matched), default=-1)
    moved = [r for n, r in enumerate(head[:last]) if not is_text[n]]
    kept = [r for n, r in enumerate(head[:last + 1]) if is_text[n]]
    return kept + moved + head[last + 1:] + ranking[depth:]


def bearer_first(index: OpenIndex, ranking: Ranking, depth: int, codes: tuple[str, ...]) -> Ranking:
    """The first `depth` passages with those of a document whose own number the question names (`Kế hoạch
    150/KH-UBND …`) first, each group in rank order: the question names its document. A number is one
    token of the lexical side among many, and a short OCR'd header elsewhere that shares a code's letters
    (`KH-UBND`) could otherwise outrank the plan itself."""
    tokens = {code_token(c) for c in codes}
    bearers = {doc for doc, d in index.documents.items() if d.meta.number and code_token(d.meta.number) in tokens}
    if not bearers:
        return ranking
    head = ranking[:depth]
    chunks = index.store.chunks_by_vec_ids([v for v, _ in head])
    named = [chunks[v].doc in bearers for v, _ in head]
    return [r for r, n in zip(head, named) if n] + [r for r, n in zip(head, named) if not n] + ranking[depth:]


def ranked(features: dict[int, dict[str, float]], model: RankModel) -> Ranking:
    """(vec_id, the model's linear score) in rank order (a probability would round to 1.0 at the top)."""
    vec_ids = list(features)
    scores = model.model.log_odds(model.model.rows([features[v] for v in vec_ids]))
    order = np.argsort(-scores, kind="stable")
    return [(vec_ids[i], float(scores[i])) for i in order]
