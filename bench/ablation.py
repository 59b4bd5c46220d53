"""Ablation of the query-understanding pieces on a query file: BM25 alone, then i/y variants,
abbreviations, the English glossary, the thesaurus and pseudo-relevance feedback added one by one, then
the default hybrid ranking; each with and without diacritics.

    python bench/ablation.py ../shared/eval/dev_queries.jsonl [--documents documents/]

Builds two temporary indexes of the documents (with and without the i/y spelling unification, which is
applied when indexing) and prints a Markdown table."""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vietnamese import normalize  # noqa: E402
from indexer.build import build_index  # noqa: E402
from runtime.settings import PROJECT_ROOT, Settings  # noqa: E402
from runtime.embed import Embedder  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.evaluate import evaluate, load_queries  # noqa: E402

STEPS = [  # (label, variants at index time, expand setting, retrieval mode)
    ("BM25 alone", False, "none", "lexical"),
    ("+ i/y variants (kì/kỳ)", True, "none", "lexical"),
    ("+ abbreviations", True, "abbreviations", "lexical"),
    ("+ English glossary", True, "abbreviations,glossary", "lexical"),
    ("+ thesaurus", True, "abbreviations,glossary,thesaurus", "lexical"),
    ("+ pseudo-relevance feedback", True, "abbreviations,glossary,thesaurus,feedback", "lexical"),
    ("default: hybrid with MiniLM (variants, abbreviations, glossary, thesaurus)", True,
     "abbreviations,glossary,thesaurus", "hybrid"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path)
    parser.add_argument("--documents", type=Path, default=PROJECT_ROOT / "documents")
    args = parser.parse_args()
    queries = load_queries(args.queries)
    embedder = Embedder(Settings().model)
    unified = normalize._IY_VARIANT
    with tempfile.TemporaryDirectory() as scratch:
        indexes = {}
        for variants in (False, True):
            normalize._IY_VARIANT = unified if variants else re.compile(r"(?!)(x)")
            settings = Settings(index_dir=Path(scratch) / f"variants-{variants}")
            build_index(args.documents, settings, show_progress=False, embedder=embedder)
            indexes[variants] = settings
        print("| | hit@1 | hit@5 | MRR@10 | MRR@10 without diacritics | short answer has gold |")
        print("|---|---|---|---|---|---|")
        for label, variants, expand, mode in STEPS:
            normalize._IY_VARIANT = unified if variants else re.compile(r"(?!)(x)")
            engine = SearchEngine(replace(indexes[variants], expand=expand), embedder=embedder, verify=False)
            accented = evaluate(engine, queries, mode)
            plain = evaluate(engine, queries, mode, strip_diacritics=True).metrics()
            metrics = accented.metrics()
            good, judged = accented.answer_counts()
            answers = f"{good}/{judged}" if judged else "-"
            print(f"| {label} | {metrics['hit@1']:.3f} | {metrics['hit@5']:.3f} | {metrics['mrr@10']:.3f} | "
                  f"{plain['mrr@10']:.3f} | {answers} |")
        normalize._IY_VARIANT = unified


if __name__ == "__main__":
    main()
