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

import copy
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from models.encoding import normalise, split_words
from models.predict import Predictor

POWER = 4
TOP_TEXTS = 256  # texts (labels and synonyms) nearest a phrase that count
MIN_PHRASE = 3  # characters; shorter pieces ("IV", "a") are no finding
_NUMBER = re.compile(r"\d+[a-z]{0,6}")
JOINED = 4  # pieces at most joined back into one known text ("Involuntary, rapid, rhythmic eye movements")
BATCH = 64  # phrases read and compared with every text at once (64 x 28k cosines: 7 MB)
RECENT_PHRASES = 2_048  # phrases remembered per index (real patients' findings recur): 26 KB each on average
# punctuation (not the comma or point inside a number: "20,000", "6.5") and the words "and", "with", "no"
_SPLIT = re.compile(r"(?<!\d)[,.]|[,.](?!\d)|[;:\n]|\band\b|\bwith\b|\bno\b", re.IGNORECASE)


@dataclass(frozen=True)
class PhraseMatch:
    """A query phrase and the finding text of one disease the network read as nearest it."""
    phrase: str
    finding: str  # its id, as in the index's `texts`
    text: str  # the finding's label or synonym that matched
    similarity: float  # cosine of the two readings, clipped to 0..1


def phrases(text: str, empty_words: frozenset[str] = frozenset(), known: Container[str] = ()) -> list[str]:
    """The pieces of `text` between punctuation and the words "and", "with" and "no", less those made only of
    `empty_words` (lower case: what is left of "absence of seizures" once the finding is gone, "absence of", names
    no finding); the whole text when it has no piece long enough. Neighbouring pieces that together are written as
    one of the `known` texts (normalised: a finding's label or synonym, "Delayed speech and language development",
    "High, arched palate") stay one phrase."""
    pieces = [p.strip() for p in _joined(text, known)]
    kept = [p for p in pieces if len(p) >= MIN_PHRASE and not _empty(p, empty_words)]
    if kept or any(len(p) >= MIN_PHRASE for p in pieces):
        return kept
    return [text.strip()] if text.strip() and not _empty(text, empty_words) else []


def _joined(text: str, known: Container[str]) -> list[str]:
    """`text` split at `_SPLIT`, neighbouring pieces joined back (the longest run first, up to `JOINED` pieces)
    where their span is a `known` text."""
    cuts = [(m.start(), m.end()) for m in _SPLIT.finditer(text)]
    starts = [0] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [len(text)]
    if not known or not cuts:
        return [text[a:b] for a, b in zip(starts, ends)]
    out, i = [], 0
    while i < len(starts):
        j = next((j for j in range(min(i + JOINED, len(starts)) - 1, i, -1)
                  if normalise(text[starts[i]:ends[j]]) in known), i)
        out.append(text[starts[i]:ends[j]])
        i = j + 1
    return out


def _empty(piece: str, empty_words: frozenset[str]) -> bool:
    """Whether `piece` is made only of `empty_words` and numbers ("34", "22y": an age, a count without its finding)."""
    return bool(empty_words) and all(w in empty_words or _NUMBER.fullmatch(w) for w in split_words(normalise(piece)))


class FindingIndex:
    """Every annotated finding's texts encoded by a network, and which diseases each finding belongs to."""

    def __init__(self, predictor: Predictor, texts: Mapping[str, Sequence[str]],
                 annotations: Mapping[str, Sequence[str]], diseases: Sequence[str], batch_size: int = 512,
                 empty_words: frozenset[str] = frozenset()):
        """`texts`: each finding's label and synonyms; `annotations`: each disease's findings (ids absent from
        `texts` or diseases absent from `diseases` are left out); `diseases`: the order of the scores;
        `empty_words`: a query's phrases made only of these are no phrases (`phrases`)."""
        self.empty_words = empty_words
        owners = _owners(annotations, diseases, texts)
        findings = sorted(owners)
        self.n_diseases = len(diseases)
        self.n_findings = len(findings)
        pairs = [(text, i) for i, f in enumerate(findings) for text in dict.fromkeys(texts[f]) if text.strip()]
        self.finding_ids = findings
        self.texts = [text for text, _ in pairs]
        self.text_finding = np.array([i for _, i in pairs], dtype=np.int64)
        self.starts, self.owners = _owner_arrays(findings, owners)
        self.predictor = predictor
        vectors = [self._unit(predictor.encode([t for t, _ in pairs[i:i + batch_size]]))
                   for i in range(0, len(pairs), batch_size)]
        dim = vectors[0].shape[1] if vectors else 1
        self.vectors = torch.from_numpy(np.concatenate(vectors).T.copy() if vectors else np.zeros((dim, 0), "f4"))
        # A phrase written as one of these texts (84-91% of the phrases of simulated and published patients, 19% of
        # clinicians' free text) reads as that text: its nearest texts are found once, here, not at each new phrase.
        self._row = {normalise(text): i for i, (text, _) in reversed(list(enumerate(pairs)))}
        self._nearest_known = self._nearest_texts()
        self._recent: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()  # a server's request threads share the remembered phrases

    def with_annotations(self, annotations: Mapping[str, Sequence[str]], diseases: Sequence[str]) -> FindingIndex:
        """This index with each disease's findings taken from `annotations` instead (e.g. with some published
        patients left out): the texts, their readings and their nearest texts are shared, findings this index has
        no texts of are left out, and no phrase is remembered (a phrase's match depends on the findings)."""
        other = copy.copy(self)
        owners = _owners(annotations, diseases, frozenset(self.finding_ids))
        other.starts, other.owners = _owner_arrays(self.finding_ids, owners)
        other._recent, other._lock = OrderedDict(), threading.Lock()
        return other

    def _nearest_texts(self, chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
        """For every text, its `TOP_TEXTS` nearest texts (ids (texts, k), cosines (texts, k))."""
        n = self.vectors.shape[1]
        k = min(TOP_TEXTS, n)
        ids, sims = np.zeros((n, k), np.int32), np.zeros((n, k), np.float32)
        for start in range(0, n, chunk):
            block = (self.vectors[:, start:start + chunk].T @ self.vectors).numpy()
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            ids[start:start + chunk], sims[start:start + chunk] = top, np.take_along_axis(block, top, axis=1)
        return ids, sims

    @staticmethod
    def _unit(vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def _phrases(self, text: str) -> dict[str, str]:
        """`text`'s phrases, each once, as the network reads them (normalised) → as written first (a repeated phrase,
        in any case, counts once: "seizures, Seizures")."""
        first: dict[str, str] = {}
        for piece in phrases(text, self.empty_words, self._row):
            first.setdefault(normalise(piece), piece)
        return first

    def scores(self, text: str) -> np.ndarray:
        """(diseases,) each disease's best-match score for `text`'s phrases (each counted once), from 0 to 1; all 0
        without phrases."""
        return self.scores_later(text)()

    def scores_later(self, text: str) -> Callable[[], np.ndarray]:
        """`scores` in two parts: now each phrase not remembered gets its nearest texts (looked up for a phrase written
        as a known text, else read by the network); the function returned matches them to the diseases and remembers
        the new phrases (by their normalised text) only when called."""
        keys = list(self._phrases(text))
        if not keys or self.vectors.shape[1] == 0:
            return lambda: np.zeros(self.n_diseases)
        with self._lock:
            known = {k: self._recent[k] for k in keys if k in self._recent}
            for key in known:
                self._recent.move_to_end(key)
        nearest = self._nearest([k for k in keys if k not in known])

        def scored() -> np.ndarray:
            found = {k: self._best(top, sims) for k, (top, sims) in nearest.items()}
            with self._lock:
                self._recent.update(found)
                while len(self._recent) > RECENT_PHRASES:
                    self._recent.popitem(last=False)
            out = np.zeros(self.n_diseases)
            for diseases, values in (found[k] if k in found else known[k] for k in keys):
                out[diseases] += values
            return out / len(keys)
        return scored

    def _nearest(self, keys: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each phrase (normalised) → the ids of its `TOP_TEXTS` nearest texts and their cosines: looked up for a
        phrase written as a known text, else read by the network `BATCH` phrases at a time."""
        keys = list(dict.fromkeys(keys))
        read = [k for k in keys if k not in self._row]
        ids, sims = self._nearest_known
        out = {k: (ids[self._row[k]], sims[self._row[k]]) for k in keys if k in self._row}
        for i in range(0, len(read), BATCH):
            batch = read[i:i + BATCH]
            cosines = (torch.from_numpy(self._unit(self.predictor.encode(batch))) @ self.vectors).numpy()
            k = min(TOP_TEXTS, cosines.shape[1])
            for key, row in zip(batch, cosines):
                top = np.argpartition(-row, k - 1)[:k]
                out[key] = (top, row[top])
        return out

    def _best(self, top: np.ndarray, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The diseases with a finding among the texts `top` (cosines `sims`), and their best match ** POWER."""
        values = np.clip(sims, 0.0, 1.0).astype(np.float64) ** POWER  # a text's cosine to itself may round above 1
        # each finding once, by its nearest text: a finding's texts share its diseases, so they need spreading once
        nearest_first = np.argsort(-values, kind="stable")
        first = nearest_first[np.unique(self.text_finding[top[nearest_first]], return_index=True)[1]]
        owners, sizes = self._owners_of(top[first])
        best = np.zeros(self.n_diseases)
        np.maximum.at(best, owners, np.repeat(values[first], sizes))
        hit = np.flatnonzero(best > 0)  # a mask's nonzero: a fifth of the time of a float array's
        return hit.astype(np.int32), best[hit].astype(np.float32)  # half the memory of a remembered one

    def _owners_of(self, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The diseases whose finding each text of `top` names, all in one array, and how many each text has."""
        findings = self.text_finding[top]
        starts, sizes = self.starts[findings], self.starts[findings + 1] - self.starts[findings]
        offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        return self.owners[offsets], sizes

    def nearest_findings(self, texts: Sequence[str], n: int = 3,
                         least: float = 0.0) -> list[list[tuple[str, str, float]]]:
        """For each of `texts` read whole (not split into phrases), the `n` findings whose label or synonym the
        network reads nearest it, as (finding id, that text, cosine), best first; none below `least`."""
        if self.vectors.shape[1] == 0:
            return [[] for _ in texts]
        keys = [normalise(t) for t in texts]
        nearest = self._nearest(keys)
        out = []
        for key in keys:
            top, sims = nearest[key]
            found: dict[str, tuple[str, str, float]] = {}
            for j in np.argsort(-sims, kind="stable").tolist():
                if sims[j] < least or len(found) == n:
                    break
                row = int(top[j])
                finding = self.finding_ids[self.text_finding[row]]
                found.setdefault(finding, (finding, self.texts[row], min(float(sims[j]), 1.0)))
            out.append(list(found.values()))
        return out

    def matches(self, text: str, diseases: Sequence[int], least: float = 0.0) -> list[list[PhraseMatch]]:
        """For each of `diseases` (positions in the scores), each phrase of `text` with the disease's finding text
        nearest it, best first: what its score is made of. A phrase none of whose `TOP_TEXTS` nearest texts names a
        finding of the disease, or whose nearest is below `least`, is left out (it adds nothing, or next to nothing).
        Read anew, not remembered: for the few diseases a page shows. A position repeated gets the same list."""
        out: list[list[PhraseMatch]] = [[] for _ in diseases]
        wrong = next((d for d in diseases if not 0 <= d < self.n_diseases), None)
        if wrong is not None:
            raise ValueError(f"disease position {wrong} is outside the index's 0..{self.n_diseases - 1}")
        pieces = self._phrases(text)
        if not pieces or self.vectors.shape[1] == 0:
            return out
        nearest = self._nearest(list(pieces))
        slot: dict[int, list[int]] = {}
        for i, d in enumerate(diseases):
            slot.setdefault(int(d), []).append(i)
        wanted = np.zeros(self.n_diseases, dtype=bool)
        wanted[list(slot)] = True
        for key, piece in pieces.items():
            top, sims = nearest[key]
            close = sims >= least
            top, sims = top[close], np.clip(sims[close], 0.0, 1.0)
            owners, sizes = self._owners_of(top)
            texts, sims = np.repeat(top, sizes), np.repeat(sims, sizes)
            keep = wanted[owners]
            owners, texts, sims = owners[keep], texts[keep], sims[keep]
            order = np.lexsort((-sims, owners))  # by disease, best first
            first = order[np.r_[True, owners[order][1:] != owners[order][:-1]]] if order.size else order
            for i in first.tolist():
                row = int(texts[i])
                match = PhraseMatch(piece, self.finding_ids[self.text_finding[row]], self.texts[row], float(sims[i]))
                for place in slot[int(owners[i])]:
                    out[place].append(match)
        for found in out:
            found.sort(key=lambda m: -m.similarity)
        return out


def _owners(annotations: Mapping[str, Sequence[str]], diseases: Sequence[str],
            known: Container[str]) -> dict[str, list[int]]:
    """Each finding of `known` → the positions in `diseases` of the diseases `annotations` gives it (diseases absent
    from `diseases` left out)."""
    position = {d: i for i, d in enumerate(diseases)}
    owners: dict[str, list[int]] = {}
    for disease, findings in annotations.items():
        if disease in position:
            for finding in set(findings):
                if finding in known:
                    owners.setdefault(finding, []).append(position[disease])
    return owners


def _owner_arrays(findings: Sequence[str], owners: Mapping[str, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Where each finding's diseases start in the second array (one more entry: the end), and the diseases of every
    finding, sorted within each finding."""
    sizes = np.array([len(owners.get(f, ())) for f in findings], dtype=np.int64)
    return (np.concatenate(([0], np.cumsum(sizes))),
            np.array([d for f in findings for d in sorted(owners.get(f, ()))], dtype=np.int64))


def standardised(scores: np.ndarray) -> np.ndarray:
    """`scores` minus their mean, over their standard deviation (all 0 when they are all equal)."""
    spread = scores.std()
    return (scores - scores.mean()) / spread if spread > 0 else np.zeros_like(scores, dtype=np.float64)
