"""Both tiers of the topic view, scored by `edusearch eval`'s measures on the fitting and the held-out part of
each topic set (the split of `bench/fit_topics.py`: `bench/splits.py` on `folder/file:id`).

    python bench/topic_tiers_by_part.py --set bench/topic_tiers.jsonl=IDX_COMBINED \\
        --set bench/topic_tiers_b.jsonl=IDX_COMBINED

Prints one row per set and part: first tier recall@5 and precision, second tier recall and precision, and
recall over both tiers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import split  # noqa: E402
from runtime.settings import load_settings  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import evaluate, load_queries  # noqa: E402

COLUMNS = ("recall@5", "precision", "mentions recall", "mentions precision", "recall, both tiers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", required=True, help="TOPICS.jsonl=INDEX_DIR")
    args = parser.parse_args()
    engines: dict[str, SearchEngine] = {}
    print("| set | part | topics | " + " | ".join(COLUMNS) + " |\n|---|---|---|" + "---|" * len(COLUMNS))
    for spec in args.set:
        path, index_dir = (Path(part) for part in spec.split("=", 1))
        engine = engines.setdefault(str(index_dir), SearchEngine(load_settings(index_dir=index_dir), verify=False))
        topics = load_queries(path)
        for part in ("fit", "held_out"):
            chosen = [t for t in topics if split(f"{path.parent.name}/{path.name}:{t['id']}") == part]
            metrics = evaluate(engine, chosen).metrics()
            print(f"| {path.name} | {part} | {len(chosen)} | "
                  + " | ".join(f"{metrics[c]:.3f}" if c in metrics else "-" for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
