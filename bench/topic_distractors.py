"""Topic precision with distractors: the dev plans indexed together with the national legal texts of
`../shared/samples-legal/` (which mention education topics in passing), then the dev topics and
bench/topic_phrases.jsonl asked; a listed legal text is never relevant to them.

    python bench/topic_distractors.py [--backend torch] [--index-dir DIR]

The documents are copied into a temporary folder (the legal texts stay outside the repository). Prints,
per topic file, recall@5, precision and MAP, and per topic the legal texts listed."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from runtime.settings import DEFAULT_BACKEND, EMBED_BACKENDS, PROJECT_ROOT, load_settings  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import evaluate, load_queries  # noqa: E402

SHARED = PROJECT_ROOT.parent / "shared"
TOPIC_FILES = (SHARED / "eval" / "dev_topics.jsonl", PROJECT_ROOT / "bench" / "topic_phrases.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=EMBED_BACKENDS, default=DEFAULT_BACKEND)
    parser.add_argument("--index-dir", type=Path, help="keep the index here (built if missing) to ask again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "documents"
        folder.mkdir()
        for path in [*(SHARED / "documents").iterdir(), *(SHARED / "samples-legal").glob("*.txt")]:
            shutil.copy(path, folder / path.name)
        settings = load_settings(index_dir=args.index_dir or Path(scratch) / "index", embed_backend=args.backend)
        build_index(folder, settings, show_progress=False)
        engine = SearchEngine(settings, verify=False)
        print(f"{len(engine.index.documents)} documents, {engine.index.manifest.counts['chunks']} passages\n")
        for path in TOPIC_FILES:
            report = evaluate(engine, load_queries(path))
            metrics = report.metrics()
            print(f"{path.name}: " + "  ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
            for result in report.results:
                legal = [d for d in result.docs_ranked if not d.isdigit()]
                if legal or set(result.relevant_docs) - set(result.docs_ranked):
                    print(f"  {result.q}: listed {result.docs_ranked}, relevant {result.relevant_docs}")


if __name__ == "__main__":
    main()
