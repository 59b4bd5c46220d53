"""Fit the answer model (`search/evidence.py`) on answer question sets, report cross-validated and held-out
figures, and write `search/answer_model.json`.

    python bench/fit_answers.py \\
        --set ../shared/eval/dev_answers.jsonl=/tmp/idx/sample \\
        --set ../shared/eval/legal-qa/dev_answers.jsonl=/tmp/idx/legal \\
        --set bench/answers_plans_extra.jsonl=/tmp/idx/sample \\
        --set bench/answers_legal_samples.jsonl=/tmp/idx/samples-legal [--write]

Each set is split once by a hash of the question id: HELD_OUT of it is kept out of all fitting and only
measured at the end; on the rest, FOLDS-fold cross-validation (by question) gives the figures and the
out-of-fold confidences from which the abstention threshold is chosen. Questions on the sample plans are
also asked without diacritics (as a user types them); both forms of a question stay in one fold.

A candidate is labelled right when it comes from a gold document and its short answer contains a gold
string, as `edusearch eval` judges. Features of every candidate, the embedding similarity included, are
computed once per set and cached (`--cache`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import HELD_OUT, split  # noqa: E402
from runtime.settings import load_settings  # noqa: E402
from search.answer import add_similarities, answer_candidates  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import has_gold, is_gold_document, load_queries  # noqa: E402
from search.evidence import EMBEDDED, FINAL_FEATURES, FIRST_FEATURES, MODEL_FILE, AnswerModel  # noqa: E402
from search.logistic import L2, LogisticModel, fit, fit_ranker  # noqa: E402
from vietnamese.normalize import fold  # noqa: E402

FOLDS = 5
MAX_FALSE_ABSTENTION = float(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--max-false-abstention=")),
                                 0.05))
MIN_ABSTENTION_RECALL = 0.85
RANKER = "--pointwise" not in sys.argv
PENALTY = float(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--l2=")), L2))


@dataclass
class Asked:
    """One question's candidates: feature records, labels, and whether the question has an answer."""

    set_name: str
    id: str
    group: str  # the question id its variants share
    answerable: bool
    features: list[dict[str, float]]
    labels: np.ndarray
    texts: list[str]  # the short answer of each candidate, to read the misses


def fold_of(group: str) -> int:
    return int(hashlib.sha1(f"fold:{group}".encode()).hexdigest(), 16) % FOLDS


def collect(path: Path, index_dir: Path, engine_cache: dict) -> list[Asked]:
    if index_dir not in engine_cache:
        engine_cache[index_dir] = SearchEngine(load_settings(index_dir=index_dir))
    engine = engine_cache[index_dir]
    out = []
    for n, item in enumerate(load_queries(path), 1):
        forms = [item["q"]] + ([fold(item["q"])] if item.get("cat") != "legal_fact" and fold(item["q"]) != item["q"] else [])
        for form_number, text in enumerate(forms):
            found = answer_candidates(engine, text)
            pool = found.open
            add_similarities(engine, found, pool)
            texts = [found.answer_text(c) for c in pool]
            labels = np.array([not item.get("abstain") and is_gold_document(found.hits[c.passage].doc, item["docs"])
                               and has_gold(text, item["gold"]) for c, text in zip(pool, texts)], dtype=float)
            out.append(Asked(path.name, f"{item['id']}{'~folded' if form_number else ''}", f"{path.name}:{item['id']}",
                             not item.get("abstain"), [dict(c.features) for c in pool], labels, texts))
        if n % 20 == 0:
            print(f"{path.name}: {n} questions", file=sys.stderr)
    return out


def _gaps(features: list[dict[str, float]]) -> list[dict[str, float]]:
    best = max((f["similarity"] for f in features), default=0.0)
    return [{**f, "similarity_gap": f["similarity"] - best} for f in features]


def fit_models(train: list[Asked]) -> tuple[LogisticModel, LogisticModel, LogisticModel | None]:
    """The first model on every candidate; on each question's best EMBEDDED by it, the final model (the
    probability of being right) and, with RANKER, a conditional logit that picks among them."""
    weights = _set_weights(train)
    first = _fit([(a, a.features, a.labels) for a in train], FIRST_FEATURES, weights)
    chosen = []
    for a in train:
        top = _top(first, a)
        chosen.append((a, _gaps([a.features[i] for i in top]), a.labels[top]))
    final = _fit(chosen, FINAL_FEATURES, weights)
    if not RANKER:
        return first, final, None
    rows = [f for _, fs, _ in chosen for f in fs]
    groups = np.concatenate([np.full(len(fs), n) for n, (_, fs, _) in enumerate(chosen)])
    labels = np.concatenate([labels for _, _, labels in chosen])
    group_weights = np.array([weights[a.set_name] for a, _, labels in chosen if labels.any()])
    ranker = fit_ranker(final.rows(rows), groups, labels, FINAL_FEATURES, l2=PENALTY, group_weights=group_weights)
    return first, final, ranker


def _fit(rows: list[tuple[Asked, list[dict], np.ndarray]], names: tuple[str, ...], weights: dict[str, float]) -> LogisticModel:
    features = [f for _, fs, _ in rows for f in fs]
    x = np.array([[f.get(n, 0.0) for n in names] for f in features])
    y = np.concatenate([labels for _, _, labels in rows])
    w = np.concatenate([np.full(len(labels), weights[a.set_name]) for a, _, labels in rows])
    return fit(x, y, names, l2=PENALTY, sample_weights=w)


def _set_weights(questions: list[Asked]) -> dict[str, float]:
    """Every set weighs the same in the fit, however many questions it has."""
    counts: dict[str, int] = {}
    for a in questions:
        counts[a.set_name] = counts.get(a.set_name, 0) + 1
    return {name: len(questions) / (len(counts) * n) for name, n in counts.items()}


def _top(first: LogisticModel, a: Asked) -> list[int]:
    if not a.features:
        return []
    p = first.probabilities(first.rows(a.features))
    return list(np.argsort(-p, kind="stable")[:EMBEDDED])


def predict(models: tuple, a: Asked, first_only: bool = False) -> tuple[float, bool, str]:
    """(confidence, whether the chosen candidate is right, its short answer) of one question; `first_only`:
    as an embedding model the final model was not fitted with gets it."""
    first, final, ranker = models
    top = _top(first, a)
    if not top:
        return 0.0, False, ""
    if first_only:
        p = first.probabilities(first.rows([a.features[i] for i in top]))
        best = int(np.argmax(p))
    else:
        rows = final.rows(_gaps([a.features[i] for i in top]))
        p = final.probabilities(rows)
        best = int(np.argmax(ranker.probabilities(rows) if ranker else p))
    return float(p[best]), bool(a.labels[top[best]]), a.texts[top[best]]


def scores(outcomes: list[tuple[Asked, float, bool, str]], threshold: float) -> dict[str, float]:
    answerable = [(c, r) for a, c, r, _ in outcomes if a.answerable]
    unanswerable = [c for a, c, _, _ in outcomes if not a.answerable]
    right = sum(c >= threshold and r for c, r in answerable) + sum(c < threshold for c in unanswerable)
    answered = sum(c >= threshold for _, c, _, _ in outcomes)
    return {"questions": len(outcomes), "accuracy": right / len(outcomes) if outcomes else 0.0,
            "answered precision": sum(c >= threshold and r for c, r in answerable) / answered if answered else 0.0,
            "abstention recall": sum(c < threshold for c in unanswerable) / len(unanswerable) if unanswerable else None,
            "false abstention": sum(c < threshold for c, _ in answerable) / len(answerable) if answerable else None}


def choose_threshold(outcomes: list[tuple[Asked, float, bool, str]]) -> float:
    """The threshold with the best mean accuracy over the sets among those that keep false abstention at most
    MAX_FALSE_ABSTENTION and abstention recall at least MIN_ABSTENTION_RECALL, each a mean over the sets
    (every set weighs the same, as in the fit); when none keeps both, the one that keeps false abstention
    and withholds the most."""
    sets = sorted({a.set_name for a, _, _, _ in outcomes})
    candidates = sorted({round(c, 3) for _, c, _, _ in outcomes} | {0.0})
    best, best_key = 0.0, None
    for t in candidates:
        per_set = [scores([o for o in outcomes if o[0].set_name == s], t) for s in sets]
        false_abstention = _mean(p["false abstention"] for p in per_set)
        recall = _mean(p["abstention recall"] for p in per_set)
        if false_abstention is not None and false_abstention > MAX_FALSE_ABSTENTION:
            continue
        keeps = recall is None or recall >= MIN_ABSTENTION_RECALL
        key = (keeps, np.mean([p["accuracy"] for p in per_set]) if keeps else recall)
        if best_key is None or key > best_key:
            best, best_key = t, key
    return best


def _mean(values) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None


def cross_validate(questions: list[Asked]) -> tuple[list, list]:
    """Out-of-fold (question, confidence, right) with both models, and with the first alone."""
    outcomes, first_only = [], []
    for k in range(FOLDS):
        train = [a for a in questions if fold_of(a.group) != k]
        models = fit_models(train)
        test = [a for a in questions if fold_of(a.group) == k]
        outcomes += [(a, *predict(models, a)) for a in test]
        first_only += [(a, *predict(models, a, first_only=True)) for a in test]
    return outcomes, first_only


def table(title: str, outcomes: list[tuple[Asked, float, bool, str]], threshold: float) -> dict:
    print(f"\n{title} (threshold {threshold:.3f})")
    print("| set | questions | accuracy | answered precision | abstention recall | false abstention |")
    print("|---|---:|---:|---:|---:|---:|")
    report = {}
    for name in sorted({a.set_name for a, _, _, _ in outcomes}) + ["all"]:
        part = [o for o in outcomes if name in ("all", o[0].set_name)]
        s = scores(part, threshold)
        report[name] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in s.items()}
        cells = [f"{s[k]:.3f}" if s[k] is not None else "-" for k in
                 ("accuracy", "answered precision", "abstention recall", "false abstention")]
        print(f"| {name} | {s['questions']} | " + " | ".join(cells) + " |")
    return report


def curve(outcomes: list[tuple[Asked, float, bool, str]]) -> None:
    """Coverage (share of answerable questions answered) against the accuracy of the answers given."""
    print("\n| threshold | coverage | accuracy of answers | unanswerable withheld |")
    print("|---:|---:|---:|---:|")
    for t in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7):
        answerable = [(c, r) for a, c, r, _ in outcomes if a.answerable]
        given = [r for c, r in answerable if c >= t]
        withheld = [c < t for a, c, _, _ in outcomes if not a.answerable]
        print(f"| {t:.2f} | {len(given) / len(answerable):.3f} | {np.mean(given) if given else 0:.3f} | "
              f"{np.mean(withheld) if withheld else 0:.3f} |")


def print_misses(outcomes: list[tuple[Asked, float, bool, str]], threshold: float, count: int) -> None:
    """Wrong answers (and false abstentions) out of fold, with a right candidate when there was one."""
    for name in sorted({a.set_name for a, _, _, _ in outcomes}):
        print(f"\n{name}: misses")
        wrong = [o for o in outcomes if o[0].set_name == name and o[0].answerable and not (o[2] and o[1] >= threshold)]
        for a, confidence, _, text in wrong[:count]:
            right = next((t for t, label in zip(a.texts, a.labels) if label), None)
            print(f"- {a.id} ({confidence:.2f}) picked: {text[:160]}\n    right: {(right or '(no candidate)')[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", required=True, help="QUESTIONS.jsonl=INDEX_DIR")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/edusearch-answer-features"),
                        help="folder of the features computed per question set and index")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.name}")
    parser.add_argument("--pointwise", action="store_true",
                        help="pick by the final model's probability, not by the conditional logit (to compare)")
    parser.add_argument("--max-false-abstention", type=float, default=MAX_FALSE_ABSTENTION,
                        help="the most false abstention the threshold may cost (to explore the trade-off)")
    parser.add_argument("--l2", type=float, default=L2, help="the penalty on standardized weights")
    parser.add_argument("--misses", type=int, default=0, help="print this many cross-validated misses per set")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    engines: dict = {}
    questions: list[Asked] = []
    for spec in args.set:
        path, index_dir = (Path(p) for p in spec.split("=", 1))
        key = hashlib.sha1(f"{path.resolve()}@{index_dir.resolve()}".encode()).hexdigest()[:16]
        cached = args.cache / f"{path.stem}-{key}.pkl"
        if not cached.exists():
            cached.write_bytes(pickle.dumps(collect(path, index_dir, engines)))
        label = f"{path.parent.name}/{path.name}"
        questions += [replace(a, set_name=label, group=f"{label}:{a.group.split(':', 1)[1]}")
                      for a in pickle.loads(cached.read_bytes())]
    fitting = [a for a in questions if split(a.group) == "fit"]
    held_out = [a for a in questions if split(a.group) == "held_out"]
    outcomes, first_outcomes = cross_validate(fitting)
    threshold, first_threshold = choose_threshold(outcomes), choose_threshold(first_outcomes)
    table("Cross-validated, first model alone (an embedding model of another profile)", first_outcomes, first_threshold)
    cv = table(f"Cross-validated ({FOLDS} folds) on the fitting part", outcomes, threshold)
    curve(outcomes)
    models = fit_models(fitting)
    held_outcomes = [(a, *predict(models, a)) for a in held_out]
    held = table("Held out (never fitted on)", held_outcomes, threshold)
    if args.misses:
        print_misses(outcomes, threshold, args.misses)
    if args.write:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        fitted_on = {"sets": sorted({a.set_name for a in questions}), "fitted_questions": len(fitting),
                     "selection": "conditional logit (ranker)" if RANKER else "final model",
                     "held_out_questions": len(held_out), "held_out_share": HELD_OUT, "date": date.today().isoformat(),
                     "commit": commit, "cross_validated": cv, "held_out": held,
                     "threshold_rule": f"best mean accuracy over the sets with false abstention <= "
                                       f"{MAX_FALSE_ABSTENTION} and abstention recall >= {MIN_ABSTENTION_RECALL} "
                                       f"(means over the sets, out of fold)"}
        model = AnswerModel(*models, threshold=threshold, first_threshold=first_threshold,
                            embedding_model=next(iter(engines.values())).settings.model if engines else
                            load_settings().model, fitted_on=fitted_on)
        MODEL_FILE.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {MODEL_FILE}")
        for name, weight in sorted(zip(models[1].features, models[1].weights), key=lambda x: -abs(x[1])):
            print(f"  {name:22s} {weight:+.3f}")


if __name__ == "__main__":
    main()
