"""What a plan says about other documents, by their codes.

- **implements**: the documents it says it carries out, in its title (`KẾ HOẠCH THỰC HIỆN NGHỊ QUYẾT SỐ
  63-NQ/TU`) or in the opening sentences before its first heading (`Thực hiện Kế hoạch số 97-KH/TU ...`,
  `Triển khai ...`).
- **bases**: the documents it names as its legal basis in that opening (`Căn cứ Quyết định số ...`).
- **upstream**: what those opening sentences say about the cited documents themselves: `Thực hiện Kế hoạch
  số 97-KH/TU ... về việc thực hiện Kết luận số 51-KL/TW` gives the pair (97-KH/TU, 51-KL/TW), so a plan
  reaches 51-KL/TW through 97-KH/TU even when 97-KH/TU is not indexed.
- **replaces** / **amends**: documents it replaces (`thay thế`, `bãi bỏ`) or amends (`sửa đổi, bổ sung`).

Any other code in the text is mentioned in passing: `cited_codes` minus the above.

A code is not a document: `51-KL/TW ngày 29/10/2012` (Ban Chấp hành Trung ương) and `51-KL/TW ngày 30/5/2019`
(Ban Bí thư) share one. **code_dates** keeps the dates the text gives beside each code it cites, so that
lineage and cross-references can tell such documents apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.metadata import DocumentMeta, iso_date
from vietnamese.normalize import CODE_PATTERN, code_token, normalize_tone, rejoin_codes
from vietnamese.sentences import sentence_spans

OPENING_CHARS = 4000  # how much of the text before the first heading counts as the opening
_IMPLEMENTS = re.compile(r"^\W*(?:thực hiện|triển khai|tổ chức thực hiện|tiếp tục thực hiện)\b", re.IGNORECASE)
_BASIS = re.compile(r"^\W*căn cứ\b", re.IGNORECASE)
_CARRIES_OUT = re.compile(r"\b(?:thực hiện|triển khai)\b", re.IGNORECASE)
_ABOUT = re.compile(r"\bvề\b|\bđể\b|\bnhằm\b", re.IGNORECASE)
_JOINED = re.compile(r"^[\s,;]*(?:và|,)?[\s,;]*(?:các\s+)?[^\W\d]*(?:\s+[^\W\d]+){0,3}\s+(?:số\s+)?$", re.IGNORECASE)
_REPLACES = re.compile(r"\b(?:thay thế|bãi bỏ)\b", re.IGNORECASE)
_AMENDS = re.compile(r"\b(?:sửa đổi,?\s*bổ sung|sửa đổi|bổ sung một số)\b", re.IGNORECASE)
_PASSIVE = re.compile(r"\bđược\s+(?:thay thế|sửa đổi)|\bbị\s+(?:thay thế|bãi bỏ)", re.IGNORECASE)
_NEAR = 160  # a replaced or amended code follows its verb within this many characters
# The date right after a code: `51-KL/TW ngày 30/5/2019`, `51-KL/TW, ngày 30 tháng 5 năm 2019`.
_DATE_AFTER = re.compile(r"\s*,?\s*ngày\s+(?:(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
                         r"|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))", re.IGNORECASE)


@dataclass
class References:
    implements: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    upstream: list[list[str]] = field(default_factory=list)  # [code, the code it implements]
    replaces: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    code_dates: dict[str, list[str]] = field(default_factory=dict)


def read_references(title: str | None, opening: str, text: str, own_number: str | None) -> References:
    """The references of a document, from its title, its opening (text before the first heading) and its
    whole text."""
    found = References()
    if title:
        _read_clause(normalize_tone(title), found, found.implements, title_clause=True)
    for start, end in sentence_spans(opening[:OPENING_CHARS]):
        sentence = normalize_tone(opening[start:end])
        if _IMPLEMENTS.match(sentence):
            _read_clause(sentence, found, found.implements)
        elif _BASIS.match(sentence):
            _read_clause(sentence, found, found.bases)
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not _PASSIVE.search(sentence):
            _changes(sentence, _REPLACES, found.replaces)
            _changes(sentence, _AMENDS, found.amends)
    own = own_number.casefold() if own_number else None
    for codes in (found.implements, found.bases, found.replaces, found.amends):
        codes[:] = [c for c in dict.fromkeys(codes) if c.casefold() != own]
    found.code_dates = code_dates(text)
    return found


def code_dates(text: str) -> dict[str, list[str]]:
    """For each code the text cites with a date beside it, those dates (ISO, in order of first appearance),
    by code token."""
    out: dict[str, list[str]] = {}
    text = rejoin_codes(text)
    for match in CODE_PATTERN.finditer(text):
        dated = _DATE_AFTER.match(text, match.end())
        if dated:
            day, month, year = dated.group(1, 2, 3) if dated.group(1) else dated.group(4, 5, 6)
            date = iso_date(year, month, day)
            dates = out.setdefault(code_token(match.group(0)), [])
            if date and date not in dates:
                dates.append(date)
    return {token: dates for token, dates in out.items() if dates}


def _read_clause(sentence: str, found: References, direct: list[str], title_clause: bool = False) -> None:
    """Codes of an opening sentence: the first, and any joined to it by `và` or a comma, are what the plan
    implements (or bases itself on); a code introduced by `về việc thực hiện` after another is what that
    other one implements; in a title, only codes after `thực hiện` count."""
    previous: str | None = None
    position = 0
    for match in CODE_PATTERN.finditer(sentence):
        code, between = match.group(0), sentence[position:match.start()]
        if previous is None:
            if not title_clause or _CARRIES_OUT.search(between):
                direct.append(code)
                previous = code
        elif _CARRIES_OUT.search(between) and _ABOUT.search(between):
            found.upstream.append([previous, code])
            previous = code
        elif _JOINED.match(between):
            direct.append(code)
            previous = code
        position = match.end()


def _changes(sentence: str, verb: re.Pattern[str], into: list[str]) -> None:
    for match in verb.finditer(sentence):
        code = CODE_PATTERN.search(sentence, match.end(), match.end() + _NEAR)
        if code:
            into.append(code.group(0))


REPLACED, AMENDED = "thay thế", "sửa đổi, bổ sung"


@dataclass(frozen=True)
class Change:
    relation: str  # REPLACED or AMENDED
    by: str  # the indexed document that replaces or amends it


def changes_to(metas: dict[str, DocumentMeta]) -> dict[str, list[Change]]:
    """For each indexed document, the other indexed documents that replace or amend it (by its number)."""
    by_number = {code_token(m.number): doc for doc, m in sorted(metas.items()) if m.number}
    out: dict[str, list[Change]] = {}
    for doc, meta in sorted(metas.items()):
        for relation, codes in ((REPLACED, meta.replaces), (AMENDED, meta.amends)):
            for code in codes:
                changed = by_number.get(code_token(code))
                if changed and changed != doc:
                    out.setdefault(changed, []).append(Change(relation, doc))
    return out


def is_replaced(changes: list[Change]) -> bool:
    return any(c.relation == REPLACED for c in changes)
