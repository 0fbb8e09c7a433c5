"""Fusion of several rankers' disease rankings into one: the one home of fusion.

Owns the fusion functions (reciprocal-rank and weighted score fusion, pure, with a
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
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from app.rankers.base import Ranker

RRF_K = 60
FUSION_FORMAT = 2  # 2: per-ranker fingerprints (1 had the neural label digest alone)


@dataclass(frozen=True)
class FusionConfig:
    method: Literal["rrf", "score"] = "rrf"
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
    return config, f"tuned on {data.get('queries')}"


def write_fusion(path: Path, config: FusionConfig, rankers: Sequence[Ranker], record: dict) -> None:
    """Write the tuned fusion for these rankers atomically; `record` adds what it was tuned on and how well."""
    data = {"format_version": FUSION_FORMAT, **config.as_dict(), "rankers": [r.name for r in rankers],
            "fingerprints": fingerprints(rankers), **record,
            "tuned_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)
