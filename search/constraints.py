"""Whether a sentence can answer a question: what the question constrains (`search.question`) checked
against the sentence and its context (heading path, plan period, document text).

A sentence certainly cannot answer (a veto) when
- its document does not name a place or proper name the question names (`Cẩm Phả`);
- its period (the sentence's own, else its headings', else its plan's) does not overlap the period or year
  asked (`năm 2028` against `Giai đoạn 2021 - 2025`); for an extracted target (`indexer.targets`) its own
  period and levels are checked, and a sentence that holds targets of several periods gives way to them;
- the question asks what was done (`đã`) in a period that starts after its document was issued.
What speaks against it without ruling it out (flags, weighed by the answer model in `search.evidence`):
- the question asks for a figure, a person or a place and the sentence gives none;
- it is a line of a blank form (`ngày …. tháng …. năm ….`);
- it sits under the heading of another agency than the one the question names;
- it is the document's subject line or preamble (`V/v ...`, `Thực hiện Công văn số ...`, `... như sau:`).
Each is said in Vietnamese, for the answer that abstains.
"""

from __future__ import annotations

import re

import tantivy

from indexer.metadata import DocumentMeta
from vietnamese.normalize import code_token, fold, fold_token, has_diacritics, index_syllables, normalize_tone
from indexer.period import period_in
from indexer.sections import AGENCY_HEADING, split_marker
from indexer.targets import Target
from search.cite import display_date, document_label
from indexer.bm25 import SCHEMA
from search.live_index import OpenIndex
from search.question import CAPITALIZED, PERCENT, DocumentFact, Focus, Question

FLAGS = ("preamble", "blank_form", "no_figure", "no_measure", "no_person", "no_place", "other_agency")  # `Checker.flags`
AGENCY_MATCH = 0.8  # share of an agency heading's name that the question must carry to be about it
NAME_LOOKUP = 200  # passages read to tell whether any indexed document names a place or name
# An agency named in a question: `bố`/`bộ`, `bản`/`ban`, `hỏi`/`hội` and `trưởng`/`trường` fold together, so
# those words count only where the question has diacritics. `Sở nào` asks for an agency, it names none.
_AGENCY_WORDS = re.compile(r"\b(?:sở|phòng|ban|bộ|ủy ban|uỷ ban|ubnd|cơ quan|đơn vị|đảng ủy|huyện ủy|tỉnh ủy|hội|"
                           r"trường|trung tâm|công an|mặt trận)\b(?! nào\b)", re.IGNORECASE)
_AGENCY_WORDS_FOLDED = re.compile(r"\b(?:so|phong|uy ban|ubnd|co quan|don vi|dang uy|huyen uy|tinh uy|trung tam|"
                                  r"cong an|mat tran)\b(?! nao\b)")
_AGENCY_IN_TEXT = re.compile(r"\b(?:Sở|Phòng|Ban|Bộ|Ủy ban|Uỷ ban|UBND|HĐND|Văn phòng|Công an|Đảng ủy|Trường)\s+"
                             r"[A-ZĐÂĂÊÔƠƯ]")
_NAME_END = re.compile(r"[,:;(]")
_NUMBERED = re.compile(r"\b\d[\w.]*[/-][\w/&.-]+", re.IGNORECASE)  # a document code, in any case
_OPENS_WITH_AGENCY = re.compile(r"^\W*(?:uy ban|ubnd|so|phong|cac so|hoi dong|cong an|dang uy|huyen uy|tinh uy|"
                                r"trung tam|mat tran)\b")
SUBJECT_WORDS = 5  # the words of a sentence that name the agency it opens with
_FILLER = frozenset({"va", "cac", "cua", "lien", "quan"})
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%|phần trăm", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w/-])")
_NUMBERS_A_PART = re.compile(r"\b(?:chương trình|điều|chương|mục|phụ lục|khoản|điểm|số|khóa|phần|lớp|nhiệm vụ|"
                             r"giải pháp|cột|biểu|mẫu|dòng)\s*$", re.IGNORECASE)
# The blanks of a form to fill in (`ngày …. tháng …. năm ….`, `Số: …./GP-….`): a line with two is a template.
_BLANK = re.compile(r"(?:\.{3,}|…+)[.…]*")
BLANKS_OF_A_FORM = 2
_FILL_IN = re.compile(r"\.[.…]{3,}|…[.…]+")  # one blank to fill in: more dots than an ellipsis
_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\btháng\s+\w+\b|\bngày\s+\d{1,2}\b|\b\d{1,2}/\d{4}\b|\bgiai đoạn\b|"
                   r"\bquý\s+[IV\d]+|\bhằng năm\b|\bhàng năm\b|\bđịnh kỳ\b", re.IGNORECASE)
_SURNAMES = ("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Đoàn|Trịnh|Lương|Lâm|"
             "Mai|Tô|Hà|Tạ|Chu|Cao|Đào|Triệu|Lưu|Thái|Kiều|La|Quách|Vương|Nông|Hoàng|Lò|Lục|Vi|Tăng|Văn")
# A question that asks for a number (folded), and numbers written in words (`năm` and `tư` are left out:
# mostly the year's word, and `đầu tư`; `tỷ lệ` is a ratio and `một số` is "some", neither a number). The gold answers of all 88 answerable questions of the dev sets that
# ask `bao nhiêu`, `bao lâu`, a rate or a share state a quantity (`has_quantity`) or a number in words.
_ASKS_NUMBER = re.compile(r"\b(?:bao nhieu|bao lau|ty le|ti le|phan tram|how many|how much|how long|percent\w*)\b")
_NUMBER_WORDS = re.compile(r"\b(?:một(?! số\b)|hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|"
                           r"(?:tỷ|tỉ)(?! lệ\b)|nửa|toàn bộ|tất cả)\b", re.IGNORECASE)
# A question for an amount of money (folded): a fine, `bao nhiêu tiền`, `bao nhiêu tỷ đồng`; and an amount in
# đồng (folded). The gold answers of all 13 answerable such questions of the dev sets state one.
_ASKS_MONEY = re.compile(r"\bphat tien\b.*\b(?:bao nhieu|toi da|toi thieu)\b|\bbao nhieu tien\b|"
                         r"\bbao nhieu (?:(?:ty|ti|trieu|nghin|ngan) )?dong\b|\bhow much money\b")
_MONEY = re.compile(r"(?:\d[\d.,]*\s*|\b(?:ty|ti|trieu|nghin|ngan)\s+)dong\b")
# A time finer than a year: a day, a month, a quarter, a date written with slashes.
_WHEN_IN_YEAR = re.compile(r"\bngày\s+\d{1,2}\b|\btháng\s+(?:\d{1,2}|[^\W\d_]+\s+(?:năm\s+)?\d{4})\b|"
                           r"\bquý\s+[IV\d]+\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b", re.IGNORECASE)
_ASKS_DURATION = re.compile(r"\b(?:bao lau|(?:bao nhieu|may) (?:nam|thang|ngay|tuan|gio)|how long|"
                            r"how many (?:years|months|days|weeks|hours))\b")
_DURATION = re.compile(r"(?:\d[\d.,]*|\b(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|nửa))\s*"
                       r"(?:năm|tháng|ngày|tuần|giờ|phút)\b|\b(?:chung thân|vô thời hạn|không thời hạn|suốt đời)\b",
                       re.IGNORECASE)
# A question for the penalty (folded), and a penalty stated (folded): the gold answers of all 7 answerable
# such questions of the dev sets state one.
_ASKS_PENALTY = re.compile(r"\b(?:bi phat (?:nhu the nao|the nao|ra sao|gi)|(?:bi|chiu) (?:hinh phat|muc phat) "
                           r"(?:nao|gi|nhu the nao)|bi xu phat (?:nhu the nao|the nao|ra sao)|what (?:is the )?penalty)\b")
_PENALTY = re.compile(r"\b(?:phat tu|phat tien|cai tao khong giam giu|tu chung than|tu hinh|canh cao|truc xuat|"
                      r"quan che|cam cu tru)\b")
_PERSON = re.compile(rf"(?<!\w)(?:{_SURNAMES})(?:\s{CAPITALIZED}){{1,3}}(?!\w)")
_PLACE_NAME = re.compile(rf"\b(?i:tỉnh|huyện|thành phố|thị xã|quận|xã|phường)\s+{CAPITALIZED}")
# A place of the level a question asks for (`huyện nào`, `which province`): `thành phố` names a province or a
# district, so it answers both.
_ASKED_LEVEL = re.compile(r"\b(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran) nao\b|"
                          r"\b(?:which|what) (province|city|district|town|commune|ward)\b")
_LEVEL_UNITS = {"province": "tỉnh|thành phố", "district": "huyện|quận|thị xã|thành phố",
                "commune": "xã|phường|thị trấn"}
_LEVEL_OF = {"tinh": "province", "province": "province", "huyen": "district", "quan": "district",
             "thi xa": "district", "district": "district", "town": "district", "xa": "commune",
             "phuong": "commune", "thi tran": "commune", "commune": "commune", "ward": "commune"}
_PREAMBLE = re.compile(r"^\W*(?:Thực hiện|Triển khai|Căn cứ|Theo|V/v|Về việc)\b(?=.*(?:\d+/|\d+-[A-ZĐ]|như sau))|"
                       r"như sau\s*:\s*$", re.IGNORECASE | re.DOTALL)
_DONE = re.compile(r"\b(?:da|did|was|were|has|have|achieved|completed)\b")  # folded: `đã hoàn thành`, `what did`
_YEAR_IN_TEXT = re.compile(r"\bnăm(?: học)?\s+((?:19|20)\d\d)(?:\s*-\s*((?:19|20)\d\d))?\b", re.IGNORECASE)
_DATE_TEXT = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\b\d{1,2}\s+tháng\s+[\wà-ỹ ]{2,9}?\s+\d{4}\b|"
                        r"\b\d{1,2}/\d{1,2}/\d{4}\b", re.IGNORECASE)
NO_FIGURE = "các đoạn liên quan không nêu con số được hỏi."
NO_PLACE = "các đoạn liên quan không nêu tên địa phương được hỏi."
_HEAD = 1500  # characters of a document searched for its date line
_FIRST_OFFENSE = re.compile(r"^\s*1\.\s+(Người nào\b[^\n]*?),?\s+thì bị\b", re.MULTILINE)
HEAD_CHARS = 300  # characters of a document's opening that count as the context of all its passages


def focus_match(focus: Focus, sentence: str, heading: str = "") -> float:
    """1 when the sentence (or, for an agency, its own heading) carries what the focus asks for, 0.5 for a
    weaker match, else 0."""
    if focus is Focus.AGENCY:
        return 1.0 if AGENCY_HEADING.match(heading) else 0.5 if _AGENCY_IN_TEXT.search(sentence) else 0.0
    if focus is Focus.QUANTITY:
        return 1.0 if _PERCENT.search(sentence) else 0.5 if has_quantity(sentence) else 0.0
    if focus is Focus.TIME:
        return 1.0 if _TIME.search(sentence) else 0.0
    if focus is Focus.PERSON:
        return 1.0 if _PERSON.search(sentence) else 0.0
    if focus is Focus.PLACE:
        return 1.0 if _PLACE_NAME.search(sentence) else 0.0
    return 0.0


def counts_in(text: str, measure: str) -> bool:
    """Does the text give a number counted in `measure`: `08 ngày làm việc` for `ngày`, `52,19%` for
    `phần trăm`? Compared without diacritics."""
    unit = fold(measure)
    if unit == fold(PERCENT) and _PERCENT.search(text):
        return True
    return re.search(rf"\d[\d.,]*\s*{re.escape(unit)}\b", fold(text)) is not None


def asks_when_within(question: Question) -> bool:
    """A question for when something happens within the year or period it names (`When does the 2024-2025
    school year start?`): the period itself does not answer it."""
    return question.focus is Focus.TIME and question.years is not None


def _asked_place(question: str) -> re.Pattern:
    """A place name of the level the (folded) question asks for; any place when it names no level."""
    match = _ASKED_LEVEL.search(question)
    level = _LEVEL_OF.get(match.group(1) or match.group(2)) if match else None
    if level is None:
        return _PLACE_NAME
    return re.compile(rf"\b(?i:{_LEVEL_UNITS[level]})\s+{CAPITALIZED}")


def has_quantity(text: str) -> bool:
    """A number that is not a year, a date, part of a code, nor the number of a part or a class
    (`Chương trình 5`, `Điều 3`, `lớp 1`)."""
    return any((not (1900 <= _value(m.group(1)) <= 2099) or _PERCENT.match(text, m.start()))
               and not _NUMBERS_A_PART.search(text, 0, m.start()) for m in _NUMBER.finditer(text))


def _value(number: str) -> float:
    try:
        return float(number.replace(".", "").replace(",", "."))
    except ValueError:
        return 0.0


class Checker:
    """The checks of one question, with the documents' folded texts read once."""

    def __init__(self, index: OpenIndex, question: Question, other_forms: set[str] = frozenset()):
        """`other_forms`: folded words of the question's abbreviations written out (`GD&ĐT` -> giao, duc,
        va, dao, tao), so that `Sở GD&ĐT` is about the heading `Sở Giáo dục và Đào tạo`."""
        self.index = index
        self.question = question
        self._texts: dict[str, str] = {}
        self._raw: dict[str, str] = {}
        self._heads: dict[str, str] = {}
        self._targets: dict[str, list[Target]] = {}
        self._nowhere: dict[str, bool] = {}
        self._in_passage: dict[str, list[tuple[int, int, Target]]] = {}
        text = question.text
        text = _NUMBERED.sub(" ", text)  # `UBND` in `43/KH-UBND` (`43/kh-ubnd`) names a document, not an agency
        self._asks_number = bool(_ASKS_NUMBER.search(fold(question.asked).lower()))
        self._asks_duration = bool(_ASKS_DURATION.search(fold(question.asked).lower()))
        self._asks_money = bool(_ASKS_MONEY.search(fold(question.asked).lower()))
        self._asks_penalty = bool(_ASKS_PENALTY.search(fold(question.asked).lower()))
        self._measure_nowhere = question.measure not in (None, PERCENT) and \
            index.bm25.searcher().doc_freq("folded", fold_token(question.measure)) == 0
        self._asked_place = _asked_place(fold(question.asked).lower()) if question.focus is Focus.PLACE else None
        self._asks_agency = bool(_AGENCY_WORDS.search(text) if has_diacritics(text) else _AGENCY_WORDS_FOLDED.search(text))
        self._tokens = {fold_token(t) for t in index_syllables(text)} | set(other_forms)

    def document_text(self, doc: str) -> str:
        """The document's facts and text, folded, for finding names in it."""
        if doc not in self._texts:
            self._read(doc)
        return self._texts[doc]

    def lead_in(self, doc: str, heading: str) -> str:
        """The whole line that `heading` (cut with `…` when long) opens in the document, when the line is a
        lead-in to a list, ending with a colon; else empty."""
        text, start = self.stored_text(doc), heading.removesuffix("…").strip()
        at = text.find(start) if start else -1
        line = text[at:text.find("\n", at) if text.find("\n", at) >= 0 else len(text)].strip() if at >= 0 else ""
        return line if line.endswith(":") else ""

    def offense(self, doc: str) -> str:
        """What a criminal-law article's first clause says is the offense (`Người nào … chứa chấp việc sử
        dụng trái phép chất ma túy`, before `thì bị phạt`), which its later clauses call `Phạm tội`; else
        empty."""
        match = _FIRST_OFFENSE.search(self.stored_text(doc)[:HEAD_CHARS * 4])
        return match.group(1) if match else ""

    def named_nowhere(self, name: str) -> bool:
        """Whether no indexed document names `name` (`Cao Bằng`, not the `nâng cao bằng …` of a sentence):
        the documents whose passages have its first two syllables side by side, read as `names` reads one."""
        if name not in self._nowhere:
            folded = [fold_token(t) for t in index_syllables(name)]
            token = "_".join(folded[:2])
            searcher = self.index.bm25.searcher()
            query = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, field, token))
                                                 for field in ("folded", "ctx_folded")])
            vec_ids = [searcher.doc(address)["vec_id"][0]
                       for _, address in searcher.search(query, NAME_LOOKUP, count=False).hits]
            docs = {chunk.doc for chunk in self.index.store.chunks_by_vec_ids(vec_ids).values()}
            self._nowhere[name] = not any(self._names_as_written(doc, name) for doc in docs)
        return self._nowhere[name]

    def code_nowhere(self, code: str) -> bool:
        """Whether no indexed document bears `code` as its number or cites it: a question about that document
        cannot be answered from these."""
        return self.index.bm25.searcher().doc_freq("codes", code_token(code)) == 0

    def _names_as_written(self, doc: str, name: str) -> bool:
        """`names`, but for a name typed with capitals or diacritics, written so in the document (`Cao Bằng`,
        `CAO BẰNG`), not only its folded syllables (`nâng cao bằng`)."""
        if name == fold(name).lower():
            return self.names(doc, name)
        stored = self.index.store.document(doc)
        text = normalize_tone(stored.text) if stored else ""
        written = normalize_tone(" ".join(name.split()))
        return written in text or written.upper() in text

    def names(self, doc: str, name: str) -> bool:
        """Whether the document (its facts or its text) names `name`, diacritics and hyphens aside."""
        return _flat(name) in self.document_text(doc)

    def stored_text(self, doc: str) -> str:
        """The document's stored text, as extracted."""
        if doc not in self._raw:
            self._read(doc)
        return self._raw[doc]

    def document_head(self, doc: str) -> str:
        """What a passage of the document is about besides its own words: the title, number and issuer and
        the opening of the text (`Báo cáo ... của Đảng ủy Khối ...`)."""
        if doc not in self._heads:
            self._read(doc)
        return self._heads[doc]

    def _read(self, doc: str) -> None:
        stored = self.index.store.document(doc)
        meta = self.index.documents[doc].meta
        facts = " ".join(v for v in (meta.printed("title"), meta.number, meta.printed("issuer"), meta.place,
                                     meta.province, meta.printed("locality")) if v)
        text = stored.text if stored else ""
        self._raw[doc] = text
        self._texts[doc] = _flat(f"{facts} {text}")
        self._heads[doc] = f"{facts} {text[:HEAD_CHARS]}"

    def agency_fit(self, section: str, sentence: str = "") -> float:
        """1 when the passage sits under the heading of an agency the question names, or the sentence opens
        with it (`Ủy ban nhân dân huyện xây dựng …` under another agency's heading); -1 when only other
        agencies are named so while the question names one; else 0."""
        if not self._asks_agency:
            return 0.0
        names = _agency_names(section)
        sentence = split_marker(sentence.strip())[1]  # `1. Ủy ban nhân dân huyện …` opens with the agency
        if _OPENS_WITH_AGENCY.match(fold(sentence)):
            names.append(" ".join(sentence.split()[:SUBJECT_WORDS]))
        fits = [self._share(name) for name in names]
        if not fits:
            return 0.0
        return 1.0 if max(fits) >= AGENCY_MATCH else -1.0

    def _share(self, name: str) -> float:
        words = [w for w in (fold_token(t) for t in index_syllables(name)) if w not in _FILLER]
        return sum(1 for w in words if w in self._tokens) / len(words) if words else 0.0

    def veto(self, hit, sentence: str, target: Target | None = None) -> str | None:
        """Why `sentence` of `hit` certainly cannot answer, or None: no document bears or cites a code the
        question names, its document does not name a place or name the question names, its period is another than the one asked, it holds the targets of several
        periods (each of which is a candidate of its own), or its target is of another level."""
        q = self.question
        for code in q.codes:
            if self.code_nowhere(code):
                return f"không văn bản nào mang số hoặc nhắc đến {code}."
        for name in q.places + q.names:
            if not self.names(hit.doc, name):
                if self.named_nowhere(name):
                    return f"không văn bản nào nhắc đến {name}."
                return f"văn bản {self._label(hit.doc)} không nhắc đến {name}."
        if q.years and (not self._overlaps(hit, sentence, target) or self._issued_before(hit.doc)):
            asked = str(q.years[0]) if q.years[0] == q.years[1] else f"{q.years[0]} - {q.years[1]}"
            return f"không đoạn nào nói về {asked} (gần nhất: {self._label(hit.doc)})."
        if q.years and target is None and len(self._periods_within(hit, sentence)) > 1:
            return "câu nêu chỉ tiêu của nhiều giai đoạn; câu trả lời là chỉ tiêu của giai đoạn được hỏi."
        if q.levels and target and target.levels and not set(q.levels) & set(target.levels):
            return f"chỉ tiêu của cấp học khác ({', '.join(target.levels)})."
        return None

    def lacks_what_is_asked(self, answer: str, heading: str) -> str | None:
        """Why `answer` certainly cannot answer the question, else None: asked how many (or how long, what
        share), it states no quantity, in digits or in words, or what it is counted in (`tiết`) occurs in no
        indexed document; asked an amount of money, no amount in đồng; asked the penalty, none; asked how
        long, no length of time; asked which district or province, neither it nor its heading names one."""
        if self._measure_nowhere:
            return f"không văn bản nào nhắc đến “{self.question.measure}”, nên không văn bản nào nêu số {self.question.measure} được hỏi."
        if self._asks_number and not (has_quantity(answer) or _NUMBER_WORDS.search(answer)):
            return NO_FIGURE
        if self._asks_duration and not _DURATION.search(answer):
            return "các đoạn liên quan không nêu khoảng thời gian được hỏi."
        if asks_when_within(self.question) and not self._says_when_within(answer):
            return "các đoạn liên quan không nêu thời điểm được hỏi, chỉ nêu giai đoạn."
        if self._asks_money and not _MONEY.search(fold(answer).lower()):
            return "các đoạn liên quan không nêu số tiền được hỏi."
        if self._asks_penalty and not _PENALTY.search(fold(answer).lower()):
            return "các đoạn liên quan không nêu hình phạt được hỏi."
        if self._asked_place and not self._asked_place.search(f"{heading}\n{answer}"):
            return NO_PLACE
        return None

    def _says_when_within(self, answer: str) -> bool:
        """Whether `answer` says when, more precisely than the period the question names: a day, a month or a
        quarter, or a year or period within the one asked (`năm 2027` for `giai đoạn 2026 - 2030`)."""
        if _WHEN_IN_YEAR.search(answer):
            return True
        start, end = self.question.years
        span = years_of(answer)
        return span is not None and start <= span[0] and span[1] <= end and span != (start, end)

    def flags(self, sentence: str, agency_fit: float) -> dict[str, str]:
        """What speaks against `sentence` as an answer without ruling it out, by name, each with its reason in
        Vietnamese: evidence weighed by the answer model (`search.evidence`), not vetoes."""
        q = self.question
        checks = (
            ("preamble", _PREAMBLE.search(sentence), "câu mở đầu hoặc câu tóm tắt nội dung của văn bản, không phải câu trả lời."),
            ("blank_form", len(_BLANK.findall(sentence)) >= BLANKS_OF_A_FORM,
             "dòng của một mẫu để trống (…), không phải câu trả lời."),
            ("no_figure", q.focus is Focus.QUANTITY and not has_quantity(sentence),
             NO_FIGURE),
            ("no_measure", q.focus is Focus.QUANTITY and q.measure and not counts_in(sentence, q.measure),
             f"các đoạn liên quan không nêu số {q.measure} được hỏi."),
            ("no_person", q.focus is Focus.PERSON and not _PERSON.search(sentence),
             "các đoạn liên quan không nêu tên người được hỏi."),
            ("no_place", q.focus is Focus.PLACE and not _PLACE_NAME.search(sentence),
             NO_PLACE),
            ("other_agency", agency_fit < 0, "các đoạn tìm được giao nhiệm vụ cho cơ quan khác."),
        )
        return {name: reason for name, failed, reason in checks if failed}

    def _overlaps(self, hit, sentence: str, target: Target | None) -> bool:
        start, end = self.question.years
        if target is not None and target.year_to:
            span = (target.year_from or self._deadline_start(hit, target), target.year_to)
        else:
            span = years_of(sentence) or years_of(hit.section) or self.plan_years(hit.doc)
        if span is None:  # a text of no period (a law): about the year asked only where it names it
            return any(re.search(rf"\b{year}\b", self.document_text(hit.doc)) for year in range(start, end + 1))
        return span[0] <= end and start <= span[1]

    def _issued_before(self, doc: str) -> bool:
        """A question about what was done (`đã`) in a period that starts after the document was issued: a
        report cannot tell what happened after it was written."""
        meta = self.index.documents[doc].meta
        return bool(_DONE.search(fold(self.question.asked))) and meta.year is not None \
            and meta.year < self.question.years[0]

    def _deadline_start(self, hit, target: Target) -> int:
        """The first year a deadline target (`đạt 98% vào năm 2030`) is in force: the year after the
        sentence's previous deadline (`95% vào năm 2025`), else the start of the plan's period."""
        earlier = [t.year_to for _, _, t in self.targets_in(hit)
                   if t.sentence == target.sentence and t.year_from is None and t.year_to and t.year_to < target.year_to]
        if earlier:
            return max(earlier) + 1
        plan = self.plan_years(hit.doc)
        return plan[0] if plan and plan[0] <= target.year_to else target.year_to

    def targets_in(self, hit) -> list[tuple[int, int, Target]]:
        """The plan's extracted targets whose clause lies in the passage: (start, end in the passage text,
        target)."""
        if hit.chunk_id not in self._in_passage:
            found = [(hit.text.find(t.sentence), t) for t in self.plan_targets(hit.doc)
                     if t.section_ordinal == hit.section_ordinal]
            self._in_passage[hit.chunk_id] = [(start, start + len(t.sentence), t) for start, t in found if start >= 0]
        return self._in_passage[hit.chunk_id]

    def plan_targets(self, doc: str) -> list[Target]:
        """Every target the plan sets, in document order."""
        if doc not in self._targets:
            self._targets[doc] = self.index.store.targets(doc)
        return self._targets[doc]

    def _periods_within(self, hit, sentence: str) -> set[tuple[int | None, int | None]]:
        return {(t.year_from, t.year_to) for _, _, t in self.targets_in(hit) if t.sentence in sentence}

    def plan_years(self, doc: str) -> tuple[int, int] | None:
        meta = self.index.documents[doc].meta
        return (meta.period_start or meta.period_end, meta.period_end) if meta.period_end else None

    def _label(self, doc: str) -> str:
        return document_label(self.index.documents[doc].meta)

    def document_asked(self, hits) -> str | None:
        """The document a question about a document's own facts is about: the one whose number it names,
        else the best passage's document that names every place and name it names."""
        for code in self.question.codes:
            for doc, stored in self.index.documents.items():
                if stored.meta.number and fold(stored.meta.number) == fold(code):
                    return doc
        names = self.question.places + self.question.names
        return next((h.doc for h in hits if all(self.names(h.doc, n) for n in names)), None)

    def document_fact(self, doc: str, fact: DocumentFact) -> tuple[str, str] | None:
        """(answer, citation) for a document's date or signer, read from its header or signature."""
        meta = self.index.documents[doc].meta
        stored = self.index.store.document(doc)
        if stored is None:
            return None
        label = document_label(meta)
        if fact is DocumentFact.DATE and meta.date:
            return _date_text(stored.text, meta), f"{label}, phần đầu văn bản"
        if fact is DocumentFact.SIGNER:
            signer = signature(stored.text)
            return (signer, f"{label}, phần ký tên") if signer else None
        if fact is DocumentFact.NUMBER and meta.number:
            return f"Số {meta.number}", f"{label}, phần đầu văn bản"
        return None


def signature(text: str) -> str | None:
    """The signer: the last line that is a person's name alone (under a title in capitals) or a byline
    `Name - title`, with the title lines above it or the line after a byline."""
    lines = [line.strip() for line in text.splitlines()]
    for n in range(len(lines) - 1, -1, -1):
        match = _PERSON.match(lines[n])
        if not match:
            continue
        rest = lines[n][match.end():].strip()
        if rest.startswith(("-", "–", ",")):
            following = lines[n + 1] if n + 1 < len(lines) and lines[n + 1] and len(lines[n + 1]) < 80 else ""
            return " ".join(f"{lines[n]} {following}".split())
        if not rest:
            titles = [line for line in lines[max(0, n - 6):n] if line and line.isupper() and len(line) < 60]
            return f"{match.group(0)} ({', '.join(titles)})" if titles else None
    return None


def _date_text(text: str, meta: DocumentMeta) -> str:
    """The document's date as its header writes it (`ngày 23 tháng 02 năm 2022`, `19 Tháng Chín 2019`)."""
    for match in _DATE_TEXT.finditer(text[:_HEAD]):
        raw = " ".join(match.group(0).split())
        if meta.year and str(meta.year) in raw:
            return raw[0].upper() + raw[1:] if raw.lower().startswith("ngày") else f"Ngày {raw}"
    return f"Ngày {display_date(meta.date)}"


def blank_form_share(text: str) -> float:
    """The share of a passage's lines that have a blank to fill in (`Tháng...... năm 2022`): a form's."""
    lines = [line for line in text.splitlines() if line.strip()]
    return sum(1 for line in lines if _FILL_IN.search(line)) / len(lines) if lines else 0.0


_WORD = re.compile(r"^[^\W\d_]+$")
_TOKEN_EDGES = ".,;:()[]\"“”'!?…-–"
TEXT_WORDS = 0.5  # the lowest word share of a passage in legal-qa, samples-legal and the plans is 0.73
TABLE_BORDERS = 0.1  # an OCR'd table: `| 28 |TiêuhọcHươngLâm2 | 3 |`; no passage of those sets has one


def reads_as_text(text: str) -> bool:
    """Whether a passage is text rather than a table of figures, a scan's OCR of a table or a blank form's
    dotted lines: at least `TEXT_WORDS` of its tokens are words (letters only, punctuation aside) and fewer
    than `TABLE_BORDERS` hold a cell border `|`."""
    tokens = [t for t in (token.strip(_TOKEN_EDGES) for token in text.split()) if t]
    if not tokens:
        return True
    words = sum(1 for t in tokens if _WORD.match(t))
    borders = sum(1 for t in tokens if "|" in t)
    return words >= TEXT_WORDS * len(tokens) and borders < TABLE_BORDERS * len(tokens)


def years_of(text: str) -> tuple[int, int] | None:
    """The years a text's first period or year spans (`(0, 2025)` for `đến năm 2025`)."""
    period = period_in(text)
    if period:
        return (period.start or period.end, period.end) if period.start else (0, period.end)
    match = _YEAR_IN_TEXT.search(text)
    if match:
        return int(match.group(1)), int(match.group(2) or match.group(1))
    return None


def _agency_names(section: str) -> list[str]:
    """The agency names in a heading path: `IV. ... › 5. Sở Lao động - Thương binh và Xã hội` ->
    [`Sở Lao động - Thương binh và Xã hội`]; a name ends at the first comma, colon or parenthesis."""
    out = []
    for heading in section.split(" › ") if section else []:
        name = split_marker(heading)[1].strip()
        if AGENCY_HEADING.match(name):
            out.append(_NAME_END.split(name, 1)[0])
    return out


def _flat(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())
