"""The embedding backends side by side, for one model: passages/s on the same passages in one run, the mean
cosine of each backend's vectors with torch's, and dense-only MRR@10 with passages and questions both
embedded by the backend.

    python bench/encoders.py --plans /tmp/idx/v1-sample --legal /tmp/idx/v1-legal \\
        [--backends torch,int8,onnx,onnx-int8] [--legal-backends onnx-int8] [--passages 400]

The indexes (built with torch) are only read: their passages are embedded again in memory, as the indexer
embeds them (`indexer.build.embedding_text`), and ranked by plain dot products over all passages (no
filters), as `bench/retrieval_sweep.py` ranks the dense side. Sets: `dev_queries.jsonl` over the sample plans
(`--plans`), as typed and without diacritics (folded, then put back by the engine as for any question);
the legal-qa dev half over its articles (`--legal`, article MRR@10, any passage of the gold article counts).
Legal-qa's torch vectors are the index's stored ones; only `--legal-backends` embed its passages again
(about 4,000, minutes each). The speed set is the plan passages, then legal passages evenly spaced, up to
`--passages`; the backends are timed in turn, best of `--rounds`, and so is the median time to embed one
question (40 legal-qa questions)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.retrieval_sweep import DEPTH, mrr, relevance  # noqa: E402
from indexer.build import embedding_text  # noqa: E402
from runtime.embed import Embedder  # noqa: E402
from runtime.settings import EMBED_BACKENDS, PROJECT_ROOT, load_settings  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import load_queries  # noqa: E402
from vietnamese.normalize import fold  # noqa: E402

EVAL = PROJECT_ROOT.parent / "shared" / "eval"


def passage_texts(engine: SearchEngine) -> list[str]:
    """Every passage as the indexer embedded it, in vec_id order (vec_ids are 0..n-1)."""
    chunks = engine.index.store.all_chunks()
    assert [v for v, _ in chunks] == list(range(len(chunks))), "vec_ids are not 0..n-1"
    return [embedding_text(engine.index.documents[chunk.doc].meta, chunk) for _, chunk in chunks]


def questions(path: Path) -> list[dict]:
    return [item for item in load_queries(path) if item.get("docs") and not item.get("abstain")]


def dense_mrr(engine: SearchEngine, embedder: Embedder, vectors: np.ndarray, items: list[dict],
              whole_document: bool, strip_diacritics: bool = False) -> float:
    """Mean reciprocal rank of the first relevant passage in the top 10 by cosine, over `items`."""
    total = 0.0
    for item in items:
        text = fold(item["q"]) if strip_diacritics else item["q"]
        scores = vectors @ embedder.embed_query(engine.dense_text(engine.parse(text)))
        top = np.argsort(-scores, kind="stable")[:DEPTH]
        ranking = [(int(v), float(scores[v])) for v in top]
        total += mrr(ranking, relevance(engine, item, {v for v, _ in ranking}, whole_document))
    return total / len(items)


def speed_set(plans: list[str], legal: list[str], size: int) -> list[str]:
    extra = max(size - len(plans), 0)
    step = max(len(legal) // max(extra, 1), 1)
    return (plans + legal[::step][:extra])[:size]


def timings(embedders: dict[str, Embedder], texts: list[str], asked: list[str],
            rounds: int) -> tuple[dict, dict, dict]:
    """Passages/s of each backend and its median milliseconds per question, the best of `rounds` runs taken
    in turn (so that a busy moment of the machine does not fall on one backend only); each one's vectors."""
    speeds, latencies = dict.fromkeys(embedders, 0.0), dict.fromkeys(embedders, float("inf"))
    vectors = {}
    for embedder in embedders.values():
        embedder.embed_passages(texts[:8])
    for _ in range(rounds):
        for backend, embedder in embedders.items():
            started = time.perf_counter()
            vectors[backend] = embedder.embed_passages(texts)
            speeds[backend] = max(speeds[backend], len(texts) / (time.perf_counter() - started))
            took = []
            for question in asked:
                started = time.perf_counter()
                embedder.embed_query(question)
                took.append(1000 * (time.perf_counter() - started))
            latencies[backend] = min(latencies[backend], float(np.median(took)))
    return speeds, latencies, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=Path, required=True, help="a torch index of ../shared/documents")
    parser.add_argument("--legal", type=Path, required=True, help="a torch index of ../shared/eval/legal-qa/docs")
    parser.add_argument("--model", help="model name or folder (default: the setting)")
    parser.add_argument("--backends", default=",".join(EMBED_BACKENDS))
    parser.add_argument("--legal-backends", default="onnx-int8", help="backends that embed legal-qa again")
    parser.add_argument("--passages", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2, help="timed runs per backend, taken in turn")
    args = parser.parse_args()
    model = load_settings(model=args.model).model
    plans, legal = (SearchEngine(load_settings(index_dir=d, embed_backend="torch"), verify=False)
                    for d in (args.plans, args.legal))
    plan_texts, legal_texts = passage_texts(plans), passage_texts(legal)
    timed = speed_set(plan_texts, legal_texts, args.passages)
    dev, legal_dev = questions(EVAL / "dev_queries.jsonl"), questions(EVAL / "legal-qa" / "dev_answers.jsonl")
    backends = ["torch"] + [b for b in args.backends.split(",") if b != "torch"]  # torch is the reference
    embedders = {backend: Embedder(model, backend) for backend in backends}
    speeds, latencies, vectors = timings(embedders, timed, [item["q"] for item in legal_dev[:40]], args.rounds)
    rows = []
    for backend, embedder in embedders.items():
        cosine = float((vectors[backend] * vectors["torch"]).sum(axis=1).mean())
        plan_vectors = vectors[backend][:len(plan_texts)]
        figures = [dense_mrr(plans, embedder, plan_vectors, dev, False, strip) for strip in (False, True)]
        if backend == "torch":
            legal_vectors = legal.index.store.all_vectors(embedder.dimension)
        elif backend in args.legal_backends.split(","):
            legal_vectors = embedder.embed_passages(legal_texts)
        else:
            legal_vectors = None
        figures.append(dense_mrr(legal, embedder, legal_vectors, legal_dev, True)
                       if legal_vectors is not None else None)
        rows.append((backend, speeds[backend], latencies[backend], cosine, figures))
        print(f"{backend}: {speeds[backend]:.1f} passages/s, cosine {cosine:.4f}, {figures}", file=sys.stderr,
              flush=True)
    base = rows[0][1]
    print(f"\nModel {model}; {len(timed)} passages timed, best of {args.rounds} ({len(plan_texts)} plan passages, "
          "the rest legal-qa); "
          f"{len(dev)} dev questions, {len(legal_dev)} legal-qa questions; cosine with {rows[0][0]}\n")
    print("| backend | passages/s | speed-up | ms per question | cosine | dense MRR@10 dev | without diacritics "
          "| legal-qa |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, speed, latency, cosine, figures in rows:
        cells = " | ".join("-" if f is None else f"{f:.3f}" for f in figures)
        print(f"| {backend} | {speed:.1f} | {speed / base:.2f}× | {latency:.1f} | {cosine:.4f} | {cells} |")


if __name__ == "__main__":
    main()
