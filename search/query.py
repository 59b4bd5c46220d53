"""A user's question, analyzed once for both retrieval sides (its filters are `indexer.facets.Filters`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vietnamese.normalize import Analyzed, analyze, clean_display, fold, has_diacritics, without_codes

MAX_QUERY_CHARS = 500  # a longer question is shortened to this before it is searched
MAX_INPUT_CHARS = 5000  # a longer input is refused before any work, on every route
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A document code typed in lower case, as a question typed fast without diacritics has it (`01-kl/tw`,
# `1373/qd-ttg`): read in upper case, as codes are written, so that it is known as a code.
_LOWER_CASE_CODE = re.compile(r"(?<![\w/-])\d{1,5}(?:/\d{2,4})?[/-][a-zđ]+(?:[/&.-][a-zđ]+)*(?![\w/-])")
# A law the question names as its source (`Theo Điều 34, Bộ luật dân sự 2015,`, `Luật An ninh mạng 2018`),
# matched folded: which document to read, not what to find in it. Its year is the law's, not a period asked.
_NAMED_LAW = re.compile(r"\b(?:(?:theo|trong|cua|tai) )?(?:dieu \d+[a-z]?,? (?:cua |trong )?)?"
                        r"(?:bo luat|luat(?! (?:su|phap|le)\b)|hien phap|phap lenh)"
                        r"(?: (?!(?:duoc|la|co|da|se|bi|thi|ma|khi|nam)\b)[^\W\d_]+){0,5}(?: nam)? (?:19|20)\d\d\b,?")


class InputTooLong(ValueError):
    """An input over MAX_INPUT_CHARS; the message is for the user, in Vietnamese."""


def bounded_input(raw: str | None) -> str:
    """The input as the search may read it: refused when over MAX_INPUT_CHARS, lone surrogates (which no
    encoder accepts) replaced."""
    text = raw or ""
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLong(f"Câu hỏi quá dài ({len(text):,} ký tự); tối đa {MAX_INPUT_CHARS:,} ký tự."
                           .replace(",", "."))
    return _SURROGATE.sub("\ufffd", text)


@dataclass(frozen=True)
class Query:
    text: str  # cleaned, possibly shortened text, as the dense side sees it (Vietnamese, after translation)
    analyzed: Analyzed
    truncated: bool
    typed_without_diacritics: bool
    original: str | None = None  # an English question, when `text` is its glossary translation
    restored: str | None = None  # a question typed without diacritics, with them put back from the corpus
    glossary_terms: tuple[tuple[str, str], ...] = ()  # (English, Vietnamese) used for the translation
    untranslated: tuple[str, ...] = ()
    expansions: tuple = field(default=())  # search.lexicon.Expansion: other forms searched at lower weight
    source: str = ""  # the law the question names as its source (`_NAMED_LAW`), as typed

    @property
    def body(self) -> Analyzed:
        """The question's tokens less those only in the law it names: the passage's own text is searched for
        these; a named law's words are looked for in its title and heading path (the context fields)."""
        return analyze(without_source(self.text, self.source)) if self.source else self.analyzed

    @property
    def meaning_text(self) -> str:
        """What the question means, as read by a model and shown to the user: with its diacritics put back,
        or else as typed (the Vietnamese translation of an English question)."""
        return self.restored or self.text

    @property
    def empty(self) -> bool:
        return not (self.analyzed.exact or self.analyzed.codes)


def query_notes(query: Query) -> list[str]:
    """What the search understood of the question, in plain Vietnamese, for everyone to read."""
    notes = []
    if query.restored:
        notes.append(f"Đã hiểu là: {query.restored}")
    if query.truncated:
        notes.append(f"Câu hỏi dài đã được rút gọn còn {len(query.text)} ký tự.")
    if query.original:
        used = "; ".join(f"{vi} ({en})" for en, vi in query.glossary_terms)
        notes.append(f"Câu hỏi tiếng Anh được tra bằng các thuật ngữ tiếng Việt: {used}.")
        if query.untranslated:
            notes.append(f"Không có trong bảng thuật ngữ, bỏ qua: {', '.join(query.untranslated)}.")
    elif query.typed_without_diacritics and not query.restored and _has_letters(without_codes(query.text)):
        notes.append("Câu hỏi được tìm không phân biệt dấu.")
    return notes


def _has_letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


def query_details(query: Query) -> list[str]:
    """How the search widened the question (abbreviations, synonyms): technical detail, shown on request."""
    alternatives: dict[str, list[str]] = {}
    for expansion in query.expansions:
        if expansion.kind != "feedback":
            alternatives.setdefault(expansion.source, []).append(expansion.text)
    if not alternatives:
        return []
    return ["Tìm cả: " + "; ".join(f"{source} → {', '.join(texts)}" for source, texts in alternatives.items()) + "."]


def parse_query(raw: str) -> Query:
    text = " ".join(clean_display(_SURROGATE.sub("\ufffd", (raw or "")[:MAX_INPUT_CHARS])).split())
    text = _LOWER_CASE_CODE.sub(lambda m: m.group(0).upper(), text)
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return Query(text=text, analyzed=analyze(text), truncated=truncated,
                 typed_without_diacritics=bool(text) and not has_diacritics(text) and fold(text) == text.lower(),
                 source=named_source(text))


def named_source(text: str) -> str:
    """The phrase naming the law a question asks about, as typed; empty when it names none."""
    match = _NAMED_LAW.search(fold(text))
    return text[match.start():match.end()] if match else ""


def without_source(text: str, source: str) -> str:
    """The question with the law it names cut out (a comma keeps the words on each side apart)."""
    return text.replace(source, " , ", 1) if source else text
