"""A text's phrases matched to each disease's findings, both read by the same network.

Owns splitting a query into phrases, the index of every annotated finding's label and synonyms as the
network encodes them (built once per corpus), and each disease's best-match score: for every phrase, the
disease's finding nearest to it (cosine of the pooled vectors), clipped at 0 and raised to `POWER`, averaged
over the phrases. A published patient's findings are phrases of a few words, and most of them name a finding
some disease is annotated with in other words: matched one by one, each finds its disease's finding where
the mean of simulated patients (the network's prototypes) blurs it among the rest.

Chosen on the published cases of the tuning part (README, "The neural model"): synonyms as well as labels,
the power 4 and the phrase split below; only the `TOP_TEXTS` texts nearest each phrase count (a disease none
of whose findings is among them gets 0 for that phrase, where the exact score would be below the cosine ** 4 of
the last of those texts: for most phrases between 0.45 and 0.75).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

import numpy as np
import torch

from models.predict import Predictor

POWER = 4
TOP_TEXTS = 256  # texts (labels and synonyms) nearest a phrase that count
MIN_PHRASE = 3  # characters; shorter pieces ("IV", "a") are no finding
BATCH = 64  # phrases read and compared with every text at once (64 x 28k cosines: 7 MB)
RECENT_PHRASES = 2_048  # phrases remembered per index (real patients' findings recur): 26 KB each on average
# punctuation (not the comma or point inside a number: "20,000", "6.5") and the words "and", "with", "no"
_SPLIT = re.compile(r"(?<!\d)[,.]|[,.](?!\d)|[;:\n]|\band\b|\bwith\b|\bno\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def phrases(text: str, empty_words: frozenset[str] = frozenset()) -> list[str]:
    """The pieces of `text` between punctuation and the words "and", "with" and "no", less those made only of
    `empty_words` (lower case: what is left of "absence of seizures" once the finding is gone, "absence of", names
    no finding); the whole text when it has no piece long enough."""
    pieces = [p.strip() for p in _SPLIT.split(text)]
    kept = [p for p in pieces if len(p) >= MIN_PHRASE and not _empty(p, empty_words)]
    if kept or any(len(p) >= MIN_PHRASE for p in pieces):
        return kept
    return [text.strip()] if text.strip() and not _empty(text, empty_words) else []


def _empty(piece: str, empty_words: frozenset[str]) -> bool:
    return bool(empty_words) and all(w.lower() in empty_words for w in _WORD.findall(piece))


class FindingIndex:
    """Every annotated finding's texts encoded by a network, and which diseases each finding belongs to."""

    def __init__(self, predictor: Predictor, texts: Mapping[str, Sequence[str]],
                 annotations: Mapping[str, Sequence[str]], diseases: Sequence[str], batch_size: int = 512,
                 empty_words: frozenset[str] = frozenset()):
        """`texts`: each finding's label and synonyms; `annotations`: each disease's findings (ids absent from
        `texts` or diseases absent from `diseases` are left out); `diseases`: the order of the scores;
        `empty_words`: a query's phrases made only of these are no phrases (`phrases`)."""
        self.empty_words = empty_words
        position = {d: i for i, d in enumerate(diseases)}
        owners: dict[str, list[int]] = {}
        for disease, findings in annotations.items():
            if disease in position:
                for finding in set(findings):
                    if finding in texts:
                        owners.setdefault(finding, []).append(position[disease])
        findings = sorted(owners)
        self.n_diseases = len(diseases)
        self.n_findings = len(findings)
        pairs = [(text, i) for i, f in enumerate(findings) for text in dict.fromkeys(texts[f]) if text.strip()]
        self.text_finding = np.array([i for _, i in pairs], dtype=np.int64)
        sizes = np.array([len(owners[f]) for f in findings], dtype=np.int64)
        self.starts = np.concatenate(([0], np.cumsum(sizes)))
        self.owners = np.array([d for f in findings for d in sorted(owners[f])], dtype=np.int64)
        self.predictor = predictor
        vectors = [self._unit(predictor.encode([t for t, _ in pairs[i:i + batch_size]]))
                   for i in range(0, len(pairs), batch_size)]
        dim = vectors[0].shape[1] if vectors else 1
        self.vectors = torch.from_numpy(np.concatenate(vectors).T.copy() if vectors else np.zeros((dim, 0), "f4"))
        self._recent: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()  # a server's request threads share the remembered phrases

    @staticmethod
    def _unit(vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def scores(self, text: str) -> np.ndarray:
        """(diseases,) each disease's best-match score for `text`'s phrases, from 0 to 1; all 0 without phrases."""
        out = np.zeros(self.n_diseases)
        pieces = phrases(text, self.empty_words)
        if not pieces or self.vectors.shape[1] == 0:
            return out
        for diseases, values in self._matches(pieces):
            out[diseases] += values
        return out / len(pieces)

    def _matches(self, pieces: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each phrase's matches; the phrases not remembered are read by the network `BATCH` at a time."""
        with self._lock:
            known = {p: self._recent[p] for p in pieces if p in self._recent}
            for phrase in known:
                self._recent.move_to_end(phrase)
        new = [p for p in dict.fromkeys(pieces) if p not in known]
        found = {p: m for i in range(0, len(new), BATCH)
                 for p, m in zip(new[i:i + BATCH], self._match(new[i:i + BATCH]))}
        with self._lock:
            self._recent.update(found)
            while len(self._recent) > RECENT_PHRASES:
                self._recent.popitem(last=False)
        return [found[p] if p in found else known[p] for p in pieces]

    def _match(self, pieces: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each phrase, the diseases with a finding among the texts nearest it, and their best match ** POWER."""
        sims = (torch.from_numpy(self._unit(self.predictor.encode(pieces))) @ self.vectors).numpy()
        k = min(TOP_TEXTS, sims.shape[1])
        out = []
        for row in sims:
            top = np.argpartition(-row, k - 1)[:k]
            values = np.clip(row[top], 0.0, None).astype(np.float64) ** POWER
            findings = self.text_finding[top]
            starts, sizes = self.starts[findings], self.starts[findings + 1] - self.starts[findings]
            offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
            best = np.zeros(self.n_diseases)
            np.maximum.at(best, self.owners[offsets], np.repeat(values, sizes))
            hit = np.flatnonzero(best)
            out.append((hit.astype(np.int32), best[hit].astype(np.float32)))  # half the memory of a remembered one
        return out


def standardised(scores: np.ndarray) -> np.ndarray:
    """`scores` minus their mean, over their standard deviation (all 0 when they are all equal)."""
    spread = scores.std()
    return (scores - scores.mean()) / spread if spread > 0 else np.zeros_like(scores, dtype=np.float64)
