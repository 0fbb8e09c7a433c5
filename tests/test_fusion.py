"""Golden tests: fused orders computed by hand."""

import pytest

from app.fusion import FusionConfig, fuse, reciprocal_rank_fusion, weighted_score_fusion

A = [("d1", 9.0), ("d2", 5.0), ("d3", 1.0)]
B = [("d3", 0.9), ("d1", 0.5), ("d4", 0.1)]


def test_rrf_by_hand():
    fused = reciprocal_rank_fusion({"lexical": A, "neural": B}, FusionConfig(k=60))
    # d1: 1/61 + 1/62 = .032652; d3: 1/63 + 1/61 = .032266; d2: 1/62 = .016129; d4: 1/63 = .015873
    assert [f.disease_id for f in fused] == ["d1", "d3", "d2", "d4"]
    assert fused[0].score == pytest.approx(1 / 61 + 1 / 62)
    assert fused[0].ranks == {"lexical": 1, "neural": 2}
    assert fused[0].scores == {"lexical": 9.0, "neural": 0.5}
    assert fused[2].ranks == {"lexical": 2}


def test_rrf_weights_change_the_order():
    fused = reciprocal_rank_fusion({"lexical": A, "neural": B}, FusionConfig(weights={"lexical": 0.1}))
    # d3: .1/63 + 1/61 = .017981 > d1: .1/61 + 1/62 = .017768 > d4: 1/63 > d2: .1/62
    assert [f.disease_id for f in fused] == ["d3", "d1", "d4", "d2"]


def test_ties_break_by_best_single_rank_then_id():
    fused = reciprocal_rank_fusion({"a": [("x", 1), ("y", 1)], "b": [("y", 1), ("x", 1)]})
    assert [f.disease_id for f in fused] == ["x", "y"]  # equal score, equal best rank → id
    fused = reciprocal_rank_fusion({"a": [("z", 1)], "b": [("q", 1), ("w", 1)]})
    assert [f.disease_id for f in fused] == ["q", "z", "w"]


def test_weighted_score_fusion_by_hand():
    fused = weighted_score_fusion({"lexical": A, "neural": B}, FusionConfig(method="score", weights={"neural": 2}))
    # minmax lexical: d1 1, d2 .5, d3 0 ; neural: d3 1, d1 .5, d4 0
    # d1 = 1 + 2*.5 = 2 ; d3 = 0 + 2 = 2 ; d2 = .5 ; d4 = 0 → tie d1/d3 broken by best rank (both 1) then id
    assert [(f.disease_id, round(f.score, 6)) for f in fused] == [("d1", 2.0), ("d3", 2.0), ("d2", 0.5), ("d4", 0.0)]


def test_single_ranker_keeps_its_order():
    assert [f.disease_id for f in fuse({"lexical": A})] == ["d1", "d2", "d3"]
    assert [f.disease_id for f in fuse({"lexical": A}, FusionConfig(method="score"))] == ["d1", "d2", "d3"]
