"""How long after `edusearch index` starts a folder can be searched: by keywords (the first generation
published) and with the full hybrid (the last), from an empty index, for each way of building.

    python bench/time_to_search.py FOLDER [FOLDER ...] [--ways before,after,ray] [--backend onnx-int8]

Ways: `before` is the build as it was until session 12 (torch encoder, one generation published when
everything is embedded); `after` publishes a lexical generation first and embeds with `--backend` (default:
the setting's default); `ray` is `after` run through a local Ray cluster (`edusearch index --ray`). Every
build starts from an empty index in a temporary folder and loads its model itself. Prints a Markdown table."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from indexer.distributed import Cluster, build_on_ray  # noqa: E402
from runtime.settings import Settings  # noqa: E402

NEVER = 10 ** 12  # lexical_first_chunks that no build reaches: one generation, published at the end


def settings_for(way: str, index_dir: Path, backend: str) -> Settings:
    if way == "before":
        return Settings(index_dir=index_dir, embed_backend="torch", lexical_first_chunks=NEVER)
    return Settings(index_dir=index_dir, embed_backend=backend)


def measure(folder: Path, way: str, backend: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="edusearch-bench-") as scratch:
        settings = settings_for(way, Path(scratch) / "index", backend)
        started = time.perf_counter()
        if way == "ray":
            report = build_on_ray(folder, settings, Cluster(actors=1), show_progress=False)
        else:
            report = build_index(folder, settings, show_progress=False)
        total = time.perf_counter() - started
    first = report.searchable_seconds if report.searchable_seconds is not None else total
    return {"folder": folder.name, "way": way, "encoder": settings.embed_backend, "passages": report.chunks_total,
            "first": first, "full": total, "rate": report.chunks_embedded / max(report.embed_seconds, 1e-9)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--ways", default="before,after", help="comma-separated: before, after, ray")
    parser.add_argument("--backend", default=Settings().embed_backend, help="the encoder of `after` and `ray`")
    args = parser.parse_args()
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    print("| folder | way | encoder | passages | first search (s) | full hybrid (s) | passages/s embedded | "
          "full hybrid vs before |")
    print("|---|---|---|---|---|---|---|---|")
    for folder in args.folders:
        baseline = None
        for way in ways:
            row = measure(folder, way, args.backend)
            baseline = row["full"] if way == "before" else baseline
            ratio = f"{baseline / row['full']:.2f}x" if baseline else ""
            print(f"| {row['folder']} | {way} | {row['encoder']} | {row['passages']} | {row['first']:.1f} | "
                  f"{row['full']:.1f} | {row['rate']:.1f} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
