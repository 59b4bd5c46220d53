"""What a document says about itself outside its administrative header, for documents whose header is
missing or silent: the body that issues it (`Ban Thường vụ Huyện ủy xây dựng kế hoạch …`, a web portal's
`CƠ QUAN CHỦ QUẢN: …`), who signed it (the signature block), a record's day (`Hôm nay, ngày 19 tháng 10 năm
2020`), and, when nothing gives a title, one taken from its first heading or sentence. Each such field is
named in `DocumentMeta.from_text`."""

from __future__ import annotations

import re

from indexer.boilerplate import SIGNATURE, WEB, looks_like_person_name
from indexer.layout import Paragraph, is_all_caps
from indexer.metadata import DocumentMeta, iso_date, short_issuer
from vietnamese.normalize import fold

OPENING_PARAGRAPHS = 3  # where a plan or report says who wrote it
RECORD_OPENING = 12  # where a record says when it sits, after the `Căn cứ …` lines of its preamble
DERIVED_TITLE_WORDS = 16
_ORGANS = (r"Ban Thường vụ|Ban Chấp hành|Ban Thường trực|Ban Tuyên giáo|Đảng ủy|Đảng bộ|Ủy ban nhân dân|UBND|"
           r"Hội đồng nhân dân|HĐND|Sở|Phòng|Huyện ủy|Tỉnh ủy|Thành ủy|Quận ủy|Thị ủy|Trường|Trung tâm")
# The subject of a sentence (after its start, `;` or `,`) that makes the plan or leads the work.
_BODY_ISSUER = re.compile(rf"(?:^|[;,:.]\s+)(?P<body>(?:{_ORGANS})(?:\s+[^\s,;.:()“”\"]+){{0,10}}?)"
                          r"\s*(?:\([^)]{1,20}\)\s*)?(?:đã\s+)?(?:xây dựng|ban hành|chỉ đạo)\s+(?!của\b)")
_PORTAL_OWNER = re.compile(r"^CƠ QUAN (?:ĐƠN VỊ )?CHỦ QUẢN\s*:\s*(?P<body>.{3,80})$", re.IGNORECASE)
_POSITIONS = ("PHÓ THỦ TƯỚNG", "THỦ TƯỚNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "PHÓ CHỦ TỊCH", "CHỦ TỊCH",
              "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "PHÓ BÍ THƯ", "BÍ THƯ", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG PHÒNG",
              "PHÓ TRƯỞNG BAN", "TRƯỞNG BAN", "PHÓ HIỆU TRƯỞNG", "HIỆU TRƯỞNG", "CHÁNH VĂN PHÒNG")
_POSITION = re.compile(r"(?:^|\s)(" + "|".join(_POSITIONS) + r")$")
_UNIT_CASE = re.compile(r"(?<=UBND )(?:Thành phố|Thành Phố|Thị xã|Thị Xã|Tỉnh|Huyện|Quận)\b")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s")
_TODAY = re.compile(r"\bhom nay\W{0,3}(?:vao\s+)?(?:hoi\s+[^,]{0,20}\s+)?ngay\s+(\d{1,2})\s+thang\s*(\d{1,2})\W*nam\s+(\d{4})")


def read_body_facts(meta: DocumentMeta, paragraphs: list[Paragraph], labels: list[str | None]) -> None:
    """Fill the issuer, the signer and the title from the body where the header gave none."""
    content = [p.text for p, label in zip(paragraphs, labels) if label is None]
    if meta.issuer is None:
        issuer = _issuer_in(content[:OPENING_PARAGRAPHS]) or _portal_owner(paragraphs, labels)
        if issuer:
            meta.issuer = _UNIT_CASE.sub(lambda m: m.group(0).lower(), issuer)
            meta.issuer_short = short_issuer(meta.issuer)
            meta.from_text.append("issuer")
    signed = [p.text for p, label in zip(paragraphs, labels) if label == SIGNATURE]
    meta.signer, meta.signer_title = signer_in(signed)
    if meta.title is None and content:
        meta.title = derived_title(content[0])
        meta.from_text.append("title")
    if meta.date is None and meta.doc_type == "Biên bản":
        meta.date = _meeting_day(content[:RECORD_OPENING])
        if meta.date:
            meta.from_text.append("date")


def _meeting_day(opening: list[str]) -> str | None:
    """A record's day from its opening `Hôm nay, ngày 19 tháng 10 năm 2020, …` (a biên bản dates itself so,
    not in its header)."""
    for text in opening:
        if match := _TODAY.search(fold(text)):
            return iso_date(match.group(3), match.group(2), match.group(1))
    return None


def _issuer_in(opening: list[str]) -> str | None:
    for text in opening:
        if match := _BODY_ISSUER.search(text):
            return match.group("body")
    return None


def _portal_owner(paragraphs: list[Paragraph], labels: list[str | None]) -> str | None:
    """The body that owns the web portal an article was taken from."""
    for paragraph, label in zip(paragraphs, labels):
        if label == WEB and (match := _PORTAL_OWNER.match(paragraph.text.strip())):
            return match.group("body").strip()
    return None


def signer_in(signature: list[str]) -> tuple[str | None, str | None]:
    """(`Dương Xuân Huyên`, `Phó Chủ tịch`) from the lines of a signature block (`KT. CHỦ TỊCH`, `PHÓ CHỦ
    TỊCH`, the name): the last name in it and the last position named before that name."""
    names = [i for i, text in enumerate(signature) if looks_like_person_name(text.strip())]
    if not names:
        return None, None
    name = names[-1]
    position = next((m.group(1) for text in reversed(signature[:name])
                     if is_all_caps(text) and (m := _POSITION.search(text.strip()))), None)
    return signature[name].strip(), _position_name(position) if position else None


def _position_name(position: str) -> str:
    """`PHÓ CHỦ TỊCH` -> `Phó Chủ tịch`, as a signature is cited."""
    deputy = position.startswith("PHÓ ")
    return ("Phó " + position[4:].capitalize()) if deputy else position.capitalize()


def derived_title(first: str) -> str:
    """A title for a document that prints none: its first heading or sentence, cut to a citation's length."""
    sentence = _SENTENCE_END.split(first.strip(), maxsplit=1)[0].rstrip(" .;:")
    words = sentence.split()
    return " ".join(words[:DERIVED_TITLE_WORDS]) + ("…" if len(words) > DERIVED_TITLE_WORDS else "")
