"""The int8 backend against full precision, for one model: embedding speed, how close the vectors are, and
the dev-set figures with index and questions both embedded by the backend.

    python bench/backends.py [--model NAME] [--documents ../shared/documents]

Prints a Markdown table. Builds one temporary index per backend."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from runtime.settings import PROJECT_ROOT, Settings, load_settings  # noqa: E402
from runtime.embed import Embedder  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import evaluate, evaluate_answers, load_queries  # noqa: E402

EVAL = PROJECT_ROOT.parent / "shared" / "eval"
BACKENDS = ("torch", "int8")


def passages(engine: SearchEngine) -> list[str]:
    return [chunk.text for _, chunk in engine.index.store.all_chunks()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model name or folder (default: the setting)")
    parser.add_argument("--documents", type=Path, default=EVAL.parent / "documents")
    args = parser.parse_args()
    model = load_settings(model=args.model).model
    queries, answers = load_queries(EVAL / "dev_queries.jsonl"), load_queries(EVAL / "dev_answers.jsonl")
    topics = load_queries(EVAL / "dev_topics.jsonl")
    rows, vectors = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        for backend in BACKENDS:
            embedder = Embedder(model, backend)
            settings = Settings(model=model, embed_backend=backend, index_dir=Path(scratch) / backend)
            build_index(args.documents, settings, show_progress=False, embedder=embedder)
            engine = SearchEngine(settings, embedder=embedder, verify=False)
            texts = passages(engine)
            embedder.embed_passages(texts[:8])
            started = time.perf_counter()
            vectors[backend] = embedder.embed_passages(texts)
            speed = len(texts) / (time.perf_counter() - started)
            figures = [evaluate(engine, queries, mode, strip).metrics()["mrr@10"]
                       for mode in ("hybrid", "dense") for strip in (False, True)]
            topic = evaluate(engine, topics).metrics()
            answered = evaluate_answers(engine, answers).metrics()["accuracy"]
            rows.append((backend, speed, figures, topic, answered))
    closeness = float(np.mean((vectors["torch"] * vectors["int8"]).sum(axis=1)))
    print(f"Model {model}; {len(vectors['torch'])} chunks; mean cosine torch vs int8 {closeness:.3f}\n")
    print("| backend | chunks/s | hybrid MRR@10 | without diacritics | dense MRR@10 | without diacritics | "
          "topics recall@5 / precision | answers |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, speed, figures, topic, answered in rows:
        cells = " | ".join(f"{f:.3f}" for f in figures)
        print(f"| {backend} | {speed:.1f} | {cells} | {topic['recall@5']:.2f} / {topic['precision']:.2f} | "
              f"{answered:.3f} |")


if __name__ == "__main__":
    main()
