"""Choosing the fusion method and weights on tuning query sets, with a guard.

Owns which queries of a set are tuned on (none of a held-out set's diseases, and with the split rule only those of
the tuning half of diseases), the grid search (method × weights of every non-lexical ranker, lexical fixed at 1)
over rankings computed once per query, maximising the mean MRR over the sets (each set weighing the same), and the
guard: the chosen fusion is never worse there than the best single ranker — when nothing beats it, the tuned fusion
gives that ranker all the weight. The file is written by `app.fusion.write_fusion`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from app.fusion import FusionConfig, fused_ranking, write_fusion
from app.leave_out import apart, left_out
from app.service import FUSED, FUSION_DEPTH, SearchService
from core.config import REPO
from evaluation.cases import in_tuning_half
from evaluation.metrics import first_correct_rank, mrr, recall_at
from evaluation.queryset import EvalQuery

GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
Runs = list[dict[str, list[tuple[str, float]]]]  # per query: ranker name -> (disease id, score), best first


@dataclass
class TuningResult:
    config: FusionConfig
    dev_mrr: float  # the mean over the tuning sets
    dev_r10: float
    single: dict[str, float]  # each ranker alone: dev MRR (mean over the sets)
    tried: int
    per_set: dict[str, float] = field(default_factory=dict)  # the chosen fusion's MRR on each set


@dataclass(frozen=True)
class TuningSet:
    name: str
    runs: Runs
    golds: list[set[str]]


def _mrr_of(config: FusionConfig, runs: list[dict[str, list[tuple[str, float]]]], golds: list[set[str]],
            articles_of: dict[str, list[str]]) -> tuple[float, list[int]]:
    ranks = [first_correct_rank(fused_ranking(run, config).disease_ids, gold, articles_of)
             for run, gold in zip(runs, golds)]
    return mrr(ranks), ranks


def rank_all(service: SearchService, queries: list[EvalQuery], names: list[str] | None = None,
             progress: bool = True, desc: str = "rank dev queries", unprofiled: bool = False) -> Runs:
    """Every ranker's ranking (to the fusion depth) of every query, computed once; a published case by rankers that
    count no patient of its own publication, or with `unprofiled` none of its disease (`app.leave_out`)."""
    names = names or [n for n in service.rankers if n != FUSED]
    runs: Runs = [{} for _ in queries]
    with tqdm(total=len(queries), desc=desc, disable=not progress) as bar:
        for positions, apart_service in apart(service, queries, unprofiled):
            for i in positions:
                runs[i] = {n: [(r.disease_id, r.score) for r in apart_service.rank(queries[i].query, n)[:FUSION_DEPTH]]
                           for n in names}
                bar.update(1)
    return runs


def articles_of(service: SearchService) -> dict[str, list[str]]:
    return {d: [a.article_id for a in info.articles] for d, info in service.catalogue.diseases.items()}


def diseases_of(queries: Iterable[EvalQuery], disease_of: Mapping[str, str]) -> frozenset[str]:
    """The catalogue's diseases the queries' gold ids name (an article id counts for its disease)."""
    return frozenset(disease_of.get(g, g) for q in queries for g in q.gold)


def tuning_part(queries: Iterable[EvalQuery], held_out: frozenset[str], disease_of: Mapping[str, str],
                split_half: bool = True, seed: int = 0, test_fraction: float = 0.5) -> list[EvalQuery]:
    """The queries to tune on: none of whose diseases is `held_out` (a test set's) and, with `split_half`, all of
    whose diseases (the catalogue's ids, an article id counting for its disease) the split rule puts on the tuning
    side (`evaluation.cases.in_tuning_half`, with the seed and test fraction of `zebra queries cases`)."""
    def tuned_on(diseases: frozenset[str]) -> bool:
        return not diseases & held_out and (not split_half or all(in_tuning_half(d, test_fraction, seed)
                                                                  for d in diseases))

    return [q for q in queries if tuned_on(diseases_of([q], disease_of))]


TUNE_SETS = (REPO / "data/queries/real-tune.jsonl", REPO / "data/queries/vignettes.jsonl")  # `zebra tune-fusion`'s
HELD_OUT = (REPO / "data/queries/real-test.jsonl",)  # and the sets whose diseases it never tunes on
UNPROFILED = " (diseases unprofiled)"  # the name of a set's copy ranked as if its diseases had no published patients


def tune(service: SearchService, sets: Mapping[str, list[EvalQuery]], progress: bool = True,
         unprofiled: bool = True) -> TuningResult:
    """The fusion that ranks best on the sets (each weighing the same), from every ranker's ranking of each query.
    With `unprofiled`, each set of published cases whose publications the profiles count is tuned on twice: as
    evaluation ranks it (without its own publication) and as if its diseases had no published patients, so the
    fusion also serves the many diseases that have none."""
    return tune_sets(tuning_sets(service, sets, progress, unprofiled), articles_of(service), progress=progress)


def tuning_sets(service: SearchService, sets: Mapping[str, list[EvalQuery]], progress: bool = True,
                unprofiled: bool = True) -> list[TuningSet]:
    """Every ranker's ranking of each query of the sets, as `tune` tunes on them (empty sets left out)."""
    chosen = []
    for name, queries in sets.items():
        if not queries:
            continue
        golds = [set(q.gold) for q in queries]
        chosen.append(TuningSet(name, rank_all(service, queries, progress=progress, desc=f"rank {name}"), golds))
        if unprofiled and left_out(service, queries):
            runs = rank_all(service, queries, progress=progress, desc=f"rank {name}{UNPROFILED}", unprofiled=True)
            chosen.append(TuningSet(name + UNPROFILED, runs, golds))
    return chosen


def tune_runs(runs: Runs, golds: list[set[str]], articles: dict[str, list[str]], names: list[str] | None = None,
              progress: bool = True) -> TuningResult:
    """The grid search over precomputed rankings of one set, fusing only `names` (default: every ranker in `runs`)."""
    return tune_sets([TuningSet("dev", runs, golds)], articles, names, progress)


def tune_sets(sets: list[TuningSet], articles: dict[str, list[str]], names: list[str] | None = None,
              progress: bool = True) -> TuningResult:
    """The grid search over precomputed rankings, maximising the mean MRR over `sets`, fusing only `names`
    (default: every ranker the first set's rankings hold)."""
    names = names or (list(sets[0].runs[0]) if sets and sets[0].runs else [])
    # a ranker left out must not be fused at a default weight
    sets = [TuningSet(t.name, [{n: run[n] for n in names} for run in t.runs], t.golds) for t in sets]

    def mean_mrr(config: FusionConfig) -> float:
        return float(np.mean([_mrr_of(config, t.runs, t.golds, articles)[0] for t in sets]))

    single = {n: float(np.mean([mrr([first_correct_rank([d for d, _ in run[n]], g, articles)
                                     for run, g in zip(t.runs, t.golds)]) for t in sets])) for n in names}
    best_single = max(single, key=single.get)
    best = (single[best_single], FusionConfig(method="rrf", weights={n: float(n == best_single) for n in names}))
    others = [n for n in names if n != "lexical"]
    grid = [dict(zip(others, ws)) for ws in itertools.product(GRID, repeat=len(others))]
    tried = 0
    for method in ("rrf", "score", "zscore"):
        for weights in tqdm(grid, desc=f"tune {method}", disable=not progress):
            config = FusionConfig(method=method, weights={"lexical": 1.0, **weights} if "lexical" in names else weights)
            value = mean_mrr(config)
            tried += 1
            if value > best[0] + 1e-9:
                best = (value, config)
    per_set = {t.name: _mrr_of(best[1], t.runs, t.golds, articles) for t in sets}
    r10 = float(np.mean([recall_at(np.array(ranks), 10) for _, ranks in per_set.values()]))
    return TuningResult(best[1], mean_mrr(best[1]), r10, single, tried, {k: v for k, (v, _) in per_set.items()})


def fused_ranks(config: FusionConfig, runs: Runs, golds: list[set[str]], articles: dict[str, list[str]]) -> list[int]:
    """The first correct rank of each query under `config` (rankers `config` does not weigh are left out)."""
    return _mrr_of(config, [{n: run[n] for n in config.weights if n in run} for run in runs], golds, articles)[1]


def write_tuned(path: Path, result: TuningResult, service: SearchService, tuned_on: Mapping[Path, int],
                held_out: Iterable[Path] = ()) -> None:
    """The tuned fusion, with the sets it was tuned on (how many queries of each), the sets whose diseases were
    left out, and its scores, to `path`."""
    write_fusion(path, result.config, service.ranker_objects, {
        "queries": [shown(p) for p in tuned_on], "tuned_on": {shown(p): n for p, n in tuned_on.items()},
        "held_out": [shown(p) for p in held_out], "dev_mrr": round(result.dev_mrr, 4),
        "dev_mrr_per_set": {k: round(v, 4) for k, v in result.per_set.items()}, "dev_r10": round(result.dev_r10, 4),
        "single_dev_mrr": {k: round(v, 4) for k, v in result.single.items()},
        "data_release": service.catalogue.data_release})


def shown(path: Path) -> str:
    """A query set's path as the file records it: relative to the repository when inside it."""
    resolved = path.resolve()
    return str(resolved.relative_to(REPO)) if resolved.is_relative_to(REPO) else str(path)
