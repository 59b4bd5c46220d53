"""Extractive answers: in each top passage, the sentences that best answer the question, and the best of
them all as the short answer, with its citation; or, when no sentence meets what the question asks, no
short answer and the reason. No text is generated here.

Candidates are the top passages of the ordinary ranking plus those that a ranking with heading paths at
full weight brings up (a duty assigned under `3. Sở Tài chính` is found by a question naming the
department). A sentence's score combines
- lexical coverage: the IDF-weighted share of the question's content terms it contains (folded and exact,
  see `search.terms`), mostly from the sentence itself and partly with its heading path;
- embedding similarity between question and sentence, weighted by how much the model's profile trusts it;
- the question's focus (`search.question`): figures for `bao nhiêu`, dates for `khi nào`, agencies for
  `Sở nào`;
- the agency the question names, when the sentence sits under that agency's heading;
- the numbered part the question names (`Chương trình 5`, `Điều 3`), when the sentence or its heading
  opens with it: such a sentence says what that part contains, whatever other words the question has;
- a small prior for the passage's retrieval rank.

For a question about a figure, the plan's extracted targets (`indexer.targets`) whose clauses lie in the
candidate passages are candidates too, each with its own period and levels: a sentence that sets 90% for
2025 and 95% for 2030 answers a question about 2028 with its second clause only.

A sentence is not an answer when it contradicts the question (`search.constraints`): another period,
a document that does not name the place asked about, no figure for a quantity question. The best
remaining sentence is answered only when it, with its heading path and the clause before it, carries enough
of what the question asks beyond naming the document (SUPPORT: the question's words and word pairs less
those of the document's title and opening, less pairs that occur nowhere); otherwise the answer says the indexed documents do not answer it.
Questions about a document's own date or signer are answered from that document's header or signature.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np

from vietnamese.normalize import Analyzed, code_token, fold
from indexer.sections import AGENCY_HEADING, SECTION_SEPARATOR, split_marker
from indexer.targets import Target
from vietnamese.sentences import sentence_spans
from search.cite import citation_of_parts
from search.code_questions import cited_date, implementing_plans
from search.constraints import Checker, focus_match
from search.evidence import EMBEDDED, GAPS, SIMILARITY_WORDS, AnswerModel, add_gaps, load_answer_model
from search.lineage import CodeReference, references
from search.engine import Hit, SearchEngine
from search.generate import GeneratedAnswer, GenerationFailed, generate_answer
from search.lexical import FieldWeights
from search.lexicon import ABBREVIATIONS
from indexer.facets import Filters
from search.query import Query, query_details, query_notes
from search.per_period import other_periods, period_label
from search.question import Focus, Question, understand
from search.topic_request import topic_asked
from search.topics import PlanMatch, plans_for_topic
from search.terms import QueryTerms, analyzed, query_terms

PASSAGES = 5
HEADING_CANDIDATES = 5  # passages added from the ranking that weighs heading paths fully
HEADING_WEIGHTS = FieldWeights(context=1.0)
MARK_RATIO = 0.75  # a sentence is marked as answering when it is this share as likely as its passage's best
MIN_MARK_SCORE = 0.25  # and at least this likely
DOCUMENT_SHARE = 0.3  # a question whose words are mostly in a document's title and opening is about it
TOPIC_PLANS = 3  # plans named in the short answer to `which plans address …`; the topic view lists them all
MAX_ANSWER_WORDS = 120  # a clause is widened to its whole sentence up to this length
ARTICLE_PASSAGES = 6  # a criminal-law article found first is read whole when it has at most this many more
MAX_LIST_WORDS = 200  # a list asked for whole is given whole up to this length, its first items otherwise
NOT_ENOUGH = "không đoạn nào nói đủ về điều được hỏi."
DEFINED_ELSEWHERE = "câu này không nói thuật ngữ được hỏi là gì; một câu khác nói điều đó."
_MARKER_AHEAD = re.compile(r"[ \t]*(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))[ \t]+")
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+\d+")
_DUTIES = re.compile(r"^(?:(?:Điều|ĐIỀU)\s+\d+\.\s*)?(?:Trách nhiệm|Nhiệm vụ|Quyền hạn|Chức năng)(?:[ ,]+(?:và|quyền hạn|"
                     r"nhiệm vụ|trách nhiệm|quyền))* của (.+)$", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(?:[-–•+*]|[a-zđ]\)|\d{1,2}[.)])\s+")
_AGGRAVATED = re.compile(r"^(?:\d{1,2}\.\s+)?Phạm tội\b")
_PENALTY_CLAUSE = re.compile(r"^(?:\d{1,2}\.\s+)?(?:Người nào|Phạm tội)\b.*\bthì bị phạt\b", re.DOTALL)
CASE_NAMED = 0.75  # share of a listed case's word pairs a question carries when it names the case
_CLAUSE_END = re.compile(r"[.!?…][”\")]*\s")


@dataclass
class AnswerSentence:
    start: int  # character offsets in the passage text
    end: int
    text: str
    score: float


@dataclass
class SupportingPassage:
    hit: Hit
    sentences: list[AnswerSentence]  # the sentences marked as answering, in text order

    def segments(self) -> list[tuple[str, bool]]:
        """The passage text cut into (piece, is an answer sentence), in order."""
        text, out, position = self.hit.text, [], 0
        for sentence in self.sentences:
            out += [(text[position:sentence.start], False), (text[sentence.start:sentence.end], True)]
            position = sentence.end
        out.append((text[position:], False))
        return [(piece, is_answer) for piece, is_answer in out if piece]

    def to_json(self) -> dict:
        return {**self.hit.to_json(), "answer_sentences": [asdict(s) for s in self.sentences]}


@dataclass
class Answer:
    question: str
    short: str | None  # the answer; None when the indexed documents do not answer the question
    citation: str | None
    passages: list[SupportingPassage]  # supporting passages, or the closest ones when there is no answer
    plan_note: str = ""  # period and status of the short answer's plan (search.cite.plan_note)
    focus: Focus = Focus.NONE
    notes: list[str] = field(default_factory=list)  # what was understood of the question, for everyone
    details: list[str] = field(default_factory=list)  # how the search widened it: technical, shown on request
    references: list[CodeReference] = field(default_factory=list)  # plans bearing or citing a code asked about
    generated: GeneratedAnswer | None = None  # only with an answer endpoint configured
    reason: str | None = None  # why there is no short answer, in Vietnamese
    doc: str | None = None  # the document the short answer comes from
    understood: Question | None = None
    read_as: str = ""  # the question as the search read it: diacritics put back, or translated from English
    confidence: float | None = None  # the answer model's probability that the short answer answers the question
    topic: str | None = None  # the topic of a question that asks which plans address one (`search.topic_request`)

    def to_json(self) -> dict:
        return {"question": self.question, "read_as": self.read_as, "short_answer": self.short, "citation": self.citation,
                "doc": self.doc, "reason": self.reason, "plan_note": self.plan_note, "focus": self.focus.value,
                "confidence": self.confidence, "topic": self.topic,
                "understood": self.understood.to_json() if self.understood else None, "notes": self.notes, "details": self.details,
                "references": [asdict(r) for r in self.references],
                "generated": asdict(self.generated) if self.generated else None,
                "passages": [p.to_json() for p in self.passages]}


@dataclass
class Candidate:
    """A sentence (or a target's clause) that might answer, with its evidence (`search.evidence`)."""

    sentence: AnswerSentence
    passage: int  # index into the hits
    features: dict[str, float]
    veto: str | None  # why this sentence certainly cannot answer, when it cannot
    flags: dict[str, str]  # what speaks against it, with the reason in Vietnamese
    target: Target | None = None  # the extracted target whose clause this is
    kind: str = "sentence"  # or "item" (with its lead-in), "paragraph", "passage" (the whole passage), "target"
    probability: float = 0.0  # that it answers the question: the final model's when embedded, else the first's
    rank_score: float = 0.0  # how it ranks among the question's candidates: the ranker's when embedded
    embedded: bool = False
    listed: str = ""  # the whole list it opens or belongs to, when the answer gives that list


@dataclass
class Candidates:
    hits: list[Hit]
    by_passage: list[list[Candidate]]
    dense_text: str  # the question as the embedding model reads it

    @property
    def open(self) -> list[Candidate]:
        """The candidates no veto rules out."""
        return [c for sentences in self.by_passage for c in sentences if c.veto is None]

    def answer_text(self, candidate: Candidate) -> str:
        """The short answer this candidate would give."""
        hit = self.hits[candidate.passage]
        if candidate.target:
            return _target_answer(candidate, self.by_passage[candidate.passage])
        if candidate.listed:
            return _with_agency(hit, candidate.listed)
        if candidate.kind == "item":
            return _with_agency(hit, " ".join(candidate.sentence.text.split()))
        return _short_answer(hit, candidate.sentence)


def answer(engine: SearchEngine, question: str, filters: Filters = Filters(), passages: int = PASSAGES,
           model: AnswerModel | None = None) -> Answer:
    model = model or load_answer_model()
    query = engine.parse(question)
    asked = understand(query)
    result = Answer(question, None, None, [], focus=asked.focus, notes=query_notes(query),
                    details=query_details(query), understood=asked,
                    read_as=query.meaning_text)
    result.references = references(engine.index.lineage, list(asked.codes))
    result.topic = topic_asked(question)
    if result.topic and _answer_with_plans(engine, result, filters, passages):
        return result
    hits = _candidate_passages(engine, query, filters, passages)
    if not hits:
        result.reason = "Không có đoạn văn bản nào khớp với câu hỏi."
        return result
    checker = _checker(engine, query, asked)
    if _answer_about_a_code(engine, checker, hits, result) or \
            (asked.document_fact and _answer_from_document(engine, checker, hits, result)):
        result.passages = result.passages or [SupportingPassage(h, []) for h in hits[:passages]]
        return result
    hits = _with_whole_article(engine, checker, hits)
    found = candidates(engine, query, asked, checker, hits)
    threshold = weigh(engine, found, model)
    best = max(found.open, key=lambda c: (c.embedded, c.rank_score), default=None)
    if best is None or best.probability < threshold:
        result.reason = _abstain_reason(found, query.untranslated)
        result.passages = [SupportingPassage(h, []) for h in hits[:passages]]
        return result
    hit = hits[best.passage]
    result.short = found.answer_text(best)
    result.citation, result.plan_note, result.doc = hit.citation, hit.plan_note, hit.doc
    result.confidence = round(best.probability, 3)
    result.passages = _supporting(hits, found.by_passage, best, threshold, passages)
    if best.target is not None and asked.years is None:
        _each_period(engine, checker, best.target, hits, result, passages)
    _add_generated(engine, result)
    return result


def _each_period(engine: SearchEngine, checker: Checker, chosen: Target, hits: list[Hit], result: Answer,
                 passages: int) -> None:
    """A figure the plan sets once per period, asked without a period: every period's, labelled, cited to
    each part and marked in its passage (`search.per_period`)."""
    periods = other_periods(chosen, checker.plan_targets(chosen.doc))
    if len(periods) < 2:
        return
    labelled = [_labelled(t).rstrip(".;") for t in periods]
    result.short = "; ".join([labelled[0], *(text[:1].lower() + text[1:] for text in labelled[1:])]) + "."
    result.citation = citation_of_parts(engine.index.documents[chosen.doc].meta, [(t.section, t.page) for t in periods])
    result.notes.append("Văn bản đặt chỉ tiêu này cho từng giai đoạn và câu hỏi không nêu giai đoạn nào, nên "
                        "câu trả lời nêu từng giai đoạn: " + "; ".join(t.period for t in periods) + ".")
    shown = {(p.hit.doc, p.hit.section_ordinal): p for p in result.passages}
    for target in periods:
        passage = shown.get((target.doc, target.section_ordinal))
        if passage is None:
            hit = next((h for h in hits if (h.doc, h.section_ordinal) == (target.doc, target.section_ordinal)), None)
            if hit is None:
                continue
            passage = SupportingPassage(hit, [])
            result.passages.insert(1, passage)
            shown[(hit.doc, hit.section_ordinal)] = passage
        start = passage.hit.text.find(target.sentence)
        if start >= 0:
            clause = AnswerSentence(start, start + len(target.sentence), target.sentence, 1.0)
            passage.sentences = disjoint([*passage.sentences, clause], passage.hit.text)
    del result.passages[passages:]


def _labelled(target: Target) -> str:
    """A target's clause with its period in front, unless the clause states it."""
    text = _LIST_MARKER.sub("", " ".join(target.sentence.split()))
    label = period_label(target)
    return f"{label}: {text}" if label and target.period not in text else text


def _answer_with_plans(engine: SearchEngine, result: Answer, filters: Filters, passages: int) -> bool:
    """`Những kế hoạch nào đề cập đến …?`: the plans that address the topic, as the topic view ranks them,
    each with its best evidence; False when none does."""
    found = plans_for_topic(engine, result.topic, filters)
    if not found.plans:
        return False
    labels = [plan.label for plan in found.plans]
    shown = "; ".join(labels[:TOPIC_PLANS]) + (f"; và {len(labels) - TOPIC_PLANS} văn bản khác"
                                               if len(labels) > TOPIC_PLANS else "")
    if result.topic == fold(result.topic) and found.read_as:  # typed without diacritics, or in English
        result.topic = found.read_as
    result.short = f"{len(labels)} văn bản đề cập chủ đề “{result.topic}”: {shown}."
    result.citation = "các văn bản nêu trên, mỗi văn bản ở đoạn dẫn bên dưới"
    result.doc = found.plans[0].doc
    result.notes.append("Danh sách đầy đủ, xếp hạng, kèm các văn bản chỉ nhắc đến chủ đề và tải về được, "
                        "ở thẻ “Theo chủ đề”.")
    result.passages = [SupportingPassage(plan.evidence[0], _evidence_marked(plan))
                       for plan in found.plans[:passages] if plan.evidence]
    return True


def _evidence_marked(plan: PlanMatch) -> list[AnswerSentence]:
    """The plan's best sentence in its first evidence passage, marked."""
    if not plan.sentences:
        return []
    start, end = plan.sentences[0]
    return [AnswerSentence(start, end, plan.evidence_sentence(0), 1.0)]


def _checker(engine: SearchEngine, query: Query, asked: Question) -> Checker:
    return Checker(engine.index, asked, {t for e in query.expansions if e.kind == ABBREVIATIONS for t in e.tokens})


def answer_candidates(engine: SearchEngine, question: str, filters: Filters = Filters(),
                      passages: int = PASSAGES) -> Candidates:
    """Every candidate sentence of a question with its evidence, before any model weighs it (for fitting)."""
    query = engine.parse(question)
    asked = understand(query)
    checker = _checker(engine, query, asked)
    hits = _with_whole_article(engine, checker, _candidate_passages(engine, query, filters, passages))
    return candidates(engine, query, asked, checker, hits)


def _answer_about_a_code(engine: SearchEngine, checker: Checker, hits: list[Hit], result: Answer) -> bool:
    """A question about a document known only from the plans that cite or implement it (`search.code_questions`)."""
    found = cited_date(engine, checker.question, hits) or implementing_plans(engine, checker)
    if found is None:
        return False
    result.short, result.citation, result.doc = found.short, found.citation, found.doc
    result.plan_note = engine.index.plan_note(found.doc)
    if found.hit is not None:
        result.passages = [SupportingPassage(found.hit, [])]
    return True


def _with_whole_article(engine: SearchEngine, checker: Checker, hits: list[Hit]) -> list[Hit]:
    """A criminal-law article found first is read whole: the clauses for its aggravated cases may lie in
    passages the ranking left out, and a question that names such a case is answered by them."""
    first = hits[0].doc
    if not checker.offense(first):
        return hits
    seen = {h.chunk_id for h in hits}
    rest = [h for h in engine.passages_of(first) if h.chunk_id not in seen]
    return hits + rest if len(rest) <= ARTICLE_PASSAGES else hits


def _candidate_passages(engine: SearchEngine, query: Query, filters: Filters, k: int) -> list[Hit]:
    """The ordinary top `k`, then what the heading-weighted ranking adds, without repeating a passage."""
    hits = engine.find(query, k, filters)
    seen = {h.chunk_id for h in hits}
    for hit in engine.find(query, HEADING_CANDIDATES, filters, mode="lexical", weights=HEADING_WEIGHTS):
        if hit.chunk_id not in seen:
            hits.append(hit)
            seen.add(hit.chunk_id)
    return hits


def candidates(engine: SearchEngine, query: Query, asked: Question, checker: Checker, hits: list[Hit]) -> Candidates:
    """Each passage's sentences, its paragraphs of several sentences, the whole passage when it is short,
    and, for a figure, its targets' clauses, with their features."""
    terms = query_terms(query, engine.index.bm25.searcher())
    question_terms = math.log1p(len(terms.folded) + len(terms.codes))
    out = []
    for rank, hit in enumerate(hits, start=1):
        passage = _Passage(engine, checker, terms, hit, rank)
        passage.features["question_terms"] = question_terms
        heading_lead = _heading_lead(hit, checker)
        spans = [(a, b, kind, lead, None) for a, b, kind, lead in _spans(hit.text, heading_lead)]
        if asked.focus is Focus.QUANTITY:
            spans += [(a, b, "target", "", target) for a, b, target in checker.targets_in(hit)]
        sentences = []
        for position, (a, b, kind, lead, target) in enumerate(spans):
            text = f"{lead} {hit.text[a:b].strip()}" if lead else hit.text[a:b].strip()
            features = passage.evidence(asked, checker, hit, a, b, _as_read(checker, hit.doc, text))
            features.update(defines=float(_defines(asked.defined, hit.text[a:b])), position=math.log1p(position),
                            target=float(kind == "target"),
                            paragraph=float(kind == "paragraph"), whole_passage=float(kind == "passage"),
                            item=float(kind == "item"))
            flags = checker.flags(text, features["agency"])
            features.update({name: 1.0 for name in flags})
            sentence = AnswerSentence(a, a + len(hit.text[a:b].rstrip()), text, 0.0)
            list_lead = _list_lead(asked, hit.text, a, b, kind, lead or heading_lead)
            listed = _whole_list(checker.stored_text(hit.doc), list_lead) if list_lead else ""
            sentences.append(Candidate(sentence, rank - 1, features, checker.veto(hit, text, target), flags,
                                       target, kind, listed=listed))
        out.append(sentences)
    found = Candidates(hits, out, engine.dense_text(query))
    for candidate in found.open:
        candidate.veto = checker.lacks_what_is_asked(found.answer_text(candidate), hits[candidate.passage].section)
    _veto_penalties_of_other_cases(found, query.text)
    if any(c.features["defines"] for c in found.open):  # asked what a term is, and a passage says it
        for candidate in found.open:
            candidate.veto = candidate.veto if candidate.features["defines"] else DEFINED_ELSEWHERE
    add_gaps([c.features for c in found.open], GAPS)
    return found


class _Passage:
    """What a passage's candidates share: its rank features and the analyzed context they are read in."""

    def __init__(self, engine: SearchEngine, checker: Checker, terms: QueryTerms, hit: Hit, rank: int):
        number = engine.index.documents[hit.doc].meta.number
        self.own = terms.without_codes({code_token(number)}) if number else terms
        self.unordered = self.own.unigrams()
        self.known = self.own.seen_pairs()
        head = checker.document_head(hit.doc)
        self.asks = self.known.beyond(head)
        self.about_document = self.asks.weight < DOCUMENT_SHARE * self.known.weight
        self.context = analyzed(f"{head} {hit.section}")
        self.section = analyzed(hit.section)
        self.leaf = _leaf_heading(hit.section)
        self.features = {"first_passage": float(rank == 1), "reciprocal_rank": 1 / rank,
                         "heading_candidate": float(rank > PASSAGES), "about_document": float(self.about_document),
                         "lexical_passage": 1 / hit.lexical_rank if hit.lexical_rank else 0.0,
                         "dense_passage": 1 / hit.dense_rank if hit.dense_rank else 0.0}

    def evidence(self, asked: Question, checker: Checker, hit: Hit, start: int, end: int, text: str) -> dict[str, float]:
        """The lexical, focus and agency features of one span of the passage."""
        own_text = analyzed(text)
        with_previous = analyzed(_with_previous(hit.text, start, end))
        in_context = _joined(self.context, with_previous)
        opens_unit = _opens_unit(asked, text, hit.section)
        if opens_unit:
            support = 1.0  # the part of the document the question names, asked for what it says
        elif self.about_document:
            support = self.known.coverage_of(in_context)
        else:
            support = self.asks.coverage_of(_joined(self.section, with_previous))
        return {**self.features, "coverage": self.own.coverage_of(own_text), "asks_coverage": self.asks.coverage_of(own_text),
                "unigram_coverage": self.unordered.coverage_of(own_text),
                "context_coverage": self.own.coverage_of(in_context), "support": support,
                "focus": focus_match(asked.focus, text, self.leaf), "agency": checker.agency_fit(hit.section, text),
                "unit": float(opens_unit),
                "heading_line": float(fold(split_marker(text)[1].strip(" .:")) == fold(self.leaf.strip(" .:"))),
                "lead_in": float(text.rstrip().endswith(":")), "words": math.log1p(len(text.split()))}


def _spans(text: str, heading_lead: str = "") -> list[tuple[int, int, str, str]]:
    """(start, end, kind, lead) of each sentence; each list item under a lead-in that ends with `:`, read
    with its lead-in (`Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 02 năm đến 05
    năm: a) Dẫn đến nạn nhân tự sát;`), `heading_lead` being that of the items the passage opens with;
    each paragraph of several sentences; and the whole passage when it has several paragraphs, as long as
    the last two fit a short answer."""
    sentences = sentence_spans(text)
    out = [(a, b, "sentence", "") for a, b in sentences]
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    lead, items = heading_lead, None  # the lead-in, and the kind of marker its items have
    for a, b in lines:
        line = text[a:b].strip()
        marker = _marker_kind(line)
        if lead and marker and marker != _marker_kind(lead) and items in (None, marker):
            out.append((a, b, "item", lead))
            items = marker
        else:
            lead = line if line.endswith(":") and len(line.split()) <= MAX_ANSWER_WORDS else ""
            items = None
        inside = sum(1 for s, e in sentences if a <= s and e <= b + 1)
        if inside > 1 and len(text[a:b].split()) <= MAX_ANSWER_WORDS:
            out.append((a, b, "paragraph", ""))
    if len(lines) > 1 and len(text.split()) <= MAX_ANSWER_WORDS:
        out.append((lines[0][0], lines[-1][1], "passage", ""))
    return out


def _veto_penalties_of_other_cases(found: Candidates, question: str) -> None:
    """A question that names a case an aggravated clause of a criminal-law article lists (`… dẫn đến nạn
    nhân tự sát` for `h) Làm nạn nhân tự sát.`) is not answered by a clause of that article whose penalty is
    for other cases (the first clause's, for the offense without them): its penalty does not apply."""
    asked = set(analyzed(question).folded)
    named: dict[str, list[str]] = {}
    for candidate in found.open:
        if candidate.kind != "item" or not _AGGRAVATED.match(candidate.sentence.text):
            continue
        hit = found.hits[candidate.passage]
        case = split_marker(hit.text[candidate.sentence.start:candidate.sentence.end].strip())[1]
        pairs = [t for t in analyzed(case).folded if "_" in t]
        if len(pairs) >= 2 and sum(t in asked for t in pairs) >= CASE_NAMED * len(pairs):
            named.setdefault(hit.doc, []).append(case)
    for candidate in found.open:
        cases = named.get(found.hits[candidate.passage].doc, [])
        text = candidate.sentence.text
        if cases and _PENALTY_CLAUSE.match(text) and not any(case in text for case in cases):
            candidate.veto = f"câu hỏi nêu trường hợp “{cases[0].rstrip(' .;')}”, mà mức phạt ở đây dành cho trường hợp khác."


def _list_lead(asked: Question, text: str, start: int, end: int, kind: str, lead: str) -> str:
    """The lead-in whose whole list answers for the span `start:end` of a passage's `text`: the span's own
    when it is one (it says nothing without its items); when the question asks for what a list gives
    (`trong trường hợp nào`), the lead-in of the list the span lies within or opens."""
    span = text[start:end].strip()
    if kind == "sentence" and span.endswith(":"):
        return span
    if not asked.lists or kind == "target":
        return ""
    lines = [line.strip() for line in text[text.rfind("\n", 0, start) + 1:end].split("\n") if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        lead, lines = lines[0], lines[1:]
    kinds = {_marker_kind(line) for line in lines}
    return lead if lead and len(kinds) == 1 and None not in kinds and _marker_kind(lead) not in kinds else ""


def _whole_list(document: str, lead: str) -> str:
    """The line of `document` that holds `lead` and ends with a colon, with the items that follow it (lines
    with one kind of marker, `a)`, `b)`, …), one per line: as many as fit MAX_LIST_WORDS, `…` after them
    when more follow; empty when the document writes no such list there."""
    at = document.find(lead.strip())
    if at < 0:
        return ""
    start, end = document.rfind("\n", 0, at) + 1, document.find("\n", at)
    line = document[start:end].strip()
    if end < 0 or not line.endswith(":"):
        return ""
    parts, kind = [line], None
    for item in filter(None, (line.strip() for line in document[end:].split("\n"))):
        mark = _marker_kind(item)
        if mark is None or mark == _marker_kind(parts[0]) or kind not in (None, mark):
            break
        if len(" ".join([*parts, item]).split()) > MAX_LIST_WORDS:
            parts.append("…")
            break
        parts.append(item)
        kind = mark
    return "\n".join(" ".join(part.split()) for part in parts) if len(parts) > 1 and parts[1] != "…" else ""


def _defines(term: str | None, text: str) -> bool:
    """Whether `text` opens by saying what the term asked about is (`Việc làm là hoạt động …`)."""
    if not term:
        return False
    opening = " ".join(fold(_LIST_MARKER.sub("", text.strip(), count=1)).lower().split())
    return re.match(rf"{re.escape(term)} (?:la|duoc hieu la)\b", opening) is not None


def _as_read(checker: Checker, doc: str, text: str) -> str:
    """A clause of a criminal-law article that opens `Phạm tội …` (an aggravated case) is read with the
    offense the article's first clause names: it is that offense, so committed."""
    if not _AGGRAVATED.match(text):
        return text
    offense = checker.offense(doc)
    return f"{offense} {text}" if offense else text


def _heading_lead(hit: Hit, checker: Checker) -> str:
    """The lead-in of the list items a passage opens with when a chunk boundary left it in the heading path:
    the deepest heading with another kind of marker (`2. Phạm tội thuộc một trong các trường hợp sau đây,
    thì bị phạt tù từ 02 năm đến 05 năm` above `b) Đối với chỉ huy …`), read whole from the document when
    it writes it as a lead-in, with a colon (an agency's name above its duties is not one)."""
    kind = _marker_kind(hit.text.lstrip().split("\n", 1)[0])
    if kind is None:
        return ""
    for heading in reversed(hit.section.split(SECTION_SEPARATOR) if hit.section else []):
        if _marker_kind(heading.strip()) != kind:
            lead = checker.lead_in(hit.doc, heading)
            return lead if len(lead.split()) <= MAX_ANSWER_WORDS else ""
    return ""


def _marker_kind(line: str) -> str | None:
    """`digit` for `2.`, `letter` for `a)`, `dash` for `-`; None for a line without a list marker."""
    match = _LIST_MARKER.match(line)
    if not match:
        return None
    mark = match.group(0).strip()
    return "digit" if mark[0].isdigit() else "letter" if mark[0].isalpha() else "dash"


def _joined(first: Analyzed, second: Analyzed) -> Analyzed:
    return Analyzed(first.exact + second.exact, first.folded + second.folded, first.codes + second.codes)


def weigh(engine: SearchEngine, found: Candidates, model: AnswerModel) -> float:
    """Each open candidate's probability of answering: the first model for all, then the embedding similarity
    for the first model's best EMBEDDED, the ranker's score and the final model's probability for those.
    Returns the threshold that applies."""
    pool = found.open
    first = model.first.probabilities(model.first.rows([c.features for c in pool]))
    for candidate, p in zip(pool, first):
        candidate.probability = candidate.sentence.score = candidate.rank_score = float(p)
    if not model.reads_similarities_of(engine.settings.model):
        return model.first_threshold
    top = sorted(pool, key=lambda c: -c.probability)[:EMBEDDED]
    add_similarities(engine, found, top)
    rows = model.final.rows([c.features for c in top])
    for candidate, p, rank in zip(top, model.final.probabilities(rows), model.ranker.probabilities(rows)):
        candidate.probability = candidate.sentence.score = float(p)
        candidate.rank_score, candidate.embedded = float(rank), True
    return model.threshold


def add_similarities(engine: SearchEngine, found: Candidates, chosen: list[Candidate]) -> None:
    """The multilingual model's similarity of the question to each chosen sentence read under its heading,
    and its gap to the best of them."""
    if not chosen:
        return
    texts = [" ".join(f"{_leaf_heading(found.hits[c.passage].section)}: {c.sentence.text}".split()[:SIMILARITY_WORDS])
             for c in chosen]
    similarity = _similarities(engine, found.dense_text, texts)
    for candidate, value in zip(chosen, similarity):
        candidate.features["similarity"] = float(value)
    add_gaps([c.features for c in chosen], ("similarity",))


def _opens_unit(asked: Question, sentence: str, section: str) -> bool:
    """Whether the sentence, or the heading it sits under, opens with a numbered part the question names
    (`Chương trình 5: Đổi mới chính sách …` for `Chương trình 5 có nội dung gì?`)."""
    leaf = fold(section.rsplit(" › ", 1)[-1]) if section else ""
    opening = fold(_LIST_MARKER.sub("", sentence.lstrip()))
    return any(opening.startswith(unit) or leaf.startswith(unit) for unit in asked.units)


def _with_previous(text: str, start: int, end: int) -> str:
    """The sentence with the clause before it in the same paragraph: `Phải xác định đây là ...` is about
    what the clause before it names."""
    paragraph_start = text.rfind("\n", 0, start) + 1
    return text[max(paragraph_start, start - 200):end]


def _supporting(hits: list[Hit], scored: list[list[Candidate]], best: Candidate, threshold: float,
                passages: int) -> list[SupportingPassage]:
    """The answer's passage first, then the other passages in rank order, one card per section, each with
    the sentences marked that would answer as well: weighed by the final model, as likely as the answer's
    bar, and among the most likely of their passage."""
    order = [best.passage] + [n for n in range(len(hits)) if n != best.passage]
    out, sections = [], set()
    for n in order:
        key = (hits[n].doc, hits[n].section_ordinal)
        if key in sections or len(out) >= passages:
            continue
        sections.add(key)
        valid = [c.sentence for c in scored[n] if c.veto is None and c.kind in ("sentence", "target")
                 and (c is best or (c.embedded and c.probability >= threshold))]
        top = max((s.score for s in valid), default=0.0)
        marked = [s for s in valid if s.score >= max(MARK_RATIO * top, MIN_MARK_SCORE)]
        out.append(SupportingPassage(hits[n], disjoint(marked, hits[n].text)))
    return out


def disjoint(sentences: list[AnswerSentence], text: str) -> list[AnswerSentence]:
    """The marked spans of `text` in text order, overlapping ones merged: a target's clause lies within its
    sentence, and a card shows each piece of its passage once."""
    out: list[AnswerSentence] = []
    for sentence in sorted(sentences, key=lambda s: (s.start, s.end)):
        last = out[-1] if out else None
        if last is not None and sentence.start < last.end:
            end = max(last.end, sentence.end)
            out[-1] = AnswerSentence(last.start, end, text[last.start:end], max(last.score, sentence.score))
        else:
            out.append(sentence)
    return out


def _abstain_reason(found: Candidates, untranslated: tuple[str, ...]) -> str:
    """Why the most likely sentence does not answer: its veto or its first flag, else that none says enough;
    for an English question, the words the glossary does not know and left out."""
    every = [c for sentences in found.by_passage for c in sentences]
    top = max(found.open, key=lambda c: c.probability, default=None)
    if top is None and every:
        top = max(every, key=lambda c: (c.features["support"], c.features["coverage"]))
    problem = top and (top.veto or next(iter(top.flags.values()), None))
    reason = f"Các văn bản đã lập chỉ mục không trả lời câu hỏi này: {problem or NOT_ENOUGH}"
    if untranslated:
        reason += (f" Câu hỏi tiếng Anh có từ chưa có trong bảng thuật ngữ, đã bị bỏ qua ({', '.join(untranslated)}): "
                   "hỏi bằng tiếng Việt có thể cho kết quả khác.")
    return reason


def _answer_from_document(engine: SearchEngine, checker: Checker, hits: list[Hit], result: Answer) -> bool:
    """A question about a document's own date or signer, from its header or its signature block."""
    doc = checker.document_asked(hits)
    if doc is None:
        return False
    found = checker.document_fact(doc, result.understood.document_fact)
    if found is None:
        return False
    result.short, result.citation = found
    result.doc, result.plan_note = doc, engine.index.plan_note(doc)
    return True


def _add_generated(engine: SearchEngine, result: Answer) -> None:
    settings = engine.settings
    if settings.llm_url:
        result.notes.append(f"Câu hỏi và các đoạn trích được gửi tới {settings.llm_url} để viết câu trả lời tổng "
                            f"hợp (địa chỉ đặt bởi {settings.llm_url_source or 'cấu hình'}).")
    try:
        result.generated = generate_answer(engine.settings, result.question,
                                           [(p.hit.citation, p.hit.text) for p in result.passages])
    except GenerationFailed as error:
        result.notes.append(f"Không tạo được câu trả lời tổng hợp: {error}")


def _similarities(engine: SearchEngine, question: str, texts: list[str]) -> np.ndarray:
    return engine.embedder.embed_passages(texts) @ engine.query_vector(question)


def _short_answer(hit: Hit, sentence: AnswerSentence) -> str:
    """The clause widened to its whole sentence (clauses end at `;`, sentences at `.`), without its list
    marker unless it runs over several numbered lines (`1. … 2. …`); a lead-in that ends with `:` takes the
    line after it. Under an agency's heading (`3. Sở Tài chính`) the agency is named first, since the
    sentence leaves it out."""
    text = hit.text
    start = max(text.rfind("\n", 0, sentence.start) + 1, _last_sentence_end(text, sentence.start))
    end = _sentence_end(text, sentence.end)
    if text[sentence.start:end].rstrip().endswith(":"):
        end = _sentence_end(text, end + 1)
    whole = text[start:end].strip()
    short = whole if len(whole.split()) <= MAX_ANSWER_WORDS else sentence.text
    numbered = sum(1 for line in short.split("\n") if _marker_kind(line.strip())) > 1
    flat = " ".join(short.split())
    return _with_agency(hit, flat if numbered else _LIST_MARKER.sub("", flat))


def _with_agency(hit: Hit, short: str) -> str:
    agency = _agency_heading(hit.section, hit.title or "")
    return f"{agency}: {short}" if agency and fold(agency) not in fold(short) else short


def _target_answer(best: Candidate, passage: list[Candidate]) -> str:
    """A target's clause, with its period in front when the clause does not state it alone; when the clause
    sets several targets, the one asked for first (`Đến năm 2030: đạt 98% — Tỷ lệ … đạt 95% vào năm 2025,
    đạt 98% vào năm 2030.`)."""
    target = best.target
    text = _LIST_MARKER.sub("", " ".join(best.sentence.text.split()))
    shared = sum(1 for c in passage if c.target and c.target.sentence == target.sentence)
    label = period_label(target)
    if shared > 1:
        unit = target.unit if target.unit == "%" else f" {target.unit}"
        return f"{label + ': ' if label else ''}{target.comparator} {target.value_text}{unit} — {text}"
    return f"{label}: {text}" if label and target.period not in text else text


def _last_sentence_end(text: str, position: int) -> int:
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, position)]
    return ends[-1] if ends else 0


def _sentence_end(text: str, position: int) -> int:
    at_line_start = position == 0 or text[position - 1:position] == "\n"
    if at_line_start and (marker := _MARKER_AHEAD.match(text, position)):  # `1. ` opening a line ends nothing
        position = marker.end()
    line_end = _line_end(text, position)
    match = _CLAUSE_END.search(text, max(position - 2, 0), line_end)
    return match.end() if match else line_end


def _line_end(text: str, position: int) -> int:
    """Where the line from `position` ends; a line a scan broke mid-sentence (`các trường phô\nthông …`: the
    next one opens in lower case) runs on."""
    end = text.find("\n", position)
    while 0 <= end < len(text) - 1 and text[end + 1].islower():
        end = text.find("\n", end + 1)
    return len(text) if end < 0 else end


def _agency_heading(section: str, title: str = "") -> str:
    """The deepest heading of the path that names an agency (`Sở Tài chính`), without its marker, or whose
    duties it lists (`Trách nhiệm của Bộ Quốc phòng`, the document's title too: a law article's); an
    article's title (`Điều 3. Hội đồng tuyển sinh`) otherwise names its subject, not an agency."""
    for heading in reversed(section.split(" › ") if section else []):
        name = split_marker(heading)[1].strip().rstrip(".:;").strip()
        if duties := _duties_of(name):
            return duties
        if not _ARTICLE.match(heading) and AGENCY_HEADING.match(name):
            return name
    return _duties_of(title)


def _duties_of(heading: str) -> str:
    """The agency whose duties a heading lists: `Trách nhiệm của Bộ Quốc phòng` -> `Bộ Quốc phòng`."""
    match = _DUTIES.search(" ".join(heading.split()))
    return match.group(1).rstrip(".:;") if match and AGENCY_HEADING.match(match.group(1)) else ""


def _leaf_heading(section: str) -> str:
    return split_marker(section.rsplit(" › ", 1)[-1])[1] if section else ""
