"""A figure a plan sets once per period, answered for every period when the question names none.

`Tỷ lệ học sinh tốt nghiệp THPT đạt bao nhiêu?` over a plan whose part `1. Giai đoạn 2021 - 2025` sets
`Trên 97% …` and whose part `2. Giai đoạn 2026 - 2030` sets `Trên 98% …` is answered with both, each
labelled with its period, in time order; one figure alone would be a wrong answer for the other period.
The same figure is the same indicator (its wording, folded, nearly the same), unit and education levels.
"""

from __future__ import annotations

from indexer.targets import Target
from vietnamese.normalize import fold

SAME_WORDING = 0.8  # the share of syllables two indicators share (Jaccard) to be the same indicator


def period_label(target: Target) -> str:
    """`Giai đoạn 2021 - 2025`, `Đến năm 2030`; empty when the target has no period."""
    if not target.period:
        return ""
    return f"{'Giai đoạn' if target.year_from else 'Đến năm'} {target.period}"


def other_periods(chosen: Target, plan_targets: list[Target]) -> list[Target]:
    """The plan's targets for the same indicator in the other periods, one per period (the closest in
    wording), in time order with `chosen`; [chosen] when the plan sets the figure for one period only."""
    if not chosen.period:
        return [chosen]
    best: dict[str, tuple[float, Target]] = {}
    for target in plan_targets:
        if target.period in (None, chosen.period) or target.unit != chosen.unit or \
                sorted(target.levels) != sorted(chosen.levels):
            continue
        overlap = _wording_overlap(chosen.indicator, target.indicator)
        if overlap >= SAME_WORDING and overlap > best.get(target.period, (0.0, None))[0]:
            best[target.period] = (overlap, target)
    found = [chosen] + [target for _, target in best.values()]
    return sorted(found, key=lambda t: (t.year_to or 0, t.year_from or 0))


def _wording_overlap(first: str, second: str) -> float:
    a, b = set(fold(first).split()), set(fold(second).split())
    return len(a & b) / len(a | b) if a | b else 0.0
