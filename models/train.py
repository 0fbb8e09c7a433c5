"""Training a ranker on labelled snippets: snippet cutting, noise injection, Adam with
warmup + cosine learning rate, gradient clipping, a time budget and early stopping on
dev MRR (best state kept). Returns a `TrainResult`; saving is `models.checkpoint`'s job.
"""
from __future__ import annotations

import bisect
import dataclasses
import logging
import math
import random
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from models.encoding import Vocabulary, normalise
from models.layers import DocModel
from models.predict import score_texts
from models.registry import build_model, config_to_dict, make_config

log = logging.getLogger(__name__)
_NONSPACE = re.compile(r"\S+")


@dataclass
class EpochStats:
    epoch: int
    loss: float  # mean training cross-entropy over the epoch
    dev_mrr: float | None
    snippets_per_s: float
    lr: float  # at the end of the epoch
    elapsed_s: float  # since training started


@dataclass
class TrainResult:
    model: DocModel  # holds the best state (by dev MRR, else the last)
    arch: str
    config: Any
    vocab: Vocabulary
    history: list[EpochStats]
    best_epoch: int
    best_dev_mrr: float | None
    snippets_per_s: float  # training steps only, dev evaluation excluded
    elapsed_s: float
    stopped: str  # "max_epochs", "time" or "early_stopping"

    def metrics(self) -> dict[str, Any]:
        """A JSON-able summary for the checkpoint."""
        return {"arch": self.arch, "n_params": self.model.n_params(), "best_epoch": self.best_epoch,
                "best_dev_mrr": self.best_dev_mrr, "snippets_per_s": round(self.snippets_per_s, 1),
                "elapsed_s": round(self.elapsed_s, 1), "stopped": self.stopped,
                "history": [dataclasses.asdict(h) for h in self.history]}


def make_snippets(texts: Sequence[str], labels: Sequence[int], length: int = 100,
                  stride: int = 50) -> list[tuple[str, int]]:
    """Word-aligned snippets of at most `length` characters, starting every ~`stride`
    characters (at the first word that starts there), each with its text's label."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if length < 1 or stride < 1:
        raise ValueError(f"length and stride must be positive, got {length} and {stride}")
    return [(snippet, label) for text, label in zip(texts, labels)
            for snippet in _cut(text, length, stride)]


def _cut(text: str, length: int, stride: int) -> list[str]:
    spans = [m.span() for m in _NONSPACE.finditer(text)]
    starts = [s for s, _ in spans]
    snippets, i = [], 0
    while i < len(spans):
        start, j = starts[i], i
        while j + 1 < len(spans) and spans[j + 1][1] - start <= length:
            j += 1
        snippets.append(" ".join(text[start: spans[j][1]].split())[:length])  # a lone long word is cut
        if j == len(spans) - 1:
            break
        i = min(bisect.bisect_left(starts, start + stride), j + 1)  # never skip a word
    return snippets


def add_noise(text: str, n_edits: int, rng: random.Random) -> str:
    """Apply `n_edits` random typos: drop a character or swap it with the next one."""
    if n_edits <= 0 or len(text) < 2:
        return text
    chars = list(text)
    for pos in sorted(rng.sample(range(len(chars) - 1), min(n_edits, len(chars) - 1)), reverse=True):
        if rng.random() < 0.5:
            del chars[pos]
        else:
            chars[pos], chars[pos + 1] = chars[pos + 1], chars[pos]
    return "".join(chars)


def lr_factor(progress: float, warmup: float) -> float:
    """Linear warmup over the first `warmup` fraction, then cosine decay to zero."""
    if progress < warmup:
        return max(progress / warmup, 0.01)
    return 0.5 * (1.0 + math.cos(math.pi * min(1.0, (progress - warmup) / max(1e-9, 1.0 - warmup))))


@dataclass
class _Run:
    """The mutable state of one training run."""

    model: DocModel
    optimizer: torch.optim.Optimizer
    vocab: Vocabulary
    texts: list[str]  # normalised
    labels: np.ndarray
    device: torch.device
    batch_size: int
    lr: float
    noise: float
    clip: float
    warmup: float
    total_steps: int
    budget_s: float
    progress: bool
    rng: random.Random
    np_rng: np.random.Generator
    start: float
    step: int = 0

    def out_of_time(self) -> bool:
        return time.perf_counter() - self.start >= self.budget_s

    def set_lr(self) -> float:
        lr = self.lr * lr_factor(min(1.0, self.step / self.total_steps), self.warmup)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        return lr

    def fit_schedule_to_budget(self, max_steps: int) -> None:
        """Shorten the schedule to the steps the time budget still allows at the pace so
        far (dev evaluation included), so the learning rate anneals before time runs out.
        Runs bound by max_epochs never shorten, and so stay deterministic."""
        elapsed = time.perf_counter() - self.start
        affordable = self.step + int(max(0.0, self.budget_s - elapsed) * self.step / max(elapsed, 1e-9))
        self.total_steps = max(self.step + 1, min(max_steps, affordable))

    def train_step(self, idx: np.ndarray) -> torch.Tensor:
        edits = self.np_rng.binomial([len(self.texts[j]) for j in idx], self.noise) if self.noise else None
        texts = [add_noise(self.texts[j], int(edits[n]), self.rng) if edits is not None else self.texts[j]
                 for n, j in enumerate(idx)]
        batch = self.vocab.encode(texts, self.model.level, first_window_only=True, normalised=True)
        y = torch.from_numpy(self.labels[idx]).to(self.device)
        logits, _ = self.model(batch.ids.to(self.device), batch.mask.to(self.device))  # (B, C)
        loss = F.cross_entropy(logits, y)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)
        self.set_lr()
        self.optimizer.step()
        self.step += 1
        return loss.detach()

    def epoch(self, order: np.ndarray, desc: str) -> tuple[float, int, float]:
        """Train over `order`; stops early when out of time. (mean loss, snippets, seconds)"""
        self.model.train()
        t0, total, seen = time.perf_counter(), torch.zeros((), device=self.device), 0
        with tqdm(total=len(order), desc=desc, unit="snip", disable=not self.progress, leave=False) as bar:
            for b in range(0, len(order), self.batch_size):
                if self.out_of_time():
                    break
                idx = order[b: b + self.batch_size]
                total += self.train_step(idx) * len(idx)
                seen += len(idx)
                bar.update(len(idx))
                if self.step % 20 == 0:
                    bar.set_postfix(loss=f"{float(total) / seen:.3f}")
        return float(total) / max(seen, 1), seen, time.perf_counter() - t0


def _adam(model: DocModel, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    """Fused Adam where this torch supports it on the model's device (about 3x faster steps on CPU)."""
    try:
        return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay, fused=True)
    except (RuntimeError, TypeError):
        return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _model_config(arch: str, config: Any, n_classes: int, vocab: Vocabulary) -> Any:
    fields = config_to_dict(config) if dataclasses.is_dataclass(config) else dict(config or {})
    return make_config(arch, {**fields, "n_classes": n_classes, "vocab_size": vocab.size})


def _epoch_order(labels: np.ndarray, balanced: bool, rng: np.random.Generator) -> np.ndarray:
    if not balanced:
        return rng.permutation(len(labels))
    counts = np.bincount(labels)
    weights = 1.0 / counts[labels]
    return rng.choice(len(labels), size=len(labels), p=weights / weights.sum())


def _check_examples(examples: Sequence[tuple[str, int]], n_classes: int) -> None:
    if not examples:
        raise ValueError("no training examples")
    bad = next(((t, y) for t, y in examples if not 0 <= y < n_classes), None)
    if bad is not None:
        raise ValueError(f"label {bad[1]} is outside 0..{n_classes - 1} (n_classes={n_classes})")


DevMetric = Callable[[torch.Tensor, Sequence[set[int]]], float]  # (N, C) scores, gold classes → MRR


def _dev_mrr(run: _Run, dev: Sequence[tuple[str, set[int]]], metric: DevMetric) -> float:
    run.model.eval()
    scores = score_texts(run.model, run.vocab, [q for q, _ in dev], run.device)
    return metric(scores, [g for _, g in dev])


def train(examples_train: Sequence[tuple[str, int]], dev: Sequence[tuple[str, set[int]]] | None,
          n_classes: int, arch: str = "c2w2d", config: Any = None, minutes: float = 10.0,
          max_epochs: int = 30, seed: int = 0, device: str | torch.device = "cpu",
          batch_size: int = 128, lr: float = 2e-3, progress: bool = True, *, noise: float = 0.02,
          balanced: bool = False, patience: int = 3, clip: float = 1.0, weight_decay: float = 0.0,
          warmup: float = 0.05, vocab: Vocabulary | None = None,
          num_threads: int | None = None, dev_metric: DevMetric | None = None) -> TrainResult:
    """Train `arch` on (snippet, class) pairs for at most `minutes` / `max_epochs`.

    `config` overrides the arch's config fields (n_classes and vocab_size are set
    here). The learning rate warms up then follows a cosine to zero over
    max_epochs, or over what the time budget allows if that is less (re-estimated
    after each epoch). `noise` is the per-character typo rate; `balanced` samples classes
    uniformly; with `dev` (query, gold classes) training stops after `patience`
    epochs without a better dev MRR (`dev_metric`, the caller's MRR) and the best state is kept.
    """
    if dev and dev_metric is None:
        raise ValueError("dev queries need a dev_metric (the MRR of (N, C) scores against gold classes)")
    _check_examples(examples_train, n_classes)
    _seed_everything(seed)
    if num_threads:
        torch.set_num_threads(num_threads)
    vocab = vocab or Vocabulary()
    model_config = _model_config(arch, config, n_classes, vocab)
    device = torch.device(device)
    model = build_model(arch, model_config).to(device)
    labels = np.array([y for _, y in examples_train], dtype=np.int64)
    steps_per_epoch = math.ceil(len(labels) / batch_size)
    run = _Run(model=model, optimizer=_adam(model, lr, weight_decay),
               vocab=vocab, texts=[normalise(t) for t, _ in examples_train], labels=labels, device=device,
               batch_size=batch_size, lr=lr, noise=noise, clip=clip, warmup=warmup,
               total_steps=max(1, steps_per_epoch * max_epochs), budget_s=max(minutes * 60, 1e-3),
               progress=progress, rng=random.Random(seed), np_rng=np.random.default_rng(seed),
               start=time.perf_counter())
    log.info("training %s: %d parameters, %d snippets, %d classes, batch %d",
             arch, model.n_params(), len(labels), n_classes, batch_size)
    return _fit(run, arch, model_config, dev, dev_metric, max_epochs, balanced, patience)


def _fit(run: _Run, arch: str, model_config: Any, dev: Sequence[tuple[str, set[int]]] | None,
         dev_metric: DevMetric | None, max_epochs: int, balanced: bool, patience: int) -> TrainResult:
    history: list[EpochStats] = []
    best_state, best_mrr, best_epoch, stale = None, None, 0, 0
    snippets, train_s, stopped = 0, 0.0, "max_epochs"
    max_steps = run.total_steps
    for epoch in range(1, max_epochs + 1):
        loss, seen, seconds = run.epoch(_epoch_order(run.labels, balanced, run.np_rng), f"epoch {epoch}")
        snippets, train_s = snippets + seen, train_s + seconds
        mrr = _dev_mrr(run, dev, dev_metric) if dev else None
        run.fit_schedule_to_budget(max_steps)
        history.append(EpochStats(epoch, loss, mrr, seen / max(seconds, 1e-9),
                                  run.optimizer.param_groups[0]["lr"], time.perf_counter() - run.start))
        log.info("epoch %d: loss %.4f, dev MRR %s, %.0f snippets/s", epoch, loss,
                 "-" if mrr is None else f"{mrr:.4f}", history[-1].snippets_per_s)
        if mrr is None or best_mrr is None or mrr > best_mrr:
            best_mrr, best_epoch, stale = mrr, epoch, 0
            if dev:
                best_state = {k: v.detach().clone() for k, v in run.model.state_dict().items()}
        else:
            stale += 1
        if dev and stale >= patience:
            stopped = "early_stopping"
            break
        if run.out_of_time():
            stopped = "time"
            break
    if best_state is not None:
        run.model.load_state_dict(best_state)
    run.model.eval()
    return TrainResult(model=run.model, arch=arch, config=model_config, vocab=run.vocab, history=history,
                       best_epoch=best_epoch, best_dev_mrr=best_mrr, snippets_per_s=snippets / max(train_s, 1e-9),
                       elapsed_s=time.perf_counter() - run.start, stopped=stopped)
