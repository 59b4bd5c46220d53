"""Fits the meaning model of the topic view (`search/topic_model.json`): a logistic model over the wording
and similarity features of every retrieved plan (`search.topics.TOPIC_FEATURES`, those of MODEL_FEATURES),
fitted on part of the judged topic sets and measured on the rest. A plan is listed in the first tier when the
wording rules or the model list it.

    python bench/fit_topics.py --set ../shared/eval/dev_topics.jsonl=IDX_SAMPLE \\
        --set bench/topic_phrases.jsonl=IDX_SAMPLE --set bench/topic_tiers.jsonl=IDX_COMBINED \\
        --set bench/topic_tiers_b.jsonl=IDX_COMBINED [--write]

The combined index holds `../shared/documents` and `../shared/samples-legal` together (built by
`bench/topic_distractors.py --backend int8 --index-dir IDX_COMBINED`). Every plan a topic's retrieval finds is
one example, labelled by whether the topic file lists it among the plans that address the topic (`docs`).
Each set is split by the hash of `bench/splits.py`; the model is fitted on the fitting part. Its threshold is
chosen out of fold: FOLDS-fold cross-validation by topic on the fitting part, the threshold of THRESHOLDS
with the best mean F-beta (BETA 0.5: precision counts more) of the first tier over the sets. Both parts are reported per set as recall and
precision of the first tier, with the wording rules alone for comparison; `--write` writes the model with
the sets it was fitted on and these figures."""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import subprocess
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
from search.topics import MODEL_FILE, TopicModel, topic_evidence  # noqa: E402

MODEL_FEATURES = ("phrase", "words_mean", "similarity_gap", "near_share")  # chosen out of fold, BENCHMARKS.md
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FOLDS = 5
BETA = 0.5  # F-beta of the first tier: a plan listed that does not address the topic costs more than one missed


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
    rows = np.array([[c.features[n] for n in MODEL_FEATURES] for c in candidates])
    return fit(rows, np.array([c.relevant for c in candidates], dtype=float), MODEL_FEATURES)


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
    parser.add_argument("--write", action="store_true", help=f"write the fitted model to {MODEL_FILE.name}")
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

    def mean_f_beta(threshold: float) -> float:
        f = []
        for name in sets:
            s = scores([c for c in fitting if c.set_name == name], by_model(threshold, lambda c: out_of_fold[id(c)]))
            f.append((1 + BETA ** 2) * s["recall"] * s["precision"] / (BETA ** 2 * s["precision"] + s["recall"] or 1))
        return float(np.mean(f))

    for t in THRESHOLDS:
        print(f"threshold {t}: mean F-beta out of fold {mean_f_beta(t):.3f}")
    threshold = max(THRESHOLDS, key=mean_f_beta)
    print(f"threshold {threshold}\n\n| set | part | topics | wording rules recall / precision | "
          "with the model recall / precision |\n|---|---|---|---|---|")
    figures = {}
    for name in sets:
        for part in ("fit", "held_out"):
            chosen = [c for c in candidates if c.set_name == name and c.part == part]
            if not chosen:
                continue
            rules, fitted = scores(chosen, lambda c: c.by_wording), scores(chosen, by_model(threshold))
            figures[f"{name} {part}"] = {"topics": len({c.topic for c in chosen}), "wording": rules, "with model": fitted}
            print(f"| {name} | {part} | {len({c.topic for c in chosen})} | {rules['recall']:.3f} / "
                  f"{rules['precision']:.3f} | {fitted['recall']:.3f} / {fitted['precision']:.3f} |")
    print("\nweights (per standardized feature):",
          ", ".join(f"{n} {w:+.2f}" for n, w in zip(model.features, model.weights)))
    if args.write:
        embedding_model = next(iter(engines.values())).settings.model
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        fitted_on = {"sets": [Path(spec.split("=", 1)[0]).name for spec in args.set], "fitted_plans": len(fitting),
                     "fitted_topics": len({c.topic for c in fitting}), "threshold": f"out of fold, best mean F{BETA} over the sets",
                     "date": datetime.date.today().isoformat(), "commit": commit,
                     "figures": {k: {"topics": v["topics"], **{f"{side} {m}": round(x, 3) for side in ("wording", "with model")
                                                               for m, x in v[side].items()}} for k, v in figures.items()}}
        MODEL_FILE.write_text(json.dumps(TopicModel(model, threshold, embedding_model, fitted_on).to_json(),
                                         ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
