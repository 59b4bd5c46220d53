"""Whether meaning helps decide which plans address a topic: a logistic model over the wording and
similarity features of every retrieved plan (`search.topics.TOPIC_FEATURES`), fitted on part of the topic
sets and measured on the rest against the wording rules the product uses.

    python bench/fit_topics.py --set ../shared/eval/dev_topics.jsonl=/tmp/idx/sample \\
        --set bench/topic_phrases.jsonl=/tmp/idx/sample --set bench/topic_tiers.jsonl=/tmp/idx/combined

The combined index holds `../shared/documents` and `../shared/samples-legal` together (built from a copy of
both in a temporary folder, as `bench/topic_distractors.py` does). Every plan a topic's retrieval finds is
one example, labelled by whether the topic file lists it among the plans that address the topic (`docs`).
Each set is split by the hash of `bench/splits.py`; the model is fitted on the fitting part. Its threshold is
chosen out of fold: FOLDS-fold cross-validation by topic on the fitting part, the threshold of THRESHOLDS
with the best mean F1 of the first tier over the sets. Both parts are reported per set as recall and
precision of the first tier, with the wording rules alone for comparison. (Measured 2026-12-05: the model
lifts the fitting parts and loses precision on the held-out topics, so the product lists by wording;
BENCHMARKS.md, "Topics in two tiers".)"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import split  # noqa: E402
from runtime.settings import load_settings  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import is_gold_document, load_queries  # noqa: E402
from search.logistic import fit  # noqa: E402
from search.topics import TOPIC_FEATURES, topic_evidence  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
FOLDS = 3


@dataclass
class Candidate:
    set_name: str
    topic: str  # the topic's key: file and id
    part: str
    doc: str
    features: dict[str, float]
    by_wording: bool
    relevant: bool
    gold: int  # how many plans address the topic


def collect(path: Path, engine: SearchEngine) -> list[Candidate]:
    out = []
    for item in load_queries(path):
        if "gold" in item:
            continue
        key = f"{path.parent.name}/{path.name}:{item['id']}"
        query = engine.parse(item["q"])
        if query.empty:
            continue
        docs = [str(d) for d in item.get("docs", [])]
        out += [Candidate(path.name, key, split(key), plan.doc, plan.features, plan.addresses_by_wording,
                          is_gold_document(plan.doc, docs), len(docs))
                for plan in topic_evidence(engine, query).plans]
    return out


def scores(candidates: list[Candidate], listed) -> dict[str, float]:
    """Recall@5 (listing order aside: every listed plan counts) and precision of the first tier, by topic."""
    recalls, precisions = [], []
    for topic in dict.fromkeys(c.topic for c in candidates):
        mine = [c for c in candidates if c.topic == topic]
        shown = [c for c in mine if listed(c)]
        if mine[0].gold:
            recalls.append(sum(c.relevant for c in shown) / mine[0].gold)
        precisions.append(sum(c.relevant for c in shown) / len(shown) if shown else float(not mine[0].gold))
    return {"recall": float(np.mean(recalls)) if recalls else 1.0, "precision": float(np.mean(precisions))}


def _fit(candidates: list[Candidate]):
    rows = np.array([[c.features[n] for n in TOPIC_FEATURES] for c in candidates])
    return fit(rows, np.array([c.relevant for c in candidates], dtype=float), TOPIC_FEATURES)


def _out_of_fold(candidates: list[Candidate]) -> dict[int, float]:
    """Each candidate's probability from a model fitted without its topic's fold."""
    fold = {topic: int(hashlib.sha1(f"fold:{topic}".encode()).hexdigest(), 16) % FOLDS
            for topic in {c.topic for c in candidates}}
    out = {}
    for k in range(FOLDS):
        model = _fit([c for c in candidates if fold[c.topic] != k])
        for c in candidates:
            if fold[c.topic] == k:
                out[id(c)] = float(model.probabilities(model.rows([c.features]))[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", required=True, help="TOPICS.jsonl=INDEX_DIR")
    args = parser.parse_args()
    engines: dict[str, SearchEngine] = {}
    candidates: list[Candidate] = []
    for spec in args.set:
        path, index_dir = spec.split("=", 1)
        if index_dir not in engines:
            engines[index_dir] = SearchEngine(load_settings(index_dir=Path(index_dir)), verify=False)
        candidates += collect(Path(path), engines[index_dir])
    fitting = [c for c in candidates if c.part == "fit"]
    model = _fit(fitting)
    sets = list(dict.fromkeys(c.set_name for c in candidates))
    out_of_fold = _out_of_fold(fitting)

    def by_model(threshold: float, probability=lambda c: model.probabilities(model.rows([c.features]))[0]):
        return lambda c: c.by_wording or probability(c) >= threshold

    def mean_f1(threshold: float) -> float:
        f1 = []
        for name in sets:
            s = scores([c for c in fitting if c.set_name == name], by_model(threshold, lambda c: out_of_fold[id(c)]))
            f1.append(2 * s["recall"] * s["precision"] / (s["recall"] + s["precision"] or 1))
        return float(np.mean(f1))

    threshold = max(THRESHOLDS, key=mean_f1)
    print(f"threshold {threshold}\n\n| set | part | topics | wording rules recall / precision | "
          "with the model recall / precision |\n|---|---|---|---|---|")
    for name in sets:
        for part in ("fit", "held_out"):
            chosen = [c for c in candidates if c.set_name == name and c.part == part]
            if not chosen:
                continue
            rules, fitted = scores(chosen, lambda c: c.by_wording), scores(chosen, by_model(threshold))
            print(f"| {name} | {part} | {len({c.topic for c in chosen})} | {rules['recall']:.3f} / "
                  f"{rules['precision']:.3f} | {fitted['recall']:.3f} / {fitted['precision']:.3f} |")
    print("\nweights (per standardized feature):",
          ", ".join(f"{n} {w:+.2f}" for n, w in zip(model.features, model.weights)))

if __name__ == "__main__":
    main()
