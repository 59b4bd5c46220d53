"""Realistic questions on a folder of real documents: is the answer in a retrieved passage, and is the short
answer right?

    python bench/questions_on_folder.py bench/legal_questions.jsonl ../shared/samples-legal [--index-dir DIR]

Each line of the questions file: {"id", "q", "docs": [file names], "gold": [strings]}. A passage is relevant
when it comes from one of `docs` and contains a gold string (compared without diacritics, case or spacing);
the short answer is right when it comes from one of `docs` and contains a gold string. Indexes the folder
into a temporary directory unless --index-dir names a built index. Prints one line per question and the
totals: passage hit@1, hit@10, answered, right answers."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.build import build_index  # noqa: E402
from runtime.settings import Settings  # noqa: E402
from vietnamese.normalize import fold  # noqa: E402
from search.answer import answer  # noqa: E402
from search.engine import SearchEngine  # noqa: E402

DEPTH = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--index-dir", type=Path)
    args = parser.parse_args()
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(index_dir=args.index_dir or Path(scratch))
        if args.index_dir is None:
            build_index(args.folder, settings, show_progress=False)
        engine = SearchEngine(settings, verify=False)
        rows = [_ask(engine, q) for q in questions]
    for row in rows:
        print(f"{row['id']}  rank {row['rank'] or '-':>2}  {'right' if row['right'] else 'answered' if row['short'] else 'abstained':<9}"
              f"  {(row['short'] or row['reason'] or '')[:110]}")
    n = len(rows)
    print(f"\nhit@1 {sum(r['rank'] == 1 for r in rows)}/{n}, hit@10 {sum(bool(r['rank']) for r in rows)}/{n}, "
          f"answered {sum(bool(r['short']) for r in rows)}/{n}, right {sum(r['right'] for r in rows)}/{n}")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text))


def _ask(engine: SearchEngine, question: dict) -> dict:
    golds = [_flat(g) for g in question["gold"]]
    hits = engine.find(engine.parse(question["q"]), DEPTH)
    rank = next((i for i, h in enumerate(hits, 1) if h.doc in question["docs"]
                 and any(g in _flat(f"{h.section} {h.text}") for g in golds)), None)
    result = answer(engine, question["q"])
    right = bool(result.short) and result.doc in question["docs"] and any(g in _flat(result.short) for g in golds)
    return {"id": question["id"], "rank": rank, "short": result.short, "right": right,
            "reason": getattr(result, "reason", "")}


if __name__ == "__main__":
    main()
