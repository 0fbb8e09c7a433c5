"""Does the neural ranker earn its place in the fusion on real patients? The fusion is tuned
twice on the sets `zebra tune-fusion` tunes on by default (the published cases of the tuning part,
also as if their diseases had no published patients, and the vignettes of the tuning half of diseases)
— with the neural ranker and without it — then both are applied to the published cases of the test
part (`real-test.jsonl`, diseases never tuned on), to its typo'd copy and to the same cases as if
their diseases had no published patients: MRR, R@1, R@10 of each, and the paired-bootstrap 95% CI of
the MRR difference (with − without), resampling cases and, since a few diseases carry many of the
cases, resampling diseases with all their cases.

Prints a table. Target: the CI of ΔMRR on the test part above 0.
Run: `.venv/bin/python -m bench.bench_neural_fusion` (after `zebra build`, with the checkpoint
of ZEBRA_MODEL_PATH; about 15 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from app.leave_out import left_out
from app.loading import load_service
from app.tuning import (HELD_OUT, TUNE_SETS, UNPROFILED, articles_of, diseases_of, fused_ranks, rank_all, tune_sets,
                        tuning_part, tuning_sets)
from bench.common import ROOT, machine
from core.config import Settings
from evaluation.metrics import cluster_bootstrap_ci, mrr, paired_test, reciprocal_ranks, recall_at
from evaluation.runner import disease_labels
from evaluation.queryset import read_queries
from indexer.store import make_engine

QUERIES = ROOT / "data" / "queries"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", type=Path, nargs="+", default=list(TUNE_SETS))
    parser.add_argument("--test", type=Path, nargs="+",
                        default=[QUERIES / "real-test.jsonl", QUERIES / "real-test-typos.jsonl"])
    args = parser.parse_args()
    settings = Settings()
    service, _ = load_service(settings, make_engine(settings.sql_url))
    if "neural" not in service.rankers:
        raise SystemExit("the neural ranker is not loaded (see `zebra info`); nothing to compare")
    articles, disease_of = articles_of(service), service.catalogue.article_to_disease
    names = [n for n in ("lexical", "ontology", "neural") if n in service.rankers]
    if len({p.name for p in args.tune}) < len(args.tune):
        raise SystemExit("--tune names one file name twice; each tuning set is known by its file name")
    tests = {path: read_queries(path) for path in args.test}
    # as `zebra tune-fusion`: no disease of the real test cases (nor of the sets compared here) is tuned on
    compared = [q for queries in tests.values() for q in queries] + [q for p in HELD_OUT for q in read_queries(p)]
    held_out = diseases_of(compared, disease_of)
    chosen = {p.name: tuning_part(read_queries(p), held_out, disease_of) for p in args.tune}
    sets = tuning_sets(service, chosen)
    with_neural = tune_sets(sets, articles, names, progress=False)
    without = tune_sets(sets, articles, [n for n in names if n != "neural"], progress=False)
    console = Console()
    console.print(f"tuned on {', '.join(f'{t.name} ({len(t.golds)})' for t in sets)}: with neural "
                  f"{with_neural.config.method} {with_neural.config.weights} MRR {with_neural.dev_mrr:.3f}; without "
                  f"{without.config.method} {without.config.weights} MRR {without.dev_mrr:.3f}", highlight=False)
    table = Table(title=f"Fusion with and without the neural ranker — {machine()}; checkpoint "
                        f"{settings.model_path.name if settings.model_path else '—'}")
    for col in ("query set", "n", "neural alone MRR", "without MRR", "with MRR", "without R@1", "with R@1",
                "without R@10", "with R@10", "ΔMRR", "95% CI (cases)", "95% CI (diseases)"):
        table.add_column(col, justify="left" if col == "query set" else "right")
    first = args.test[0]  # also as if its diseases had no published patients, where the profiles count its cases
    unprofiled_too = [(first, tests[first], True)] if left_out(service, tests[first]) else []
    for path, queries, unprofiled in [(p, q, False) for p, q in tests.items()] + unprofiled_too:
        golds = [set(q.gold) for q in queries]
        label = path.name + (UNPROFILED if unprofiled else "")
        test_runs = rank_all(service, queries, names, desc=f"rank {label}", unprofiled=unprofiled)
        a = np.array(fused_ranks(with_neural.config, test_runs, golds, articles))
        b = np.array(fused_ranks(without.config, test_runs, golds, articles))
        alone = np.array(fused_ranks(type(with_neural.config)(method="rrf", weights={"neural": 1.0}), test_runs,
                                     golds, articles))
        test = paired_test(a, b, k=10)
        by_disease = cluster_bootstrap_ci(reciprocal_ranks(a) - reciprocal_ranks(b),
                                          disease_labels(q.gold for q in queries))
        table.add_row(label, str(len(queries)), f"{mrr(alone):.3f}", f"{mrr(b):.3f}", f"{mrr(a):.3f}",
                      f"{recall_at(b, 1):.3f}", f"{recall_at(a, 1):.3f}", f"{recall_at(b, 10):.3f}",
                      f"{recall_at(a, 10):.3f}", f"{test.delta_mrr:+.3f}", f"{test.ci_low:+.3f} … {test.ci_high:+.3f}",
                      f"{by_disease[0]:+.3f} … {by_disease[1]:+.3f}")
    console.print(table)


if __name__ == "__main__":
    main()
