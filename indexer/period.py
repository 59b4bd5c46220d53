"""The period a plan or a target covers: `giai đoạn 2021 - 2025, định hướng đến năm 2030`,
`năm học 2018 - 2019`, `đến năm 2025`."""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = r"(?:19|20)\d\d"
_RANGE = re.compile(rf"\b(?:giai đoạn|năm học|thời kỳ|từ năm)?\s*({_YEAR})\s*(?:-|–|—|đến)\s*({_YEAR})\b", re.IGNORECASE)
_VISION = re.compile(rf"\b(?:định hướng|tầm nhìn)\s+(?:đến\s+)?(?:năm\s+)?({_YEAR})\b", re.IGNORECASE)
_BY_YEAR = re.compile(rf"\b(?:đến|trong|vào|từ nay đến|đến hết|đến cuối)\s+năm\s+({_YEAR})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    text: str  # "2021 - 2025, định hướng đến năm 2030"
    start: int | None
    end: int  # the last year it covers, the vision's year included


def period_in(text: str) -> Period | None:
    """The first period stated in `text`: a range of years (with its vision year, if any), or a
    deadline year (`đến năm 2025`); None when it states none."""
    if match := _RANGE.search(text):
        start, end = int(match.group(1)), int(match.group(2))
        if not start <= end <= start + 30:
            return None
        vision = _VISION.search(text, match.end())
        if vision and int(vision.group(1)) > end:
            return Period(f"{start} - {end}, định hướng đến năm {vision.group(1)}", start, int(vision.group(1)))
        return Period(f"{start} - {end}", start, end)
    if match := _BY_YEAR.search(text) or _VISION.search(text):
        return Period(match.group(1), None, int(match.group(1)))
    return None
