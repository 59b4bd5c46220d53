"""How the lexical and dense rankings should be weighted and fused: every retrieval dev set, each side
alone, a plain bigram BM25, and the fusions tried, on a fitting part and a held-out part of every set.

    python bench/retrieval_sweep.py --plans /tmp/idx/sample --legal /tmp/idx/legal \\
        [--samples-legal /tmp/idx/slegal] [--fields]

The sets: `dev_queries.jsonl` as typed and without diacritics, the meaning queries, and the answerable
questions of the answer sets over the sample plans (`--plans`); the legal-qa dev half over its articles
(`--legal`, article MRR@10: any passage of the gold article is relevant); the questions over
`../shared/samples-legal` (`--samples-legal`). A passage is relevant as `edusearch eval` judges it: from a
gold document and, where the set gives gold strings, containing one (legal-qa: any passage of the article).

Each question's two candidate lists (100 each) are collected once; the fusions are computed from them, so
the sweep takes seconds after the collection. Every set is split by a hash of the question id
(`bench/splits.py`); the fusion is chosen on the fitting part and both parts are reported. `--fields`
also sweeps the lexical field weights (each a new lexical search)."""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import split  # noqa: E402
from runtime.settings import PROJECT_ROOT, load_settings  # noqa: E402
from search.dense import dense_search  # noqa: E402
from search.engine import CANDIDATES, SearchEngine  # noqa: E402
from search.constraints import Checker  # noqa: E402
from search.evaluate import is_gold_document, load_queries  # noqa: E402
from search.fuse import fuse  # noqa: E402
from search.lexical import DEFAULT_WEIGHTS, FieldWeights, lexical_search  # noqa: E402
from search.logistic import fit_ranker  # noqa: E402
from search.question import understand  # noqa: E402
from search.terms import QueryTerms, query_terms  # noqa: E402
from search.rerank import FEATURES, MODEL_FILE, SIDES, RankModel, candidates, ranked, side_scores  # noqa: E402
from vietnamese.normalize import analyze, fold, normalize_for_index  # noqa: E402

EVAL = PROJECT_ROOT.parent / "shared" / "eval"
BENCH = PROJECT_ROOT / "bench"
DEPTH = 10
Ranking = list[tuple[int, float]]


@dataclass
class Asked:
    """One question of one set: its parsed query, both sides' candidates and the relevant ones."""

    set_name: str
    id: str
    part: str  # "fit" or "held_out"
    engine: SearchEngine
    query: object
    lexical: Ranking
    dense: Ranking
    relevant: set[int] = field(default_factory=set)
    bigram: Ranking = field(default_factory=list)
    extra: dict[str, Ranking] = field(default_factory=dict)  # rankings computed elsewhere, by name


def mrr(ranking: Ranking, relevant: set[int]) -> float:
    return next((1 / rank for rank, (v, _) in enumerate(ranking[:DEPTH], 1) if v in relevant), 0.0)


def relevance(engine: SearchEngine, item: dict, vec_ids: set[int], whole_document: bool) -> set[int]:
    chunks = engine.index.store.chunks_by_vec_ids(sorted(vec_ids))
    golds = [normalize_for_index(g) for g in item.get("gold", [])]
    out = set()
    for vec_id, chunk in chunks.items():
        if not is_gold_document(chunk.doc, [str(d) for d in item["docs"]]):
            continue
        if whole_document or any(g in normalize_for_index(f"{chunk.section} {chunk.text}") for g in golds):
            out.add(vec_id)
    return out


class BigramBm25:
    """A plain BM25 (k1 1.2, b 0.75) over each passage's title, heading path and text in one field, syllables
    and their bigrams, with diacritics: the baseline the lexical side must not fall below."""

    def __init__(self, engine: SearchEngine, k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = {}
        self.lengths: dict[int, int] = {}
        for vec_id, chunk in engine.index.store.all_chunks():
            title = engine.index.documents[chunk.doc].meta.title or ""
            tokens = analyze(f"{title}\n{chunk.section}\n{chunk.text}").exact
            self.lengths[vec_id] = len(tokens)
            for token, count in Counter(tokens).items():
                self.postings.setdefault(token, []).append((vec_id, count))
        self.average = sum(self.lengths.values()) / max(len(self.lengths), 1)

    def search(self, text: str, limit: int) -> Ranking:
        n = len(self.lengths)
        scores: dict[int, float] = {}
        for token in set(analyze(text).exact):
            postings = self.postings.get(token, [])
            idf = math.log(1 + (n - len(postings) + 0.5) / (len(postings) + 0.5))
            for vec_id, tf in postings:
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[vec_id] / self.average)
                scores[vec_id] = scores.get(vec_id, 0.0) + idf * tf * (self.k1 + 1) / norm
        return sorted(scores.items(), key=lambda pair: -pair[1])[:limit]


def collect(engine: SearchEngine, set_name: str, paths: list[Path], whole_document: bool = False,
            strip_diacritics: bool = False, bigram: BigramBm25 | None = None) -> list[Asked]:
    """The questions of the files with gold documents; a question keeps the part `bench/fit_answers.py` gives
    it (the key is its file and id), so a question held out there is held out here."""
    out = []
    for path, item in ((p, i) for p in paths for i in load_queries(p)):
        if item.get("abstain") or not item.get("docs"):
            continue
        text = fold(item["q"]) if strip_diacritics else item["q"]
        query = engine.parse(text)
        lexical = lexical_search(engine.index.bm25, query, CANDIDATES, weights=engine.field_weights)
        dense = dense_search(engine.index.vectors, engine.query_vector(engine.dense_text(query)), CANDIDATES,
                             engine.index.facets, exact_vectors=engine.index.store.vectors)
        base = bigram.search(text, CANDIDATES) if bigram else []
        pool = {v for v, _ in lexical} | {v for v, _ in dense} | {v for v, _ in base}
        asked = Asked(set_name, item["id"], split(f"{path.parent.name}/{path.name}:{item['id']}"), engine, query, lexical, dense,
                      relevance(engine, item, pool, whole_document), base)
        out.append(asked)
    return out


def fused(asked: Asked, strategy: str, weight: float) -> Ranking:
    if strategy == "lexical":
        return asked.lexical
    if strategy == "dense":
        return asked.dense
    if strategy == "bigram":
        return asked.bigram
    if strategy in asked.extra:
        return asked.extra[strategy]
    return fuse(strategy, [(asked.lexical, 1.0), (asked.dense, weight)])


def table(questions: list[Asked], runs: list[tuple[str, float]], part: str) -> dict[tuple[str, float], dict]:
    names = list(dict.fromkeys(a.set_name for a in questions))
    print(f"\n{part}: MRR@10 per set ({', '.join(f'{n} {sum(a.set_name == n for a in questions)}' for n in names)})\n")
    print("| fusion | weight | " + " | ".join(names) + " | mean |")
    print("|---|---|" + "---|" * (len(names) + 1))
    out = {}
    for strategy, weight in runs:
        row = {}
        for name in names:
            chosen = [a for a in questions if a.set_name == name]
            if strategy == "bigram" and not any(a.bigram for a in chosen):
                continue
            row[name] = sum(mrr(fused(a, strategy, weight), a.relevant) for a in chosen) / len(chosen)
        mean = sum(row.values()) / len(row)
        out[(strategy, weight)] = {**row, "mean": mean}
        cells = " | ".join(f"{row[n]:.3f}" if n in row else "-" for n in names)
        print(f"| {strategy} | {weight if strategy in ('rrf', 'weighted') else '-'} | {cells} | {mean:.3f} |",
              flush=True)
    return out


def engine_for(index_dir: Path, cache: dict) -> SearchEngine:
    if index_dir not in cache:
        cache[index_dir] = SearchEngine(load_settings(index_dir=index_dir), verify=False)
    return cache[index_dir]


def gather(args: argparse.Namespace, weights: FieldWeights = DEFAULT_WEIGHTS) -> list[Asked]:
    engines: dict = {}
    questions: list[Asked] = []
    if args.plans:
        engine = engine_for(args.plans, engines)
        engine.field_weights = weights
        bigram = BigramBm25(engine)
        dev = [EVAL / "dev_queries.jsonl"]
        questions += collect(engine, "dev_queries", dev, bigram=bigram)
        questions += collect(engine, "dev_queries folded", dev, strip_diacritics=True, bigram=bigram)
        questions += collect(engine, "meaning", [BENCH / "meaning_queries.jsonl"], bigram=bigram)
        questions += collect(engine, "plan answers", [EVAL / "dev_answers.jsonl", BENCH / "answers_plans_extra.jsonl"],
                             bigram=bigram)
    if args.legal:
        engine = engine_for(args.legal, engines)
        engine.field_weights = weights
        questions += collect(engine, "legal-qa", [EVAL / "legal-qa" / "dev_answers.jsonl"], whole_document=True, bigram=BigramBm25(engine))
    if args.samples_legal:
        engine = engine_for(args.samples_legal, engines)
        engine.field_weights = weights
        questions += collect(engine, "samples-legal", [BENCH / "answers_legal_samples.jsonl",
                                                       BENCH / "legal_questions.jsonl"], bigram=BigramBm25(engine))
    return questions


RUNS = [("lexical", 0.0), ("dense", 0.0), ("bigram", 0.0)] + \
    [("rrf", w) for w in (0.5, 1.0, 2.0)] + \
    [("weighted", w) for w in (0.25, 0.35, 0.5, 0.6, 0.75, 1.0, 1.5)]
DEPTH_CHECKED = 30


def fitted(asked: Asked, model: RankModel) -> Ranking:
    """The product's ranking under `model`: sides weighed, the first passages checked (`search.rerank`)."""
    question = understand(asked.query)
    features = candidates(asked.engine.index, question, Checker(asked.engine.index, question), _terms(asked),
                          asked.lexical, asked.dense, model)
    return ranked(features, model)


def _terms(asked: Asked) -> QueryTerms:
    return query_terms(asked.query, asked.engine.index.bm25.searcher())


def fit_model(questions: list[Asked], names: tuple[str, ...], head_by: RankModel | None) -> RankModel:
    """A conditional logit on the fitting questions, each set weighing the same; the checks are computed for
    the first passages by `head_by` (None: sides only)."""
    rows, groups, labels, weights = [], [], [], []
    sets = Counter(a.set_name for a in questions)
    for number, asked in enumerate(questions):
        if head_by is None:
            features = side_scores(asked.lexical, asked.dense)
        else:
            question = understand(asked.query)
            features = candidates(asked.engine.index, question, Checker(asked.engine.index, question),
                                  _terms(asked), asked.lexical, asked.dense, head_by)
        if not asked.relevant & set(features):
            continue
        for vec_id, values in features.items():
            rows.append([values[n] for n in names])
            groups.append(number)
            labels.append(vec_id in asked.relevant)
        weights.append(1 / sets[asked.set_name])
    weights = np.array(weights) / np.mean(weights)
    model = fit_ranker(np.array(rows), np.array(groups), np.array(labels), names, group_weights=weights)
    return RankModel(model, DEPTH_CHECKED, questions[0].engine.settings.model)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=Path, help="an index of ../shared/documents")
    parser.add_argument("--legal", type=Path, help="an index of ../shared/eval/legal-qa/docs")
    parser.add_argument("--samples-legal", type=Path, help="an index of ../shared/samples-legal")
    parser.add_argument("--fields", action="store_true", help="also sweep the lexical field weights")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.name}")
    args = parser.parse_args()
    questions = gather(args)
    fitting = [a for a in questions if a.part == "fit"]
    sides = fit_model(fitting, SIDES, None)
    model = fit_model(fitting, FEATURES, sides)
    for asked in questions:
        asked.extra = {"fitted sides": fitted(asked, replace(model, model=sides.model, depth=0)),
                       "fitted": fitted(asked, model)}
    runs = RUNS + [("fitted sides", 0.0), ("fitted", 0.0)]
    tables = {part: table([a for a in questions if a.part == part], runs, part) for part in ("fit", "held_out")}
    table(questions, runs, "all")
    print("\nweights (per standardized feature):", ", ".join(f"{n} {w:+.2f}" for n, w in zip(model.model.features, model.model.weights)))
    if args.write:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        summary = {part: {name: round(value, 4) for name, value in rows[("fitted", 0.0)].items()}
                   for part, rows in tables.items()}
        fitted_on = {"sets": sorted({a.set_name for a in questions}), "fitted_questions": len(fitting),
                     "held_out_questions": len(questions) - len(fitting), "date": date.today().isoformat(),
                     "commit": commit, "mrr@10": summary}
        MODEL_FILE.write_text(json.dumps(replace(model, fitted_on=fitted_on).to_json(), ensure_ascii=False,
                                         indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    if args.fields:
        for context in (0.1, 0.3, 0.5, 1.0):
            weights = replace(DEFAULT_WEIGHTS, context=context)
            print(f"\nfield weights {weights}")
            table([a for a in gather(args, weights) if a.part == "fit"], RUNS[:1], "fit")


if __name__ == "__main__":
    main()
