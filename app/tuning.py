"""Choosing the fusion method and weights on the dev query set, with a guard.

Owns the grid search (method × weights of every non-lexical ranker, lexical fixed at
1) over rankings computed once per query, and the guard: the chosen fusion is never
worse on dev than the best single ranker — when nothing beats it, the tuned fusion
gives that ranker all the weight. The file is written by `app.fusion.write_fusion`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from app.fusion import FusionConfig, fused_ranking, write_fusion
from app.leave_out import apart
from app.service import FUSED, FUSION_DEPTH, SearchService
from evaluation.metrics import first_correct_rank, mrr, recall_at
from evaluation.queryset import EvalQuery

GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


@dataclass
class TuningResult:
    config: FusionConfig
    dev_mrr: float
    dev_r10: float
    single: dict[str, float]  # each ranker alone: dev MRR
    tried: int


Runs = list[dict[str, list[tuple[str, float]]]]  # per query: ranker name -> (disease id, score), best first


def _mrr_of(config: FusionConfig, runs: list[dict[str, list[tuple[str, float]]]], golds: list[set[str]],
            articles_of: dict[str, list[str]]) -> tuple[float, list[int]]:
    ranks = [first_correct_rank(fused_ranking(run, config).disease_ids, gold, articles_of)
             for run, gold in zip(runs, golds)]
    return mrr(ranks), ranks


def rank_all(service: SearchService, queries: list[EvalQuery], names: list[str] | None = None,
             progress: bool = True, desc: str = "rank dev queries") -> Runs:
    """Every ranker's ranking (to the fusion depth) of every query, computed once; a published case by rankers that
    count no patient of its own publication (`app.leave_out`)."""
    names = names or [n for n in service.rankers if n != FUSED]
    runs: Runs = [{} for _ in queries]
    with tqdm(total=len(queries), desc=desc, disable=not progress) as bar:
        for positions, apart_service in apart(service, queries):
            for i in positions:
                runs[i] = {n: [(r.disease_id, r.score) for r in apart_service.rank(queries[i].query, n)[:FUSION_DEPTH]]
                           for n in names}
                bar.update(1)
    return runs


def articles_of(service: SearchService) -> dict[str, list[str]]:
    return {d: [a.article_id for a in info.articles] for d, info in service.catalogue.diseases.items()}


def tune(service: SearchService, queries: list[EvalQuery], progress: bool = True) -> TuningResult:
    return tune_runs(rank_all(service, queries, progress=progress), [set(q.gold) for q in queries],
                     articles_of(service), progress=progress)


def tune_runs(runs: Runs, golds: list[set[str]], articles: dict[str, list[str]], names: list[str] | None = None,
              progress: bool = True) -> TuningResult:
    """The grid search over precomputed rankings, fusing only `names` (default: every ranker in `runs`)."""
    names = names or list(runs[0]) if runs else []
    runs = [{n: run[n] for n in names} for run in runs]  # a ranker left out must not be fused at a default weight
    single = {n: mrr([first_correct_rank([d for d, _ in run[n]], g, articles) for run, g in zip(runs, golds)])
              for n in names}
    best_single = max(single, key=single.get)
    best = (single[best_single], FusionConfig(method="rrf", weights={n: float(n == best_single) for n in names}))
    others = [n for n in names if n != "lexical"]
    grid = [dict(zip(others, ws)) for ws in itertools.product(GRID, repeat=len(others))]
    tried = 0
    for method in ("rrf", "score", "zscore"):
        for weights in tqdm(grid, desc=f"tune {method}", disable=not progress):
            config = FusionConfig(method=method, weights={"lexical": 1.0, **weights} if "lexical" in names else weights)
            value, _ = _mrr_of(config, runs, golds, articles)
            tried += 1
            if value > best[0] + 1e-9:
                best = (value, config)
    value, ranks = _mrr_of(best[1], runs, golds, articles)
    return TuningResult(best[1], value, recall_at(np.array(ranks), 10), single, tried)


def fused_ranks(config: FusionConfig, runs: Runs, golds: list[set[str]], articles: dict[str, list[str]]) -> list[int]:
    """The first correct rank of each query under `config` (rankers `config` does not weigh are left out)."""
    return _mrr_of(config, [{n: run[n] for n in config.weights if n in run} for run in runs], golds, articles)[1]


def write_tuned(path: Path, result: TuningResult, service: SearchService, queries_path: Path) -> None:
    """The tuned fusion, with the set it was tuned on and its scores there, to `path`."""
    write_fusion(path, result.config, service.ranker_objects, {
        "queries": str(queries_path), "dev_mrr": round(result.dev_mrr, 4), "dev_r10": round(result.dev_r10, 4),
        "single_dev_mrr": {k: round(v, 4) for k, v in result.single.items()},
        "data_release": service.catalogue.data_release})
