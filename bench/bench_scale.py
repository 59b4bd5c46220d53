"""Scale benchmark: 10k, 100k and 1M chunks on this machine, through the product's own writer and engine.

    pip install -e '.[bench]'
    python bench/bench_scale.py                          # 10k, 100k, 1M (about an hour on 2 cores)
    python bench/bench_scale.py --sizes 10000 --out /tmp/scale

1. Indexing throughput: `build_index` on a synthetic folder of --base chunks (sections of sentences
   recombined from the shipped plans, random document codes), next to raw `model.encode` of the same texts in
   the same run.
2. Each size: synthetic chunks written with `indexer.build.write_index` (store, tantivy BM25, FAISS of the kind
   the size chooses). Embedding a million chunks on 2 cores takes hours, so the vectors are REAL embeddings
   of the --base chunks, recombined (random-weight mixtures of 3, small noise, normalized): the vector side has the
   structure of real embeddings, not of random ones. The text side is real recombined text.
3. A fresh process opens each index (memory-mapped vectors) and runs 60 distinct queries per mode (query
   encoding included, no cache hits): p50/p95 for BM25, dense and hybrid; resident memory of the index
   (process memory after the queries minus the memory with only the model loaded); index size on disk.
4. BM25 alone by kind of question (`question_classes`: common syllables, a rare syllable, a plan number,
   no diacritics), as searched and with every context term kept, and how many top 10s differ between the two.
5. `ask` (retrieval, answer step, checks) on 30 questions.
6. Recall@10 against exact search on the same vectors for 100 embedded questions: of the product's dense side
   (the FAISS index's best 100 candidates scored again with their float32 vectors) and of the index alone.

Prints a table, writes results.json and a PNG chart into --out.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from indexer import generations as gen
from indexer.build import Prepared, build_index, embedding_text, write_index
from indexer.chunks import Chunk
from runtime.settings import DEFAULT_MODEL, PROJECT_ROOT, Settings
from runtime.embed import Embedder
from indexer.metadata import DocumentMeta
from indexer.store import Store, StoredDocument, StoredSection
from indexer.vectors import choose_kind
from search.engine import CANDIDATES

CHUNKS_PER_PLAN = 20
QUERIES_PER_MODE = 60
TIE = 0.001  # cosine
MODES = ("lexical", "dense", "hybrid")
PROVINCES = ["Lạng Sơn", "Gia Lai", "Quảng Ninh", "Hà Giang", "Nghệ An", "Cần Thơ", "Đắk Lắk", "Bắc Ninh"]


def corpus_sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "documents").glob("*.txt")))
    return [s.strip() for s in re.split(r"(?<=[.;])\s+", " ".join(text.split())) if 8 < len(s.split()) < 60]


def synthetic_folder(folder: Path, chunks: int, sentences: list[str], seed: int = 7) -> None:
    """Plan files of headed sections, each section one chunk of 3 to 6 recombined sentences."""
    rng = random.Random(seed)
    for n in range(max(1, chunks // CHUNKS_PER_PLAN)):
        lines = [f"Số: {rng.randint(1, 999)}/KH-UBND", "KẾ HOẠCH", f"Thực hiện nhiệm vụ giáo dục năm {2015 + n % 10}"]
        for s in range(1, CHUNKS_PER_PLAN + 1):
            lines.append(f"{s}. Nhiệm vụ {rng.choice(['trọng tâm', 'chung', 'cụ thể'])} {s}")
            lines.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
                         + f" Theo Kế hoạch số {rng.randint(1, 300)}-KH/TU.")
        (folder / f"kh_{n:05d}.txt").write_text("\n".join(lines), encoding="utf-8")


def measure_indexing(base: int, sentences: list[str], embedder: Embedder, work: Path) -> tuple[dict, np.ndarray]:
    """End-to-end indexing next to raw encode on the same texts; returns the figures and the real vectors."""
    folder, index_dir = work / "base-docs", work / "base-index"
    folder.mkdir()
    synthetic_folder(folder, base, sentences)
    settings = Settings(index_dir=index_dir, model=embedder.name)
    report = build_index(folder, settings, show_progress=False, embedder=embedder)
    store = Store(gen.current_generation(index_dir) / gen.STORE)
    texts = [embedding_text(store.document(c.doc).meta, c) for _, c in store.all_chunks()]
    vectors = store.all_vectors(embedder.dimension)
    started = time.perf_counter()
    embedder.embed_passages(texts, settings.batch_size)
    encode_rate = len(texts) / (time.perf_counter() - started)
    index_rate = report.chunks_total / report.seconds
    return {"chunks": report.chunks_total, "index_chunks_per_s": index_rate, "encode_chunks_per_s": encode_rate,
            "ratio": index_rate / encode_rate}, vectors


def recombined_vectors(base: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Mixtures of 3 real embeddings with random weights, plus a little noise, normalized."""
    out = np.empty((count, base.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, count, step):
        n = min(step, count - start)
        weights = rng.dirichlet([1.0, 1.0, 1.0], n).astype(np.float32)
        v = sum(weights[:, k:k + 1] * base[rng.integers(0, len(base), n)] for k in range(3))
        v += rng.normal(0, 0.02, v.shape).astype(np.float32)
        out[start:start + n] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def synthetic_plans(count: int, sentences: list[str], vectors: np.ndarray, seed: int) -> list[Prepared]:
    rng = random.Random(seed)
    plans = []
    for n in range(0, count, CHUNKS_PER_PLAN):
        doc = f"kh_{n // CHUNKS_PER_PLAN:07d}.txt"
        province = rng.choice(PROVINCES)
        number = f"{rng.randint(1, 999)}/KH-UBND"
        meta = DocumentMeta(title=f"Kế hoạch thực hiện nhiệm vụ giáo dục {province}", number=number,
                            doc_type="Kế hoạch", issuer=f"UBND tỉnh {province}", issuer_short=f"UBND tỉnh {province}",
                            province=province, date=f"{rng.randint(2014, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                            cited_codes=[f"{rng.randint(1, 300)}-KH/TU"])
        text_parts, sections, chunks, offset = [], [], [], 0
        for s in range(min(CHUNKS_PER_PLAN, count - n)):
            heading = f"{s + 1}. Nhiệm vụ {rng.choice(['trọng tâm', 'chung', 'cụ thể'])} {s + 1}"
            body = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
            body += f" Theo Kế hoạch số {rng.randint(1, 300)}-KH/TU."
            section_text = f"{heading}\n{body}\n"
            start, end = offset, offset + len(section_text)
            sections.append(StoredSection(doc, s, heading, heading, 1, start, end, None, None))
            chunks.append(Chunk(id=f"{doc}#{s}", doc=doc, ordinal=s, section=heading, section_ordinal=s, text=body,
                                start=start + len(heading) + 1, end=end - 1, page_start=None, page_end=None))
            text_parts.append(section_text)
            offset = end
        document = StoredDocument(doc, f"{n:064x}", meta, "".join(text_parts), None, [])
        plans.append(Prepared(document, sections, chunks, vectors[n:n + len(chunks)]))
    return plans


def query_texts(sentences: list[str], count: int, seed: int) -> list[str]:
    """Distinct questions: 3 to 7 consecutive words of a corpus sentence, a third without diacritics."""
    from vietnamese.normalize import fold

    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        words = rng.choice(sentences).split()
        width = rng.randint(3, 7)
        start = rng.randint(0, max(0, len(words) - width))
        query = " ".join(words[start:start + width]).strip(" ,.;:")
        query = fold(query) if rng.random() < 0.33 else query
        if query and query not in out:
            out.append(query)
    return out


def build_size(size: int, base_vectors: np.ndarray, sentences: list[str], work: Path, model: str) -> dict:
    vectors = recombined_vectors(base_vectors, size, np.random.default_rng(size))
    plans = synthetic_plans(size, sentences, vectors, seed=size)
    settings = Settings(index_dir=work / f"index-{size}", model=model)
    started = time.perf_counter()
    with gen.WriterLock(settings.index_dir):
        generation, total = write_index(settings.index_dir, plans, base_vectors.shape[1], settings)
    seconds = time.perf_counter() - started
    np.save(work / f"vectors-{size}.npy", vectors)
    return {"size": total, "kind": choose_kind(total), "write_s": seconds,
            "disk_mb": sum(p.stat().st_size for p in generation.rglob("*") if p.is_file()) / 1e6,
            "vector_mb_float32": total * base_vectors.shape[1] * 4 / 1e6, "index_dir": str(settings.index_dir),
            "vectors": str(work / f"vectors-{size}.npy")}


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def question_classes(sentences: list[str], searcher, count: int, seed: int) -> dict[str, list[str]]:
    """BM25 questions by kind: `common` (2 to 4 words, every syllable in at least a tenth of the passages:
    `nâng cao chất lượng giáo dục`), `rare` (3 to 7 words, one syllable in under 2% of them), `code` (a plan
    number with a few words), `folded` (3 to 7 words typed without diacritics)."""
    from vietnamese.normalize import analyze, fold

    rng = random.Random(seed)
    total = max(searcher.num_docs, 1)
    share = {}

    def shares(words: str) -> list[float]:
        for token in analyze(words).folded:
            if "_" not in token and token not in share:
                share[token] = searcher.doc_freq("folded", token) / total
        return [share[t] for t in analyze(words).folded if "_" not in t]

    out: dict[str, list[str]] = {name: [] for name in ("common", "rare", "code", "folded")}
    for _ in range(200 * count):
        words = rng.choice(sentences).strip(" ,.;:").split()
        width = rng.randint(2, 4) if len(out["common"]) < count else rng.randint(3, 7)
        start = rng.randint(0, max(0, len(words) - width))
        text = " ".join(words[start:start + width]).strip(" ,.;:()-–")
        found = shares(text)
        if not found:
            continue
        if width <= 4 and min(found) >= 0.1 and len(out["common"]) < count:
            out["common"].append(text)
        elif min(found) < 0.02 and len(out["rare"]) < count:
            out["rare"].append(text)
        elif len(out["folded"]) < count:
            out["folded"].append(fold(text))
        if len(out["code"]) < count:
            out["code"].append(f"{' '.join(text.split()[:3])} Kế hoạch số {rng.randint(1, 300)}-KH/TU")
        if all(len(v) >= count for v in out.values()):
            break
    return {name: list(dict.fromkeys(v)) for name, v in out.items()}


def timed(calls) -> tuple[float, float, list]:
    """p50 and p95 in ms of a list of calls, and their results."""
    times, results = [], []
    for call in calls:
        started = time.perf_counter()
        results.append(call())
        times.append(time.perf_counter() - started)
    return percentile(times, 0.5), percentile(times, 0.95), results


def measure_queries(index_dir: str, vectors_path: str, model: str) -> dict:
    """Run in a fresh process: memory and latency of one index, and the recall of its FAISS index."""
    from dataclasses import replace

    from search.answer import answer
    from search.dense import dense_search
    from search.engine import SearchEngine
    from search.lexical import DEFAULT_WEIGHTS, lexical_search

    embedder = Embedder(model)
    embedder.embed_query("khởi động")
    before = rss_mb()
    started = time.perf_counter()
    engine = SearchEngine(Settings(index_dir=Path(index_dir), model=model), embedder=embedder)
    open_s = time.perf_counter() - started
    sentences = corpus_sentences()
    figures: dict = {"open_s": open_s, "model_rss_mb": before}
    for n, mode in enumerate(MODES):
        questions = query_texts(sentences, QUERIES_PER_MODE, seed=100 + n)
        figures[f"{mode}_p50_ms"], figures[f"{mode}_p95_ms"], _ = timed(
            [lambda q=q: engine.search(q, 10, mode=mode) for q in questions])
    figures["index_rss_mb"] = rss_mb() - before
    # BM25 by kind of question, and whether leaving out common context terms changed any top 10.
    every_clause = replace(DEFAULT_WEIGHTS, common_context=1.0)
    changed = 0
    for kind, questions in question_classes(sentences, engine.index.bm25.searcher(), 40, seed=300).items():
        parsed = [engine.parse(q) for q in questions]
        bm25 = engine.index.bm25
        p50, p95, fast = timed([lambda q=q: lexical_search(bm25, q, 100) for q in parsed])
        all50, all95, full = timed([lambda q=q: lexical_search(bm25, q, 100, weights=every_clause) for q in parsed])
        changed += sum([v for v, _ in a[:10]] != [v for v, _ in b[:10]] for a, b in zip(fast, full))
        figures[f"bm25_{kind}"] = [p50, p95, all50, all95, len(questions)]
    figures["bm25_top10_changed"] = changed
    asked = query_texts(sentences, 30, seed=400)
    figures["ask_p50_ms"], figures["ask_p95_ms"], _ = timed([lambda q=q: answer(engine, q) for q in asked])
    figures.update(dense_recall(engine, embedder, sentences, vectors_path, dense_search))
    return figures


def dense_recall(engine, embedder: Embedder, sentences: list[str], vectors_path: str, dense_search) -> dict:
    """Recall@10 against exact search of the same vectors: of the FAISS index alone, and of the product's
    dense side (the index's best 100 candidates, scored again with their float32 vectors)."""
    index = engine.index.vectors
    if isinstance(index, faiss.IndexFlat):
        return {"recall_at_10": 1.0, "recall_at_10_ties": 1.0, "index_recall_at_10": 1.0}
    queries = np.vstack([embedder.embed_query(q) for q in query_texts(sentences, 100, seed=200)])
    exact = faiss.IndexFlatIP(queries.shape[1])
    exact.add(np.load(vectors_path, mmap_mode="r"))
    scores, truth = exact.search(queries, 10)
    alone = index.search(queries, 10)[1]
    product = [np.array([v for v, _ in dense_search(index, q, CANDIDATES, engine.index.facets,
                                                    exact_vectors=engine.index.store.vectors)[:10]])
               for q in queries]
    # Near-ties: a found vector scoring within TIE of the exact 10th score is as good an answer.
    found_scores = [exact.reconstruct_batch(f) @ q for f, q in zip(product, queries)]
    return {"index_recall_at_10": recall(truth, alone), "recall_at_10": recall(truth, product),
            "recall_at_10_ties": float(np.mean([min(1.0, (s >= tenth - TIE).sum() / 10)
                                                for s, tenth in zip(found_scores, scores[:, 9])]))}


def recall(truth: np.ndarray, found) -> float:
    return float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)]))


def chart(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["size"] for r in rows]
    figure, (latency, memory) = plt.subplots(1, 2, figsize=(11, 4.2))
    for mode in MODES:
        latency.plot(sizes, [r[f"{mode}_p95_ms"] for r in rows], marker="o", label=f"{mode} p95")
    latency.axhline(50, color="grey", linestyle=":", label="target at 1M (50 ms)")
    latency.set(xscale="log", xlabel="chunks", ylabel="ms per query (query encoding included)",
                title="Query latency, p95")
    latency.legend()
    memory.plot(sizes, [r["index_rss_mb"] for r in rows], marker="o", label="index resident memory")
    memory.plot(sizes, [r["vector_mb_float32"] for r in rows], marker="s", linestyle="--",
                label="raw float32 vectors")
    memory.plot(sizes, [r["disk_mb"] for r in rows], marker="^", label="index on disk")
    memory.set(xscale="log", yscale="log", xlabel="chunks", ylabel="MB", title="Memory and disk")
    memory.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def table(indexing: dict, rows: list[dict]) -> str:
    lines = [f"Indexing ({indexing['chunks']} chunks, end to end): {indexing['index_chunks_per_s']:.1f} chunks/s; "
             f"raw model.encode on the same texts: {indexing['encode_chunks_per_s']:.1f} chunks/s; "
             f"ratio {indexing['ratio']:.2f}", "",
             f"Process with the model loaded: {rows[0]['model_rss_mb']:.0f} MB resident" if rows else "", "",
             "| chunks | FAISS | write s | disk MB | float32 vectors MB | index RSS MB | open s | BM25 p50/p95 ms "
             "| dense p50/p95 ms | hybrid p50/p95 ms | ask p50/p95 ms | recall@10 | recall@10, ties ±0.001 "
             "| FAISS alone recall@10 |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['size']:,} | {r['kind']} | {r['write_s']:.0f} | {r['disk_mb']:.0f} | "
                     f"{r['vector_mb_float32']:.0f} | {r['index_rss_mb']:.0f} | {r['open_s']:.1f} | "
                     + " | ".join(f"{r[f'{m}_p50_ms']:.1f} / {r[f'{m}_p95_ms']:.1f}" for m in (*MODES, "ask"))
                     + f" | {r['recall_at_10']:.3f} | {r['recall_at_10_ties']:.3f} | {r['index_recall_at_10']:.3f} |")
    return "\n".join(lines)


def bm25_table(rows: list[dict]) -> str:
    """BM25 p50/p95 by kind of question, as searched and with every context term kept."""
    kinds = [k.removeprefix("bm25_") for k in rows[0] if k.startswith("bm25_") and k != "bm25_top10_changed"]
    lines = ["| chunks | " + " | ".join(f"{k} p50/p95 ms (every context term)" for k in kinds)
             + " | top 10 changed |", "|---:|" + "---:|" * (len(kinds) + 1)]
    for r in rows:
        cells = [f"{r[f'bm25_{k}'][0]:.1f} / {r[f'bm25_{k}'][1]:.1f} ({r[f'bm25_{k}'][2]:.1f} / "
                 f"{r[f'bm25_{k}'][3]:.1f})" for k in kinds]
        asked = sum(r[f"bm25_{k}"][4] for k in kinds)
        lines.append(f"| {r['size']:,} | " + " | ".join(cells) + f" | {r['bm25_top10_changed']} of {asked} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--base", type=int, default=2000, help="chunks indexed end to end and embedded for real")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--out", default="bench/results")
    parser.add_argument("--measure", nargs=2, metavar=("INDEX_DIR", "VECTORS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_queries(*args.measure, args.model)))
        return
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sentences = corpus_sentences()
    embedder = Embedder(args.model)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        indexing, base_vectors = measure_indexing(args.base, sentences, embedder, work)
        print(table(indexing, []), flush=True)
        for size in (int(s) for s in args.sizes.split(",")):
            row = build_size(size, base_vectors, sentences, work, args.model)
            measured = subprocess.run([sys.executable, __file__, "--model", args.model, "--measure",
                                       row["index_dir"], row["vectors"]], capture_output=True, text=True, check=True)
            row.update(json.loads(measured.stdout.strip().splitlines()[-1]))
            rows.append(row)
            print(table(indexing, rows).splitlines()[-1], flush=True)
            for name in (row["index_dir"], row["vectors"]):
                subprocess.run(["rm", "-rf", name], check=True)
    (out / "results.json").write_text(json.dumps({"indexing": indexing, "sizes": rows,
                                                  "machine": machine()}, indent=2), encoding="utf-8")
    print("\n" + table(indexing, rows) + "\n\nBM25 by kind of question:\n\n" + bm25_table(rows))
    try:
        chart(rows, out / "scale.png")
        drawn = f", chart in {out}/scale.png"
    except ModuleNotFoundError:
        drawn = " (no chart: pip install -e '.[bench]' adds matplotlib)"
    print(f"\nvector side: real embeddings of {indexing['chunks']} chunks, recombined (see the docstring); "
          f"results in {out}/results.json{drawn}")


def machine() -> str:
    import os
    import platform

    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
