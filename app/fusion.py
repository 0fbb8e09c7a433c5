"""Fusion of several rankers' disease rankings into one, as pure functions.

Owns reciprocal-rank fusion and weighted score fusion with a deterministic tie-break
(fused score, then the best single-ranker rank, then disease_id). Every fused entry
keeps each ranker's own rank and score. Choosing the weights is `app.tuning`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

RRF_K = 60


@dataclass(frozen=True)
class FusionConfig:
    method: Literal["rrf", "score"] = "rrf"
    weights: dict[str, float] = field(default_factory=dict)  # ranker → weight; missing = 1.0
    k: int = RRF_K  # RRF constant

    def weight(self, ranker: str) -> float:
        return self.weights.get(ranker, 1.0)

    def as_dict(self) -> dict:
        return {"method": self.method, "weights": dict(self.weights), "k": self.k}


@dataclass
class Fused:
    disease_id: str
    score: float
    ranks: dict[str, int]
    scores: dict[str, float]


Ranking = list[tuple[str, float]]  # (disease_id, score), best first


def _members(rankings: dict[str, Ranking]) -> dict[str, Fused]:
    out: dict[str, Fused] = {}
    for name, ranking in rankings.items():
        for position, (disease_id, score) in enumerate(ranking, start=1):
            entry = out.setdefault(disease_id, Fused(disease_id, 0.0, {}, {}))
            if name not in entry.ranks:
                entry.ranks[name] = position
                entry.scores[name] = float(score)
    return out


def _ordered(entries: list[Fused]) -> list[Fused]:
    return sorted(entries, key=lambda f: (-f.score, min(f.ranks.values()), f.disease_id))


def reciprocal_rank_fusion(rankings: dict[str, Ranking], config: FusionConfig = FusionConfig()) -> list[Fused]:
    """score(d) = Σ_r w_r / (k + rank_r(d)); a ranker that did not rank d adds nothing."""
    entries = _members(rankings)
    for f in entries.values():
        f.score = sum(config.weight(r) / (config.k + rank) for r, rank in f.ranks.items())
    return _ordered(list(entries.values()))


def _minmax(values: np.ndarray) -> np.ndarray:
    span = values.max() - values.min()
    return np.ones_like(values) if span == 0 else (values - values.min()) / span


def weighted_score_fusion(rankings: dict[str, Ranking], config: FusionConfig) -> list[Fused]:
    """score(d) = Σ_r w_r · minmax_r(score_r(d)); a ranker that did not rank d adds 0."""
    entries = _members(rankings)
    for name, ranking in rankings.items():
        if not ranking:
            continue
        norm = _minmax(np.array([s for _, s in ranking], dtype=float))
        seen: set[str] = set()
        for (disease_id, _), value in zip(ranking, norm):
            if disease_id not in seen:  # a repeated id counts at its first (best) place only
                seen.add(disease_id)
                entries[disease_id].score += config.weight(name) * float(value)
    return _ordered(list(entries.values()))


def fuse(rankings: dict[str, Ranking], config: FusionConfig = FusionConfig()) -> list[Fused]:
    """Fuse with the configured method; one ranker alone keeps its own order."""
    if config.method == "score":
        return weighted_score_fusion(rankings, config)
    return reciprocal_rank_fusion(rankings, config)
