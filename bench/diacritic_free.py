"""Documents written without diacritics: are they found by questions typed with them?

    python bench/diacritic_free.py ../shared/eval [--documents ../shared/documents]

For each sample document in turn, its diacritics are stripped (as an old OCR layer would have it) and the
folder is indexed twice: with the diacritics put back for the index from the other documents' vocabulary
(`restore_diacritics`, the default) and without. The passage queries about that document are asked as typed
(with diacritics) and folded; a passage is relevant when it comes from the document and contains a gold
string, both compared without diacritics. Prints MRR@10 (hybrid and lexical alone) as a Markdown table."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from runtime.settings import Settings  # noqa: E402
from runtime.embed import Embedder  # noqa: E402
from vietnamese.normalize import fold, strip_diacritics  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import doc_prefix, load_queries  # noqa: E402

DEPTH = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--documents", type=Path, default=Path("../shared/documents"))
    args = parser.parse_args()
    queries = load_queries(args.eval_dir / "dev_queries.jsonl")
    embedder = Embedder(Settings().model)
    files = sorted(p for p in args.documents.iterdir() if p.suffix == ".txt")
    totals: dict[tuple[bool, str, str], list[float]] = {}
    for stripped in files:
        asked = [q for q in queries if doc_prefix(stripped.name) in [str(d) for d in q["docs"]]]
        if not asked:
            continue
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "docs"
            folder.mkdir()
            for path in files:
                text = path.read_text(encoding="utf-8")
                (folder / path.name).write_text(strip_diacritics(text) if path == stripped else text, encoding="utf-8")
            for restore in (False, True):
                settings = Settings(index_dir=Path(scratch) / f"index-{restore}", restore_diacritics=restore)
                build_index(folder, settings, show_progress=False, embedder=embedder)
                engine = SearchEngine(settings, embedder=embedder, verify=False)
                for mode in ("hybrid", "lexical"):
                    for typed in ("as typed", "folded"):
                        ranks = [_rank(engine, q, q["q"] if typed == "as typed" else fold(q["q"]), mode, stripped.name)
                                 for q in asked]
                        totals.setdefault((restore, mode, typed), []).extend(1 / r if r else 0.0 for r in ranks)
    print("| diacritics put back | mode | question | MRR@10 | queries |")
    print("|---|---|---|---|---|")
    for (restore, mode, typed), scores in sorted(totals.items()):
        print(f"| {'yes' if restore else 'no'} | {mode} | {typed} | {sum(scores) / len(scores):.3f} | {len(scores)} |")


def _rank(engine: SearchEngine, query: dict, text: str, mode: str, doc: str) -> int | None:
    golds = [fold(g) for g in query["gold"]]
    hits = engine.find(engine.parse(text), DEPTH, mode=mode)
    return next((i for i, h in enumerate(hits, 1) if h.doc == doc and any(g in fold(f"{h.section} {h.text}")
                                                                         for g in golds)), None)


if __name__ == "__main__":
    main()
