"""Embedding-model profiles: how a model wants its inputs prefixed, and how much its dense ranking is
worth next to BM25 when fused. The weights are measured with `edusearch eval` on the dev queries; see
README.md ("Retrieval quality") for the figures behind them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelProfile:
    query_prefix: str = ""
    passage_prefix: str = ""
    dense_weight: float = 1.0  # weight of the dense ranking in fusion; BM25 has 1.0
    fusion: str = "rrf"  # "rrf" (ranks) or "weighted" (min-max normalized scores), see search/fuse.py
    multilingual: bool = True


# Matched against the lower-cased model name or folder name; the first match wins.
_PROFILES: list[tuple[str, ModelProfile]] = [
    # English-only: on Vietnamese it ranks far below BM25 (dev MRR@10 0.22 alone). Rank fusion lets it
    # overturn clear BM25 wins (RRF weight 0.1: MRR@10 0.90 -> 0.80), so it adds a small share of its
    # normalized score instead, which only reorders near-ties.
    ("all-minilm", ModelProfile(dense_weight=0.05, fusion="weighted", multilingual=False)),
    # multilingual-e5-small: its index is ranked by the fitted rank model (search/rerank.py, fitted with
    # bench/retrieval_sweep.py on every retrieval dev set); this weight fuses it only where that model is
    # absent. 35% of its normalized score was the best mean over the plan dev sets before the fitted model.
    ("e5", ModelProfile(query_prefix="query: ", passage_prefix="passage: ", dense_weight=0.35, fusion="weighted")),
    ("bge-m3", ModelProfile(dense_weight=1.0)),
]
_DEFAULT = ModelProfile(dense_weight=0.5)


def describe(model: str) -> str:
    """One line, in Vietnamese, on what the model does for Vietnamese questions."""
    profile = profile_for(model)
    if profile.multilingual:
        return (f"Mô hình {model}: đa ngữ, hiểu nghĩa câu hỏi tiếng Việt và tiếng Anh; kết hợp với tìm theo từ khóa "
                f"(trọng số {profile.dense_weight:g}).")
    return (f"Mô hình {model}: chỉ hiểu tiếng Anh; với tiếng Việt, kết quả chủ yếu dựa vào tìm theo từ khóa "
            "(BM25), viết tắt, từ đồng nghĩa và bảng thuật ngữ Anh-Việt.")


def profile_for(model: str) -> ModelProfile:
    name = model.lower().rstrip("/").rsplit("/", 1)[-1]
    for pattern, profile in _PROFILES:
        if pattern in name:
            return profile
    return _DEFAULT
