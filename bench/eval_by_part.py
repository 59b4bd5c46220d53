"""`edusearch eval`'s measures on the fitting and the held-out part of each dev set (the split every fitting
script uses: `bench/splits.py` on `folder/file:id`), for answer files and topic files alike.

    python bench/eval_by_part.py --set ../shared/eval/legal-qa/dev_answers.jsonl=IDX_LEGAL \\
        --set bench/topic_tiers.jsonl=IDX_COMBINED [--strip-diacritics]

Prints one row per set and part: for answers, accuracy, answered precision, abstention recall and false
abstention; for topics, first tier recall@5 and precision, second tier recall and precision, and recall
over both tiers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import split  # noqa: E402
from runtime.settings import load_settings  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import evaluate, evaluate_answers, is_answer_question, load_queries  # noqa: E402

ANSWER_COLUMNS = ("accuracy", "answered precision", "abstention recall", "false abstention")
TOPIC_COLUMNS = ("recall@5", "precision", "mentions recall", "mentions precision", "recall, both tiers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", required=True, help="FILE.jsonl=INDEX_DIR")
    parser.add_argument("--strip-diacritics", action="store_true", help="ask every question without diacritics")
    args = parser.parse_args()
    engines: dict[str, SearchEngine] = {}
    for spec in args.set:
        path, index_dir = (Path(part) for part in spec.split("=", 1))
        engine = engines.setdefault(str(index_dir), SearchEngine(load_settings(index_dir=index_dir), verify=False))
        items = load_queries(path)
        answers = all(is_answer_question(i) for i in items)
        columns = ANSWER_COLUMNS if answers else TOPIC_COLUMNS
        print(f"\n| {path.name} | part | items | " + " | ".join(columns) + " |\n|---|---|---|" + "---|" * len(columns))
        for part in ("fit", "held_out"):
            chosen = [i for i in items if split(f"{path.parent.name}/{path.name}:{i['id']}") == part]
            report = (evaluate_answers(engine, chosen, args.strip_diacritics) if answers
                      else evaluate(engine, chosen, strip_diacritics=args.strip_diacritics))
            metrics = report.metrics() if chosen else {}
            print(f"| {path.parent.name}/{path.name} | {part} | {len(chosen)} | "
                  + " | ".join(f"{metrics[c]:.3f}" if c in metrics else "-" for c in columns) + " |")


if __name__ == "__main__":
    main()
