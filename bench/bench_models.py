"""Neural-ranker benchmark on the built corpus of the settings: training throughput per
architecture (short fixed-step runs on the real training data at the default sizes: the
softmax trainer of `models.train`, and the contrastive encoder training of the shipped recipe), prediction
latency per query (p50/p95 over 200 published-case queries of the test part, one query at a time, as the
app scores them, after the tuning part's queries were served; and the cold p50, every word spelled anew),
checkpoint size, and each architecture's MRR / R@10 on the published cases of the test
part (`real-test.jsonl`), its shipped typo'd copy (`real-test-typos.jsonl`: the share of MRR kept)
and the simulated test set.

Prints a table. Targets: prediction p50 ≤ 5 ms, checkpoint ≤ 30 MB, ≥ 80% of MRR kept under typos. On a shared machine the timings swing
with the other jobs; run it on a quiet one.
Run: `ZEBRA_DATA_DIR=… .venv/bin/python -m bench.bench_models [--steps 20] [--threads 2] [--no-throughput]`
(after `zebra build`). Checkpoints: models/checkpoints/<arch>.pt, else var/checkpoints/<arch>.pt;
throughput is timed at each checkpoint's sizes (the defaults where there is none).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from rich.console import Console
from rich.table import Table

from app.rankers.neural import ClassGroups
from core.config import Settings
from bench.common import ROOT, machine, summarise
from evaluation.queryset import read_queries
from indexer.store import make_engine
from training.data import (DataOptions, TrainingData, load_training_data, neural_ranks, rank_metrics,
                              train_contrastive)
from models.encoding import Vocabulary
from models.checkpoint import load_checkpoint
from models.predict import Predictor
from models.registry import ARCHITECTURES, build_model, make_config
from models.train import train

QUERIES = ROOT / "data" / "queries"


def checkpoint_of(arch: str) -> Path | None:
    for folder in (ROOT / "models" / "checkpoints", ROOT / "var" / "checkpoints"):
        if (folder / f"{arch}.pt").is_file():
            return folder / f"{arch}.pt"
    return None


def throughput(arch: str, data: TrainingData, steps: int, batch_size: int, config: dict) -> float:
    """Examples/s of `steps` softmax training steps (one epoch, no dev evaluation), after 3 untimed."""
    rng = np.random.default_rng(0)
    for n in (3, steps):  # the first steps of a fresh process run slowly (allocation, caches)
        sample = [data.train[i] for i in rng.choice(len(data.train), size=n * batch_size, replace=False)]
        result = train(sample, None, len(data.labels), arch, config, minutes=60, max_epochs=1, seed=0,
                       batch_size=batch_size, progress=False)
    return result.snippets_per_s


def contrastive_throughput(arch: str, data: TrainingData, steps: int, batch_size: int, config: dict) -> float:
    """Encodings/s of `steps` contrastive steps (`batch_size` disease pairs each), the shipped recipe."""
    vocab = Vocabulary()
    model = build_model(arch, make_config(arch, {**config, "n_classes": len(data.labels), "vocab_size": vocab.size}))
    train_contrastive(model, vocab, data.train, [], len(data.labels), minutes=60,  # 3 untimed steps
                      batch_size=batch_size, steps_per_epoch=3, max_epochs=1, progress=False)
    history = train_contrastive(model, vocab, data.train, [], len(data.labels), minutes=60,
                                batch_size=batch_size, steps_per_epoch=steps, max_epochs=1, progress=False)
    return history[0].examples_per_s


def _sizes(path: Path | None) -> dict:
    if path is None:
        return {}
    config = dict(load_checkpoint(path).config.__dict__)
    return {k: v for k, v in config.items() if k not in ("n_classes", "vocab_size")}


def latency(predictor: Predictor, queries: list[str], threads: int, served: list[str]) -> dict[str, float]:
    """Per-query latency of top-10 prediction with the app's thread count (one query at a time), as a
    worker that has already served `served` (other queries: its word cache holds their words), plus the
    cold p50 (every word of the query spelled anew, as on a worker's first query)."""
    training_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    predictor.predict(served, k=10)  # a worker that has served these (and is warmed up)
    ms = []
    for q in queries:
        start = time.perf_counter()
        predictor.predict([q], k=10)
        ms.append((time.perf_counter() - start) * 1000)
    cold = []
    cache = getattr(predictor.model, "_word_cache", None)
    for q in queries:
        if cache is not None:
            cache.clear()
        start = time.perf_counter()
        predictor.predict([q], k=10)
        cold.append((time.perf_counter() - start) * 1000)
    torch.set_num_threads(training_threads)
    return {**summarise(ms), "cold_p50": summarise(cold)["p50"]}


def quality(predictor: Predictor, data: TrainingData, name: str) -> dict[str, float] | None:
    path = QUERIES / f"{name}.jsonl"
    if not path.is_file():
        return None
    queries = read_queries(path)
    scores = predictor.scores_many([q.query for q in queries])
    groups = ClassGroups.of(predictor.labels, data.disease_of)  # classes the corpus groups into one disease
    if groups is not None:
        where = {d: i for i, d in enumerate(groups.diseases)}
        scores = groups.best(scores)[:, [where[d] for d in data.labels]]
    return rank_metrics(neural_ranks(scores, [data.gold_labels(q.gold) for q in queries]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="training steps timed per architecture")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads for training")
    parser.add_argument("--no-throughput", action="store_true", help="skip the training-throughput columns")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    settings = Settings()
    data = load_training_data(make_engine(settings.sql_url), DataOptions(dev_queries=None, real_cases=()),
                              settings.hpo_dir, progress=True, cache_dir=settings.data_dir / "training")
    real_queries = [q.query for q in read_queries(QUERIES / "real-test.jsonl")][:200]
    served = [q.query for q in read_queries(QUERIES / "real-tune.jsonl")]  # another part's queries, served first
    table = Table(title=f"Neural rankers — {machine()}; training {args.threads} torch threads, prediction "
                        f"{settings.torch_threads} (ZEBRA_TORCH_THREADS); data {data.data_release}; MRR and R@10 "
                        "on the published cases of the test part, its typo'd copy, and the simulated test set")
    for col in ("arch", "params", "MB", "softmax ex/s", "contrastive ex/s", "p50 ms", "p95 ms", "cold p50", "real MRR",
                "real R@10", "typos MRR", "kept", "sim. test MRR", "checkpoint"):
        table.add_column(col, justify="left" if col in ("arch", "checkpoint") else "right")
    for arch in ARCHITECTURES:
        path = checkpoint_of(arch)
        config = _sizes(path)  # the checkpoint's sizes where there is one, else the defaults
        rate = "—" if args.no_throughput else f"{throughput(arch, data, args.steps, args.batch_size, config):,.0f}"
        pace = ("—" if args.no_throughput else
                f"{contrastive_throughput(arch, data, args.steps, args.batch_size, config):,.0f}")
        if path is None:
            table.add_row(arch, "", "", rate, pace, *["—"] * 8, "none")
            continue
        predictor = Predictor.load(path, expected_release=data.data_release)
        lat = latency(predictor, real_queries, settings.torch_threads, served)
        real, typos, test = (quality(predictor, data, name) for name in ("real-test", "real-test-typos", "test"))
        kept = f"{typos['mrr'] / real['mrr']:.0%}" if real and typos and real["mrr"] else "—"
        table.add_row(arch, f"{predictor.model.n_params() / 1e6:.1f}M", f"{path.stat().st_size / 1e6:.1f}", rate, pace,
                      f"{lat['p50']:.1f}", f"{lat['p95']:.1f}", f"{lat['cold_p50']:.1f}", *(f"{m[k]:.3f}" if m else "—" for m, k in
                                                                  ((real, "mrr"), (real, "r10"), (typos, "mrr"))),
                      kept, f"{test['mrr']:.3f}" if test else "—", str(path.relative_to(ROOT)))
    Console().print(table)


if __name__ == "__main__":
    main()
