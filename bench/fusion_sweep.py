"""How the dense ranking should be fused with BM25 for a model: every dev set under lexical alone, dense
alone, and rank (RRF) or weighted-score fusion at several weights, on one index.

    EDUSEARCH_INDEX_DIR=/tmp/idx edusearch index ../shared/documents
    EDUSEARCH_INDEX_DIR=/tmp/idx python bench/fusion_sweep.py [--model NAME]

Prints a Markdown table: MRR@10 on the passage queries (as written and without diacritics) and on the
meaning queries, topic recall@5 and precision, answer accuracy, and the mean of the five. The profile in
runtime/profiles.py should be the best mean that is never below lexical alone on any column."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runtime.settings import PROJECT_ROOT, load_settings  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import evaluate, evaluate_answers, load_queries  # noqa: E402

EVAL = PROJECT_ROOT.parent / "shared" / "eval"
CANDIDATES = [("rrf", w) for w in (0.25, 0.5, 1.0)] + [("weighted", w) for w in (0.1, 0.15, 0.25, 0.35, 0.5, 1.0)]


def scores(engine: SearchEngine, mode: str, sets: dict[str, list[dict]]) -> list[float]:
    """The six figures; topics and answers always run the engine's fusion, so "dense alone" has none."""
    passages = evaluate(engine, sets["queries"], mode).metrics()["mrr@10"]
    folded = evaluate(engine, sets["queries"], mode, strip_diacritics=True).metrics()["mrr@10"]
    meaning = evaluate(engine, sets["meaning"], mode).metrics()["mrr@10"]
    if mode == "dense":
        return [passages, folded, meaning]
    topics = evaluate(engine, sets["topics"]).metrics()
    answers = evaluate_answers(engine, sets["answers"]).metrics()["accuracy"]
    return [passages, folded, meaning, topics["recall@5"], topics["precision"], answers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model name or folder (default: the setting)")
    args = parser.parse_args()
    settings = load_settings(model=args.model)
    engine = SearchEngine(settings, verify=False)
    sets = {"queries": load_queries(EVAL / "dev_queries.jsonl"),
            "meaning": load_queries(PROJECT_ROOT / "bench" / "meaning_queries.jsonl"),
            "topics": load_queries(EVAL / "dev_topics.jsonl"),
            "answers": load_queries(EVAL / "dev_answers.jsonl")}
    print(f"Model {engine.embedder.name}, {engine.index.manifest.counts['chunks']} chunks\n")
    print("| fusion | weight | MRR@10 | MRR@10 no diacritics | meaning MRR@10 | topics recall@5 | "
          "topics precision | answers | mean |")
    print("|---|---|---|---|---|---|---|---|---|")
    baseline = engine.profile
    runs = [("lexical alone", "-", "lexical"), ("dense alone", "-", "dense")]
    runs += [(fusion, weight, "hybrid") for fusion, weight in CANDIDATES]
    for fusion, weight, mode in runs:
        engine.fusion = fusion if mode == "hybrid" else "weighted"
        engine.profile = replace(baseline, fusion=engine.fusion,
                                 dense_weight=weight if mode == "hybrid" else 0.0)  # lexical: BM25 alone
        row = scores(engine, mode, sets)
        cells = " | ".join(f"{value:.3f}" for value in row) + " | -" * (6 - len(row))
        mean = f"{sum(row) / len(row):.3f}" if len(row) == 6 else "-"
        print(f"| {fusion} | {weight} | {cells} | {mean} |", flush=True)


if __name__ == "__main__":
    main()
