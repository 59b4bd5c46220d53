"""Quantitative targets stated by a plan: `Trên 97% học sinh tốt nghiệp trung học phổ thông`,
`nâng số trường học đạt chuẩn quốc gia lên 300 trường`, `tỷ lệ lao động qua đào tạo đạt 65%`.

Rule-based, on the patterns of these documents. A target is a quantity (a number with a unit from a
closed list, or `mức độ N`) in a clause of a goals section (`II. MỤC TIÊU`, `Chỉ tiêu`), or in a clause
elsewhere that commits to it (`phấn đấu`, `đến năm 2025`) and does not report the past (`đã`). Each clause
is cut at commas and before a second quantity; a piece without a quantity continues the previous target's
wording (`Trên 90% thanh, thiếu niên ...`) unless it opens a new commitment (`có đủ giáo viên`). The period
comes from the target's own piece of the clause (`đạt 95% vào năm 2025, đạt 98% vào năm 2030`), else from
the clause (`đến năm 2025`), else from the nearest heading (`Giai đoạn 2021 - 2025`), else from
the plan's own period.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from vietnamese.normalize import normalize_tone
from indexer.period import Period, period_in
from indexer.sections import Section, split_marker
from vietnamese.sentences import sentence_spans

_NUMBER = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?"
_COUNT_UNITS = {  # as written -> as tabulated
    "trường học": "trường", "trường": "trường", "lớp học": "lớp", "lớp": "lớp", "phòng học": "phòng học",
    "điểm trường": "điểm trường", "học sinh": "học sinh", "học viên": "học viên", "sinh viên": "sinh viên",
    "trẻ": "trẻ", "giáo viên": "giáo viên", "nhà giáo": "nhà giáo", "cán bộ": "cán bộ", "người": "người",
    "xã": "xã", "huyện": "huyện", "trung tâm": "trung tâm", "cơ sở": "cơ sở", "thư viện": "thư viện",
    "chỗ": "chỗ", "tỷ đồng": "tỷ đồng", "tỉ đồng": "tỷ đồng", "triệu đồng": "triệu đồng", "lượt": "lượt",
}
_UNIT = "|".join(re.escape(u) for u in sorted(_COUNT_UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\d/.,])(?P<number>{_NUMBER})\s*(?:(?P<percent>%|phần trăm)|(?P<unit>{_UNIT})\b)(?P<post>\s+trở lên)?"
    rf"|\bmức độ\s+(?P<grade>[1-4])\b", re.IGNORECASE)
_BEFORE = re.compile(  # the comparator words just before a number
    r"(?:\b(?P<verb>tăng|giảm)(?:\s+thêm)?\s+)?(?:\bđạt\s+)?(?:\b(?P<bound>trên|dưới|ít nhất|tối thiểu|tối đa|"
    r"không quá|không dưới|khoảng|gần|từ|lên|còn|đạt)\s+)?$", re.IGNORECASE)
_QUALIFIER = re.compile(r"\b(?:ở mức|so với|bằng)\s+$", re.IGNORECASE)
_NEW_COMMITMENT = re.compile(
    r"^\s*(?:có|đảm bảo|bảo đảm|tiếp tục|nâng cao|đẩy mạnh|tăng cường|thành lập|xây dựng|phấn đấu|duy trì|"
    r"củng cố|hoàn thành|thực hiện|tổ chức|hướng tới|khuyến khích|huy động)\b", re.IGNORECASE)
_FILLER = re.compile(r"^(?:phấn đấu|đảm bảo|bảo đảm|hướng tới|nâng(?! cao)|đạt|số|để|và|hoặc)(?:\s+|$)", re.IGNORECASE)
_TRAILING = re.compile(r"\s+(?:(?<!trở )lên|đạt|là|và|hoặc|với)$", re.IGNORECASE)
_PERIOD_LABEL = re.compile(r"^\W*(?:từ\s+)?(?:năm học|năm|giai đoạn)\s+(?:học\s+)?(?:19|20)\d\d\b[^:]{0,20}:", re.IGNORECASE)
_IN_WHICH = re.compile(r"^\s*trong đó\b", re.IGNORECASE)
_GOALS_HEADING = re.compile(r"^(?:các\s+)?(?:mục tiêu|chỉ tiêu)", re.IGNORECASE)
_COMMITMENT = re.compile(r"\b(?:phấn đấu|chỉ tiêu|đến năm \d{4}|đến hết năm|hướng tới)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:đã|đạt được|được công nhận)\b", re.IGNORECASE)

LEVELS = ("mầm non", "tiểu học", "THCS", "THPT", "GDTX", "GDNN", "đại học", "phổ thông")
_LEVEL_PATTERNS = [
    ("mầm non", re.compile(r"\b(?:mầm non|mẫu giáo|nhà trẻ)\b")),
    ("tiểu học", re.compile(r"\btiểu học\b")),
    ("THCS", re.compile(r"\b(?:trung học cơ sở|thcs)\b")),
    ("THPT", re.compile(r"\b(?:trung học phổ thông|thpt)\b")),
    ("GDTX", re.compile(r"\b(?:giáo dục thường xuyên|gdtx)\b")),
    ("GDNN", re.compile(r"\b(?:giáo dục nghề nghiệp|gdnn|lao động qua đào tạo|đào tạo nghề|dạy nghề|cao đẳng|"
                        r"trung cấp)\b")),
    ("đại học", re.compile(r"\bđại học\b")),
]
_GENERAL_SCHOOL = re.compile(r"(?<!tiếng )\bphổ thông\b")


@dataclass
class Target:
    doc: str
    indicator: str  # the clause's wording without the quantity: "học sinh tốt nghiệp trung học phổ thông"
    levels: list[str]  # of LEVELS
    comparator: str  # "trên", "đạt", "ít nhất", "từ … trở lên", "giảm", "tăng ít nhất", ...
    value: float
    unit: str  # "%", "trường", "mức độ", ...
    period: str | None  # "2021 - 2025", "2030"
    year_from: int | None
    year_to: int | None
    section: str  # heading path
    section_ordinal: int
    sentence: str  # the clause as printed
    start: int  # offsets of the clause in the document text
    end: int
    page: int | None = None

    @property
    def value_text(self) -> str:
        """`99,9`, `300`: the value as Vietnamese documents write it."""
        text = f"{self.value:g}"
        return text.replace(".", ",")

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class _Quantity:
    start: int  # the comparator's start (or the number's, without one)
    end: int
    value: float
    unit: str
    comparator: str | None  # None: none written
    qualifier: bool  # `ở mức 30%`, or `mức độ 3` next to another quantity: a condition, not a target


def extract_targets(doc: str, sections: list[Section], plan_period: Period | None) -> list[Target]:
    """Every target of a parsed document, in document order."""
    out: list[Target] = []
    for section in sections:
        in_goals = any(_GOALS_HEADING.match(split_marker(h)[1]) for h in section.path)
        heading_period = next((p for p in map(period_in, reversed(section.path)) if p), None)
        label_period = None  # set by a paragraph that opens with its period: `Năm học 2019-2020: ...`
        for block in section.blocks:
            if _PERIOD_LABEL.match(block.text):
                label_period = period_in(block.text)
            for start, end in sentence_spans(block.text):
                clause = block.text[start:end].rstrip()
                if not in_goals and (not _COMMITMENT.search(clause) or _PAST.search(clause)):
                    continue
                for piece, quantity in _pieces(clause):
                    if quantity.unit == "%" and quantity.value > 100 and not (quantity.comparator or "").startswith("tăng"):
                        continue  # `1002%`: an OCR error, not a share
                    period = period_in(piece) or period_in(clause) or label_period or heading_period or plan_period
                    out.append(Target(
                        doc=doc, indicator=piece, levels=levels_in(piece) or levels_in(clause),
                        comparator=quantity.comparator or "đạt", value=quantity.value, unit=quantity.unit,
                        period=period.text if period else None, year_from=period.start if period else None,
                        year_to=period.end if period else None, section=section.path_text,
                        section_ordinal=section.ordinal, sentence=clause, start=block.start + start,
                        end=block.start + start + len(clause), page=block.page_start))
    return out


def levels_in(text: str) -> list[str]:
    lowered = normalize_tone(text).lower()
    found = [name for name, pattern in _LEVEL_PATTERNS if pattern.search(lowered)]
    if not found and _GENERAL_SCHOOL.search(lowered):
        found = ["phổ thông"]
    return found


def _quantities(text: str) -> list[_Quantity]:
    found = []
    for match in _QUANTITY.finditer(text):
        before = text[:match.start()]
        if match.group("grade"):
            found.append(_Quantity(match.start(), match.end(), float(match.group("grade")),
                                   "mức độ", _comparator(_BEFORE.search(before), None), False))
            continue
        words = _BEFORE.search(before)
        unit = "%" if match.group("percent") else _COUNT_UNITS[match.group("unit").lower()]
        value = float(match.group("number").replace(".", "").replace(",", "."))
        keep_unit = unit != "%"
        found.append(_Quantity(words.start(), match.start("unit") if keep_unit else match.end(), value, unit,
                               _comparator(words, match.group("post")), bool(_QUALIFIER.search(before))))
    grades = [q for q in found if q.unit == "mức độ"]
    if len(found) > len(grades):
        for q in grades:
            q.qualifier = True
    return found


def _comparator(words: re.Match | None, post: str | None) -> str | None:
    verb = (words.group("verb") or "").lower() if words else ""
    bound = (words.group("bound") or "").lower() if words else ""
    if post and bound in ("từ", ""):
        bound = "từ … trở lên"
    if bound in ("lên", "còn") and not verb:
        bound = "đạt"
    if bound == "tối thiểu":
        bound = "ít nhất"
    text = " ".join(part for part in (verb, bound) if part)
    if not text and words and words.group(0).strip():
        text = "đạt"  # `đạt 100%`: written, so not inherited from the previous quantity
    return text or None


def _pieces(clause: str) -> list[tuple[str, _Quantity]]:
    """(indicator, quantity) for each target of a clause."""
    pieces: list[tuple[str, _Quantity | None]] = []
    for part in _comma_parts(clause):
        quantities = [q for q in _quantities(part) if not q.qualifier]
        cuts = [0] + [q.start for q in quantities[1:]] + [len(part)]
        for n in range(len(cuts) - 1):
            text = part[cuts[n]:cuts[n + 1]]
            pieces.append((text, next((q for q in _quantities(text) if not q.qualifier), None)))
    wordings: list[str] = []
    quantities: list[_Quantity] = []
    continues = False  # whether text without a quantity continues the wording of the last target
    for text, quantity in pieces:
        if quantity is None:
            continues = continues and not _NEW_COMMITMENT.match(text)
            if continues:
                wordings[-1] += "," + text
            continue
        previous = quantities[-1] if quantities else None
        if quantity.comparator is None and previous and previous.unit == quantity.unit:
            quantity.comparator = previous.comparator
        wording = _wording(text, quantity)
        if _IN_WHICH.match(text) and wordings:
            wording = f"{wordings[-1]}, trong đó {_clean(_IN_WHICH.sub('', wording))}"
        wordings.append(wording)
        quantities.append(quantity)
        continues = True
    return [(_clean(wording), quantity) for wording, quantity in zip(wordings, quantities)]


def _comma_parts(clause: str) -> list[str]:
    """The clause cut at commas that are not inside a number (`99,9`)."""
    return [p for p in re.split(r",(?!\d)", clause) if p.strip()]


def _wording(text: str, quantity: _Quantity) -> str:
    """The piece's words without its quantity. A count keeps its unit as the head of the wording
    (`03 trường mầm non` -> `trường mầm non`) unless words before it already name the thing counted
    (`số trường học đạt chuẩn quốc gia lên 300 trường`)."""
    before, after = text[:quantity.start], text[quantity.end:].lstrip()
    if quantity.unit in ("%", "mức độ"):
        return f"{before} {after}"
    if _clean(before):
        unit = re.match(_UNIT, after, re.IGNORECASE)
        return f"{before} {after[unit.end():] if unit else after}"
    return after


def _clean(text: str) -> str:
    text = " ".join(text.replace("- ", " ", 1).split() if text.lstrip().startswith("-") else text.split())
    text = text.strip(" ,;.:–-")
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING.sub("", _FILLER.sub("", text)).strip(" ,;.:–-")
    if text and not text[:4].isupper():
        text = text[0].lower() + text[1:]
    return text
