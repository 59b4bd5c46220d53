"""Fusion of ranked lists, as small strategies chosen by name."""

from __future__ import annotations

from collections.abc import Callable

Ranking = list[tuple[int, float]]

RRF_K = 60


def rrf(rankings: list[tuple[Ranking, float]]) -> Ranking:
    """Weighted reciprocal-rank fusion: sum of weight / (RRF_K + rank)."""
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, (item, _) in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (RRF_K + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def weighted_sum(rankings: list[tuple[Ranking, float]]) -> Ranking:
    """Scores min-max normalized per list, then summed with weights; a missing item counts 0."""
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        if not ranking:
            continue
        values = [s for _, s in ranking]
        low, high = min(values), max(values)
        span = high - low or 1.0
        for item, score in ranking:
            scores[item] = scores.get(item, 0.0) + weight * (score - low) / span
    return sorted(scores.items(), key=lambda pair: -pair[1])


STRATEGIES: dict[str, Callable[[list[tuple[Ranking, float]]], Ranking]] = {"rrf": rrf, "weighted": weighted_sum}


def fuse(strategy: str, rankings: list[tuple[Ranking, float]]) -> Ranking:
    try:
        return STRATEGIES[strategy](rankings)
    except KeyError:
        raise ValueError(f"unknown fusion strategy '{strategy}' (known: {', '.join(STRATEGIES)})") from None
