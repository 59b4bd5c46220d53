"""Latency of `ask` (retrieval, sentence scoring, constraint checks) in one process, as a batch run sees it.

    python bench/bench_ask.py QUESTIONS.jsonl [--repeat N]

Prints p50, p95 and max in milliseconds over every `q` of the file (each asked `--repeat` times after one
warm-up pass), against the index and model of the usual settings (EDUSEARCH_INDEX_DIR, ...)."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from runtime.settings import load_settings
from search.answer import answer
from search.engine import SearchEngine
from search.evaluate import load_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = SearchEngine(load_settings())
    questions = [item["q"] for item in load_queries(args.questions)]
    for question in questions:
        answer(engine, question)
    timings = []
    for _ in range(args.repeat):
        for question in questions:
            start = time.perf_counter()
            answer(engine, question)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(f"ask: {len(timings)} calls over {len(questions)} questions; p50 {statistics.median(timings):.0f} ms, "
          f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms")


if __name__ == "__main__":
    main()
