"""Ranking metrics as pure functions: first-correct rank, MRR, Recall@k, bootstrap CIs,
per-disease (macro) figures with a bootstrap over diseases, the error-overlap table of two
rankers and a paired test between them.

A rank is the 1-based position in the ranker's list (ties in score do not share a
rank: the list order decides); `NOT_FOUND` (0) means no correct result in the list,
which counts as reciprocal rank 0 and as a miss at every k.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

NOT_FOUND = 0
RECALL_KS = (1, 5, 10, 20)
N_BOOT = 1000
CI_LEVEL = 0.95


def first_correct_rank(ranking: Sequence[str], gold: Collection[str],
                       articles_of: Mapping[str, Sequence[str]]) -> int:
    """1-based position of the first disease in `ranking` that is in `gold` or has an article
    in `gold` (`articles_of` gives each disease's article ids); `NOT_FOUND` when none is."""
    for position, disease_id in enumerate(ranking, start=1):
        if disease_id in gold or any(a in gold for a in articles_of.get(disease_id, ())):
            return position
    return NOT_FOUND


def _ranks(ranks: Sequence[int] | np.ndarray) -> np.ndarray:
    a = np.asarray(ranks, dtype=np.int64)
    if a.ndim != 1 or (a < 0).any():
        raise ValueError("ranks must be a flat sequence of positions >= 1, or 0 for not found")
    return a


def reciprocal_ranks(ranks: Sequence[int] | np.ndarray) -> np.ndarray:
    """Per query 1/rank, and 0 where the gold was not found."""
    a = _ranks(ranks)
    return np.where(a > 0, 1.0 / np.maximum(a, 1), 0.0)


def hits_at(ranks: Sequence[int] | np.ndarray, k: int) -> np.ndarray:
    """Per query 1.0 when a correct result is in the top k, else 0.0."""
    a = _ranks(ranks)
    return ((a > 0) & (a <= k)).astype(np.float64)


def mrr(ranks: Sequence[int] | np.ndarray) -> float:
    rr = reciprocal_ranks(ranks)
    return float(rr.mean()) if rr.size else 0.0


def recall_at(ranks: Sequence[int] | np.ndarray, k: int) -> float:
    h = hits_at(ranks, k)
    return float(h.mean()) if h.size else 0.0


def recall_curve(ranks: Sequence[int] | np.ndarray, k_max: int = 50) -> list[float]:
    """Recall@k for k = 1 … k_max."""
    a = _ranks(ranks)
    if not a.size:
        return [0.0] * k_max
    found = a[a > 0]
    counts = np.bincount(np.minimum(found, k_max + 1), minlength=k_max + 2)[1:k_max + 1]
    return (np.cumsum(counts) / a.size).tolist()


def bootstrap_ci(values: Sequence[float] | np.ndarray, n_boot: int = N_BOOT, seed: int = 0,
                 level: float = CI_LEVEL) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean of per-query values (resampling queries).

    The same seed draws the same resamples for every metric and ranker of a query set,
    so intervals of two rankers come from paired resamples.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return (0.0, 0.0)
    return _interval(np.concatenate([v[picks].mean(axis=1) for picks in _resamples(v.size, n_boot, seed)]), level)


def cluster_bootstrap_ci(values: Sequence[float] | np.ndarray, groups: Sequence[str], n_boot: int = N_BOOT,
                         seed: int = 0, level: float = CI_LEVEL) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean of per-query values, resampling whole groups (e.g. the diseases,
    each with all its queries): the interval of a per-query figure when queries of one group go together."""
    v = np.asarray(values, dtype=np.float64)
    if v.size != len(groups):
        raise ValueError(f"{v.size} values but {len(groups)} group labels; give one label per query")
    if v.size == 0:
        return (0.0, 0.0)
    sums, counts, _ = _group_sums(v, groups)
    return _interval(np.concatenate([sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
                                     for picks in _resamples(sums.size, n_boot, seed)]), level)


def _resamples(n: int, n_boot: int, seed: int) -> Iterator[np.ndarray]:
    """The bootstrap's draws of n items with replacement: index matrices of `n_boot` rows in all, in chunks
    that bound each (chunk, n) matrix to ~16 MB."""
    rng = np.random.default_rng(seed)
    chunk = max(1, 2_000_000 // n)
    for start in range(0, n_boot, chunk):
        yield rng.integers(0, n, size=(min(chunk, n_boot - start), n))


def _interval(means: np.ndarray, level: float) -> tuple[float, float]:
    """The percentile interval of the bootstrap's means."""
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(means, [tail, 100 - tail])
    return (float(lo), float(hi))


def _group_sums(values: np.ndarray, groups: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group, in sorted label order: the sum of `values`, the number of values and the first one's position."""
    _, first, inverse = np.unique(np.asarray(groups, dtype=object), return_index=True, return_inverse=True)
    return np.bincount(inverse, weights=values), np.bincount(inverse), first


@dataclass(frozen=True)
class Overlap:
    """Which queries two rankers get right at k: counts of both / only A / only B / neither."""

    k: int
    both: int
    only_a: int
    only_b: int
    neither: int

    @property
    def n(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def fractions(self) -> dict[str, float]:
        n = self.n or 1
        return {"both": self.both / n, "only_a": self.only_a / n, "only_b": self.only_b / n,
                "neither": self.neither / n}


def overlap(ranks_a: Sequence[int] | np.ndarray, ranks_b: Sequence[int] | np.ndarray, k: int = 20) -> Overlap:
    a, b = hits_at(ranks_a, k).astype(bool), hits_at(ranks_b, k).astype(bool)
    if a.size != b.size:
        raise ValueError(f"the two rankers have {a.size} and {b.size} queries; they must rank the same queries")
    return Overlap(k=k, both=int((a & b).sum()), only_a=int((a & ~b).sum()), only_b=int((~a & b).sum()),
                   neither=int((~a & ~b).sum()))


@dataclass(frozen=True)
class PairedTest:
    """A minus B on the same queries.

    `delta_mrr` with a paired-bootstrap 95% CI (queries resampled, both rankers together);
    `p_wilcoxon`: two-sided Wilcoxon signed-rank test on the per-query reciprocal-rank
    differences (zero differences dropped); `p_mcnemar`: exact McNemar test (binomial on the
    discordant queries) of Recall@k, i.e. of the overlap table's only-A vs only-B cells.
    """

    delta_mrr: float
    ci_low: float
    ci_high: float
    p_wilcoxon: float
    p_mcnemar: float
    k: int
    n: int


def paired_test(ranks_a: Sequence[int] | np.ndarray, ranks_b: Sequence[int] | np.ndarray, k: int = 20,
                n_boot: int = N_BOOT, seed: int = 0) -> PairedTest:
    from scipy.stats import binomtest, wilcoxon  # scipy loads slowly; only this test needs it

    diff = reciprocal_ranks(ranks_a) - reciprocal_ranks(ranks_b)
    table = overlap(ranks_a, ranks_b, k)
    lo, hi = bootstrap_ci(diff, n_boot=n_boot, seed=seed)
    p_w = float(wilcoxon(diff, zero_method="wilcox").pvalue) if np.any(diff != 0) else 1.0
    discordant = table.only_a + table.only_b
    p_m = float(binomtest(table.only_a, discordant, 0.5).pvalue) if discordant else 1.0
    return PairedTest(delta_mrr=float(diff.mean()) if diff.size else 0.0, ci_low=lo, ci_high=hi,
                      p_wilcoxon=p_w, p_mcnemar=p_m, k=k, n=int(diff.size))


@dataclass(frozen=True)
class Summary:
    """One ranker's metrics on a query set, each with its bootstrap CI."""

    n: int
    mrr: float
    mrr_ci: tuple[float, float]
    recall: dict[int, float]
    recall_ci: dict[int, tuple[float, float]]
    curve: list[float]


def summarise(ranks: Sequence[int] | np.ndarray, k_max: int = 50, n_boot: int = N_BOOT, seed: int = 0,
              ks: Sequence[int] = RECALL_KS) -> Summary:
    a = _ranks(ranks)
    return Summary(
        n=int(a.size), mrr=mrr(a), mrr_ci=bootstrap_ci(reciprocal_ranks(a), n_boot, seed),
        recall={k: recall_at(a, k) for k in ks},
        recall_ci={k: bootstrap_ci(hits_at(a, k), n_boot, seed) for k in ks},
        curve=recall_curve(a, k_max),
    )


@dataclass(frozen=True)
class PerDisease:
    """One ranker's figures with every disease weighing the same: each disease's queries are averaged
    first, then the diseases. The CIs resample diseases (with all their queries), since the queries of one
    disease are not independent of each other; a set where a few diseases have many queries leans on them
    per query, not here."""

    diseases: int
    mrr: float
    mrr_ci: tuple[float, float]
    recall_10: float
    recall_10_ci: tuple[float, float]


def _group_means(values: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """The mean of `values` within each group (groups in order of first appearance)."""
    sums, counts, first = _group_sums(values, groups)
    return (sums / counts)[np.argsort(first)]


def per_disease(ranks: Sequence[int] | np.ndarray, groups: Sequence[str], n_boot: int = N_BOOT,
                seed: int = 0) -> PerDisease:
    """Macro MRR and Recall@10 over the diseases named by `groups` (one label per query, e.g. its gold ids)."""
    a = _ranks(ranks)
    if a.size != len(groups):
        raise ValueError(f"{a.size} ranks but {len(groups)} disease labels; give one label per query")
    if not a.size:
        return PerDisease(0, 0.0, (0.0, 0.0), 0.0, (0.0, 0.0))
    rr, hit = _group_means(reciprocal_ranks(a), groups), _group_means(hits_at(a, 10), groups)
    return PerDisease(int(rr.size), float(rr.mean()), bootstrap_ci(rr, n_boot, seed),
                      float(hit.mean()), bootstrap_ci(hit, n_boot, seed))
