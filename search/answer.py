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

import re
from dataclasses import asdict, dataclass, field

import numpy as np

from vietnamese.normalize import code_token, fold
from indexer.sections import split_marker
from indexer.targets import Target
from vietnamese.sentences import sentence_spans
from search.constraints import AGENCY_HEADING, Checker, focus_match
from search.lineage import CodeReference, references
from search.engine import Hit, SearchEngine
from search.generate import GeneratedAnswer, GenerationFailed, generate_answer
from search.lexical import FieldWeights
from search.lexicon import ABBREVIATIONS
from indexer.facets import Filters
from search.query import Query, query_details, query_notes
from search.question import Focus, Question, understand
from search.terms import QueryTerms, query_terms

PASSAGES = 5
HEADING_CANDIDATES = 5  # passages added from the ranking that weighs heading paths fully
HEADING_WEIGHTS = FieldWeights(context=1.0)
CONTEXT_SHARE = 0.3  # share of lexical coverage computed with the heading path in front of the sentence
FOCUS_BONUS = 0.2
AGENCY_BONUS = 0.3  # the sentence sits under the heading of the agency the question names
UNIT_BONUS = 0.5  # the sentence (or its heading) opens with the numbered part the question names
RANK_PRIOR = 0.1  # added as RANK_PRIOR / rank of the passage
MARK_RATIO = 0.75  # a sentence is marked as answering when it scores this share of its passage's best
MIN_MARK_SCORE = 0.25
SUPPORT = 0.45  # share of the question's content a short answer must carry, with its heading path and title
DOCUMENT_SHARE = 0.3  # a question whose words are mostly in a document's title and opening is about it
MAX_ANSWER_WORDS = 80  # a clause is widened to its whole sentence up to this length
_MARKER_AHEAD = re.compile(r"[ \t]*(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))[ \t]+")
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+\d+")
_LIST_MARKER = re.compile(r"^\s*(?:[-–•+*]|[a-zđ]\)|\d{1,2}[.)])\s+")
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

    def to_json(self) -> dict:
        return {"question": self.question, "read_as": self.read_as, "short_answer": self.short, "citation": self.citation,
                "doc": self.doc, "reason": self.reason, "plan_note": self.plan_note, "focus": self.focus.value,
                "understood": self.understood.to_json() if self.understood else None, "notes": self.notes, "details": self.details,
                "references": [asdict(r) for r in self.references],
                "generated": asdict(self.generated) if self.generated else None,
                "passages": [p.to_json() for p in self.passages]}


@dataclass
class _Candidate:
    sentence: AnswerSentence
    passage: int  # index into the hits
    support: float
    problem: str | None  # why this sentence cannot answer, when it cannot
    target: Target | None = None  # the extracted target whose clause this is


def answer(engine: SearchEngine, question: str, filters: Filters = Filters(), passages: int = PASSAGES) -> Answer:
    query = engine.parse(question)
    asked = understand(query)
    result = Answer(question, None, None, [], focus=asked.focus, notes=query_notes(query),
                    details=query_details(query), understood=asked,
                    read_as=query.meaning_text)
    result.references = references(engine.index.lineage, list(asked.codes))
    hits = _candidate_passages(engine, query, filters, passages)
    if not hits:
        result.reason = "Không có đoạn văn bản nào khớp với câu hỏi."
        return result
    checker = Checker(engine.index, asked, {t for e in query.expansions if e.kind == ABBREVIATIONS for t in e.tokens})
    if asked.document_fact and _answer_from_document(engine, checker, hits, result):
        result.passages = [SupportingPassage(h, []) for h in hits[:passages]]
        return result
    terms = query_terms(query, engine.index.bm25.searcher())
    scored = _score_sentences(engine, query.text, terms, asked, checker, hits)
    candidates = [c for sentences in scored for c in sentences]
    valid = [c for c in candidates if c.problem is None]
    best = max(valid, key=lambda c: c.sentence.score, default=None)
    if best is None or best.sentence.score < MIN_MARK_SCORE or best.support < SUPPORT:
        result.reason = _abstain_reason(candidates)
        result.passages = [SupportingPassage(h, []) for h in hits[:passages]]
        return result
    hit = hits[best.passage]
    result.short = _target_answer(best, scored[best.passage]) if best.target else _short_answer(hit, best.sentence)
    result.citation, result.plan_note, result.doc = hit.citation, hit.plan_note, hit.doc
    result.passages = _supporting(hits, scored, best.passage, passages)
    _add_generated(engine, result)
    return result


def _candidate_passages(engine: SearchEngine, query: Query, filters: Filters, k: int) -> list[Hit]:
    """The ordinary top `k`, then what the heading-weighted ranking adds, without repeating a passage."""
    hits = engine.find(query, k, filters)
    seen = {h.chunk_id for h in hits}
    for hit in engine.find(query, HEADING_CANDIDATES, filters, mode="lexical", weights=HEADING_WEIGHTS):
        if hit.chunk_id not in seen:
            hits.append(hit)
            seen.add(hit.chunk_id)
    return hits


def _score_sentences(engine: SearchEngine, question: str, terms: QueryTerms, asked: Question, checker: Checker,
                     hits: list[Hit]) -> list[list[_Candidate]]:
    spans = [sentence_spans(hit.text) for hit in hits]
    texts = [hit.text[a:b].strip() for hit, hit_spans in zip(hits, spans) for a, b in hit_spans]
    similarity = _similarities(engine, question, texts)
    dense_share = engine.profile.sentence_dense_weight
    out, n = [], 0
    for rank, (hit, hit_spans) in enumerate(zip(hits, spans), start=1):
        number = engine.index.documents[hit.doc].meta.number
        own = terms.without_codes({code_token(number)}) if number else terms
        context = f"{checker.document_head(hit.doc)} {hit.section}"
        known = own.seen_pairs()
        asks = known.beyond(checker.document_head(hit.doc))
        about_document = asks.weight < DOCUMENT_SHARE * known.weight
        sentences = []
        targets = checker.targets_in(hit) if asked.focus is Focus.QUANTITY else []
        for a, b, target in [(a, b, None) for a, b in hit_spans] + targets:
            text = hit.text[a:b].strip()
            agency = checker.agency_fit(hit.section, text)
            lexical = ((1 - CONTEXT_SHARE) * own.coverage(text)
                       + CONTEXT_SHARE * own.coverage(f"{context} {_with_previous(hit.text, a, b)}"))
            similar = float(similarity[n]) if target is None else 0.0
            score = ((1 - dense_share) * lexical + dense_share * max(similar, 0.0)
                     + FOCUS_BONUS * focus_match(asked.focus, text, _leaf_heading(hit.section))
                     + AGENCY_BONUS * max(agency, 0.0) + RANK_PRIOR / min(rank, PASSAGES))
            opens_unit = _opens_unit(asked, text, hit.section)
            score += UNIT_BONUS * opens_unit
            sentence = AnswerSentence(a, a + len(hit.text[a:b].rstrip()), text, round(score, 4))
            if opens_unit:
                support = 1.0  # the part of the document the question names, asked for what it says
            elif about_document:
                support = known.coverage(f"{context} {_with_previous(hit.text, a, b)}")
            else:
                support = asks.coverage(f"{hit.section} {_with_previous(hit.text, a, b)}")
            sentences.append(_Candidate(sentence, rank - 1, support, checker.problem(hit, text, agency, target),
                                        target))
            n += 1 if target is None else 0
        out.append(sentences)
    return out


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


def _supporting(hits: list[Hit], scored: list[list[_Candidate]], best: int, passages: int) -> list[SupportingPassage]:
    """The answer's passage first, then the other passages in rank order, one card per section, each with
    its answering sentences marked."""
    order = [best] + [n for n in range(len(hits)) if n != best]
    out, sections = [], set()
    for n in order:
        key = (hits[n].doc, hits[n].section_ordinal)
        if key in sections or len(out) >= passages:
            continue
        sections.add(key)
        valid = [c.sentence for c in scored[n] if c.problem is None]
        top = max((s.score for s in valid), default=0.0)
        marked = [s for s in valid if s.score >= max(MARK_RATIO * top, MIN_MARK_SCORE)]
        out.append(SupportingPassage(hits[n], marked))
    return out


def _abstain_reason(candidates: list[_Candidate]) -> str:
    """The problem of the best-scoring sentence when it had one, else that no sentence says enough."""
    top = max(candidates, key=lambda c: c.sentence.score, default=None)
    if top is not None and top.problem:
        return f"Các văn bản đã lập chỉ mục không trả lời câu hỏi này: {top.problem}"
    return "Các văn bản đã lập chỉ mục không trả lời câu hỏi này: không đoạn nào nói đủ về điều được hỏi."


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
    if not texts or engine.profile.sentence_dense_weight <= 0:
        return np.zeros(len(texts), dtype=np.float32)
    return engine.embedder.embed_passages(texts) @ engine.query_vector(question)


def _short_answer(hit: Hit, sentence: AnswerSentence) -> str:
    """The clause widened to its whole sentence (clauses end at `;`, sentences at `.`), without its list
    marker; a lead-in that ends with `:` takes the line after it. Under an agency's heading (`3. Sở Tài
    chính`) the agency is named first, since the sentence leaves it out."""
    text = hit.text
    start = max(text.rfind("\n", 0, sentence.start) + 1, _last_sentence_end(text, sentence.start))
    end = _sentence_end(text, sentence.end)
    if text[sentence.start:end].rstrip().endswith(":"):
        end = _sentence_end(text, end + 1)
    whole = text[start:end].strip()
    short = whole if len(whole.split()) <= MAX_ANSWER_WORDS else sentence.text
    short = _LIST_MARKER.sub("", " ".join(short.split()))
    agency = _agency_heading(hit.section)
    return f"{agency}: {short}" if agency and fold(agency) not in fold(short) else short


def _target_answer(best: _Candidate, passage: list[_Candidate]) -> str:
    """A target's clause, with its period in front when the clause does not state it alone; when the clause
    sets several targets, the one asked for first (`Đến năm 2030: đạt 98% — Tỷ lệ … đạt 95% vào năm 2025,
    đạt 98% vào năm 2030.`)."""
    target = best.target
    text = _LIST_MARKER.sub("", " ".join(best.sentence.text.split()))
    shared = sum(1 for c in passage if c.target and c.target.sentence == target.sentence)
    label = f"{'Giai đoạn' if target.year_from else 'Đến năm'} {target.period}" if target.period else ""
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
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    match = _CLAUSE_END.search(text, max(position - 2, 0), line_end)
    return match.end() if match else line_end


def _agency_heading(section: str) -> str:
    """The deepest heading of the path that names an agency (`Sở Tài chính`), without its marker; an
    article's title (`Điều 3. Hội đồng tuyển sinh`) names its subject, not an agency."""
    for heading in reversed(section.split(" › ") if section else []):
        if _ARTICLE.match(heading):
            continue
        name = split_marker(heading)[1].strip().rstrip(".:;").strip()
        if AGENCY_HEADING.match(name):
            return name
    return ""


def _leaf_heading(section: str) -> str:
    return split_marker(section.rsplit(" › ", 1)[-1])[1] if section else ""
