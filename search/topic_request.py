"""A question that asks which plans address a topic (`Những kế hoạch nào đề cập đến chuyển đổi số?`, `Which
plans address teacher training?`): its answer is a list of plans, the researchers' topic view, not one
sentence. A question naming a document code (`Văn bản nào triển khai 51-KL/TW?`) is about that document's
lineage instead (`search.code_questions`)."""

from __future__ import annotations

import re

from vietnamese.normalize import find_codes, fold

_DOCUMENTS = r"(?:ke hoach|van ban|tai lieu|nghi quyet|bao cao|chuong trinh|de an|don vi|dia phuong|tinh|huyen)"
_ABOUT = (r"(?:de cap|noi ve|noi den|ban ve|viet ve|nhac den|nhac toi|lien quan|co noi dung|co muc|co phan|"
          r"dat muc tieu|quan tam|chu trong|tap trung)")
_VIETNAMESE = re.compile(
    rf"^(?:trong (?:cac|nhung) (?:ke hoach|van ban)(?: da lap chi muc)?,?\s+)?(?:co\s+)?(?:nhung|cac)?\s*"
    rf"{_DOCUMENTS}\s+nao\s+(?:co\s+)?{_ABOUT}(?:\s+(?:rieng|cu the|ro))?(?:\s+(?:den|toi|ve|cho|tai))?\s+(?P<topic>.{{3,}}?)"
    rf"[\s?.!]*$")
_LIST_REQUEST = re.compile(rf"^(?:tim|liet ke|cho (?:toi|biet))\s+(?:tat ca\s+)?(?:cac|nhung)\s+{_DOCUMENTS}\s+"
                           rf"(?:co\s+)?(?:{_ABOUT}\s+)?(?:den|toi|ve)\s+(?P<topic>.{{3,}}?)[\s?.!]*$")
_ENGLISH = re.compile(r"^(?:which|what)\s+(?:plans?|documents?|reports?|provinces?|districts?)\s+"
                      r"(?:address|addresses|mention|mentions|cover|covers|deal with|deals with|discuss|discusses|"
                      r"are about|is about|talk about|concern|concerns|relate to|relates to|set targets for|"
                      r"focus on|focuses on)\s+(?P<topic>.{3,}?)[\s?.!]*$")


def topic_asked(question: str) -> str | None:
    """The topic, as typed, of a question that asks which plans address it; None for any other question."""
    text = " ".join(question.split())
    if find_codes(text):
        return None
    folded = fold(text).lower()
    if len(folded) != len(text):  # positions in the folded text must be those of the typed text
        return None
    for pattern in (_VIETNAMESE, _LIST_REQUEST, _ENGLISH):
        match = pattern.match(folded)
        if match:
            return text[match.start("topic"):match.end("topic")]
    return None
