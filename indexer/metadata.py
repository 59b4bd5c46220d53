"""A plan's header facts: title, number, issuer, place and date, type, province, and the codes it cites.

Read from the text where it has them; an optional sidecar file `<file name>.meta.json` next to the
document supplies or overrides any field. Nothing is ever guessed: a missing fact stays None. OCR's damage
to the header is undone where it can be told: the dateline is read whatever its diacritics (`ngay 12 thang
10 nam 2020`), the title's and issuer's misread words are put right (vietnamese.spelling), and a number
whose digits are handwritten or left blank (`Số: ⁄9U /KH-UBND`) is read from the file's name when that name
carries a number with the same code (`ke-hoach-150-KH-UBND-….pdf`), named in `from_file_name`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from indexer.boilerplate import HEADER, MOTTO, document_type_of, is_document_type
from indexer.extract.records import ExtractionError
from indexer.layout import PREAMBLE, PREAMBLE_WORDS, Paragraph, is_all_caps
from vietnamese.normalize import code_token, find_codes, fold, normalize_tone
from vietnamese.spelling import repair_words
from indexer.sections import heading_rank

SIDECAR_SUFFIX = ".meta.json"

_NUMBER = re.compile(r"^(?:(?P<type>[^\W\d][^\d:]{2,20}?)\s+)?Số\s*[:.]?\s*(\d[\w.]*(?:/[\w&.]+)*[-/][\w&Đđ.-]+)",
                     re.IGNORECASE)
# Matched on the folded line: `ngày 12 tháng 10 năm 2020`, `ngay 12 thang 10 nam 2020`, OCR's `ngày 20 thẳng 10
# — năm 2020`.
_ADMIN_DATE = re.compile(r"(?:^|[,\s])ngay\s+(\d{1,2})\s+thang\s*(\d{1,2})\W*nam\s+(\d{4})")
# A number line whose digits OCR could not read or that were left blank: `Số:⁄9U/KH-UBND`, `Số:/KH-PGDĐT`.
_UNREAD_NUMBER = re.compile(r"^Số\s*[:.]?\s*[^\s/]{0,6}?(?P<code>(?:/\d{4})?[-/][A-ZĐ][\w&Đđ]*(?:[-/][\w&Đđ]+)+)")
_BARE_NUMBER_WORD = re.compile(r"^Số\s*[:.]?$", re.IGNORECASE)
_NUMBER_LINE_START = re.compile(r"^(?:[^\W\d][^\d:]{2,20}?\s+)?Số\b", re.IGNORECASE)
_SPACED_CODE = re.compile(r"\s*(/)\s*|(?<=\w)(-)\s+(?=[A-ZĐ])")
_PASSED_ON = re.compile(r"thông qua ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_CONSOLIDATED = re.compile(r"\bXÁC THỰC VĂN BẢN HỢP NHẤT$")
_CONSOLIDATED_NUMBER = re.compile(r"^Số\s*[:.]?\s*(\d+/VBHN-[\wĐđ-]+)")
# The first document a consolidated text names after its title: `Thông tư số 121/2020/TT-BTC ngày 31 tháng 12
# năm 2020 …`, whose date the gazette gives the consolidated text.
_ORIGINAL = re.compile(r"^[^\W\d][^\d]{2,20}? số \S+ ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_])\d{1,2}$")  # `NGHỊ ĐỊNH1`
_SUBJECT_LINE = re.compile(r"^(?:V/v|V/V|Về việc)\s*[:.]?\s*\S")
# The gazette's section titles above a document: `VĂN BẢN QUY PHẠM PHÁP LUẬT`, `VĂN BẢN HỢP NHẤT - BỘ Y TẾ`.
_GAZETTE_SECTION = re.compile(r"^(?:VĂN BẢN (?:QUY PHẠM PHÁP LUẬT|PHÁP LUẬT KHÁC|HỢP NHẤT)|PHẦN VĂN BẢN)\b")
_TITLE_STOP = re.compile(rf"^(?:{PREAMBLE_WORDS}|Thực hiện|Sau khi|Trên cơ sở|Kính gửi)\b|"
                         r"^[^\W\d][^\d]{2,20}? số \S+ ngày\b")  # or the document a consolidated text gathers
# National bodies: the place in their dateline (Hà Nội) is where they sit, not what the document is about.
_NATIONAL_ISSUER = re.compile(r"^(?:BỘ\b|CHÍNH PHỦ|THỦ TƯỚNG|QUỐC HỘI|ỦY BAN THƯỜNG VỤ QUỐC HỘI|UỶ BAN THƯỜNG VỤ|"
                              r"BAN CHẤP HÀNH TRUNG ƯƠNG|BAN BÍ THƯ|BỘ CHÍNH TRỊ|VĂN PHÒNG CHÍNH PHỦ|"
                              r"NGÂN HÀNG NHÀ NƯỚC|KIỂM TOÁN NHÀ NƯỚC|TÒA ÁN NHÂN DÂN TỐI CAO|"
                              r"VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO)")
_PLACE = re.compile(r"^([^,\d]{2,40}),\s*ngày\b", re.IGNORECASE)
_MONTHS = {"một": 1, "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
           "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12}
_WEB_DATE = re.compile(r"^(\d{1,2})\s+tháng\s+(mười một|mười hai|\w+)\s+(\d{4})\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b")
_CODE_TYPES = {"KH": "Kế hoạch", "BC": "Báo cáo", "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị",
               "KL": "Kết luận", "TB": "Thông báo", "HD": "Hướng dẫn", "TTr": "Tờ trình", "TT": "Thông tư",
               "NĐ": "Nghị định", "ĐA": "Đề án"}

PROVINCES = (
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Thừa Thiên Huế", "An Giang",
    "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang",
    "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn",
    "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
)
_PROVINCE_PATTERNS = [
    (name, re.compile(r"\b" + (r"(?:thành phố|tp\.?)\s*" if name == "Hồ Chí Minh" else "")
                      + re.escape(normalize_tone(name).lower()) + r"\b"))
    for name in PROVINCES
]
# `NHÂN DẪN`: one letter misread by OCR still names the people's committee or council.
_ISSUER_ABBREVIATIONS = [(re.compile(r"(?:ỦY|UỶ) BAN NH\w{2} D\w{2}\b"), "UBND"),
                         (re.compile(r"HỘI ĐỒNG NH\w{2} D\w{2}\b"), "HĐND")]
_ADMIN_UNITS = ("THÀNH PHỐ", "THỊ XÃ", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "THỊ TRẤN")


@dataclass
class DocumentMeta:
    title: str | None = None
    number: str | None = None  # "43/KH-UBND"
    issuer: str | None = None  # as printed: "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"
    issuer_short: str | None = None  # for citations: "UBND tỉnh Lạng Sơn"
    authority: str | None = None  # the line a decision is made under: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"
    place: str | None = None
    date: str | None = None  # ISO "2022-02-23"
    doc_type: str | None = None  # "Kế hoạch"
    province: str | None = None
    locality: str | None = None  # the district, city, town or commune below the province: "thành phố Hạ Long"
    cited_codes: list[str] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)  # codes it says it carries out (indexer.references)
    bases: list[str] = field(default_factory=list)  # codes it names as its basis (`Căn cứ ...`)
    upstream: list[list[str]] = field(default_factory=list)  # [code, code that one implements]
    code_dates: dict[str, list[str]] = field(default_factory=dict)  # code token -> ISO dates given beside it
    replaces: list[str] = field(default_factory=list)
    amends: list[str] = field(default_factory=list)
    period: str | None = None  # "2021 - 2025, định hướng đến năm 2030"
    period_start: int | None = None
    period_end: int | None = None  # the last year covered, the vision's included
    signer: str | None = None  # the name in the signature block: "Dương Xuân Huyên"
    signer_title: str | None = None  # the position signed under: "Phó Chủ tịch"
    from_sidecar: list[str] = field(default_factory=list)  # the fields a sidecar file supplied
    from_text: list[str] = field(default_factory=list)  # the fields read from the body, not the header
    from_file_name: list[str] = field(default_factory=list)  # the fields the file's name gave (the number)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def mentions(self) -> list[str]:
        """Codes cited only in passing: not implemented, based on, replaced or amended."""
        related = {c for pair in self.upstream for c in pair}
        related.update(self.implements, self.bases, self.replaces, self.amends)
        return [c for c in self.cited_codes if c not in related]

    def cited_date(self, code: str) -> str | None:
        """The date this text gives the document it cites as `code`, when it gives exactly one: `51-KL/TW ngày
        30/5/2019` and `51-KL/TW ngày 29/10/2012` are two documents with one code."""
        dates = self.code_dates.get(code_token(code), [])
        return dates[0] if len(dates) == 1 else None

    def printed(self, name: str) -> str | None:
        """A field as the header (or a sidecar) gives it; None when it was read from the body. Retrieval and
        answers weigh only printed facts; citations and the library show both."""
        return None if ("issuer" if name == "issuer_short" else name) in self.from_text else getattr(self, name)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, values: dict) -> "DocumentMeta":
        return cls(**values)


@dataclass
class MetadataResult:
    meta: DocumentMeta
    title_paragraphs: set[int]  # indexes of the paragraphs that form the title (not content)
    date_paragraphs: set[int]  # a dateline of a web article


def extract_metadata(paragraphs: list[Paragraph], labels: list[str | None], file_name: str = "") -> MetadataResult:
    """The header facts of a document's paragraphs (labelled by indexer.boilerplate); `file_name` gives the
    number's digits where the header's are unreadable."""
    meta = DocumentMeta()
    all_text = "\n".join(p.text for p in paragraphs)
    header = [p.text for p, label in zip(paragraphs, labels) if label == HEADER]
    lines = _number_lines(header)
    for text in lines:
        if meta.number is None and (match := _NUMBER.match(text)):
            meta.number = match.group(2).rstrip(".")
            meta.doc_type = _type_named(match.group("type"))
        if meta.date is None and (match := _ADMIN_DATE.search(fold(text))):
            meta.date = iso_date(match.group(3), match.group(2), match.group(1))
        if meta.place is None and (place := _PLACE.match(text)):  # also when the day was left blank
            meta.place = place.group(1).strip()
    if meta.number is None and (number := _number_from_file_name(lines, file_name)):
        meta.number = number
        meta.from_file_name.append("number")
    issuer = _issuer(header)
    if issuer:
        meta.issuer = repair_words(issuer, all_text)
        meta.issuer_short = short_issuer(meta.issuer)

    title_paragraphs, date_paragraphs = _find_title(paragraphs, labels, meta, all_text)
    meta.authority = _authority(paragraphs, labels)
    _read_closing(meta, paragraphs)
    meta.doc_type = meta.doc_type or _type_from_number(meta.number)
    meta.province = _province(meta, paragraphs)
    meta.cited_codes = [c for c in find_codes(all_text) if c != meta.number]
    return MetadataResult(meta, title_paragraphs, date_paragraphs)


def _number_lines(header: list[str]) -> list[str]:
    """Header lines with a number line made whole: `Số` alone followed by its number joins it, and spaces
    around the slashes and hyphens of a number (`Số: 150 /KH- UBND`, from OCR or a form) go."""
    out: list[str] = []
    for text in header:
        if out and _BARE_NUMBER_WORD.match(out[-1]):
            out[-1] = f"Số: {text}"
        else:
            out.append(text)
    return [_SPACED_CODE.sub(lambda m: m.group(1) or m.group(2), t) if _NUMBER_LINE_START.match(t) else t
            for t in out]


def _number_from_file_name(lines: list[str], file_name: str) -> str | None:
    """`150/KH-UBND` for a header's `Số:⁄9U/KH-UBND` (handwritten digits OCR cannot read) in a file named
    `ke-hoach-150-KH-UBND-….pdf`: the digits that stand before the header's own code in the file's name."""
    code = next((m.group("code") for text in lines if (m := _UNREAD_NUMBER.match(text))), None)
    if code is None or not file_name:
        return None
    wanted = "".join(_alphanumeric(code))
    words = _alphanumeric(Path(file_name).stem)
    for i, word in enumerate(words):
        if word.isdigit() and len(word) <= 5 and _spells(words[i + 1:], wanted):
            return f"{word}{code}"
    return None


def _alphanumeric(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _spells(words: list[str], wanted: str) -> bool:
    """Do the first few of `words`, run together, make `wanted` (`kh`, `ubnd` -> `khubnd`)?"""
    joined = ""
    for word in words:
        joined += word
        if len(joined) >= len(wanted):
            return joined == wanted
    return False


def _issuer(header: list[str]) -> str | None:
    """The issuing body: the capitalised header lines before the number line, the national motto cut out
    of them (a flattened two-column header has both on a line), `UBND HUYỆN …` and `PHÒNG …` joined."""
    parts: list[str] = []
    for text in header:
        if _NUMBER.match(text) or _ADMIN_DATE.search(fold(text)):
            break
        left = re.sub(r"\s+", " ", MOTTO.sub(" ", text)).strip(" -–_")
        if _GAZETTE_SECTION.match(left):
            continue
        if left and is_all_caps(left) and not is_document_type(left):
            if fold(left) not in fold(" ".join(parts)):  # the gazette repeats the issuer above the header
                parts.append(left)
        elif parts:
            break
    return " ".join(parts) if parts else None


def _find_title(paragraphs: list[Paragraph], labels: list[str | None], meta: DocumentMeta,
                document: str) -> tuple[set[int], set[int]]:
    """The title's paragraphs (its words that OCR misread put right in `meta.title`) and a web article's
    dateline after it."""
    content = [i for i, label in enumerate(labels) if label is None][:6]
    if not content:
        return set(), set()
    subject = next((i for i in content[:3] if _SUBJECT_LINE.match(paragraphs[i].text)), None)
    if subject is not None and not document_type_of(paragraphs[content[0]].text):
        meta.title = repair_words(paragraphs[subject].text, document)
        meta.doc_type = meta.doc_type or "Công văn"
        return {subject}, set()
    first = content[0]
    text = repair_words(paragraphs[first].text, document)
    doc_type = document_type_of(text)
    titles: set[int] = set()
    if doc_type:
        meta.doc_type = meta.doc_type or doc_type
        titles.add(first)
        if text.strip().upper() == text.strip() and len(text.split()) <= 3:
            titles.update(_title_lines(paragraphs, content[1:]))
    elif heading_rank(paragraphs[first]) is None or is_all_caps(text):
        if len(text) < 300 and not text.rstrip().endswith((".", ";", ":")):
            titles.add(first)
            if is_all_caps(text) and len(text.split()) <= 3:  # a type word OCR misread (`KÉẺ HOẠCH`)
                titles.update(_title_lines(paragraphs, content[1:]))
    if titles:
        parts = [paragraphs[i].text for i in sorted(titles)]
        if is_all_caps(parts[0]):
            parts[0] = _FOOTNOTE_MARK.sub("", parts[0])
        meta.title = repair_words(" ".join(parts), document)
    dates: set[int] = set()
    after = [i for i in content if i > max(titles, default=-1)][:1]
    for i in after:
        date = _article_date(paragraphs[i].text)
        if date and meta.date is None:
            meta.date = date
            dates.add(i)
    return titles, dates


def _title_lines(paragraphs: list[Paragraph], following: list[int]) -> list[int]:
    """The lines of a title after its type word (`NGHỊ QUYẾT`): the next paragraph, and those after it
    that carry on the title (no sentence end before them, not an authority line, not `Căn cứ …`)."""
    out: list[int] = []
    for i in following:
        text = paragraphs[i].text
        if heading_rank(paragraphs[i]) is not None and not out or len(text) >= 500:
            break
        if out and (is_all_caps(text) or _TITLE_STOP.match(text) or heading_rank(paragraphs[i]) is not None
                    or paragraphs[out[-1]].text.rstrip().endswith((".", ";", ":"))
                    or sum(len(paragraphs[j].text) for j in out) + len(text) > 400 or i != out[-1] + 1):
            break
        out.append(i)
    return out


def _authority(paragraphs: list[Paragraph], labels: list[str | None]) -> str | None:
    """The capitalised line just before `Căn cứ …` near the top (`BỘ TRƯỞNG BỘ …`, `CHÍNH PHỦ`)."""
    content = [i for i, label in enumerate(labels) if label is None][:8]
    for i, j in zip(content, content[1:]):
        if is_all_caps(paragraphs[i].text) and len(paragraphs[i].text) < 150 and PREAMBLE.match(paragraphs[j].text):
            return paragraphs[i].text
    return None


def _read_closing(meta: DocumentMeta, paragraphs: list[Paragraph]) -> None:
    """Facts a document gives after its body: the authentication block of a consolidated text (`BỘ Y TẾ`,
    `XÁC THỰC VĂN BẢN HỢP NHẤT`, `Số: 03/VBHN-BTC`), a resolution's `… thông qua ngày …` when its header
    has no date."""
    texts = [p.text for p in paragraphs]
    for i, text in enumerate(texts):
        if consolidated := _CONSOLIDATED.search(text):
            number = next((m.group(1) for t in texts[max(i - 3, 0):i + 4] if (m := _CONSOLIDATED_NUMBER.match(t))),
                          None)
            meta.doc_type = "Văn bản hợp nhất"
            meta.number = number or meta.number
            before = text[:consolidated.start()].strip()
            body = before or next((t for t in reversed(texts[max(i - 4, 0):i]) if is_all_caps(t)
                                   and not _CONSOLIDATED_NUMBER.match(t)), None)
            if meta.issuer is None and body:
                meta.issuer, meta.issuer_short = body, short_issuer(body)
            original = next((m for t in texts[:40] if (m := _ORIGINAL.match(t))), None)
            if original:
                meta.date = iso_date(original.group(3), original.group(2), original.group(1))
            return
    if meta.date is None:
        passed = next((m for t in reversed(texts[-15:]) if (m := _PASSED_ON.search(t))), None)
        if passed:
            meta.date = iso_date(passed.group(3), passed.group(2), passed.group(1))


def _type_named(word: str | None) -> str | None:
    """`Nghị quyết` in `Nghị quyết số: 24/2022/UBTVQH15`, when it is a known document type."""
    return document_type_of(word.upper()) if word else None


def _article_date(text: str) -> str | None:
    """`19 Tháng Chín 2019` or `19/9/2019` standing alone on a line (a web article's dateline)."""
    if len(text) > 40:
        return None
    if match := _NUMERIC_DATE.match(text):
        return iso_date(match.group(3), match.group(2), match.group(1))
    if match := _WEB_DATE.match(text):
        word = match.group(2).lower()
        month = int(word) if word.isdigit() else _MONTHS.get(word)
        return iso_date(match.group(3), str(month), match.group(1)) if month else None
    return None


def iso_date(year: str, month: str, day: str) -> str | None:
    y, m, d = int(year), int(month), int(day)
    if 1 <= m <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _type_from_number(number: str | None) -> str | None:
    if not number:
        return None
    for part in re.split(r"[/-]", number):
        if part in _CODE_TYPES:
            return _CODE_TYPES[part]
    return None


def short_issuer(issuer: str) -> str:
    """The issuer as a citation names it: `ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN` -> `UBND tỉnh Lạng Sơn`;
    `UBND HUYỆN HIỆP HÒA PHÒNG GIÁO DỤC VÀ ĐÀO TẠO` -> `Phòng Giáo dục và Đào tạo huyện Hiệp Hòa`."""
    text = re.sub(r"\s+", " ", issuer.strip())
    for long, short in _ISSUER_ABBREVIATIONS:
        text = long.sub(short, text)
    if not is_all_caps(text):
        return text
    body = _ORG_START.search(text, 1)
    if body and _ADMIN_UNIT.search(text[: body.start()]):
        parent_place = _ADMIN_UNIT.search(text[: body.start()])
        return f"{_case_name(text[body.start():])} {_case_name(text[parent_place.start(): body.start()])}"
    return _case_name(text)


_ADMIN_UNIT = re.compile(r"\b(?:" + "|".join(_ADMIN_UNITS) + r")\b(?! HỘI)")
_ORG_START = re.compile(r"\b(?:PHÒNG|SỞ|BAN|TRƯỜNG|ĐẢNG ỦY|ĐẢNG BỘ|(?<!XÃ )HỘI|TRUNG TÂM|VĂN PHÒNG)\b")


def _case_name(text: str) -> str:
    """Administrative capitalization: units in lower case, place names in title case, the first word of
    an organisation capitalized, `Giáo dục và Đào tạo` as written in documents."""
    party = re.match(r"^(HUYỆN|TỈNH|THÀNH|QUẬN) (ỦY|UỶ)\b", text)
    if party:
        rest = " ".join(w.capitalize() for w in text[party.end():].split())
        return " ".join(part for part in (party.group(1).capitalize() + " ủy", rest) if part)
    unit = _ADMIN_UNIT.search(text)
    org, place = (text[: unit.start()], text[unit.start():]) if unit else (text, "")
    org_words = [w if w in ("UBND", "HĐND") or "&" in w else w.lower() for w in org.split()]
    org_text = _capitalize_name(org_words)
    place_text = ""
    if unit:
        name = place[len(unit.group(0)):].split()
        place_text = " ".join([unit.group(0).lower(), *(w.capitalize() for w in name)])
    return " ".join(part for part in (org_text, place_text) if part)


_ORG_TYPES = ("bộ", "sở", "phòng", "ban", "cục", "tổng cục", "vụ", "ủy ban", "uỷ ban", "văn phòng", "trung tâm",
              "hội", "trường", "đảng ủy", "đảng bộ", "viện", "thanh tra", "kho bạc", "ngân hàng")
_INNER_ORG_TYPES = ("sở", "phòng", "bộ", "cục", "trường")
_PROPER_PAIRS = {("quốc", "hội"), ("chính", "phủ"), ("trung", "ương"), ("nhà", "nước")}


def _capitalize_name(words: list[str]) -> str:
    """`bộ lao động - thương binh và xã hội` -> `Bộ Lao động - Thương binh và Xã hội`: the organisation's
    type and the first word of its name, of each part after `-`, `,` or `và`, and Quốc hội, Chính phủ,
    Trung ương, Nhà nước start with a capital; so does an organisation named inside another."""
    if not words:
        return ""
    out = list(words)
    if out[0] not in ("UBND", "HĐND"):
        out[0] = out[0].capitalize()
    type_length = next((len(t.split()) for t in sorted(_ORG_TYPES, key=len, reverse=True)
                        if " ".join(words[:len(t.split())]).lower() == t and len(words) > len(t.split())), None)
    starts = {type_length} if type_length else set()
    for i, word in enumerate(words[:-1]):
        if word in ("-", "–", "và", "&") or word.endswith(","):
            starts.add(i + 1)
        if (word, words[i + 1]) in _PROPER_PAIRS:
            starts.add(i)
        if i and word in _INNER_ORG_TYPES:  # `Đảng ủy Sở Giáo dục …`
            starts.update((i, i + 1))
    for i in starts:
        out[i] = out[i][:1].upper() + out[i][1:]
    return " ".join(out)


def _province(meta: DocumentMeta, paragraphs: list[Paragraph]) -> str | None:
    if meta.issuer and _NATIONAL_ISSUER.match(meta.issuer):
        return None
    for source in (meta.issuer, meta.title, meta.place):
        if source:
            found = _provinces_in(source)
            if found:
                return found[0]
    counts: dict[str, int] = {}
    for name in _provinces_in("\n".join(p.text for p in paragraphs)):
        counts[name] = counts.get(name, 0) + 1
    best = max(counts, key=counts.__getitem__) if counts else None
    return best if best and (counts[best] >= 2 or len(counts) == 1) else None


def _provinces_in(text: str) -> list[str]:
    normalized = normalize_tone(text).lower()
    hits = []
    for name, pattern in _PROVINCE_PATTERNS:
        hits.extend((m.start(), name) for m in pattern.finditer(normalized))
    return [name for _, name in sorted(hits)]


_LOCAL_UNIT = re.compile(r"\b(thị xã|thị trấn|thành phố|huyện|quận|xã|phường)\s+", re.IGNORECASE)
_NOT_IN_NAME = {"ủy", "uỷ", "phòng", "sở", "ban", "trường", "giai", "năm", "về", "đến", "của", "và", "trong", "trên",
                "tại", "thực", "giáo", "hội", "đảng", "ubnd", "hđnd", "nhân", "văn", "trung", "chi", "cục"}
LOCALITY_WORDS = 3  # place names below a province run to three syllables


def read_locality(meta: DocumentMeta) -> None:
    """The district, city, town or commune a document is issued by (its issuer) or about (its title), when
    that is below the province: `UBND thành phố Hạ Long` -> `thành phố Hạ Long`. A province-level city
    (`thành phố Hà Nội`) is a province, not a locality."""
    for source, field_name in ((meta.issuer, "issuer"), (meta.title, "title")):
        found = _locality_in(source) if source else None
        if found:
            meta.locality = found
            if field_name in meta.from_text:
                meta.from_text.append("locality")
            return


def _locality_in(text: str) -> str | None:
    text = normalize_tone(re.sub(r"\s+", " ", text))
    capitalized = not is_all_caps(text)
    for unit in _LOCAL_UNIT.finditer(text):
        if unit.start() and text[unit.start() - 1] not in " ,(":
            continue
        words = []
        for word in text[unit.end():].split()[:LOCALITY_WORDS]:
            bare = word.strip(",.;:()")
            if not bare or not bare[0].isalpha() or bare.lower() in _NOT_IN_NAME \
                    or (capitalized and not bare[0].isupper()):
                break
            words.append(bare)
            if bare != word:
                break
        if not words:
            continue
        name = " ".join(w.capitalize() if not capitalized else w for w in words)
        if _provinces_in(name) and unit.group(1).lower() == "thành phố":
            continue
        return f"{unit.group(1).lower()} {name}"
    return None


def sidecar_path(document: Path) -> Path:
    return document.with_name(document.name + SIDECAR_SUFFIX)


def apply_sidecar(meta: DocumentMeta, document: Path) -> None:
    """Fields from `<file>.meta.json` replace what the text gave. Raises ExtractionError when it is broken."""
    path = sidecar_path(document)
    if path.is_symlink():
        raise ExtractionError(f"metadata file {path.name} is a symbolic link; it is not read")
    if not path.exists():
        return
    try:
        values = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExtractionError(f"metadata file {path.name} is not valid JSON ({error})") from None
    if not isinstance(values, dict):
        raise ExtractionError(f"metadata file {path.name} must hold a JSON object")
    known = set(DocumentMeta.__dataclass_fields__) - {"from_sidecar", "from_text", "from_file_name"}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ExtractionError(f"metadata file {path.name} has unknown fields: {', '.join(unknown)}")
    for key, value in values.items():
        setattr(meta, key, value)
        meta.from_sidecar.append(key)
        for derived in (meta.from_text, meta.from_file_name):
            if key in derived:
                derived.remove(key)
    if "issuer" in values and "issuer_short" not in values and meta.issuer:
        meta.issuer_short = short_issuer(meta.issuer)
