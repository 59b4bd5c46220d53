"""Indexing and query benchmark on the sample corpus and a synthetic corpus of recombined sample sentences.

Prints: indexing chunks/s next to raw `model.encode` chunks/s on the same texts in the same run; query
p50/p95 for BM25, dense and hybrid (query encoding included); index size on disk; resident memory.

    python bench/bench_index.py --chunks 10000     # about 10k chunks (embedding takes minutes on 2 cores)
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

from indexer.build import build_index, embedding_text
from indexer.config import DEFAULT_MODEL, PROJECT_ROOT, Settings
from indexer.embed import Embedder
from indexer.store import Store
from indexer import generations as gen
from search.engine import SearchEngine

QUERIES = ["Sở Tài chính bố trí kinh phí", "tỷ lệ học sinh tốt nghiệp trung học phổ thông", "bien che giao vien",
           "51-KL/TW", "phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục", "chuyển đổi số trong giáo dục",
           "phan luong hoc sinh sau trung hoc co so", "trường đạt chuẩn quốc gia", "xã hội hóa giáo dục",
           "giáo dục chính trị tư tưởng đạo đức lối sống"]


def synthetic_corpus(folder: Path, chunks: int, seed: int = 7) -> None:
    """Files of headed sections whose sentences are recombined from the samples, with random codes."""
    rng = random.Random(seed)
    text = " ".join((PROJECT_ROOT / "documents").joinpath(p.name).read_text(encoding="utf-8")
                    for p in sorted((PROJECT_ROOT / "documents").glob("*.txt")))
    sentences = [s.strip() for s in re.split(r"(?<=[.;])\s+", " ".join(text.split())) if 8 < len(s.split()) < 60]
    per_file = 20
    for n in range(max(1, chunks // per_file)):
        lines = [f"Số: {rng.randint(1, 999)}/KH-UBND", "KẾ HOẠCH", f"Thực hiện nhiệm vụ giáo dục năm {2015 + n % 10}"]
        for s in range(1, per_file + 1):
            lines.append(f"{s}. Nhiệm vụ {rng.choice(['trọng tâm', 'chung', 'cụ thể'])} {s}")
            body = " ".join(rng.choice(sentences) for _ in range(rng.randint(4, 8)))
            lines.append(body + f" Theo Kế hoạch số {rng.randint(1, 300)}-KH/TU.")
        (folder / f"kh_{n:05d}.txt").write_text("\n".join(lines), encoding="utf-8")


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"


def run(name: str, documents: Path, embedder: Embedder) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(index_dir=Path(tmp))
        report = build_index(documents, settings, show_progress=False, embedder=embedder)
        index_rate = report.chunks_total / report.seconds
        store = Store(gen.current_generation(settings.index_dir) / gen.STORE)
        texts = [embedding_text(store.document(c.doc).meta, c) for _, c in store.all_chunks()]
        started = time.perf_counter()
        embedder.embed_passages(texts, settings.batch_size)
        raw_rate = len(texts) / (time.perf_counter() - started)
        size = sum(p.stat().st_size for p in gen.current_generation(settings.index_dir).rglob("*") if p.is_file())
        engine = SearchEngine(settings, embedder=embedder)
        print(f"\n== {name}: {report.chunks_total} chunks from {len(report.files)} files")
        print(f"indexing     {index_rate:7.1f} chunks/s end to end ({report.seconds:.1f} s)")
        print(f"model.encode {raw_rate:7.1f} chunks/s on the same texts  -> ratio {index_rate / raw_rate:.2f}")
        for mode in ("lexical", "dense", "hybrid"):
            times = []
            for _ in range(3):
                for query in QUERIES:
                    started = time.perf_counter()
                    engine.search(query, 10, mode=mode)
                    times.append(time.perf_counter() - started)
            print(f"query {mode:<8} {percentiles(times)}")
        print(f"index on disk {size / 1e6:.1f} MB; peak resident memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000, help="size of the synthetic corpus")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    embedder = Embedder(args.model)
    run("sample corpus", PROJECT_ROOT / "documents", embedder)
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_corpus(Path(tmp), args.chunks)
        run("synthetic corpus", Path(tmp), embedder)


if __name__ == "__main__":
    main()
