"""Which plans address a topic: documents ranked by how much of them is about it, each with the number of
sections that match and up to three passages that match, their matching sentence marked, cited.

A passage matches when
- it carries the topic's wording: PHRASE_MATCH of its IDF-weighted words and word pairs (`search.terms`,
  heading path included); or
- for a descriptive topic of LONG_TOPIC content words or more, which no single passage is expected to
  repeat, it covers WORDS_MATCH of the topic's words in any order (and the plan's BEST passages do on
  average).
A plan addresses the topic when one of its own passages carries the topic's wording, when a section's
heading carries it, or, for a descriptive topic, when a SHARE of its passages match; or when the fitted
meaning model (`search/topic_model.json`, fitted by bench/fit_topics.py on judged topic sets) finds it
close in meaning: its passages' similarity to the topic next to the wording they share, so that a plan
worded otherwise than the topic (`đào tạo, bồi dưỡng giáo viên` for `đào tạo lại giáo viên`) can be listed
too. Footnotes (`Chú thích`) and the
quoted titles of the documents a passage cites (`Quyết định số 522/QĐ-TTg ... phê duyệt Đề án "Giáo dục
hướng nghiệp ..."`) are not evidence that a plan addresses a topic. Two tiers, both listed: the plans that
address the topic, ranked; below them, `mentions`, the plans that only mention it (a footnote, a citation,
a passage with MENTION_MATCH of the wording), each with its sentence. Plans are ranked by a graded score:
the strength of the best match times how broad the matching is (a heading, or BROAD sections, is full
breadth); a plan found by meaning alone scores its probability times NARROW. A topic that names
a document code also lists every plan that bears or cites it, with how.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from indexer.sections import SECTION_SEPARATOR
from vietnamese.normalize import analyze, find_codes
from vietnamese.sentences import sentence_spans
from search.cite import display_date, document_label
from search.lineage import CodeReference, references
from search.logistic import LogisticModel
from runtime.profiles import profile_for
from search.engine import Hit, SearchEngine
from search.spreadsheet import csv_text
from indexer.facets import Filters
from search.query import Query, query_details, query_notes
from search.terms import QueryTerms, query_terms

CANDIDATES = 300  # passages per retrieval side
BEST = 3  # passages averaged for a descriptive topic, and evidence shown
PHRASE_MATCH = 0.8
WORDS_MATCH = 0.5
MENTION_MATCH = 0.5
ADDRESSES, MENTIONS = "addresses", "mentions"
BY_WORDING, BY_MEANING, BY_CODE = "wording", "meaning", "code"  # how a plan in the first tier was found
MODEL_FILE = Path(__file__).with_name("topic_model.json")
NEAR_TOP = 0.03  # a passage this close to the topic's most similar passage (cosine) is near the top
TOPIC_FEATURES = ("phrase", "words_mean", "worded", "share", "in_heading", "similarity", "similarity_gap", "near",
                  "near_share")
_FOOTNOTES = re.compile(r"^(?:Chú thích|Chú giải)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“][^\"”“]{3,400}[\"”]")
CITATION_REACH = 160  # characters before a quoted title within which a document code makes it a citation
LONG_TOPIC = 7
BROAD = 3  # matching sections for full breadth
SHARE = 0.3  # of a plan's passages
NARROW = 0.5  # the score of a single match, as a share of its strength


@dataclass
class PlanMatch:
    doc: str
    label: str  # the plan in citation form
    title: str | None
    number: str | None
    issuer: str | None
    date: str | None
    province: str | None
    locality: str | None  # below the province: "thành phố Hạ Long"
    score: float
    matching_sections: int
    evidence: list[Hit]  # matching passages only, best first
    sentences: list[tuple[int, int]] = field(default_factory=list)  # the best matching sentence of each
    references: list[str] = field(default_factory=list)  # "thực hiện 51-KL/TW", when the topic names a code
    tier: str = ADDRESSES  # or MENTIONS
    found_by: str = BY_WORDING  # BY_MEANING, BY_CODE

    @property
    def relevance(self) -> str:
        """The graded score as officials read it: `83%`."""
        return f"{round(self.score * 100)}%"

    def evidence_sentence(self, n: int) -> str:
        start, end = self.sentences[n]
        return self.evidence[n].text[start:end].strip()

    def to_json(self) -> dict:
        return {"doc": self.doc, "label": self.label, "title": self.title, "number": self.number,
                "issuer": self.issuer, "date": self.date, "province": self.province,
                "locality": self.locality, "score": self.score,
                "matching_sections": self.matching_sections, "references": self.references, "tier": self.tier,
                "found_by": self.found_by,
                "evidence": [{"citation": h.citation, "section": h.section, "text": h.text,
                              "sentence": self.evidence_sentence(n)} for n, h in enumerate(self.evidence)]}


@dataclass
class TopicResult:
    topic: str
    plans: list[PlanMatch]  # the plans that address the topic, ranked
    mentions: list[PlanMatch]  # the plans that only mention it, each with its best passage
    notes: list[str] = field(default_factory=list)  # what was understood of the topic, for everyone
    details: list[str] = field(default_factory=list)  # how the search widened it: technical, shown on request
    read_as: str = ""  # the topic as the search read it: diacritics put back, or translated from English

    def to_json(self) -> dict:
        return {"topic": self.topic, "read_as": self.read_as, "notes": self.notes, "details": self.details,
                "plans": [p.to_json() for p in self.plans], "mentions": [p.to_json() for p in self.mentions]}


@dataclass(frozen=True)
class TopicModel:
    """Whether a plan addresses a topic by meaning: a logistic model over some of TOPIC_FEATURES (it names
    which) and its threshold, fitted by bench/fit_topics.py with the similarities of `embedding_model`."""

    model: LogisticModel
    threshold: float
    embedding_model: str
    fitted_on: dict = field(default_factory=dict)  # the topic sets, how many topics, the held-out figures

    def probability(self, features: dict[str, float]) -> float:
        return float(self.model.probabilities(self.model.rows([features]))[0])

    def to_json(self) -> dict:
        return {"threshold": self.threshold, "embedding_model": self.embedding_model, "fitted_on": self.fitted_on,
                "model": self.model.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> "TopicModel":
        return cls(LogisticModel.from_json(data["model"]), float(data["threshold"]), data["embedding_model"],
                   data.get("fitted_on", {}))


@lru_cache(maxsize=4)
def load_topic_model(path: Path = MODEL_FILE) -> TopicModel | None:
    return TopicModel.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None


def topic_model_for(model: str) -> TopicModel | None:
    """The fitted meaning model, where it weighs similarities of an embedding model of this model's profile."""
    fitted = load_topic_model()
    return fitted if fitted and profile_for(fitted.embedding_model) == profile_for(model) else None


@dataclass
class _Scored:
    hit: Hit
    relevance: float  # order-free coverage of the topic's words, by the passage's own words
    phrase: float  # coverage with bigrams: the topic's wording kept, by the passage's own words
    cited: float  # the same as `phrase`, counting footnotes and the titles of cited documents too
    similarity: float  # the embedding model's cosine between the topic and the passage

    @property
    def order(self) -> tuple[float, float]:
        return -(self.relevance + self.phrase), -self.hit.score


@dataclass
class _Plan:
    """How one plan's retrieved passages match a topic, by wording and by meaning."""

    doc: str
    scored: list[_Scored]  # best match first
    matches: list[_Scored]  # the passages that carry the topic's wording
    in_heading: bool
    addresses_by_wording: bool
    features: dict[str, float]  # TOPIC_FEATURES: measured for bench/fit_topics.py, which weighs meaning against wording


@dataclass
class TopicEvidence:
    """A topic's retrieved passages grouped by plan, each plan described by TOPIC_FEATURES."""

    query: Query
    terms: QueryTerms
    descriptive: bool
    plans: list[_Plan]


def topic_evidence(engine: SearchEngine, query: Query, filters: Filters = Filters()) -> TopicEvidence:
    terms = query_terms(listed_terms(query), engine.index.bm25.searcher()).folded_only()  # plans, not spellings
    words = terms.unigrams()
    descriptive = len(words.folded) >= LONG_TOPIC
    ranked = engine.rank(query, filters, candidates=CANDIDATES)
    hits = engine.hits(ranked, len(ranked.fused))
    similarities = engine.similarities(_read_for_meaning(query), [v for v, _ in ranked.fused])
    by_doc: dict[str, list[_Scored]] = {}
    for hit, similarity in zip(hits, similarities):
        own = analyze(f"{hit.section} {own_words(hit)}")
        by_doc.setdefault(hit.doc, []).append(_Scored(hit, words.coverage_of(own), terms.coverage_of(own),
                                                      terms.coverage_of(analyze(f"{hit.section} {hit.text}")),
                                                      similarity))
    top = max(similarities, default=0.0)
    return TopicEvidence(query, terms, descriptive,
                         [_described(engine, doc, scored, terms, descriptive, top) for doc, scored in by_doc.items()])


def _read_for_meaning(query: Query) -> Query:
    """The topic as its passages' similarity is measured: an English topic the glossary put wholly into
    Vietnamese in its translation (the model's cosines across the two languages are lower and flatter, and
    the meaning model was fitted mostly on Vietnamese topics); one with words the glossary does not know, as
    typed."""
    return replace(query, original=None) if query.original and not query.untranslated else query


def _described(engine: SearchEngine, doc: str, scored: list[_Scored], terms: QueryTerms, descriptive: bool,
               top: float) -> _Plan:
    scored.sort(key=lambda s: s.order)
    matches = [s for s in scored if s.phrase >= PHRASE_MATCH or (descriptive and s.relevance >= WORDS_MATCH)]
    in_heading = any(terms.coverage_of(analyze(s.hit.section)) >= PHRASE_MATCH for s in matches)
    worded = sum(1 for s in matches if s.phrase >= PHRASE_MATCH)
    passages = engine.index.chunk_counts[doc]
    by_wording = worded > 0 or (bool(matches) and (in_heading or len(matches) >= SHARE * passages))
    best_similarity = max(s.similarity for s in scored)
    near = sum(1 for s in scored if s.similarity >= top - NEAR_TOP)
    features = {"phrase": max(s.phrase for s in scored),
                "words_mean": sum(sorted((s.relevance for s in scored), reverse=True)[:BEST]) / BEST,
                "worded": math.log1p(worded), "share": len(matches) / passages, "in_heading": float(in_heading),
                "similarity": best_similarity, "similarity_gap": best_similarity - top, "near": math.log1p(near),
                "near_share": near / passages}
    return _Plan(doc, scored, matches, in_heading, by_wording, features)


def listed_terms(query: Query) -> Query:
    """An English topic as the list of terms it is: its translation with each glossary term set apart, so that
    no word pair is looked for across two terms whose English order Vietnamese does not keep (`career guidance
    in schools`: `hướng nghiệp, trường học`, not the pair `nghiệp trường`)."""
    terms = sorted({vietnamese for _, vietnamese in query.glossary_terms}, key=len, reverse=True)
    if not terms:
        return query
    text = re.sub("|".join(map(re.escape, terms)), lambda m: f", {m.group(0)},", query.text)
    text = re.sub(r"\s*,\s*(và\s*,\s*)?(?:,\s*)*", lambda m: " và " if m.group(1) else ", ", text)
    return replace(query, text=text.strip(" ,"))


def plans_for_topic(engine: SearchEngine, topic: str, filters: Filters = Filters()) -> TopicResult:
    query = engine.parse(topic)
    notes = query_notes(query)
    if query.empty:
        return TopicResult(topic, [], [], notes, query_details(query), query.meaning_text)
    found = topic_evidence(engine, query, filters)
    terms = found.terms
    cited = _references_by_doc(engine, find_codes(query.text), filters)
    meaning = topic_model_for(engine.settings.model)
    plans, mentions = [], []
    for plan in found.plans:
        doc, scored, matches = plan.doc, plan.scored, plan.matches
        phrase, words_mean = plan.features["phrase"], plan.features["words_mean"]
        strength = max(phrase, words_mean) if found.descriptive else phrase
        sections = {s.hit.section for s in matches}
        breadth = 1.0 if plan.in_heading else min(1.0, len(sections) / BROAD)
        probability = meaning.probability(plan.features) if meaning else 0.0
        if plan.addresses_by_wording or doc in cited:
            score = strength * (NARROW + (1 - NARROW) * breadth)
            plans.append(_plan(engine, doc, score, len(sections), [s.hit for s in matches], terms,
                               cited.get(doc, []), found_by=BY_WORDING if matches else BY_CODE))
        elif meaning and probability >= meaning.threshold:
            near = [s.hit for s in scored if own_words(s.hit)]  # those that share most of its words first
            plans.append(_plan(engine, doc, probability * NARROW, len({h.section for h in near[:BEST]}), near,
                               terms, [], found_by=BY_MEANING))
        elif matches or max(s.cited for s in scored) >= MENTION_MATCH:
            best = matches[:1] or sorted(scored, key=lambda s: -s.cited)[:1]
            mentions.append(_plan(engine, doc, max(s.cited for s in scored) * NARROW, len(sections),
                                  [s.hit for s in best], terms, [], tier=MENTIONS))
    for doc in cited.keys() - {p.doc for p in plans}:
        plans.append(_plan(engine, doc, 0.0, 0, [], terms, cited[doc], found_by=BY_CODE))
    plans.sort(key=lambda p: (not p.references, -p.score, -p.matching_sections))
    mentions.sort(key=lambda p: -p.score)
    return TopicResult(topic, plans, mentions, notes, query_details(query), query.meaning_text)


def own_words(hit: Hit) -> str:
    """What a passage says in its own words: nothing for a footnote, and its text without the quoted titles
    of the documents it cites (a quoted title with a document code shortly before it)."""
    if any(_FOOTNOTES.match(heading.strip()) for heading in hit.section.split(SECTION_SEPARATOR)):
        return ""
    return _QUOTED.sub(lambda m: " " if find_codes(m.string[max(0, m.start() - CITATION_REACH):m.start()])
                       else m.group(0), hit.text)


def _evidence(terms: QueryTerms, hits: list[Hit]) -> tuple[list[Hit], list[tuple[int, int]]]:
    """Up to BEST of the passages, those whose own sentence carries most of the topic first (a passage matched
    through its section's heading shows a sentence that may not), each with that sentence; a passage whose
    sentence an earlier one already shows (overlapping passages of one section) is left out."""
    best = []
    for order, hit in enumerate(hits):
        coverage, start, end = max((terms.coverage_of(analyze(hit.text[a:b])), a, b)
                                   for a, b in sentence_spans(hit.text) or [(0, len(hit.text))])
        best.append((-coverage, order, hit, (start, end)))
    evidence, sentences, seen = [], [], set()
    for _, _, hit, (start, end) in sorted(best, key=lambda b: b[:2]):
        sentence = " ".join(hit.text[start:end].split())
        if sentence in seen:
            continue
        seen.add(sentence)
        evidence.append(hit)
        sentences.append((start, end))
        if len(evidence) == BEST:
            break
    return evidence, sentences


def _plan(engine: SearchEngine, doc: str, score: float, matching_sections: int, hits: list[Hit],
          terms: QueryTerms, refs: list[CodeReference], tier: str = ADDRESSES,
          found_by: str = BY_WORDING) -> PlanMatch:
    meta = engine.index.documents[doc].meta
    evidence, sentences = _evidence(terms, hits)
    return PlanMatch(doc=doc, label=document_label(meta), title=meta.title, number=meta.number,
                     issuer=meta.issuer_short or meta.issuer, date=meta.date, province=meta.province,
                     locality=meta.locality,
                     score=round(score, 4), matching_sections=matching_sections, evidence=evidence,
                     sentences=sentences, references=[f"{r.relation} {r.target}" for r in refs], tier=tier,
                     found_by=found_by)


def _references_by_doc(engine: SearchEngine, codes: list[str], filters: Filters) -> dict[str, list[CodeReference]]:
    out: dict[str, list[CodeReference]] = {}
    for ref in references(engine.index.lineage, codes):
        if filters.active() and not filters.accepts(engine.index.doc_facets[ref.doc]):
            continue
        out.setdefault(ref.doc, []).append(ref)
    return out


TIER_NAMES = {ADDRESSES: "Đề cập chủ đề", MENTIONS: "Chỉ nhắc đến"}
FOUND_BY_NAMES = {BY_WORDING: "theo từ ngữ", BY_MEANING: "theo nghĩa", BY_CODE: "theo số hiệu"}
CSV_COLUMNS = ["Mức độ", "Tìm thấy", "Văn bản", "Số hiệu", "Cơ quan ban hành", "Ngày", "Tỉnh/thành", "Huyện/thành phố/xã", "Mức liên quan", "Số mục nói về chủ đề",
               "Thực hiện hay nhắc đến", *(f"{column} {n}" for n in range(1, BEST + 1)
                                          for column in ("Trích dẫn", "Câu phù hợp", "Đoạn")), "Tệp"]


def topic_csv(result: TopicResult) -> str:
    """The plan table as CSV text (`search.spreadsheet`): the plans that address the topic, then those that
    only mention it, the tier in the first column."""
    rows = []
    for plan in result.plans + result.mentions:
        evidence = []
        for i in range(BEST):
            hit = plan.evidence[i] if i < len(plan.evidence) else None
            evidence += [hit.citation, plan.evidence_sentence(i), hit.text] if hit else ["", "", ""]
        rows.append([TIER_NAMES[plan.tier], FOUND_BY_NAMES[plan.found_by], plan.title or plan.label, plan.number or "", plan.issuer or "",
                     display_date(plan.date), plan.province or "", plan.locality or "", plan.relevance,
                     plan.matching_sections, "; ".join(plan.references), *evidence, plan.doc])
    return csv_text(CSV_COLUMNS, rows)
