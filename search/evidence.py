"""The evidence that a candidate sentence answers a question, and the fitted model that weighs it.

Each candidate sentence (`search.answer`) is described by measured features: lexical coverage of the
question (alone, with its heading path and the clause before it, and of what the question asks beyond
naming its document), the multilingual model's question-sentence similarity, the question's focus met or
not, the agency, the passage's ranks on each side of retrieval, and the checks of `search.constraints` as
flags. Features relative to the question's best candidate (`*_gap`) let one model compare sentences across
questions of any length.

Three linear models (`search.logistic`) weigh them, all fitted by `bench/fit_answers.py` on the dev
question sets, which `answer_model.json` names with the figures measured on questions held out of the fit:
- `first` (logistic) ranks every candidate without the embedding similarity (cheap);
- the first model's best `EMBEDDED` candidates get the similarity; `ranker` (a conditional logit: which
  candidate of a question is the right one) picks one of them;
- `final` (logistic) gives the probability that the pick is right: the answer's one confidence; below `threshold` (chosen on the
dev sets for at most 5% false abstention and at least 85% of unanswerable questions withheld) the answer
abstains. With an embedding model of another profile than the one the final model was fitted with (the
English-only fallback), similarities mean something else: the first model decides alone, against its own
threshold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from runtime.profiles import profile_for
from search.constraints import FLAGS
from search.logistic import LogisticModel

MODEL_FILE = Path(__file__).with_name("answer_model.json")
EMBEDDED = 8  # candidates the embedding similarity is computed for (its cost grows with them)
SIMILARITY_WORDS = 48  # of the heading and the candidate, read by the model (its cost grows with them too)
BASE = ("coverage", "unigram_coverage", "context_coverage", "support", "focus", "agency", "unit", "target",
        "item", "paragraph", "whole_passage", "heading_line", "position", "lead_in", "words", "first_passage", "reciprocal_rank", "heading_candidate",
        "lexical_passage", "dense_passage", "about_document", "question_terms", "asks_coverage",
        "defines")
GAPS = ("coverage", "unigram_coverage", "context_coverage", "support", "asks_coverage")  # also as a gap to the question's best candidate
FIRST_FEATURES = BASE + tuple(f"{name}_gap" for name in GAPS) + FLAGS
FINAL_FEATURES = FIRST_FEATURES + ("similarity", "similarity_gap")


@dataclass(frozen=True)
class AnswerModel:
    first: LogisticModel
    final: LogisticModel
    ranker: LogisticModel  # a conditional logit over the final features: which of the embedded candidates
    threshold: float  # the least confidence of an answer that is given
    first_threshold: float  # the same for the first model alone (an embedding model it was not fitted with)
    embedding_model: str  # the embedding model whose similarities `final` was fitted on
    fitted_on: dict = field(default_factory=dict)  # the question sets, how many, and the held-out figures

    def reads_similarities_of(self, model: str) -> bool:
        """Whether `final` can weigh this embedding model's similarities: one of the same profile."""
        return profile_for(model) == profile_for(self.embedding_model)

    def to_json(self) -> dict:
        return {"threshold": self.threshold, "first_threshold": self.first_threshold,
                "embedding_model": self.embedding_model, "embedded": EMBEDDED, "fitted_on": self.fitted_on,
                "first": self.first.to_json(), "final": self.final.to_json(), "ranker": self.ranker.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> "AnswerModel":
        return cls(LogisticModel.from_json(data["first"]), LogisticModel.from_json(data["final"]),
                   LogisticModel.from_json(data["ranker"]), float(data["threshold"]), float(data["first_threshold"]), data["embedding_model"],
                   data.get("fitted_on", {}))


@lru_cache(maxsize=4)
def load_answer_model(path: Path = MODEL_FILE) -> AnswerModel:
    return AnswerModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def add_gaps(features: list[dict[str, float]], names: tuple[str, ...]) -> None:
    """For each name, `name_gap`: the candidate's value less the best value among the question's candidates."""
    for name in names:
        best = max((f[name] for f in features), default=0.0)
        for f in features:
            f[f"{name}_gap"] = f[name] - best
