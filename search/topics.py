"""Which plans address a topic: documents ranked by their matching passages, each with the number of
sections that match and its three best pieces of evidence, cited.

A plan addresses a topic when
- one of its passages carries the topic's wording: PHRASE_MATCH of its IDF-weighted words and word pairs
  (`search.terms`, heading path included); or
- for a descriptive topic of LONG_TOPIC content words or more, which no single passage is expected to
  repeat, its BEST passages cover on average WORDS_MATCH of the topic's words, in any order.
Other plans are left out rather than listed last. The constants are set with `edusearch eval` on the dev
topic file and on bench/topic_phrases.jsonl (README, "Retrieval quality"). A topic that names a document
code also lists every plan that bears or cites it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.normalize import analyze, find_codes
from search.cite import display_date, document_label
from search.crossref import CodeReference, references
from search.engine import Hit, SearchEngine
from search.spreadsheet import csv_text
from search.query import Filters, query_notes
from search.terms import query_terms

CANDIDATES = 300  # passages per retrieval side
BEST = 3  # passages averaged for a descriptive topic, and evidence shown
PHRASE_MATCH = 0.8
WORDS_MATCH = 0.55
LONG_TOPIC = 7


@dataclass
class PlanMatch:
    doc: str
    label: str  # the plan in citation form
    title: str | None
    number: str | None
    issuer: str | None
    date: str | None
    province: str | None
    score: float
    matching_sections: int
    evidence: list[Hit]
    references: list[str] = field(default_factory=list)  # "thực hiện 51-KL/TW", when the topic names a code

    def to_json(self) -> dict:
        return {"doc": self.doc, "label": self.label, "title": self.title, "number": self.number,
                "issuer": self.issuer, "date": self.date, "province": self.province, "score": self.score,
                "matching_sections": self.matching_sections, "references": self.references,
                "evidence": [{"citation": h.citation, "section": h.section, "text": h.text} for h in self.evidence]}


@dataclass
class TopicResult:
    topic: str
    plans: list[PlanMatch]
    left_out: int  # plans with some matching passage but under the threshold
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"topic": self.topic, "left_out": self.left_out, "notes": self.notes,
                "plans": [p.to_json() for p in self.plans]}


@dataclass
class _Scored:
    hit: Hit
    relevance: float  # order-free coverage of the topic's words
    phrase: float  # coverage with bigrams: the topic's wording kept


def plans_for_topic(engine: SearchEngine, topic: str, filters: Filters = Filters()) -> TopicResult:
    query = engine.parse(topic)
    notes = query_notes(query)
    if query.empty:
        return TopicResult(topic, [], 0, notes)
    terms = query_terms(query, engine.index.bm25.searcher())
    words = terms.unigrams()
    descriptive = len(words.folded) >= LONG_TOPIC
    ranked = engine.rank(query, filters, candidates=CANDIDATES)
    by_doc: dict[str, list[_Scored]] = {}
    for hit in engine.hits(ranked, len(ranked.fused)):
        analyzed = analyze(f"{hit.section} {hit.text}")
        by_doc.setdefault(hit.doc, []).append(_Scored(hit, words.coverage_of(analyzed), terms.coverage_of(analyzed)))
    cited = _references_by_doc(engine, find_codes(query.text), filters)
    plans, left_out = [], 0
    for doc, scored in by_doc.items():
        scored.sort(key=lambda s: (-(s.relevance + s.phrase), -s.hit.score))
        phrase = max(s.phrase for s in scored)
        words_mean = sum(sorted((s.relevance for s in scored), reverse=True)[:BEST]) / BEST
        score = max(phrase, words_mean) if descriptive else phrase
        if phrase < PHRASE_MATCH and not (descriptive and words_mean >= WORDS_MATCH) and doc not in cited:
            left_out += 1
            continue
        matching = {s.hit.section for s in scored
                    if s.phrase >= PHRASE_MATCH or (descriptive and s.relevance >= WORDS_MATCH)}
        plans.append(_plan(engine, doc, score, len(matching), [s.hit for s in scored[:BEST]], cited.get(doc, [])))
    for doc in cited.keys() - by_doc.keys():
        plans.append(_plan(engine, doc, 0.0, 0, [], cited[doc]))
    plans.sort(key=lambda p: (not p.references, -p.score, -p.matching_sections))
    return TopicResult(topic, plans, left_out, notes)


def _plan(engine: SearchEngine, doc: str, score: float, matching_sections: int, evidence: list[Hit],
          refs: list[CodeReference]) -> PlanMatch:
    meta = engine.index.documents[doc].meta
    return PlanMatch(doc=doc, label=document_label(meta, doc), title=meta.title, number=meta.number,
                     issuer=meta.issuer_short or meta.issuer, date=meta.date, province=meta.province,
                     score=round(score, 4), matching_sections=matching_sections, evidence=evidence,
                     references=[f"{r.relation} {r.code}" for r in refs])


def _references_by_doc(engine: SearchEngine, codes: list[str], filters: Filters) -> dict[str, list[CodeReference]]:
    out: dict[str, list[CodeReference]] = {}
    for ref in references(engine.index.documents, codes):
        if filters.active() and not filters.accepts(engine.index.doc_facets[ref.doc]):
            continue
        out.setdefault(ref.doc, []).append(ref)
    return out


CSV_COLUMNS = ["Văn bản", "Số hiệu", "Cơ quan ban hành", "Ngày", "Tỉnh/thành", "Điểm", "Số mục phù hợp",
               "Dẫn chiếu", "Trích dẫn 1", "Đoạn 1", "Trích dẫn 2", "Đoạn 2", "Trích dẫn 3", "Đoạn 3", "Tệp"]


def topic_csv(result: TopicResult) -> str:
    """The plan table as CSV text (`search.spreadsheet`)."""
    rows = []
    for plan in result.plans:
        evidence = []
        for i in range(BEST):
            hit = plan.evidence[i] if i < len(plan.evidence) else None
            evidence += [hit.citation, hit.text] if hit else ["", ""]
        rows.append([plan.title or plan.label, plan.number or "", plan.issuer or "",
                     display_date(plan.date), plan.province or "", f"{plan.score:.2f}",
                     plan.matching_sections, "; ".join(plan.references), *evidence, plan.doc])
    return csv_text(CSV_COLUMNS, rows)
