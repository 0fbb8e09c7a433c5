"""Training data for the neural rankers, read from the SQL store: the label map (diseases
with HPO articles), article snippets and simulated patients labelled by disease, the dev
queries mapped to labels, typo perturbation and neural-only evaluation of a checkpoint.

Owns what the networks learn from; the training loop and checkpoints are `models`' job.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from collections.abc import Callable
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from tqdm.auto import tqdm

from core.files import write_atomically
from evaluation.metrics import NOT_FOUND, mrr, recall_at
from evaluation.queries import GENERATOR_VERSION, TRAINING_SEED, GeneratorParams, simulate_each
from evaluation.queryset import read_queries
from evaluation.typos import misspell  # noqa: F401  (re-exported for the robustness checks)
from indexer.corpus import Article, load_release
from indexer.lexical.base import LexicalIndex
from indexer.store import load_articles, read_meta
from models.encoding import Vocabulary, normalise
from models.layers import DocModel
from models.train import add_noise, lr_factor, make_snippets

log = logging.getLogger(__name__)


# How the app's network reads a query's text (`cli.train` passes the app's own reading: the text
# without its excluded findings, as `app.rankers.neural` reads a query); None: texts as written.
Reader = Callable[[str], str]


class TrainingDataError(ValueError):
    """The store cannot give training data (not built, or another data release than the HPO files)."""


def bf16_unsupported(device: str | torch.device) -> str | None:
    """Why `device` cannot run the encoder's steps in bfloat16 (None when it can): oneDNN runs a CPU's LSTM in
    bfloat16 only with AVX-512 BF16 or AMX, and a GPU needs bfloat16 support of its own."""
    if torch.device(device).type == "cuda":
        if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
            return None
        return f"--bf16 needs a GPU with bfloat16 support; {device} has none: drop --bf16"
    try:
        supported = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        supported = False
    return None if supported else ("--bf16 needs a CPU with AVX-512 BF16 or AMX (oneDNN runs the LSTM in bfloat16 "
                                   "only there); this CPU has neither: drop --bf16, or train on a GPU with "
                                   "--device cuda --bf16")


@dataclass(frozen=True)
class DataOptions:
    per_disease: int = 16  # simulated patients per disease
    snippet_share: float = 0.2  # fraction of training examples that are article snippets
    snippet_length: int = 100
    stride: int = 50
    seed: int = TRAINING_SEED
    dev_queries: Path | None = Path("data/queries/real-tune.jsonl")
    dev_n: int = 0  # dev queries for early stopping (0: all; a fixed sample keeps epochs cheap)
    real_cases: tuple[Path, ...] = (Path("data/queries/real-tune-leaky.jsonl"),)  # published patients to learn from
    prototype_snippets: bool = True  # snippets make up the prototypes with the simulated patients
    # P(0, 1, 2, … unrelated findings) of a simulated patient; None: the generator's default (0–2)
    noise_weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.snippet_share < 1.0:
            raise ValueError(f"snippet_share must be in [0, 1), got {self.snippet_share}")
        if self.per_disease < 0 or (self.per_disease == 0 and self.snippet_share == 0.0):
            raise ValueError("per_disease must be >= 0, and > 0 unless snippet_share > 0")
        if self.noise_weights is not None:
            weights = tuple(float(w) for w in self.noise_weights)
            if not weights or min(weights) < 0 or sum(weights) <= 0:
                raise ValueError(f"noise_weights must be non-negative with a positive sum, got {self.noise_weights}")
            object.__setattr__(self, "noise_weights", weights)  # one cache key for equal weights, list or tuple


@dataclass
class TrainingData:
    labels: list[str]  # sorted disease ids; position = class
    data_release: str
    train: list[tuple[str, int]]
    dev: list[tuple[str, set[int]]]
    disease_of: dict[str, str]  # article id -> disease id
    counts: dict[str, int] = field(default_factory=dict)
    real: list[tuple[str, int]] = field(default_factory=list)  # published patients (never in prototypes)
    prototype_snippets: bool = True  # as `DataOptions.prototype_snippets`
    # each class's hard negatives from the lexical index (`lexical_classes`), most confused first, where the
    # data was saved with them: a machine without the index trains from them
    lexical_neighbours: list[list[int]] | None = None

    def prototype_examples(self) -> list[tuple[str, int]]:
        """The examples each disease's prototype is the mean of: all of them (simulated patients
        and snippets), or its simulated patients only (the first `counts["patients"]` of `train`)
        when `prototype_snippets` is off and there are simulated patients."""
        patients = self.counts.get("patients", 0)
        return self.train if self.prototype_snippets or not patients else self.train[:patients]

    def gold_labels(self, gold: Sequence[str]) -> set[int]:
        return gold_classes(gold, self.disease_of, {d: i for i, d in enumerate(self.labels)})


def label_map(articles: Sequence[Article]) -> list[str]:
    """The classes: every disease that has an HPO article, sorted by id."""
    return sorted({a.disease_id for a in articles if a.origin == "hpo" and a.disease_id})


def gold_classes(gold: Sequence[str], disease_of: dict[str, str], index: dict[str, int]) -> set[int]:
    """The classes of a query's gold ids (article or disease ids); unknown ids are not classes."""
    return {index[d] for d in (disease_of.get(g, g) for g in gold) if d in index}


def article_snippets(articles: Sequence[Article], index: dict[str, int], length: int = 100,
                     stride: int = 50) -> list[tuple[str, int]]:
    """~`length`-character snippets of each article body, labelled with its disease's class."""
    kept = [a for a in articles if a.disease_id in index]
    return make_snippets([a.body() for a in kept], [index[a.disease_id] for a in kept], length, stride)


def balanced_subset(examples: Sequence[tuple[str, int]], n: int, n_classes: int,
                    rng: np.random.Generator) -> list[tuple[str, int]]:
    """About `n` examples with every class's share as equal as its examples allow (round-robin
    over classes in a random order, each class's examples shuffled)."""
    by_class: dict[int, list[int]] = defaultdict(list)
    for i, (_, y) in enumerate(examples):
        by_class[y].append(i)
    queues = [list(rng.permutation(by_class[c])) for c in range(n_classes) if by_class[c]]
    picked: list[int] = []
    while len(picked) < n and queues:
        for q in queues:
            if q and len(picked) < n:
                picked.append(int(q.pop()))
        queues = [q for q in queues if q]
    return [examples[i] for i in sorted(picked)]


def dev_examples(path: Path, n: int, disease_of: dict[str, str], index: dict[str, int],
                 seed: int = 0) -> list[tuple[str, set[int]]]:
    """A fixed sample of `n` dev queries (same for every training seed) with their gold classes."""
    rows = [(q.query, gold_classes(q.gold, disease_of, index)) for q in read_queries(path)]
    rows = [r for r in rows if r[1]]
    if n and n < len(rows):
        keep = sorted(np.random.default_rng(seed).choice(len(rows), size=n, replace=False))
        rows = [rows[i] for i in keep]
    return rows


def load_training_data(engine: Engine, options: DataOptions, hpo_dir: Path | None = None,
                       progress: bool = True, cache_dir: Path | None = None,
                       reader: Reader | None = None) -> TrainingData:
    """Snippets and simulated patients of every disease in the store, mixed as `options` say.
    With `cache_dir`, the simulated patients are kept there and reused (keyed by release,
    generator version, seed, count, the unrelated findings' weights and the HPO folder). With
    `reader`, every patient and query text (simulated, published, early-stopping) is what the
    reader makes of it, so that the network learns from what it will read; article snippets are
    no queries and stay as written."""
    with Session(engine) as s:
        meta = read_meta(s)
        articles = load_articles(s)
    if meta is None or not articles:
        raise TrainingDataError("the corpus is not built; run `zebra build` first")
    labels = label_map(articles)
    index = {d: i for i, d in enumerate(labels)}
    disease_of = {a.article_id: a.disease_id for a in articles if a.disease_id}
    patients = _read(_patients(options, hpo_dir, meta.data_release, disease_of, index, progress, cache_dir),
                     reader, progress, "reading simulated patients")
    snippets = article_snippets(articles, index, options.snippet_length, options.stride)
    rng = np.random.default_rng(options.seed)
    n_snip = (len(snippets) if not patients else
              round(len(patients) * options.snippet_share / (1.0 - options.snippet_share)))
    chosen = balanced_subset(snippets, n_snip, len(labels), rng) if n_snip < len(snippets) else snippets
    train = patients + chosen
    dev = (dev_examples(options.dev_queries, options.dev_n, disease_of, index)
           if options.dev_queries is not None else [])
    real = real_examples(options.real_cases, disease_of, index, exclude=set().union(*(g for _, g in dev)))
    dev = _read(dev, reader, progress, "reading early-stopping queries")
    real = _read(real, reader, progress, "reading published patients")
    counts = {"classes": len(labels), "articles": len(articles), "patients": len(patients),
              "snippets_available": len(snippets), "snippets": len(chosen), "train": len(train),
              "real_cases": len(real), "real_diseases": len({y for _, y in real}), "dev": len(dev)}
    log.info("training data: %s", counts)
    return TrainingData(labels, meta.data_release, train, dev, disease_of, counts, real, options.prototype_snippets)


# A saved copy of the training data (`zebra train --save-data`), read back with `--data` on a
# machine that holds no store, HPO files or recogniser (a GPU machine): the examples as the network
# reads them, the label map and the options that made them.
SAVED_FORMAT = "zebra-training-data"
SAVED_VERSION = 1


def save_training_data(data: TrainingData, path: Path, options: dict, reads: str) -> None:
    """Write `data` to `path` (gzipped JSON), whole or not at all (written aside, then moved)."""
    payload = {"format": SAVED_FORMAT, "version": SAVED_VERSION, "data_release": data.data_release,
               "options": options, "reads": reads, "counts": data.counts, "labels": data.labels,
               "disease_of": data.disease_of, "prototype_snippets": data.prototype_snippets,
               "train": data.train, "dev": [(t, sorted(g)) for t, g in data.dev], "real": data.real,
               "lexical_neighbours": data.lexical_neighbours}
    write_atomically(path, gzip.compress(json.dumps(payload).encode(), compresslevel=6))


def load_saved_training_data(path: Path) -> tuple[TrainingData, dict, str]:
    """The training data saved at `path`, with the options that made it and how its texts were read."""
    fix = "make it with `zebra train --save-data FILE` (the same version of Zebra)"
    try:
        payload = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        raise TrainingDataError(f"--data {path} does not exist; {fix}") from None
    except (OSError, EOFError, ValueError) as exc:
        raise TrainingDataError(f"--data {path} is not saved training data ({exc}); {fix}") from None
    if not isinstance(payload, dict) or payload.get("format") != SAVED_FORMAT:
        raise TrainingDataError(f"--data {path} is not saved training data (no {SAVED_FORMAT!r} format); {fix}")
    if payload.get("version") != SAVED_VERSION:
        raise TrainingDataError(f"--data {path} is saved training data version {payload.get('version')}, "
                                f"this Zebra reads version {SAVED_VERSION}; {fix}")
    data = TrainingData(payload["labels"], payload["data_release"], [(t, int(y)) for t, y in payload["train"]],
                        [(t, set(g)) for t, g in payload["dev"]], payload["disease_of"], payload["counts"],
                        [(t, int(y)) for t, y in payload["real"]], payload["prototype_snippets"],
                        payload.get("lexical_neighbours"))
    return data, payload["options"], payload["reads"]


def _read(rows: list[tuple[str, object]], reader: Reader | None, progress: bool, desc: str) -> list:
    """(text, label) rows with each text as `reader` reads it (unchanged without a reader)."""
    if reader is None or not rows:
        return rows
    return [(reader(text), label) for text, label in tqdm(rows, desc=desc, disable=not progress, mininterval=1)]


def real_examples(paths: Sequence[Path], disease_of: dict[str, str], index: dict[str, int],
                  exclude: set[int] = frozenset()) -> list[tuple[str, int]]:
    """Published patients (query files) labelled with their disease's class, one row per gold
    class; the patients of the classes in `exclude` (the early-stopping queries' diseases) are left
    out, so that early stopping measures diseases without published patients, as the test does."""
    rows = []
    for path in paths:
        for q in read_queries(path):
            rows += [(q.query, c) for c in sorted(gold_classes(q.gold, disease_of, index)) if c not in exclude]
    return rows


def _patients(options: DataOptions, hpo_dir: Path | None, store_release: str, disease_of: dict[str, str],
              index: dict[str, int], progress: bool, cache_dir: Path | None) -> list[tuple[str, int]]:
    if options.per_disease == 0:
        return []
    params = None if options.noise_weights is None else replace(GeneratorParams(), noise_weights=options.noise_weights)
    noisy = "" if params is None else f"-u{hashlib.sha256(str(options.noise_weights).encode()).hexdigest()[:8]}"
    name = (f"patients-{store_release}-g{GENERATOR_VERSION}-s{options.seed}-n{options.per_disease}{noisy}-"
            f"{hashlib.sha256(str(hpo_dir).encode()).hexdigest()[:8]}.json.gz")
    cached = cache_dir / name if cache_dir else None
    if cached is not None and cached.is_file():
        rows = [tuple(r) for r in json.loads(gzip.decompress(cached.read_bytes()))]
    else:
        release = load_release(hpo_dir)
        if release.release != store_release:
            raise TrainingDataError(f"the store holds data release {store_release} but the HPO files are "
                                    f"release {release.release}; run `zebra build` again")
        rows = simulate_each(release, options.per_disease, options.seed, params, progress=progress)
        if cached is not None:
            write_atomically(cached, gzip.compress(json.dumps(rows).encode()))
    return [(text, index[d]) for text, d in ((t, disease_of.get(g, g)) for t, g in rows) if d in index]


def neural_ranks(scores: np.ndarray, gold: Sequence[set[int]]) -> np.ndarray:
    """1-based rank of the best gold class per query (N, C scores; ties in favour of gold: the
    rank counts the classes scoring strictly higher); `NOT_FOUND` when a query has no gold class."""
    out = np.full(len(gold), NOT_FOUND, dtype=np.int64)
    for i, classes in enumerate(gold):
        if classes:
            best = scores[i, sorted(classes)].max()
            out[i] = int((scores[i] > best).sum()) + 1
    return out


def dev_mrr(scores: torch.Tensor | np.ndarray, gold: Sequence[set[int]]) -> float:
    """MRR of (N, C) class scores against each query's gold classes (evaluation's one MRR)."""
    return mrr(neural_ranks(np.asarray(scores), gold))


def rank_metrics(ranks: np.ndarray) -> dict[str, float]:
    return {"mrr": round(mrr(ranks), 4), "r1": round(recall_at(ranks, 1), 4),
            "r10": round(recall_at(ranks, 10), 4), "r20": round(recall_at(ranks, 20), 4), "n": int(len(ranks))}


# -- the prototype head: a dual encoder folded into the softmax layer ------------------------------
# A softmax over ~12k diseases sees each class too rarely in a CPU budget (issue 4). Instead the
# encoder is trained contrastively (two examples of one disease against the other diseases of the
# batch, in-batch negatives), and the softmax layer is then set to the diseases' mean encodings
# (prototypes): logits = scale * <c, prototype>. The checkpoint stays a plain classifier.

@dataclass
class ContrastiveStats:
    epoch: int
    loss: float
    dev_mrr: float | None
    examples_per_s: float
    elapsed_s: float


@torch.inference_mode()
def encode_texts(model: DocModel, vocab: Vocabulary, texts: Sequence[str], batch_size: int = 512,
                 device: str | torch.device = "cpu") -> torch.Tensor:
    """Unit-length pooled vectors (N, D) of each text's first window."""
    model.eval()
    out = []
    for i in range(0, len(texts), batch_size):
        batch = vocab.encode(texts[i: i + batch_size], model.level, first_window_only=True)
        out.append(F.normalize(model.encode(batch.ids.to(device), batch.mask.to(device)).float(), dim=-1).cpu())
    return torch.cat(out)


def prototypes(model: DocModel, vocab: Vocabulary, examples: Sequence[tuple[str, int]], n_classes: int,
               device: str | torch.device = "cpu", progress: bool = False) -> torch.Tensor:
    """Each class's mean unit encoding, renormalised (C, D); a class without examples gets zeros."""
    texts, labels = [t for t, _ in examples], torch.tensor([y for _, y in examples])
    chunks = [encode_texts(model, vocab, texts[i: i + 8192], device=device)
              for i in tqdm(range(0, len(texts), 8192), desc="prototypes", disable=not progress, leave=False)]
    vectors = torch.cat(chunks)
    return F.normalize(torch.zeros(n_classes, vectors.size(1)).index_add_(0, labels, vectors), dim=-1)


@torch.no_grad()
def set_prototype_head(model: DocModel, protos: torch.Tensor, temperature: float,
                       typical_norm: float) -> None:
    """Head weights = prototypes / (temperature * typical |c|), bias 0: a query vector of typical
    length gets logits cos / temperature, the scale the encoder was trained at."""
    model.head.weight.copy_(protos / (temperature * typical_norm))
    model.head.bias.zero_()


@torch.inference_mode()
def typical_norm(model: DocModel, vocab: Vocabulary, texts: Sequence[str]) -> float:
    model.eval()
    batch = vocab.encode(list(texts), model.level, first_window_only=True).to(next(model.parameters()).device)
    return float(model.encode(batch.ids, batch.mask).norm(dim=-1).median())


def nearest_classes(protos: torch.Tensor, k: int, chunk: int = 2048) -> np.ndarray:
    """(C, k): for each class, the k other classes whose prototypes are the most alike (cosine; unit
    prototypes), most alike first; a class without a prototype (zeros) is nobody's neighbour."""
    empty = protos.norm(dim=-1) == 0
    out = []
    for i in range(0, len(protos), chunk):
        sims = protos[i: i + chunk] @ protos.T  # (chunk, C)
        sims[:, empty] = -2.0
        sims[torch.arange(sims.size(0)), torch.arange(i, i + sims.size(0))] = -3.0  # never itself
        out.append(sims.topk(min(k, len(protos) - 1), dim=-1).indices.numpy())
    return np.concatenate(out) if out else np.zeros((0, k), dtype=np.int64)


def lexical_classes(index: LexicalIndex, examples: Sequence[tuple[str, int]], labels: Sequence[str], k: int,
                    per_class: int = 2, hits: int = 300, progress: bool = True) -> np.ndarray:
    """(C, k): for each class, the k other classes the lexical index confuses it with most: the diseases whose
    articles best match the class's first `per_class` examples (simulated patients; a disease's place is its
    best article's, the examples' places summed as reciprocal ranks), most confused first; padded with the
    class itself (never a neighbour, `_hard_classes` skips it) where fewer are found."""
    texts: dict[int, list[str]] = defaultdict(list)
    for text, y in examples:
        if len(texts[y]) < per_class:
            texts[y].append(text)
    class_of = {d: i for i, d in enumerate(labels)}
    out = np.tile(np.arange(len(labels), dtype=np.int64)[:, None], (1, k))
    for c, queries in tqdm(sorted(texts.items()), desc="lexical neighbours", disable=not progress, leave=False):
        score: dict[int, float] = defaultdict(float)
        for query in queries:
            found = dict.fromkeys(class_of.get(h.disease_id, c) for h in index.search(query, hits))
            ranked = [y for y in found if y != c]
            for place, other in enumerate(ranked, start=1):
                score[other] += 1.0 / place
        best = sorted(score, key=lambda y: (-score[y], y))[:k]
        out[c, : len(best)] = best
    return out


def _pairs(by_class: list[np.ndarray], batch_size: int, rng: np.random.Generator,
           real_by_class: dict[int, np.ndarray] | None = None, n_real: int = 0,
           neighbours: np.ndarray | None = None, hard_share: float = 0.5) -> tuple[list[int], list[int]]:
    """Anchors and positives of `batch_size` distinct classes: for up to `n_real` classes with
    published patients, one such patient (index in `real_by_class`) against one simulated example
    or snippet; for the others, two different examples. With `neighbours` (`nearest_classes`),
    `hard_share` of the other classes come in groups, a random class with its nearest classes
    (hard negatives: the diseases the network tells apart worst meet in one batch)."""
    usable = [c for c, ix in enumerate(by_class) if len(ix) >= 2]
    real_by_class = real_by_class or {}
    with_real = [c for c in real_by_class if len(by_class[c]) >= 1]
    real_classes = (rng.choice(with_real, size=min(n_real, len(with_real), batch_size), replace=False)
                    if n_real and with_real else np.array([], dtype=np.int64))
    taken = set(real_classes.tolist())
    hard = _hard_classes(usable, taken, neighbours, round((batch_size - len(taken)) * hard_share), rng)
    taken |= set(hard)
    rest = [c for c in usable if c not in taken]
    classes = np.concatenate([np.array(hard, dtype=np.int64),
                              rng.choice(rest, size=min(batch_size - len(taken), len(rest)), replace=False)])
    anchors = [int(rng.choice(real_by_class[c])) for c in real_classes]
    positives = [int(rng.choice(by_class[c])) for c in real_classes]
    picks = [rng.choice(by_class[c], size=2, replace=False) for c in classes]
    return anchors + [int(p[0]) for p in picks], positives + [int(p[1]) for p in picks]


def _hard_classes(usable: list[int], taken: set[int], neighbours: np.ndarray | None, n: int,
                  rng: np.random.Generator) -> list[int]:
    """Up to `n` distinct classes not in `taken`: random classes each followed by its usable neighbours."""
    if neighbours is None or n <= 0:
        return []
    ok = set(usable) - taken
    out: list[int] = []
    for seed in rng.permutation(usable):
        if len(out) >= n:
            break
        if int(seed) not in ok:
            continue
        group = [int(seed)] + [int(c) for c in neighbours[seed] if int(c) in ok and int(c) != int(seed)]
        for c in group[: n - len(out)]:
            out.append(c)
            ok.discard(c)
    return out


def drop_findings(text: str, rng: random.Random, p: float = 0.15) -> str:
    """A patient written with some findings left out: each comma-separated part after the first
    is dropped with probability `p` (how two clinicians describe one patient differently)."""
    parts = text.split(", ")
    if len(parts) < 3:
        return text
    return ", ".join([parts[0]] + [x for x in parts[1:] if rng.random() >= p])


def train_contrastive(model: DocModel, vocab: Vocabulary, examples: Sequence[tuple[str, int]],
                      dev: Sequence[tuple[str, set[int]]], n_classes: int, minutes: float, *,
                      batch_size: int = 256, lr: float = 2e-3, temperature: float = 0.05, noise: float = 0.02,
                      warmup: float = 0.05, clip: float = 1.0, steps_per_epoch: int = 200, patience: int = 4,
                      seed: int = 0, device: str | torch.device = "cpu", progress: bool = True,
                      proto_per_class: int = 3, max_epochs: int = 10_000,
                      real: Sequence[tuple[str, int]] = (), real_share: float = 0.25,
                      probe_examples: Sequence[tuple[str, int]] | None = None,
                      hard_negatives: int = 0, fixed_neighbours: np.ndarray | None = None,
                      bf16: bool = False) -> list[ContrastiveStats]:
    """Train the encoder of `model` with in-batch negatives for `minutes`; after each epoch the
    head is set to prototypes (of up to `proto_per_class` examples per class; 0: all of them) and dev MRR
    measured; the best state is kept. Then the caller sets the final prototype head.

    With `real` (published patients), `real_share` of each batch's pairs put one of them against a
    simulated example or snippet of its disease: the encoder learns to place a real patient where
    the simulated patients of the disease are, which is all the prototypes of a disease without
    published patients are made of. The early-stopping prototypes are drawn from `probe_examples`
    (default: `examples`), the examples the final prototypes are made of.

    With `hard_negatives` k > 0, half of each batch's other classes come as groups of a class and
    its k nearest classes by the current prototypes (of the early-stopping probe), found again
    after every epoch. With `fixed_neighbours` ((C, k) classes, e.g. `lexical_classes`) the groups come from
    them instead, the same in every epoch.

    With `bf16`, the encoder's steps run under bfloat16 autocast (the weights, the optimizer and the
    loss stay float32); prototypes and dev ranking stay float32."""
    if bf16 and (why := bf16_unsupported(device)) is not None:
        raise ValueError(why)
    rng, noise_rng = np.random.default_rng(seed), random.Random(seed)
    labels = np.array([y for _, y in examples])
    by_class = _group(labels, n_classes)
    texts = [normalise(t) for t, _ in examples] + [normalise(t) for t, _ in real]
    real_by_class = {c: ix + len(examples) for c, ix in enumerate(_group(np.array([y for _, y in real], dtype=np.int64),
                                                                          n_classes)) if len(ix)} if real else {}
    n_real = round(batch_size * real_share) if real_by_class else 0
    probe_from = examples if probe_examples is None else probe_examples
    probe = balanced_subset(probe_from, proto_per_class * n_classes, n_classes, rng) if proto_per_class else probe_from
    optimizer = torch.optim.Adam([p for n, p in model.named_parameters() if not n.startswith("head.")], lr=lr)
    by_prototypes = bool(hard_negatives) and fixed_neighbours is None
    neighbours = (nearest_classes(prototypes(model, vocab, probe, n_classes, device), hard_negatives)
                  if by_prototypes else fixed_neighbours)
    start, history, best, stale = time.perf_counter(), [], (-1.0, None), 0
    budget, step, total_steps = minutes * 60, 0, None
    for epoch in range(1, max_epochs + 1):
        loss, seen, done, t0 = 0.0, 0, 0, time.perf_counter()
        model.train()
        with tqdm(total=steps_per_epoch, desc=f"epoch {epoch}", disable=not progress, leave=False) as bar:
            for _ in range(steps_per_epoch):
                if time.perf_counter() - start >= budget:
                    break
                total_steps = total_steps or max(1, int(budget * 4))  # refined after the first epoch
                for group in optimizer.param_groups:
                    group["lr"] = lr * lr_factor(min(1.0, step / total_steps), warmup)
                anchors, positives = _pairs(by_class, batch_size, rng, real_by_class, n_real, neighbours)
                batch = [add_noise(_augment(texts[i], i >= len(examples), noise_rng), int(np_noise), noise_rng)
                         for i, np_noise in zip(anchors + positives,
                                                rng.binomial([len(texts[i]) for i in anchors + positives], noise))]
                enc = vocab.encode(batch, model.level, first_window_only=True, normalised=True)
                with torch.autocast(torch.device(device).type, dtype=torch.bfloat16, enabled=bf16):
                    z = model.encode(enc.ids.to(device), enc.mask.to(device))
                z = F.normalize(z.float(), dim=-1)  # (2B, D)
                a, p = z[: len(anchors)], z[len(anchors):]
                logits = a @ p.T / temperature  # (B, B): row i's positive is column i
                target = torch.arange(len(anchors), device=logits.device)
                step_loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
                optimizer.zero_grad(set_to_none=True)
                step_loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
                optimizer.step()
                step, done, seen, loss = step + 1, done + 1, seen + 2 * len(anchors), loss + float(step_loss.detach())
                bar.update(1)
                bar.set_postfix(loss=f"{loss / done:.3f}", ex_s=f"{seen / (time.perf_counter() - t0):.0f}")
        rate = seen / max(time.perf_counter() - t0, 1e-9)
        protos = prototypes(model, vocab, probe, n_classes, device) if dev or by_prototypes else None
        mrr_dev = _prototype_dev_mrr(model, vocab, protos, dev, device) if dev else None
        if by_prototypes:
            neighbours = nearest_classes(protos, hard_negatives)
        elapsed = time.perf_counter() - start
        total_steps = step + int(max(0.0, budget - elapsed) * step / max(elapsed, 1e-9))  # fit to the budget
        history.append(ContrastiveStats(epoch, loss / max(1, done), mrr_dev, rate, elapsed))
        log.info("epoch %d: contrastive loss %.4f, dev MRR %s, %.0f examples/s", epoch, history[-1].loss,
                 "-" if mrr_dev is None else f"{mrr_dev:.4f}", rate)
        if mrr_dev is not None and mrr_dev > best[0]:
            best, stale = (mrr_dev, {k: v.detach().clone() for k, v in model.state_dict().items()}), 0
        else:
            stale += 1
        if elapsed >= budget or (dev and stale >= patience) or epoch == max_epochs:
            break
    if best[1] is not None:
        model.load_state_dict(best[1])
    model.eval()
    return history


def _augment(text: str, is_real: bool, rng: random.Random) -> str:
    return drop_findings(text, rng) if is_real else text


def _group(labels: np.ndarray, n_classes: int) -> list[np.ndarray]:
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n_classes + 1))
    return [order[bounds[c]: bounds[c + 1]] for c in range(n_classes)]


def _prototype_dev_mrr(model: DocModel, vocab: Vocabulary, protos: torch.Tensor,
                       dev: Sequence[tuple[str, set[int]]], device: str | torch.device) -> float:
    queries = encode_texts(model, vocab, [q for q, _ in dev], device=device)
    return dev_mrr(queries @ protos.T, [g for _, g in dev])
