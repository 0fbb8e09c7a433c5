"""Metrics on hand-computed rankings, ties and missing gold included."""

import numpy as np
import pytest

from evaluation.metrics import (
    NOT_FOUND, bootstrap_ci, cluster_bootstrap_ci, first_correct_rank, hits_at, mrr, overlap, paired_test,
    per_disease, recall_at, recall_curve, reciprocal_ranks, summarise,
)

ARTICLES = {"OMIM:154700": ["OMIM:154700", "ORPHA:558"], "OMIM:1": ["OMIM:1"], "OMIM:2": ["OMIM:2", "ORPHA:2"]}


def test_first_correct_rank_by_disease_or_article_id():
    ranking = ["OMIM:1", "OMIM:2", "OMIM:154700"]
    assert first_correct_rank(ranking, {"OMIM:2"}, ARTICLES) == 2
    assert first_correct_rank(ranking, {"ORPHA:558"}, ARTICLES) == 3  # an article of the third disease
    assert first_correct_rank(ranking, {"ORPHA:558", "OMIM:1"}, ARTICLES) == 1  # the first correct one counts
    assert first_correct_rank(ranking, {"OMIM:999999"}, ARTICLES) == NOT_FOUND == 0
    assert first_correct_rank([], {"OMIM:1"}, ARTICLES) == NOT_FOUND


def test_ties_in_score_do_not_share_a_rank():
    # OMIM:1 and OMIM:2 scored the same; the ranker's list order decides: the second is rank 2
    scored = [("OMIM:1", 3.0), ("OMIM:2", 3.0), ("OMIM:154700", 1.0)]
    assert first_correct_rank([d for d, _ in scored], {"OMIM:2"}, ARTICLES) == 2
    assert mrr([2]) == 0.5


def test_mrr_and_recall_by_hand():
    ranks = [1, 2, NOT_FOUND, 4]
    assert reciprocal_ranks(ranks).tolist() == [1.0, 0.5, 0.0, 0.25]
    assert mrr(ranks) == pytest.approx(1.75 / 4)
    assert recall_at(ranks, 1) == 0.25
    assert recall_at(ranks, 2) == 0.5
    assert recall_at(ranks, 5) == 0.75  # the missing gold is never a hit, at any k
    assert hits_at(ranks, 3).tolist() == [1.0, 1.0, 0.0, 0.0]
    assert recall_curve(ranks, 5) == [0.25, 0.5, 0.5, 0.75, 0.75]
    assert recall_curve([60, 1], 3) == [0.5, 0.5, 0.5]  # a rank past k_max counts at no k
    assert mrr([]) == 0.0 and recall_curve([], 2) == [0.0, 0.0]


def test_negative_ranks_are_refused():
    with pytest.raises(ValueError, match="positions >= 1, or 0 for not found"):
        mrr([1, -1])


def test_bootstrap_ci_is_seeded_and_brackets_the_mean():
    values = np.array([1.0, 0.5, 0.0, 0.25, 1.0, 0.0, 0.2, 0.1])
    lo, hi = bootstrap_ci(values, seed=3)
    assert (lo, hi) == bootstrap_ci(values, seed=3)
    assert (lo, hi) != bootstrap_ci(values, seed=4)
    assert 0.0 <= lo < values.mean() < hi <= 1.0
    assert bootstrap_ci([0.5] * 20) == (0.5, 0.5)
    assert bootstrap_ci([]) == (0.0, 0.0)


def test_overlap_table_at_k():
    a = [1, 30, 5, NOT_FOUND, 2]
    b = [2, 3, NOT_FOUND, 25, 20]
    table = overlap(a, b, k=20)
    assert (table.both, table.only_a, table.only_b, table.neither) == (2, 1, 1, 1)
    assert table.n == 5
    assert table.fractions() == {"both": 0.4, "only_a": 0.2, "only_b": 0.2, "neither": 0.2}
    with pytest.raises(ValueError, match="2 and 1 queries"):
        overlap([1, 2], [1])


def test_paired_test_by_hand():
    same = paired_test([1, 2, 3, NOT_FOUND], [1, 2, 3, NOT_FOUND])
    assert (same.delta_mrr, same.p_wilcoxon, same.p_mcnemar) == (0.0, 1.0, 1.0)
    # A finds all ten at rank 1, B none: ΔMRR = 1, and the exact McNemar p is 2 · 0.5^10
    better = paired_test([1] * 10, [NOT_FOUND] * 10)
    assert better.delta_mrr == 1.0 and (better.ci_low, better.ci_high) == (1.0, 1.0)
    assert better.p_mcnemar == pytest.approx(2 * 0.5 ** 10)
    assert better.p_wilcoxon < 0.01
    mixed = paired_test([1, 1, 2, 5], [2, 2, 1, 5])  # RR differences +.5, +.5, −.5, 0
    assert mixed.delta_mrr == pytest.approx(0.125)
    assert mixed.p_wilcoxon > 0.3 and mixed.n == 4


def test_summarise_gives_every_metric_with_its_interval():
    s = summarise([1, 2, NOT_FOUND, 4], k_max=10)
    assert s.n == 4 and s.mrr == pytest.approx(0.4375)
    assert s.recall == {1: 0.25, 5: 0.75, 10: 0.75, 20: 0.75}
    assert set(s.recall_ci) == {1, 5, 10, 20} and len(s.curve) == 10
    assert s.mrr_ci[0] <= s.mrr <= s.mrr_ci[1]


def test_per_disease_figures_weigh_each_disease_the_same():
    # disease A: ranks 1 and 2 (RR 1, 0.5); B: not found; C: rank 1. Per query MRR 2.5/4; per disease (0.75 + 0 + 1)/3
    p = per_disease([1, 2, 0, 1], ["A", "A", "B", "C"], n_boot=200)
    assert p.diseases == 3
    assert p.mrr == pytest.approx((0.75 + 0 + 1) / 3) and mrr([1, 2, 0, 1]) == pytest.approx(2.5 / 4)
    assert p.recall_10 == pytest.approx(2 / 3)
    assert 0 <= p.mrr_ci[0] <= p.mrr <= p.mrr_ci[1] <= 1
    # the CI resamples diseases: a disease with many queries does not narrow it the way queries would
    many = per_disease([1] * 50 + [0], ["A"] * 50 + ["B"], n_boot=500)
    assert many.mrr == 0.5 and many.mrr_ci == (0.0, 1.0)
    with pytest.raises(ValueError, match="3 ranks but 2 disease labels"):
        per_disease([1, 2, 3], ["A", "B"])


def test_cluster_bootstrap_resamples_whole_groups():
    # one group of 50 equal values and one of 1: resampling the two groups gives means near 1, near 0 or between
    values, groups = [1.0] * 50 + [0.0], ["A"] * 50 + ["B"]
    lo, hi = cluster_bootstrap_ci(values, groups, n_boot=500)
    assert lo == 0.0 and hi == 1.0  # a draw of B alone (mean 0) and of A alone (mean 1) are both likely
    q_lo, q_hi = bootstrap_ci(values, n_boot=500)  # resampling the 51 values: a narrow interval near 50/51
    assert q_lo > 0.9 and q_hi == 1.0
    assert cluster_bootstrap_ci([0.5, 0.5, 0.5], ["A", "B", "C"]) == (0.5, 0.5)
    with pytest.raises(ValueError, match="2 values but 3 group labels"):
        cluster_bootstrap_ci([1.0, 0.0], ["A", "B", "C"])
