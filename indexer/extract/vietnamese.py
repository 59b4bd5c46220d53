"""Is a piece of extracted text usable Vietnamese, or a layer that needs OCR?"""

from __future__ import annotations

import re

from vietnamese.normalize import fold

_WORD = re.compile(r"[^\W\d_]+")
# Very frequent syllables of Vietnamese administrative text, folded: a page of diacritic-free
# Vietnamese is full of them, an English page is not.
_COMMON_FOLDED = frozenset(
    "va cua cac nhung trong cho nam duoc voi la co theo tren ve thuc hien giao duc hoc truong "
    "ke hoach nhan dan tinh huyen xa nguoi cong tac quan ly day nghiep".split()
)
MIN_CHARS = 20


def is_usable_vietnamese(text: str) -> bool:
    """False for an empty layer, and for Vietnamese without diacritics (an old OCR layer)."""
    if len(text.strip()) < MIN_CHARS:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 5:
        return True
    accented = sum(1 for w in words if fold(w) != w)
    common = sum(1 for w in words if w in _COMMON_FOLDED)
    looks_vietnamese_without_marks = common / len(words) > 0.12
    return not (accented / len(words) < 0.08 and looks_vietnamese_without_marks)
