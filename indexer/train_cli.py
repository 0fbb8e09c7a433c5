"""`zebra train`: build the training data from the store, train one architecture within a
time budget (early stopping on dev MRR) and save the checkpoint with its metrics.

An entry point: it reads `Settings` and hands explicit values to `indexer.training` and
`models.train`. The lexical side and fusion weights are not its business.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import os
import platform
import random
import shlex
import time
from pathlib import Path
from typing import Annotated, Optional

import click
import torch
import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError
from tqdm.contrib.logging import logging_redirect_tqdm

from app.config import REPO, get_settings
from indexer.store import StoreMismatch, make_engine
from indexer.training import (TRAINING_SEED, DataOptions, TrainingData, TrainingDataError, load_training_data,
                              neural_ranks, prototypes, rank_metrics, set_prototype_head, train_contrastive,
                              typical_norm)
from models.checkpoint import save_checkpoint
from models.encoding import Vocabulary
from models.layers import DocModel
from models.predict import score_texts
from models.registry import ARCHITECTURES, build_model, make_config
from models.train import train

console = Console()
err = Console(stderr=True)
# A first guess of training speed (examples/s on 2 CPU cores) that sizes the learning-rate
# schedule before the first epoch; after each epoch it is re-fitted to the measured pace.
PACE = {"c2w2d": 1200, "c2d-blstm": 600, "c2d-cnn": 2500}


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(1)


def _machine(device: str) -> str:
    if device.startswith("cuda") and torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), cpu)
    return f"{cpu}, {os.cpu_count()} cores, {torch.get_num_threads()} torch threads"


def _epochs(n_train: int, minutes: float, arch: str, batch_size: int, device: str) -> int:
    pace = PACE[arch] * (8 if device.startswith("cuda") else 1)
    return max(1, math.ceil(minutes * 60 * pace / max(n_train, batch_size)))


def train_cmd(
    ctx: typer.Context,
    arch: Annotated[str, typer.Option(help=f"Architecture: {', '.join(ARCHITECTURES)}.")] = "c2w2d",
    device: Annotated[str, typer.Option(help="cpu or cuda.")] = "cpu",
    minutes: Annotated[float, typer.Option(min=0.0, help="Training time budget (data building not counted).")] = 30.0,
    seed: Annotated[int, typer.Option(help="Seed of the network and the sampling.")] = 0,
    out: Annotated[Optional[Path], typer.Option(help="Checkpoint path; default models/checkpoints/<arch>.pt.")] = None,
    per_disease: Annotated[int, typer.Option(min=0, help="Simulated patients per disease.")] = 16,
    snippet_share: Annotated[float, typer.Option(min=0.0, max=0.95, help="Share of article snippets among the examples.")] = 0.2,
    stride: Annotated[int, typer.Option(min=1, help="Characters between snippet starts.")] = 50,
    batch_size: Annotated[int, typer.Option(min=1, help="Examples per step (softmax) or disease pairs per step (prototype).")] = 128,
    lr: Annotated[float, typer.Option(min=0.0, help="Peak learning rate (warmup, then cosine).")] = 3e-3,
    epochs: Annotated[Optional[int], typer.Option(min=1, help="Epoch limit; default: what the budget allows.")] = None,
    patience: Annotated[int, typer.Option(min=1, help="Epochs without a better dev MRR before stopping.")] = 4,
    balanced: Annotated[bool, typer.Option(help="Sample classes uniformly in each epoch.")] = False,
    objective: Annotated[str, typer.Option(help="prototype: contrastive encoder + prototype head (default); "
                                                "softmax: cross-entropy over the diseases.")] = "prototype",
    temperature: Annotated[float, typer.Option(min=0.001, help="Contrastive temperature (prototype objective).")] = 0.05,
    noise: Annotated[float, typer.Option(min=0.0, max=0.5, help="Typo rate per character (drops/swaps).")] = 0.02,
    config: Annotated[Optional[str], typer.Option(help='Architecture overrides as JSON, e.g. \'{"word_hidden": 192}\'.')] = None,
    dev_queries: Annotated[Optional[Path], typer.Option(help="Dev queries for early stopping.")] = REPO / "data/queries/dev.jsonl",
    dev_n: Annotated[int, typer.Option(min=0, help="Dev queries sampled for early stopping (0: all).")] = 200,
    data_seed: Annotated[int, typer.Option(help="Seed of the simulated patients (not 1 or 2: dev and test).")] = TRAINING_SEED,
    threads: Annotated[Optional[int], typer.Option(min=1, help="Torch CPU threads; default torch's.")] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Train a neural ranker on the corpus in the store and save its checkpoint."""
    if arch not in ARCHITECTURES:
        _fail(f"unknown architecture {arch!r}; choose one of {', '.join(ARCHITECTURES)}")
    if device.startswith("cuda") and not torch.cuda.is_available():
        _fail(f"--device {device} asked for, but torch sees no CUDA device; use --device cpu")
    if objective not in ("prototype", "softmax"):
        _fail(f"unknown objective {objective!r}; choose prototype or softmax")
    if data_seed in (1, 2):
        _fail(f"--data-seed {data_seed} is the seed of the shipped dev (1) or test (2) queries; pick another")
    overrides = _overrides(config)
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    target = out or REPO / "models" / "checkpoints" / f"{arch}.pt"
    started = time.perf_counter()
    try:
        engine = make_engine(settings.sql_url)
        options = DataOptions(per_disease=per_disease, snippet_share=snippet_share, stride=stride,
                              seed=data_seed, dev_queries=dev_queries, dev_n=dev_n)
        data = load_training_data(engine, options, settings.hpo_dir, progress, settings.data_dir / "training")
    except (StoreMismatch, SQLAlchemyError, TrainingDataError, ValueError, OSError) as exc:
        _fail(str(exc))
    console.print(f"data release {data.data_release}: {data.counts['classes']:,} diseases, "
                  f"{data.counts['patients']:,} simulated patients + {data.counts['snippets']:,} snippets, "
                  f"{len(data.dev)} dev queries ({time.perf_counter() - started:.0f} s)", highlight=False)
    if objective == "softmax":
        max_epochs = epochs or _epochs(len(data.train), minutes, arch, batch_size, device)
        with logging_redirect_tqdm():
            result = train(data.train, data.dev or None, len(data.labels), arch, overrides, minutes=minutes,
                           max_epochs=max_epochs, seed=seed, device=device, batch_size=batch_size, lr=lr,
                           progress=progress, noise=noise, balanced=balanced, patience=patience, num_threads=threads)
        model, model_config, vocab, summary = result.model, result.config, result.vocab, result.metrics()
    else:
        model, model_config, vocab, summary = _train_prototype(
            arch, overrides, data, minutes=minutes, seed=seed, device=device, batch_size=batch_size, lr=lr,
            temperature=temperature, noise=noise, patience=patience, threads=threads, progress=progress,
            max_epochs=epochs or 10_000)
    summary["objective"] = objective
    metrics = _metrics(summary, model, vocab, data, device, started, options, _command_line(ctx))
    save_checkpoint(target, model, arch, model_config, vocab, data.labels, data.data_release,
                    metrics, extra={"data": data.counts, "options": _jsonable(vars(options))})
    dev = metrics.get("dev")
    console.print(f"{arch} ({objective}): {model.n_params():,} parameters, {len(summary['history'])} epochs "
                  f"({summary['stopped']}), {summary['snippets_per_s']:,.0f} snippets/s, best epoch {summary['best_epoch']}"
                  + (f"; dev ({dev['n']} queries) MRR {dev['mrr']:.3f}, R@10 {dev['r10']:.3f}, "
                     f"R@20 {dev['r20']:.3f}" if dev else "")
                  + f" → {target} ({target.stat().st_size / 1e6:.1f} MB)", highlight=False)


def _overrides(config: str | None) -> dict:
    if not config:
        return {}
    try:
        value = json.loads(config)
    except json.JSONDecodeError as exc:
        _fail(f"--config is not JSON ({exc.msg}); give an object such as '{{\"word_hidden\": 192}}'")
    if not isinstance(value, dict):
        _fail("--config must be a JSON object such as '{\"word_hidden\": 192}'")
    return value


def _command_line(ctx: click.Context) -> str:
    """The `zebra train` command with every option spelled out (None: left out), so it reruns as is."""
    parts = ["zebra", "train"]
    for param in ctx.command.params:
        value = ctx.params[param.name]
        if value is None:
            continue
        if isinstance(value, bool):
            parts.append(param.opts[0] if value else param.secondary_opts[0])
        else:
            parts += [param.opts[0], str(value)]
    return shlex.join(parts)


def _jsonable(values: dict) -> dict:
    return {k: str(v) if isinstance(v, Path) else v for k, v in values.items()}


def _train_prototype(arch: str, overrides: dict, data: TrainingData, *, minutes: float, seed: int, device: str,
                     batch_size: int, lr: float, temperature: float, noise: float, patience: int,
                     threads: int | None, progress: bool, max_epochs: int) -> tuple[DocModel, object, Vocabulary, dict]:
    """Contrastive encoder training, then the softmax layer set to the diseases' prototypes."""
    started = time.perf_counter()
    random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    vocab = Vocabulary()
    config = make_config(arch, {**overrides, "n_classes": len(data.labels), "vocab_size": vocab.size})
    model = build_model(arch, config).to(device)
    with logging_redirect_tqdm():
        history = train_contrastive(model, vocab, data.train, data.dev, len(data.labels), minutes,
                                    batch_size=batch_size, lr=lr, temperature=temperature, noise=noise,
                                    patience=patience, seed=seed, device=device, progress=progress,
                                    max_epochs=max_epochs)
        protos = prototypes(model, vocab, data.train, len(data.labels), device, progress)
    norm = typical_norm(model, vocab, [t for t, _ in data.train[:: max(1, len(data.train) // 512)]])
    set_prototype_head(model, protos.to(device), temperature, norm)
    scored = [h for h in history if h.dev_mrr is not None]
    best = max(scored, key=lambda h: h.dev_mrr) if scored else history[-1]
    rate = sum(h.examples_per_s for h in history) / max(1, len(history))
    stopped = ("time" if history[-1].elapsed_s >= minutes * 60 else
               "max_epochs" if len(history) == max_epochs else "early_stopping")
    summary = {"arch": arch, "n_params": model.n_params(), "best_epoch": best.epoch, "best_dev_mrr": best.dev_mrr,
               "snippets_per_s": round(rate, 1), "elapsed_s": round(time.perf_counter() - started, 1),
               "stopped": stopped, "temperature": temperature, "typical_norm": round(norm, 4),
               "history": [dataclasses.asdict(h) for h in history]}
    return model, config, vocab, summary


def _metrics(summary: dict, model: DocModel, vocab: Vocabulary, data: TrainingData, device: str, started: float,
             options: DataOptions, command: str) -> dict:
    """Training metrics for the checkpoint: the run's summary, the machine, the command, and
    neural-only MRR/R@k on the dev sample used for early stopping."""
    metrics = dict(summary)
    if data.dev:
        scores = score_texts(model, vocab, [q for q, _ in data.dev], device).numpy()
        metrics["dev"] = rank_metrics(neural_ranks(scores, [g for _, g in data.dev]))
        metrics["dev"]["queries"] = str(options.dev_queries)
    metrics.update(wall_s=round(time.perf_counter() - started, 1), machine=_machine(device),
                   torch=torch.__version__, command=command)
    return metrics
