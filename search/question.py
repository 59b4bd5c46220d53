"""What a question asks and what it constrains, read once from the question as typed (Vietnamese with or
without diacritics, or English through its glossary translation): its focus, the period or year it names,
the places and other proper names it names, the education levels, document codes, and whether it asks
about a document's own facts (its date, number, signer).

Cues are matched on the folded text, so `bao nhiêu` and `bao nhieu` read the same."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from indexer.metadata import PROVINCES
from vietnamese.normalize import find_codes, fold, normalize_tone, without_codes
from indexer.targets import levels_in
from search.english import STOPWORDS
from search.query import Query, without_source


class Focus(Enum):
    NONE = "none"
    QUANTITY = "quantity"  # bao nhiêu, tỷ lệ, how many
    TIME = "time"  # khi nào, ngày nào, when
    AGENCY = "agency"  # sở nào, cơ quan nào, which department
    PERSON = "person"  # ai viết, ai ký, who wrote
    PLACE = "place"  # huyện nào, tỉnh nào, which district


class DocumentFact(Enum):
    """A fact about the document itself, answered from its metadata rather than from its body."""

    DATE = "date"
    NUMBER = "number"
    SIGNER = "signer"


@dataclass(frozen=True)
class Question:
    text: str  # the question as retrieval sees it (Vietnamese; the translation of an English one)
    asked: str  # the question as typed
    focus: Focus
    years: tuple[int, int] | None  # the period or year named (`năm 2028` -> (2028, 2028))
    places: tuple[str, ...]  # provinces, cities and districts named (`Lạng Sơn`, `Cẩm Phả`)
    names: tuple[str, ...]  # other proper names the answer's document must carry
    levels: tuple[str, ...]  # education levels named (`THPT`, `mầm non`)
    codes: tuple[str, ...]
    english: bool
    document_fact: DocumentFact | None = None
    units: tuple[str, ...] = ()  # numbered parts of a document named (folded): `chuong trinh 5`, `dieu 3`
    measure: str | None = None  # what a figure asked for counts: `ngày` in `bao nhiêu ngày làm việc`
    defined: str | None = None  # the term whose meaning is asked, folded: `viec lam` in `Việc làm là gì?`
    lists: bool = False  # asks for the cases or things a list gives: `trong trường hợp nào`, `những gì`

    def to_json(self) -> dict:
        return {"focus": self.focus.value, "years": list(self.years) if self.years else None,
                "places": list(self.places), "names": list(self.names), "levels": list(self.levels),
                "codes": list(self.codes), "english": self.english, "units": list(self.units),
                "document_fact": self.document_fact.value if self.document_fact else None, "measure": self.measure,
                "defined": self.defined, "lists": self.lists}


_FOCUS_CUES = (  # folded; the first that matches wins
    (Focus.PERSON, r"\b(ai (viet|ky|soan|la)|la ai|nguoi (ky|viet)|(?<!quyen )tac gia|who (wrote|signed|is)|"
                   r"author|signed by|written by)\b"),
    (Focus.TIME, r"\b(khi nao|bao gio|(?<!phu )luc nao|nam nao|thang nao|ngay nao|giai doan nao|thoi gian nao|"
                 r"thoi diem nao|thoi han|which year|what year|what date|deadline)\b|^when\b|"
                 r"\bwhen (does|do|did|is|are|was|will|should|must)\b"),
    (Focus.QUANTITY, r"\b(bao nhieu|bao lau|may (ngay|thang|nam)|ty le|ti le|phan tram|so luong|how long|how many|how much (money|funding|budget)|"
                     r"percent\w*|what share|what proportion)\b|%"),
    (Focus.AGENCY, r"\b(so|phong|ban|bo|co quan|don vi|nganh|cap|to chuc) nao\b|\bai\b|\bwho\b|"
                   r"\bwhich (department|agency|office|body)\b"),
    (Focus.PLACE, r"\b(huyen|tinh|thanh pho|xa|quan|thi xa|phuong) nao\b|\b(which|what) "
                  r"(district|province|city|commune)\b"),
)
_FOCUS_PATTERNS = [(focus, re.compile(pattern)) for focus, pattern in _FOCUS_CUES]
_DOCUMENT_FACTS = (
    (DocumentFact.SIGNER, re.compile(r"\b(ai (ky|viet|soan)|nguoi (ky|viet)|ky boi|(?<!quyen )tac gia|who (signed|wrote)|"
                                     r"signed by|written by|signatory|author)\b")),
    (DocumentFact.DATE, re.compile(r"\b(ban hanh|ky|dang|phat hanh|issued|published|signed|dated)\b.{0,20}"
                                   r"\b(ngay nao|khi nao|bao gio|when|what date|which date)\b|"
                                   r"\b(ngay nao|when|what date)\b.{0,30}\b(ban hanh|ky|dang|issued|published)\b")),
    (DocumentFact.NUMBER, re.compile(r"\b(so hieu|so ky hieu|ky hieu) (la gi|nao)\b|\bwhat (is the )?number\b")),
)
# A numbered part of a document: `Chương trình 5`, `Điều 3`, `Phụ lục II`, `Mục IV` (folded).
UNIT = re.compile(r"\b(?:(?:chuong trinh|dieu|chuong|phu luc|nhiem vu|giai phap|phan|noi dung)\s+(?:\d{1,3}|[ivx]{1,5})|"
                  r"muc\s+[ivx]{1,5})\b")
_YEAR = r"(?:19|20)\d\d"
_YEAR_RANGE = re.compile(rf"\b({_YEAR})\s*(?:-|–|—|đến|den|to|/)\s*({_YEAR})\b", re.IGNORECASE)
_ONE_YEAR = re.compile(rf"\b(?:nam|year|in|den|by|until|truoc)\s+({_YEAR})\b|\b({_YEAR})\b")
_PLACE_UNITS = r"(?:thành phố|tp\.?|huyện|thị xã|quận|tỉnh|xã|phường|thị trấn|thanh pho|huyen|thi xa|quan|tinh|" \
               r"xa|phuong|thi tran|city|district|province|town)"
CAPITALIZED = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ]" \
               r"[a-zđâăêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự]+"
_NAME_RUN = re.compile(rf"(?<![\w/-])({CAPITALIZED}(?:[ -]{CAPITALIZED}){{1,3}})(?![\w/-])")
_AFTER_UNIT = re.compile(rf"\b(?i:{_PLACE_UNITS})\s+({CAPITALIZED}(?:[ -]{CAPITALIZED}){{0,3}})")
# Capitalized words that open names of bodies, documents and programmes rather than places or people.
_NOT_NAME_WORDS = frozenset(fold(w) for w in """
Sở Phòng Ban Bộ Ủy Uỷ Hội Đảng Đoàn Nhà Trường Trung Văn Kế Nghị Quyết Chỉ Kết Thông Luật Chương Đề Công Báo
Tỉnh Huyện Thành Thị Quận Xã Phường Mặt Cục Vụ Viện Tổng Chính Quốc Giáo Đào Khoa Cộng Việt Tiếng Điều Mục Phụ
Trong Theo Các Những Năm Ngày Tháng Giai Với Tại Để Của Và Đối Ở Từ Khi Sau Trước Mỗi Ai Gì Nào Như Có Là Được
""".split())


def understand(query: Query) -> Question:
    """The question record of a parsed query (`SearchEngine.parse`)."""
    asked = query.original or query.text
    folded = fold(asked)
    focus = next((focus for focus, pattern in _FOCUS_PATTERNS if pattern.search(folded)), Focus.NONE)
    fact = next((fact for fact, pattern in _DOCUMENT_FACTS if pattern.search(folded)), None)
    places = _places(asked, query.restored)
    return Question(
        text=query.text, asked=asked, focus=focus, places=places,
        years=_years(fold(without_codes(without_source(asked, query.source)))),
        names=tuple(n for n in _names(asked, english=query.original is not None)
                    if fold(n) not in {fold(p) for p in places}),
        levels=tuple(levels_in(normalize_tone(query.text).lower())), codes=tuple(find_codes(asked)),
        english=query.original is not None, document_fact=fact if not find_codes(asked) or fact else None,
        units=tuple(dict.fromkeys(m.group(0) for m in UNIT.finditer(fold(query.text)))),
        measure=_measure(query.text if query.original is not None else asked),
        defined=_defined(without_source(query.text, query.source)),
        lists=_ASKS_LIST.search(fold(query.text).lower()) is not None)


# Asking for what a list gives, all of it (folded): `trong trường hợp nào`, `những gì`, `gồm những gì`, `các
# căn cứ nào`, `liệt kê`.
_ASKS_LIST = re.compile(r"\b(?:truong hop nao|nhung (?:gi|ai)|(?:cac|nhung) \w+(?: \w+)? nao|gom (?:nhung )?gi|"
                        r"bao gom nhung|liet ke)\b")


def _defined(text: str) -> str | None:
    """The term a question asks the meaning of (`Định nghĩa của "Người lao động"?`, `Việc làm là gì?`,
    `hoa lợi được hiểu như thế nào?`), folded, lower case; None for any other question."""
    folded = " ".join(_PUNCTUATION_AROUND.sub(" ", fold(text).lower()).split())
    named = _DEFINITION_FIRST.match(folded)  # `Định nghĩa của …` names a term of any length
    match = named or _DEFINITION_AFTER.match(folded)
    term = match.group(1).strip() if match else ""
    return term if 0 < len(term.split()) <= (NAMED_TERM_WORDS if named else TERM_WORDS) else None


TERM_WORDS = 8  # a longer subject before `là gì` is a question's whole clause, not a term
NAMED_TERM_WORDS = 16
_PUNCTUATION_AROUND = re.compile(r"[\"“”?,:.!]")
_DEFINITION_FIRST = re.compile(r"^(?:dinh nghia(?: cua| ve)?|the nao la|khai niem(?: cua| ve)?) (.+?)(?: la gi| la the nao)?$")
_DEFINITION_AFTER = re.compile(r"^(.+?) (?:la gi|duoc hieu (?:la gi|nhu the nao|the nao|nhu nao)|"
                               r"hieu (?:la gi|nhu the nao|the nao)|co nghia la gi)$")


def _measure(text: str) -> str | None:
    """The word a figure is counted in, as typed: `bao nhiêu ngày làm việc` -> `ngày`, `mấy tháng` -> `tháng`."""
    match = _HOW_MANY.search(normalize_tone(text).lower())
    if not match or fold(match.group(1)) in _NOT_A_MEASURE:
        return None
    return PERCENT if fold(match.group(1)) == "phan" else match.group(1)


PERCENT = "phần trăm"  # the measure of `bao nhiêu phần trăm`, written `%`
_HOW_MANY = re.compile(r"\b(?:bao nhiêu|bao nhieu|mấy|may)\s+([^\W\d_]+)")
_NOT_A_MEASURE = frozenset({"la", "thi", "duoc", "vay", "nhi", "a", "trong", "cua", "va", "o", "cho", "de", "khi",
                            "nam"})  # `mấy năm` counts years, but `năm` after `bao nhiêu` is mostly a date


def _years(folded: str) -> tuple[int, int] | None:
    if match := _YEAR_RANGE.search(folded):
        start, end = int(match.group(1)), int(match.group(2))
        return (start, end) if start <= end <= start + 30 else None
    if match := _ONE_YEAR.search(folded):
        year = int(match.group(1) or match.group(2))
        return year, year
    return None


_FOLDED_PLACE = re.compile(r"\b(?:thanh pho|thi xa|huyen|quan)\s+([a-z]+ [a-z]+)\b")
_NOT_IN_NAMES = frozenset("""
va trong co da la de cua cac nay tren voi duoc se thuc phai nao uy doan ban nhan dan chi dao tham muu xay dung
trien khai giao duc tinh thanh pho huyen
""".split())


def _places(text: str, restored: str | None = None) -> tuple[str, ...]:
    """Provinces named anywhere (with or without diacritics), and names after `thành phố`, `huyện`, ...;
    in a question typed in lower case without diacritics, the two words after `thanh pho`, `huyen`, `thi
    xa`, `quan` unless one of them is a common word (`huyen uy`, `thanh pho va`); `quan`, mostly `cơ quan`,
    `quản lý` or `quán triệt`, only where the question with its diacritics put back (`restored`) reads
    `quận`."""
    folded = fold(text)
    found = [name for name in PROVINCES if re.search(rf"\b{re.escape(fold(name))}\b", folded)]
    if "thua thien hue" in folded:
        found = [name for name in found if name != "Huế"]
    for match in _AFTER_UNIT.finditer(text):
        name = match.group(1)
        if fold(name.split()[0]) not in _NOT_NAME_WORDS and not any(fold(name) in fold(f) for f in found):
            found.append(name)
    if text == folded:
        for match in _FOLDED_PLACE.finditer(folded):
            words = match.group(1).split()
            unit = restored[match.start():match.start(1)].strip().lower() if restored and len(restored) == len(text) else None
            if not _NOT_IN_NAMES.intersection(words) and not any(match.group(1) in fold(f) for f in found) and \
                    (unit is None or fold(unit) != "quan" or unit == "quận"):
                found.append(match.group(1))
    return tuple(dict.fromkeys(found))


def _names(text: str, english: bool) -> tuple[str, ...]:
    """Runs of two or more capitalized syllables that are not at the start of the question and do not open
    with a word that names a body, a document or a programme (`Sở`, `Kế hoạch`, `Chương trình`)."""
    out = []
    for match in _NAME_RUN.finditer(text):
        name = match.group(1)
        words = [fold(w) for w in re.split(r"[ -]", name)]
        if match.start() == 0 or words[0] in _NOT_NAME_WORDS:
            continue
        if english and any(w in STOPWORDS or len(w) > 7 for w in words):
            continue
        out.append(name)
    return tuple(out)
