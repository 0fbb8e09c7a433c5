"""Fusion of several rankers' disease rankings into one: the one home of fusion.

Owns the fusion functions (reciprocal-rank and weighted score fusion, the scores min-max or
spread-scaled, pure, with a
deterministic tie-break: fused score, then the best single-ranker rank, then disease_id;
every fused entry keeps each ranker's own rank and score), the default weights, and the
tuned-fusion file (format, loading, writing). Which wins: the tuned file
(`ZEBRA_FUSION_PATH`, shipped as `models/checkpoints/fusion.json`) when it was tuned for
exactly the loaded rankers and their fingerprints; otherwise `DEFAULT_FUSION`, with a
notice saying why. Choosing the weights is `app.tuning`'s job.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from core.files import write_atomically

if TYPE_CHECKING:
    from app.rankers.base import Ranker

RRF_K = 60
FUSION_FORMAT = 2  # 2: per-ranker fingerprints (1 had the neural label digest alone)


@dataclass(frozen=True)
class FusionConfig:
    method: Literal["rrf", "score", "zscore"] = "rrf"
    weights: dict[str, float] = field(default_factory=dict)  # ranker → weight; missing = 1.0
    k: int = RRF_K  # RRF constant

    def weight(self, ranker: str) -> float:
        return self.weights.get(ranker, 1.0)

    def as_dict(self) -> dict:
        return {"method": self.method, "weights": dict(self.weights), "k": self.k}


DEFAULT_FUSION = FusionConfig(method="rrf", weights={"lexical": 1.0, "neural": 0.3, "ontology": 0.5})


@dataclass
class Fused:
    disease_id: str
    score: float
    ranks: dict[str, int]
    scores: dict[str, float]


Ranking = list[tuple[str, float]]  # (disease_id, score), best first


@dataclass
class FusedRanking:
    """A fused ranking as arrays, best first: what `fuse` returns as `Fused` entries, built only for
    the entries asked for (a page of results needs 20 of several hundred)."""

    disease_ids: list[str]  # (D,)
    score: np.ndarray  # (D,) fused score
    ranks: dict[str, np.ndarray]  # ranker → (D,) its own rank, 0 where it did not rank the disease
    scores: dict[str, np.ndarray]  # ranker → (D,) its own score (NaN where it did not rank the disease)

    def __len__(self) -> int:
        return len(self.disease_ids)

    def entry(self, i: int) -> Fused:
        ranks = {name: int(r[i]) for name, r in self.ranks.items() if r[i]}
        return Fused(self.disease_ids[i], float(self.score[i]), ranks,
                     {name: float(self.scores[name][i]) for name in ranks})

    def entries(self, start: int = 0, stop: int | None = None) -> list[Fused]:
        return [self.entry(i) for i in range(*slice(start, stop).indices(len(self)))]


def _members(rankings: dict[str, Ranking]) -> tuple[list[str], dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
                                                    dict[str, np.ndarray]]:
    """Every ranked disease (in order of first appearance); per ranker, the rows of the diseases it ranked (each at
    its first, best place only), their 1-based positions and their scores; and per ranker its whole list's scores."""
    disease_ids = list(dict.fromkeys(chain.from_iterable(map(itemgetter(0), r) for r in rankings.values())))
    row = dict(zip(disease_ids, range(len(disease_ids))))
    per_ranker, listed = {}, {}
    for name, ranking in rankings.items():
        ids, values = zip(*ranking) if ranking else ((), ())
        rows = np.fromiter(map(row.__getitem__, ids), dtype=np.int64, count=len(ids))
        rows, first = np.unique(rows, return_index=True)  # a repeated id counts at its first place only
        listed[name] = np.array(values, dtype=float)
        per_ranker[name] = (rows, first + 1, listed[name][first])
    return disease_ids, per_ranker, listed


def _ordered(disease_ids: list[str], score: np.ndarray, per_ranker: dict) -> FusedRanking:
    """Sorted by fused score, then the best single-ranker rank, then disease_id."""
    n = len(disease_ids)
    ranks, scores = {}, {}
    best = np.full(n, np.iinfo(np.int64).max)
    for name, (rows, positions, values) in per_ranker.items():
        ranks[name] = np.zeros(n, dtype=np.int64)
        ranks[name][rows] = positions
        scores[name] = np.full(n, np.nan)
        scores[name][rows] = values
        best[rows] = np.minimum(best[rows], positions)
    ids = np.array(disease_ids, dtype=str) if n else np.array([], dtype=str)
    order = np.lexsort((ids, best, -score))
    return FusedRanking([disease_ids[i] for i in order.tolist()], score[order],
                        {k: v[order] for k, v in ranks.items()}, {k: v[order] for k, v in scores.items()})


def rrf_ranking(rankings: dict[str, Ranking], config: FusionConfig = FusionConfig()) -> FusedRanking:
    """score(d) = Σ_r w_r / (k + rank_r(d)); a ranker that did not rank d adds nothing."""
    disease_ids, per_ranker, _ = _members(rankings)
    score = np.zeros(len(disease_ids))
    for name, (rows, positions, _) in per_ranker.items():  # added ranker by ranker, in order
        score[rows] += config.weight(name) / (config.k + positions)
    return _ordered(disease_ids, score, per_ranker)


def _minmax(values: np.ndarray) -> np.ndarray:
    span = values.max() - values.min()
    return np.ones_like(values) if span == 0 else (values - values.min()) / span


def _spread(values: np.ndarray) -> np.ndarray:
    """(s − min) / standard deviation over the ranker's list: like min-max, but a top that stands out
    from the rest of its list (a confident ranker) weighs more than one barely ahead."""
    sd = values.std()
    return np.ones_like(values) if sd == 0 else (values - values.min()) / sd


def score_ranking(rankings: dict[str, Ranking], config: FusionConfig) -> FusedRanking:
    """score(d) = Σ_r w_r · norm_r(score_r(d)), norm min-max ("score") or `_spread` ("zscore"); a ranker
    that did not rank d adds 0."""
    normalise = _spread if config.method == "zscore" else _minmax
    disease_ids, per_ranker, listed = _members(rankings)
    score = np.zeros(len(disease_ids))
    for name, ranking in rankings.items():
        if ranking:
            rows, positions, _ = per_ranker[name]
            score[rows] += config.weight(name) * normalise(listed[name])[positions - 1]
    return _ordered(disease_ids, score, per_ranker)


def fused_ranking(rankings: dict[str, Ranking], config: FusionConfig = FusionConfig()) -> FusedRanking:
    """Fuse with the configured method, as arrays; one ranker alone keeps its own order."""
    if config.method in ("score", "zscore"):
        return score_ranking(rankings, config)
    return rrf_ranking(rankings, config)


def reciprocal_rank_fusion(rankings: dict[str, Ranking], config: FusionConfig = FusionConfig()) -> list[Fused]:
    """score(d) = Σ_r w_r / (k + rank_r(d)); a ranker that did not rank d adds nothing."""
    return rrf_ranking(rankings, config).entries()


def weighted_score_fusion(rankings: dict[str, Ranking], config: FusionConfig) -> list[Fused]:
    """score(d) = Σ_r w_r · minmax_r(score_r(d)); a ranker that did not rank d adds 0."""
    return score_ranking(rankings, config).entries()


def fuse(rankings: dict[str, Ranking], config: FusionConfig = FusionConfig()) -> list[Fused]:
    """Fuse with the configured method; one ranker alone keeps its own order."""
    return fused_ranking(rankings, config).entries()


def fingerprints(rankers: Sequence[Ranker]) -> dict[str, str]:
    return {r.name: fp for r in rankers if (fp := r.fingerprint()) is not None}


def load_fusion(path: Path | None, rankers: Sequence[Ranker]) -> tuple[FusionConfig, str]:
    """The tuned fusion at `path` if it fits the loaded rankers, else `DEFAULT_FUSION`; with a note why."""
    if path is None or not path.is_file():
        return DEFAULT_FUSION, "default fusion weights (not tuned: run `zebra tune-fusion`)"
    data = json.loads(path.read_text())
    if data.get("format_version") != FUSION_FORMAT:
        return DEFAULT_FUSION, f"{path} has format {data.get('format_version')}, expected {FUSION_FORMAT}; default used"
    names = [r.name for r in rankers]
    if sorted(data.get("rankers", [])) != sorted(names) or data.get("fingerprints") != fingerprints(rankers):
        return DEFAULT_FUSION, (f"{path} was tuned for rankers {data.get('rankers')} and another model; "
                                "default weights used until `zebra tune-fusion` is run again")
    config = FusionConfig(method=data["method"], weights=data["weights"], k=data.get("k", RRF_K))
    queries = data.get("queries")
    return config, f"tuned on {', '.join(queries) if isinstance(queries, list) else queries}"


def write_fusion(path: Path, config: FusionConfig, rankers: Sequence[Ranker], record: dict) -> None:
    """Write the tuned fusion for these rankers atomically; `record` adds what it was tuned on and how well."""
    data = {"format_version": FUSION_FORMAT, **config.as_dict(), "rankers": [r.name for r in rankers],
            "fingerprints": fingerprints(rankers), **record,
            "tuned_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_atomically(path, (json.dumps(data, indent=2) + "\n").encode())
