"""Questions about a document that is named by its code but not indexed itself, answered from what the
indexed plans say of it:
- `Kết luận 01-KL/TW được ban hành ngày nào?`: the date a plan gives beside the code (`Kết luận số
  01-KL/TW ngày 18/5/2021`), cited to that plan's sentence;
- `Văn bản nào của tỉnh Lạng Sơn triển khai Nghị quyết 63-NQ/TU?`: the indexed plans that implement the
  code (`search.lineage`), by number and title, cited to the first one's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.metadata import DocumentMeta
from indexer.references import code_dates
from vietnamese.normalize import code_token, find_codes, fold
from vietnamese.sentences import sentence_spans
from search.cite import MAX_TITLE, display_date, document_label, shorten
from search.constraints import Checker
from search.engine import Hit, SearchEngine
from search.lineage import PlanLineage
from search.question import DocumentFact, Question

# Folded: which document implements, carries out or makes concrete a code.
_DOCUMENT_WORD = r"(?:van ban|ke hoach|nghi quyet|chuong trinh|quyet dinh|chi thi|de an|cong van)"
_WHICH_DOCUMENT = re.compile(rf"\b{_DOCUMENT_WORD}(?: \w+){{0,2}} nao\b|\b{_DOCUMENT_WORD} so (?:may|bao nhieu)\b|"
                             r"\b(?:which|what) (?:plans?|documents?)\b")
_IMPLEMENTS = re.compile(r"\b(?:trien khai|thuc hien|cu the hoa|quan triet|implement\w*|carr\w* out)\b")
EXCERPT_WORDS = 45  # of the citing sentence, around the code
MAX_PLANS = 3


@dataclass(frozen=True)
class CodeAnswer:
    short: str
    citation: str
    doc: str
    hit: Hit | None = None  # the passage that says it, when a passage does


def asks_implementing_plan(asked: Question) -> bool:
    """`Văn bản nào triển khai 63-NQ/TU?`: a document asked for, and a code after the verb (`Kế hoạch
    43/KH-UBND thực hiện nghị quyết nào?` asks the other way)."""
    folded = fold(asked.asked)
    verb = _IMPLEMENTS.search(folded)
    return bool(asked.codes and verb and _WHICH_DOCUMENT.search(folded)) \
        and fold(asked.codes[0]) in folded[verb.end():]


def unindexed_codes(engine: SearchEngine, asked: Question) -> list[str]:
    """The codes the question names that no indexed document bears as its number."""
    numbers = {code_token(s.meta.number) for s in engine.index.documents.values() if s.meta.number}
    return [c for c in asked.codes if code_token(c) not in numbers]


def cited_date(engine: SearchEngine, asked: Question, hits: list[Hit]) -> CodeAnswer | None:
    """The date an indexed plan gives a code the question asks the date of, with the sentence that gives it."""
    if asked.document_fact is not DocumentFact.DATE:
        return None
    codes = unindexed_codes(engine, asked)
    if not codes:
        return None
    token = code_token(codes[0])
    for hit in hits + engine.search(codes[0], k=10):
        for start, end in sentence_spans(hit.text):
            sentence = hit.text[start:end]
            dates = code_dates(sentence).get(token)
            if dates:
                short = f"Ngày {display_date(dates[0])}: {_excerpt(sentence, codes[0])}"
                return CodeAnswer(short, hit.citation, hit.doc, hit)
    return None


def implementing_plans(engine: SearchEngine, checker: Checker) -> CodeAnswer | None:
    """The indexed plans that implement the code asked about, those naming every place the question names."""
    asked = checker.question
    if not asks_implementing_plan(asked):
        return None
    graph = engine.index.lineage
    documents = engine.index.documents
    for code in asked.codes:
        plans = sorted(graph.lineage(code).implementing, key=lambda p: not p.direct)
        plans = [p for p in plans if all(checker.names(p.doc, place) for place in asked.places)]
        if plans:
            named = [_plan(documents[p.doc].meta, p) for p in plans[:MAX_PLANS]]
            first = documents[plans[0].doc].meta
            return CodeAnswer("; ".join(named), f"{document_label(first)}, phần đầu văn bản", plans[0].doc)
    return None


def _plan(meta: DocumentMeta, plan: PlanLineage) -> str:
    """`Kế hoạch số 43/KH-UBND ngày … của UBND tỉnh Lạng Sơn: <title>`, and the documents it goes through
    when it implements the code through another (`thực hiện qua 97-KH/TU ngày 15/08/2019`)."""
    label = document_label(meta)
    text = f"{label}: {shorten(meta.title, MAX_TITLE)}" if meta.number and meta.title else label
    through = list(dict.fromkeys(chain.via() for chain in plan.chains if len(chain.steps) > 1))
    return f"{text} (thực hiện {'; '.join(through)})" if through else text


def _excerpt(sentence: str, code: str) -> str:
    """The words of the sentence around the code, at most EXCERPT_WORDS."""
    words = sentence.split()
    token = code_token(code)
    at = next((n for n, w in enumerate(words) if any(code_token(c) == token for c in find_codes(w))), 0)
    start = max(0, at - EXCERPT_WORDS // 3)
    end = min(len(words), start + EXCERPT_WORDS)
    text = " ".join(words[start:end]).strip(" ;,").lstrip("-–•+* ")
    return f"{'… ' if start else ''}{text}{' …' if end < len(words) else ''}"
