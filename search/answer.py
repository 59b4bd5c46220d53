"""Extractive answers: in each top passage, the sentences that best answer the question, and the best of
them all as the short answer, with its citation. No text is generated here.

A sentence's score combines
- lexical coverage: the IDF-weighted share of the question's content terms it contains (folded and exact,
  see `search.terms`), mostly from the sentence itself and partly with its heading path, so that a
  sentence under `3. Sở Tài chính` answers a question about the Department of Finance;
- embedding similarity between question and sentence, weighted by how much the model's profile trusts it
  on Vietnamese;
- the question's focus: `bao nhiêu`, `tỷ lệ`, `phần trăm` pull towards sentences with figures, `khi nào`,
  `giai đoạn nào` towards dates and periods, `Sở nào`, `cơ quan nào` towards sentences in or naming an
  agency (`3. Sở Tài chính`);
- a small prior for the passage's retrieval rank.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import Enum

import numpy as np

from indexer.normalize import find_codes, fold
from indexer.sections import split_marker
from indexer.sentences import sentence_spans
from search.crossref import CodeReference, references
from search.engine import Hit, SearchEngine
from search.generate import GeneratedAnswer, GenerationFailed, generate_answer
from search.query import Filters, query_notes
from search.terms import QueryTerms, query_terms

PASSAGES = 5
CONTEXT_SHARE = 0.3  # share of lexical coverage computed with the heading path in front of the sentence
FOCUS_BONUS = 0.2
RANK_PRIOR = 0.1  # added as RANK_PRIOR / rank of the passage
MARK_RATIO = 0.75  # a sentence is marked as answering when it scores this share of its passage's best
MIN_MARK_SCORE = 0.25
SHORT_SENTENCE = 6  # syllables; a shorter best sentence is extended with the next one


class Focus(Enum):
    NONE = "none"
    QUANTITY = "quantity"
    TIME = "time"
    AGENCY = "agency"


_QUANTITY_CUES = re.compile(r"\b(bao nhieu|ty le|ti le|phan tram|so luong|how many|how much|percent\w*|rate)\b|%")
_TIME_CUES = re.compile(r"\b(khi nao|bao gio|luc nao|nam nao|thang nao|ngay nao|giai doan nao|thoi gian nao|"
                        r"thoi diem nao|thoi han|when|which year|what year|deadline)\b")
_AGENCY_CUES = re.compile(r"\b(so|phong|ban|bo|co quan|don vi|nganh|cap|to chuc) nao\b|\bai\b|\bwho\b|"
                          r"\bwhich (department|agency|office|body)\b")
_AGENCY = re.compile(r"\b(?:Sở|Phòng|Ban|Bộ|Ủy ban|Uỷ ban|UBND|HĐND|Văn phòng|Công an|Bộ Chỉ huy|Đài|Báo|"
                     r"Liên đoàn|Hội|Tỉnh đoàn|Thành đoàn|Huyện đoàn|Mặt trận|Trường)\s+[A-ZĐÂĂÊÔƠƯ]")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%|phần trăm", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w/-])\d+(?:[.,]\d+)*(?![\w/-])")
_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\btháng\s+\d{1,2}\b|\bngày\s+\d{1,2}\b|\b\d{1,2}/\d{4}\b|\bgiai đoạn\b|"
                   r"\bquý\s+[IV\d]+", re.IGNORECASE)


def question_focus(question: str) -> Focus:
    folded = fold(question)
    if _TIME_CUES.search(folded):
        return Focus.TIME
    if _QUANTITY_CUES.search(folded):
        return Focus.QUANTITY
    if _AGENCY_CUES.search(folded):
        return Focus.AGENCY
    return Focus.NONE


def focus_match(focus: Focus, sentence: str, heading: str = "") -> float:
    """1 when the sentence (or, for an agency, its own heading) carries what the focus asks for, 0.5 for a
    weaker match, else 0."""
    if focus is Focus.AGENCY:
        return 1.0 if _AGENCY.match(heading) else 0.5 if _AGENCY.search(sentence) else 0.0
    if focus is Focus.QUANTITY:
        return 1.0 if _PERCENT.search(sentence) else 0.5 if _NUMBER.search(sentence) else 0.0
    if focus is Focus.TIME:
        return 1.0 if _TIME.search(sentence) else 0.0
    return 0.0


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
    short: str | None  # the best sentence overall; None when nothing answers
    citation: str | None
    passages: list[SupportingPassage]
    plan_note: str = ""  # period and status of the short answer's plan (search.cite.plan_note)
    focus: Focus = Focus.NONE
    notes: list[str] = field(default_factory=list)
    references: list[CodeReference] = field(default_factory=list)  # plans bearing or citing a code asked about
    generated: GeneratedAnswer | None = None  # only with an answer endpoint configured

    def to_json(self) -> dict:
        return {"question": self.question, "short_answer": self.short, "citation": self.citation,
                "plan_note": self.plan_note, "focus": self.focus.value, "notes": self.notes,
                "references": [asdict(r) for r in self.references],
                "generated": asdict(self.generated) if self.generated else None,
                "passages": [p.to_json() for p in self.passages]}


def answer(engine: SearchEngine, question: str, filters: Filters = Filters(), passages: int = PASSAGES) -> Answer:
    query = engine.parse(question)
    result = Answer(question, None, None, [], focus=question_focus(query.text), notes=query_notes(query))
    result.references = references(engine.index.documents, find_codes(query.text))
    hits = engine.find(query, passages, filters)
    if not hits:
        return result
    scored = _score_sentences(engine, query.text, query_terms(query, engine.index.bm25.searcher()),
                              result.focus, hits)
    best: tuple[float, int, AnswerSentence] | None = None
    for n, (hit, sentences) in enumerate(zip(hits, scored)):
        top = max(sentences, key=lambda s: s.score, default=None)
        marked = [s for s in sentences if top and s.score >= max(MARK_RATIO * top.score, MIN_MARK_SCORE)]
        result.passages.append(SupportingPassage(hit, marked))
        if top and (best is None or top.score > best[0]):
            best = (top.score, n, top)
    if best is not None and best[0] >= MIN_MARK_SCORE:
        _, n, sentence = best
        result.short, result.citation = _short_answer(hits[n], sentence, scored[n]), hits[n].citation
        result.plan_note = hits[n].plan_note
    _add_generated(engine, result)
    return result


def _add_generated(engine: SearchEngine, result: Answer) -> None:
    try:
        result.generated = generate_answer(engine.settings, result.question,
                                           [(p.hit.citation, p.hit.text) for p in result.passages])
    except GenerationFailed as error:
        result.notes.append(f"Không tạo được câu trả lời tổng hợp: {error}")


def _score_sentences(engine: SearchEngine, question: str, terms: QueryTerms, focus: Focus,
                     hits: list[Hit]) -> list[list[AnswerSentence]]:
    spans = [sentence_spans(hit.text) for hit in hits]
    texts = [hit.text[a:b].strip() for hit, hit_spans in zip(hits, spans) for a, b in hit_spans]
    similarity = _similarities(engine, question, texts)
    dense_share = engine.profile.sentence_dense_weight
    out, n = [], 0
    for rank, (hit, hit_spans) in enumerate(zip(hits, spans), start=1):
        leaf = _leaf_heading(hit.section)
        sentences = []
        for a, b in hit_spans:
            text = hit.text[a:b].strip()
            lexical = (1 - CONTEXT_SHARE) * terms.coverage(text) + CONTEXT_SHARE * terms.coverage(f"{hit.section} {text}")
            score = ((1 - dense_share) * lexical + dense_share * max(float(similarity[n]), 0.0)
                     + FOCUS_BONUS * focus_match(focus, text, leaf) + RANK_PRIOR / rank)
            sentences.append(AnswerSentence(a, a + len(hit.text[a:b].rstrip()), text, round(score, 4)))
            n += 1
        out.append(sentences)
    return out


def _similarities(engine: SearchEngine, question: str, texts: list[str]) -> np.ndarray:
    if not texts or engine.profile.sentence_dense_weight <= 0:
        return np.zeros(len(texts), dtype=np.float32)
    return engine.embedder.embed_passages(texts) @ engine.query_vector(question)


def _short_answer(hit: Hit, sentence: AnswerSentence, sentences: list[AnswerSentence]) -> str:
    """The best sentence; when it is only a few words (a list lead-in), the sentence after it too. Under an
    agency's own heading (`3. Sở Tài chính`) the agency is named first, since the sentence leaves it out."""
    text = sentence.text
    if len(text.split()) < SHORT_SENTENCE:
        following = [s for s in sentences if s.start >= sentence.end]
        text = hit.text[sentence.start:following[0].end].strip() if following else text
    leaf = _leaf_heading(hit.section)
    return f"{leaf}: {text}" if _AGENCY.match(leaf) and leaf not in text else text


def _leaf_heading(section: str) -> str:
    return split_marker(section.rsplit(" › ", 1)[-1])[1] if section else ""
