"""Fusion of the BM25 and vector rankings."""

import pytest

from search.fuse import RRF_K, fuse


def test_reciprocal_rank_fusion_rewards_what_both_lists_rank_high():
    lexical, dense = [(1, 12.0), (2, 9.0), (3, 1.0)], [(2, 0.9), (4, 0.8), (1, 0.1)]
    fused = fuse("rrf", [(lexical, 1.0), (dense, 1.0)])
    assert [item for item, _ in fused] == [2, 1, 4, 3]
    assert fused[0][1] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))


def test_weighted_sum_normalizes_each_list_and_weighs_it():
    lexical, dense = [(1, 30.0), (2, 10.0)], [(2, 0.9), (3, 0.5)]
    fused = dict(fuse("weighted", [(lexical, 1.0), (dense, 0.35)]))
    assert fused == pytest.approx({1: 1.0, 2: 0.35, 3: 0.0})
    assert fuse("weighted", [([], 1.0), ([(7, 2.0)], 1.0)]) == [(7, 0.0)]  # one item: no span to divide by


def test_an_unknown_strategy_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown fusion strategy 'max' \\(known: rrf, weighted\\)"):
        fuse("max", [])
