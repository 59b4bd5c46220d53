"""The weight of a passage's context (plan title, number, issuer, heading path) in BM25, measured on every
dev set at once: passage MRR@10 (as typed and without diacritics), answer accuracy, topic recall@5 and
precision, for each weight tried.

    python bench/context_weight.py ../shared/eval [--documents documents/] [--weights 0.1,0.25,0.5,1.0]

Reads dev_queries.jsonl, dev_answers.jsonl and dev_topics.jsonl from the folder, and bench/meaning_queries.jsonl;
builds one temporary index of the documents; prints a Markdown table."""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from runtime.settings import PROJECT_ROOT, Settings  # noqa: E402
from runtime.embed import Embedder  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import evaluate, evaluate_answers, load_queries  # noqa: E402

MEANING = PROJECT_ROOT / "bench" / "meaning_queries.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--documents", type=Path, default=PROJECT_ROOT / "documents")
    parser.add_argument("--weights", default="0.1,0.25,0.5,1.0")
    args = parser.parse_args()
    passages = load_queries(args.eval_dir / "dev_queries.jsonl")
    answers = load_queries(args.eval_dir / "dev_answers.jsonl")
    topics = load_queries(args.eval_dir / "dev_topics.jsonl")
    meaning = load_queries(MEANING)
    embedder = Embedder(Settings().model)
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(index_dir=Path(scratch))
        build_index(args.documents, settings, show_progress=False, embedder=embedder)
        engine = SearchEngine(settings, embedder=embedder, verify=False)
        print("| context weight | MRR@10 | without diacritics | meaning MRR@10 | answers | answers without "
              "diacritics | topics recall@5 | topics precision |")
        print("|---|---|---|---|---|---|---|---|")
        for weight in (float(w) for w in args.weights.split(",")):
            engine.field_weights = replace(engine.field_weights, context=weight)
            typed = evaluate(engine, passages).metrics()
            plain = evaluate(engine, passages, strip_diacritics=True).metrics()
            senses = evaluate(engine, meaning).metrics()
            answered = evaluate_answers(engine, answers).metrics()
            answered_plain = evaluate_answers(engine, answers, strip_diacritics=True).metrics()
            listed = evaluate(engine, topics).metrics()
            print(f"| {weight} | {typed['mrr@10']:.3f} | {plain['mrr@10']:.3f} | {senses['mrr@10']:.3f} | "
                  f"{answered['accuracy']:.3f} | {answered_plain['accuracy']:.3f} | {listed['recall@5']:.3f} | "
                  f"{listed['precision']:.3f} |")


if __name__ == "__main__":
    main()
