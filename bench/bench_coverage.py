"""How much of a patient do the annotations explain, and how well is the patient found for it?

For each query of a real-case set, the share of its recognised observed findings that are
related to its disease's HPO annotations (the finding is an annotation, an ancestor of one —
the disease shows it — or a descendant of one — the patient is described more precisely),
then the cases bucketed by that share with each bucket's MRR and Recall@10 for one ranker.
A ranker that reads only the annotations cannot find a patient whose findings they do not
explain: the table says how much of a set is out of its reach.

Run: `.venv/bin/python -m bench.bench_coverage [--queries FILE ...] [--ranker fused]` (after
`zebra build`; about half a minute a set on 2 cores).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from app.leave_out import apart
from app.loading import load_service
from app.service import SearchService
from app.tuning import articles_of
from bench.common import ROOT, machine
from core.config import Settings
from evaluation.metrics import first_correct_rank, mrr, recall_at
from evaluation.queryset import EvalQuery, read_queries
from indexer.store import make_engine

QUERIES = ROOT / "data" / "queries"
BUCKETS = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0))


def article_owners(service: SearchService) -> dict[str, str]:
    """Each article id → the id of the disease it belongs to."""
    return {a: d for d, ids in articles_of(service).items() for a in ids}


def related_share(service: SearchService, query: EvalQuery, owner: dict[str, str]) -> float | None:
    """The share of the query's observed findings related to its disease's annotations (None: no finding
    recognised, or the disease has no annotations). `owner` maps article ids to their disease's id."""
    ranker = service.phenotypes
    ontology = ranker.ontology
    observed = ranker.findings(ranker.mentions(query.query)).observed
    disease_id = next((d for d in (owner.get(g, g) for g in query.gold) if d in ontology.disease_index), None)
    if disease_id is None or not observed:
        return None
    row = ontology.annotated.getrow(ontology.disease_index[disease_id])
    annotations = set(row.indices.tolist())
    shown = set(ranker.matched(disease_id, observed))  # the disease shows the finding or a more specific one
    ancestors = ontology.ancestors  # (T, T) csr, row t: t and its ancestors
    related = 0
    for hpo_id in observed:
        t = ontology.term_index[hpo_id]
        finer = not annotations.isdisjoint(ancestors.indices[ancestors.indptr[t]:ancestors.indptr[t + 1]].tolist())
        related += hpo_id in shown or finer
    return related / len(observed)


def bucket_table(title: str, shares: np.ndarray, ranks: list[int]) -> Table:
    table = Table(title=title)
    for column in ("related share", "cases", "of the set", "MRR", "R@10"):
        table.add_column(column, justify="right")
    for lo, hi in BUCKETS:
        inside = (shares >= lo) & ((shares < hi) | (hi == 1.0))
        picked = [r for r, keep in zip(ranks, inside) if keep]
        table.add_row(f"{lo:.2f}–{hi:.2f}", str(int(inside.sum())), f"{inside.mean():.0%}",
                      f"{mrr(picked):.3f}" if picked else "—", f"{recall_at(picked, 10):.3f}" if picked else "—")
    table.add_row("all", str(len(ranks)), "100%", f"{mrr(ranks):.3f}", f"{recall_at(ranks, 10):.3f}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, nargs="+",
                        default=[QUERIES / "real-tune.jsonl", QUERIES / "real-test.jsonl"])
    parser.add_argument("--ranker", default="fused")
    args = parser.parse_args()
    settings = Settings()
    service, _ = load_service(settings, make_engine(settings.sql_url))
    if service.phenotypes is None:
        raise SystemExit("the ontology ranker is not loaded (see `zebra info`): no findings to relate")
    service.require_loaded([args.ranker])
    articles = articles_of(service)
    owner = article_owners(service)
    console = Console()
    for path in args.queries:
        shares, ranks = [], []
        queries = read_queries(path)
        with tqdm(total=len(queries), desc=path.name) as bar:
            for positions, apart_service in apart(service, queries):  # a published case without its publication
                for query in (queries[i] for i in positions):
                    bar.update(1)
                    share = related_share(apart_service, query, owner)
                    if share is None:
                        continue
                    shares.append(share)
                    ranking = [r.disease_id for r in apart_service.rank(query.query, args.ranker)]
                    ranks.append(first_correct_rank(ranking, set(query.gold), articles))
        values = np.array(shares)
        console.print(bucket_table(f"{path.name}: {args.ranker} by the share of findings related to the "
                                   f"disease's annotations (mean {values.mean():.2f})", values, ranks))
    console.print(f"Machine: {machine()}")


if __name__ == "__main__":
    main()
