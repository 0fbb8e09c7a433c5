"""Phenomizer-style semantic similarity of a query's findings to each disease (the ontology
ranker's engine; the `Ranker` itself is `app.rankers.ontology.OntologyRanker`).

Owns the disease × term matrices built once from the SQL store (any corpus it holds),
information content, Resnik similarity through the most informative common ancestor,
best-match average (query → disease, optionally symmetric), the background correction,
the annotation frequency as a bonus, the effect of excluded findings and of what the
query says of the inheritance (each disease's modes). It reads term ids and cues, not text (see
`recognizer`, `heredity`).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.understanding.heredity import MODES, Heredity
from indexer.store import AnnotationRow, ArticleRow, PhenotypeRow

log = logging.getLogger(__name__)

# Midpoints of the HPO frequency classes (HP:0040280–HP:0040285), as `indexer.corpus` words them.
FREQUENCY = {"obligate": 1.0, "very frequent": 0.895, "frequent": 0.545, "occasional": 0.17, "very rare": 0.025,
             "excluded": 0.0}
UNKNOWN_FREQUENCY = 0.5
# A count k/n is read as (k + PRIOR_COUNT · UNKNOWN_FREQUENCY) / (n + PRIOR_COUNT): one patient
# of one ('1/1') says less than 45 of 58.
PRIOR_COUNT = 1.0
# Best-match vectors kept per worker (see `PhenotypeSimilarity.best_match`): one byte a disease each,
# about 12 KB for 12,000 diseases, so 2,048 findings take about 25 MB. Findings recur across patients
# (intellectual disability, seizures, hypotonia), and 872 distinct ones make up 516 real-case queries.
BEST_MATCH_CACHE = 2048
_MODE_KEYS = sorted(set(MODES.values()))
_RATIO = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


class UnknownPhenotype(KeyError):
    """Term ids the store does not hold."""

    def __init__(self, ids: list[str]):
        super().__init__(f"unknown HPO term ids: {', '.join(ids)}; the store holds the phenotypes of its HPO release "
                         "only (map alt ids with Recognizer.resolve_id)")
        self.ids = ids


@dataclass(frozen=True)
class SimilarityConfig:
    """Chosen on the real tuning cases (data/queries/real-tune.jsonl; README, "Real patients")."""

    symmetric: bool = False  # also average each disease annotation's best match in the query
    # An excluded finding a disease shows costs weight × IC × its frequency. Published cases list
    # many absent findings that their disease shows in others (1.0 cost 0.04 tuning MRR).
    exclusion_weight: float = 0.25
    not_weight: float = 0.5  # an excluded finding the disease is annotated NOT to show earns weight × IC
    # Minus weight × the disease's mean best match to a random finding: a disease annotated with
    # hundreds of terms matches anything a little, which real patients' unrelated findings reward.
    # Chosen with `frequency_bonus` on the real tuning cases (README, "The ontology ranker's weights").
    background_weight: float = 1.0
    background_terms: int = 300  # random findings (drawn as often as annotations use them) for that mean
    background_seed: int = 0
    # The background is charged on the share of findings a disease is not annotated with as such: a
    # finding named among its annotations is no chance match, however many annotations it has.
    background_direct: bool = True
    # Plus weight × the mean over findings of IC × how often the disease shows the finding (or a more
    # specific one): a patient shows a disease's frequent findings more often than its rare ones, and among
    # diseases that match alike, the one showing the findings more often comes first.
    frequency_bonus: float = 0.4
    # A finding said of a relative (family history) counts as this share of one of the patient's own:
    # a heritable disease shows in relatives, but not every relative's finding is the patient's disease.
    family_weight: float = 0.5
    # Plus weight × (fit − 1) when the query says how the condition runs in the family (`heredity`): fit is the
    # best fit of the disease's modes of inheritance (1 for a mode the story fits, lower for one it makes less
    # likely), `heredity_unknown` for a disease with no mode annotated. Chosen on the shipped vignettes
    # (heldout-9 to heldout-13; README, "Inheritance").
    heredity_weight: float = 2.0
    # the fit of a disease with no mode annotated (every Orphanet-only disease): None for the fit a disease of
    # unknown mode has on average (each mode's fit by how many diseases have it)
    heredity_unknown: float | None = None


@dataclass(frozen=True)
class AnnotationFact:
    disease_id: str
    hpo_id: str
    frequency: str = ""
    negated: bool = False


def frequency_weight(value: str) -> float:
    """'very frequent' → 0.895, '3/7' → 0.44 (shrunk towards UNKNOWN_FREQUENCY by PRIOR_COUNT), '40%' → 0.4,
    '' → UNKNOWN_FREQUENCY."""
    value = value.strip().lower()
    if value in FREQUENCY:
        return FREQUENCY[value]
    if m := _RATIO.match(value):
        k, n = int(m.group(1)), int(m.group(2))
        return min(1.0, (k + PRIOR_COUNT * UNKNOWN_FREQUENCY) / (n + PRIOR_COUNT)) if n else UNKNOWN_FREQUENCY
    if m := _PERCENT.match(value):
        return min(1.0, float(m.group(1)) / 100)
    return UNKNOWN_FREQUENCY


def seen_in_none(value: str) -> bool:
    """'0/44', '0%', 'excluded': the finding was looked for and no patient showed it."""
    value = value.strip().lower()
    if m := _RATIO.match(value):
        return int(m.group(1)) == 0 and int(m.group(2)) > 0
    if m := _PERCENT.match(value):
        return float(m.group(1)) == 0
    return value == "excluded"


def _closure(terms: list[str], parents: dict[str, list[str]]) -> sparse.csr_matrix:
    """A[t, a] = 1 when a is t or one of its ancestors (is_a), over `terms`."""
    index = {t: i for i, t in enumerate(terms)}
    memo: dict[int, frozenset[int]] = {}

    def up(i: int) -> frozenset[int]:
        stack = [i]
        while stack:  # iterative post-order: deep ontologies would overflow recursion
            j = stack[-1]
            todo = [index[p] for p in parents.get(terms[j], []) if p in index and index[p] not in memo]
            if todo:
                stack.extend(todo)
                continue
            stack.pop()
            memo[j] = frozenset({j}).union(*(memo[index[p]] for p in parents.get(terms[j], []) if p in index))
        return memo[i]

    rows, cols = [], []
    for i in range(len(terms)):
        anc = up(i)
        rows.extend([i] * len(anc))
        cols.extend(anc)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(terms), len(terms)))


class PhenotypeSimilarity:
    """Scores every annotated disease for observed and excluded HPO terms. Build once; reads are thread-safe."""

    def __init__(self, parents: dict[str, list[str]], facts: Iterable[AnnotationFact],
                 names: dict[str, str] | None = None, config: SimilarityConfig = SimilarityConfig(),
                 inheritance: dict[str, Iterable[str]] | None = None):
        """`inheritance`: each disease's inheritance terms (labels, as `heredity.MODES` names them)."""
        self.config = config
        self.terms = sorted(parents)
        self.term_index = {t: i for i, t in enumerate(self.terms)}
        self.names = names or {}
        # An annotation seen in none of its patients ('0/44': ectopia lentis in Loeys-Dietz syndrome) is
        # no match; another article's nonzero frequency for the same finding still counts.
        facts = [f for f in facts if f.hpo_id in self.term_index and (f.negated or not seen_in_none(f.frequency))]
        self.disease_ids = sorted({f.disease_id for f in facts if not f.negated})
        self.disease_index = {d: i for i, d in enumerate(self.disease_ids)}
        self._id_array = np.array(self.disease_ids, dtype=object)
        n, t = len(self.disease_ids), len(self.terms)
        self.ancestors = _closure(self.terms, parents)  # (T, T) csr
        self.descendants = self.ancestors.tocsc()  # column c: c and its descendants
        freq: dict[tuple[int, int], float] = {}
        nots: set[tuple[int, int]] = set()
        for f in facts:
            d = self.disease_index.get(f.disease_id)
            if d is None:
                continue
            key = (d, self.term_index[f.hpo_id])
            if f.negated:
                nots.add(key)
            else:  # a disease merged from several articles keeps the highest frequency stated
                freq[key] = max(freq.get(key, 0.0), frequency_weight(f.frequency))
        self.frequency = _matrix(freq, (n, t))  # (N, T) csr: frequency of each direct annotation
        self.annotated = self.frequency.copy()
        self.annotated.data[:] = 1.0  # (N, T): direct annotations
        self.negated = _matrix(dict.fromkeys(nots, 1.0), (n, t)).tocsc()  # (N, T): NOT annotations
        self.negated_rows = self.negated.tocsr()  # the same, by disease
        closed = (self.annotated @ self.ancestors).tocsc()  # (N, T): d annotated with c or a descendant of c
        closed.data[:] = 1.0
        self.closed = closed
        counts = np.diff(closed.indptr)
        self.ic = np.where(counts > 0, -np.log(np.maximum(counts, 1) / max(n, 1)), math.log(max(n, 1)))
        self.ic = self.ic.astype(np.float64)
        per_disease = np.asarray(self.annotated.sum(axis=1)).ravel()
        self._mean_rows = sparse.diags(1.0 / np.maximum(per_disease, 1)) @ self.annotated  # (N, T) row-averaging
        self._presence = self._spread_frequencies()  # (N, T) csc: see `presence`
        self._annotated_csc = self.annotated.tocsc()
        self._best: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = OrderedDict()  # see `best_match`
        self._best_lock = threading.Lock()
        self.background = self._background() if config.background_weight else np.zeros(n)  # (N,)
        self._modes = np.zeros((n, len(_MODE_KEYS)), dtype=bool)  # (N, M): the modes each disease is annotated with
        for d, labels in (inheritance or {}).items():
            if d in self.disease_index:
                for label in labels:
                    if label in MODES:
                        self._modes[self.disease_index[d], _MODE_KEYS.index(MODES[label])] = True
        self._has_mode = self._modes.any(axis=1)
        self._mode_share = self._modes.sum(axis=0) / max(int(self._modes.sum()), 1)  # (M,) how common each mode is

    def shown_by_top(self, observed: list[str], excluded: list[str], family: list[str], terms: set[str],
                     n: int = 50) -> set[str]:
        """Those of `terms` that one of the `n` diseases the findings rank highest shows (annotated with the term
        or a more specific one): a relative's finding that a disease the patient's own findings point to shows."""
        known = [t for t in terms if t in self.term_index]
        score = self._scores(observed, excluded, family)[0]
        if not known or not observed or not len(score):
            return set()
        top = np.argpartition(-score, min(n, len(score)) - 1)[:n]
        closed = self.closed
        out = set()
        for t in known:
            column = closed.indices[closed.indptr[self.term_index[t]]:closed.indptr[self.term_index[t] + 1]]
            if np.isin(top, column).any():
                out.add(t)
        return out

    def heredity_fit(self, heredity: Heredity) -> np.ndarray:
        """(N,) how well each disease's modes of inheritance fit the query's cues: the best of its modes,
        `heredity_unknown` (or the average fit) for a disease with none (1 everywhere without cues)."""
        if not heredity:
            return np.ones(len(self.disease_ids))
        fits = np.array([heredity.fit(m) for m in _MODE_KEYS])
        unknown = self.config.heredity_unknown
        unknown = float(self._mode_share @ fits) if unknown is None else unknown
        return np.where(self._has_mode, np.where(self._modes, fits, 0.0).max(axis=1), unknown)

    def __len__(self) -> int:
        return len(self.disease_ids)

    def _spread_frequencies(self) -> sparse.csc_matrix:
        """(N, T) csc: at (d, c) the highest frequency of d's annotations with c or a more specific term
        (each annotation spread to all its ancestors, the highest kept). Built once: a query reads columns."""
        f = self.frequency.tocoo()
        anc = self.ancestors  # (T, T) csr: row t lists t and its ancestors
        counts = np.diff(anc.indptr)[f.col]
        at = np.repeat(anc.indptr[f.col] - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        rows, cols, values = np.repeat(f.row, counts), anc.indices[at], np.repeat(f.data, counts)
        order = np.lexsort((-values, cols, rows))  # per (disease, term): the highest frequency first
        rows, cols, values = rows[order], cols[order], values[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        shape = self.frequency.shape
        return sparse.csc_matrix((values[first], (rows[first], cols[first])), shape=shape)

    def _background(self) -> np.ndarray:
        """(N,) each disease's mean best match to a finding drawn as often as the annotations use it."""
        uses = np.diff(self.annotated.tocsc().indptr).astype(float)  # (T,) diseases annotated with each term
        if not uses.sum():
            return np.zeros(len(self.disease_ids))
        rng = np.random.default_rng(self.config.background_seed)
        k = min(self.config.background_terms, int(np.count_nonzero(uses)))
        sample = rng.choice(len(uses), size=k, replace=False, p=uses / uses.sum())
        return np.mean([self.best_match(int(t)) for t in sample], axis=0)

    # -- similarity vectors -------------------------------------------------------------------------
    def _ids(self, hpo_ids: list[str]) -> list[int]:
        unknown = [h for h in hpo_ids if h not in self.term_index]
        if unknown:
            raise UnknownPhenotype(unknown)
        return list(dict.fromkeys(self.term_index[h] for h in hpo_ids))

    def _ancestors_by_ic(self, q: int) -> np.ndarray:
        row = self.ancestors.indices[self.ancestors.indptr[q]:self.ancestors.indptr[q + 1]]
        row = row[self.ic[row] > 0]
        return row[np.argsort(self.ic[row], kind="stable")]

    def best_match(self, q: int) -> np.ndarray:
        """(N,) max over each disease's annotations a of Resnik(q, a) = IC(MICA(q, a)).

        The most recently used findings are remembered as which of the finding's ancestors is each
        disease's MICA (one byte a disease; `BEST_MATCH_CACHE` findings): a remembered finding costs
        one look-up instead of a write per disease of every ancestor. The values are the same IC
        floats, so scores are identical. The cache belongs to this object: a reload builds a new one.
        """
        with self._best_lock:
            hit = self._best.get(q)
            if hit is not None:
                self._best.move_to_end(q)
        if hit is None:
            hit = self._mica(q)
            with self._best_lock:
                self._best[q] = hit
                while len(self._best) > BEST_MATCH_CACHE:
                    self._best.popitem(last=False)
        values, mica = hit
        return np.take(values, mica)

    def _mica(self, q: int) -> tuple[np.ndarray, np.ndarray]:
        """(IC of "no common ancestor" (0) and of each ancestor of q, ascending; (N,) each disease's MICA as a
        position in that list)."""
        ancestors = self._ancestors_by_ic(q)
        mica = np.zeros(len(self.disease_ids), dtype=np.uint8 if len(ancestors) < 256 else np.uint16)
        closed = self.closed
        for i, c in enumerate(ancestors.tolist(), 1):  # ascending IC: the last write per disease is its MICA
            mica[closed.indices[closed.indptr[c]:closed.indptr[c + 1]]] = i
        return np.concatenate(([0.0], self.ic[ancestors])), mica

    def term_similarity(self, q: int) -> np.ndarray:
        """(T,) Resnik(q, t) for every term t."""
        out = np.zeros(len(self.terms))
        desc = self.descendants
        for c in self._ancestors_by_ic(q):
            out[desc.indices[desc.indptr[c]:desc.indptr[c + 1]]] = self.ic[c]
        return out

    def presence(self, x: int) -> np.ndarray:
        """(N,) the highest frequency with which each disease shows x or a more specific term (0: not annotated)."""
        m = self._presence
        out = np.zeros(len(self.disease_ids))
        out[m.indices[m.indptr[x]:m.indptr[x + 1]]] = m.data[m.indptr[x]:m.indptr[x + 1]]
        return out

    def ruled_out(self, x: int) -> np.ndarray:
        """(N,) 1 where a disease is annotated NOT to show x or a more general term (so not x either)."""
        anc = self.ancestors.indices[self.ancestors.indptr[x]:self.ancestors.indptr[x + 1]]
        sub = self.negated[:, anc]
        return (np.asarray(sub.sum(axis=1)).ravel() > 0).astype(float) if sub.nnz else np.zeros(len(self.disease_ids))

    # -- ranking ------------------------------------------------------------------------------------
    def scores(self, observed: list[str], excluded: list[str] = (), family: list[str] = (),
               heredity: Heredity = Heredity()) -> np.ndarray:
        """(N,) the score of every disease, in `disease_ids` order; zeros without observed terms."""
        return self._scores(observed, excluded, family, heredity)[0]

    def _scores(self, observed: list[str], excluded: list[str], family: list[str] = (),
                heredity: Heredity = Heredity()) -> tuple[np.ndarray, np.ndarray]:
        """The final scores and the similarity part alone (before excluded findings), both (N,). A relative's
        finding (`family`) counts as `family_weight` of one of the patient's own in every average; the
        inheritance cues add `heredity_weight` × (fit − 1)."""
        obs, exc = self._ids(list(observed)), self._ids(list(excluded))
        n = len(self.disease_ids)
        if not obs:
            return np.zeros(n), np.zeros(n)
        cfg = self.config
        fam = [f for f in self._ids(list(family)) if f not in obs] if cfg.family_weight else []
        weighted = [(q, 1.0) for q in obs] + [(f, cfg.family_weight) for f in fam]
        total = len(obs) + cfg.family_weight * len(fam)
        similarity = np.zeros(n)
        for q, w in weighted:
            similarity += w * self.best_match(q)  # × 1.0 is exact: the patient's own findings as before
        similarity /= total
        if cfg.symmetric:
            best = np.max([self.term_similarity(q) for q in obs], axis=0)  # (T,)
            similarity = 0.5 * (similarity + self._mean_rows @ best)
        chance = np.ones(n)  # the share of findings the background is charged on
        if cfg.background_direct:
            named = np.zeros(n)
            for q, w in weighted:
                named[self._annotated_csc.indices[self._annotated_csc.indptr[q]:self._annotated_csc.indptr[q + 1]]] += w
            chance -= named / total
        score = similarity - cfg.background_weight * self.background * chance
        if cfg.frequency_bonus:
            score += cfg.frequency_bonus * sum(w * self.ic[q] * self.presence(q) for q, w in weighted) / total
        for x in exc:
            penalty = cfg.exclusion_weight * self.presence(x) - cfg.not_weight * self.ruled_out(x)
            score -= self.ic[x] * penalty / total
        if heredity and cfg.heredity_weight:
            score += cfg.heredity_weight * (self.heredity_fit(heredity) - 1.0)
        return score, similarity

    def rank(self, observed: list[str], excluded: list[str] = (), k: int | None = None,
             family: list[str] = (), heredity: Heredity = Heredity()) -> list[tuple[str, float]]:
        """Diseases sharing anything informative with the observed terms (or a relative's), best first (ties: by id).

        Empty without observed terms: excluded findings and a relative's alone say nothing about what a patient has.
        """
        score, similarity = self._scores(observed, excluded, family, heredity)
        candidates = np.flatnonzero(similarity > 0)
        if k is not None and 0 < k < len(candidates) and not np.isnan(score[candidates]).any():
            # only the best k are sorted (with every tie at the cut); a NaN would sort above every number
            cut = np.partition(score[candidates], len(candidates) - k)[len(candidates) - k]
            candidates = candidates[score[candidates] >= cut]
        order = candidates[np.lexsort((candidates, -score[candidates]))][:k]
        return list(zip(self._id_array[order].tolist(), score[order].tolist()))


def _matrix(values: dict[tuple[int, int], float], shape: tuple[int, int]) -> sparse.csr_matrix:
    if not values:
        return sparse.csr_matrix(shape, dtype=np.float64)
    keys = np.array(list(values), dtype=np.int64)
    return sparse.csr_matrix((np.fromiter(values.values(), dtype=np.float64), (keys[:, 0], keys[:, 1])), shape=shape)


def load_similarity(engine: Engine, config: SimilarityConfig = SimilarityConfig(),
                    profiles: Iterable[AnnotationFact] = ()) -> PhenotypeSimilarity:
    """The similarity over the phenotypes and annotations the store holds, annotations pooled by disease; with
    `profiles`, what published patients of a disease show beyond its annotations (left out: a finding the store
    annotates the disease with, as shown or as NOT shown, and a disease the store does not hold; a finding annotated
    only as seen in no patient, "0/44", is matched by the patients' count)."""
    with Session(engine) as s:
        rows = s.execute(select(PhenotypeRow.hpo_id, PhenotypeRow.name, PhenotypeRow.parents)).all()
        facts = [AnnotationFact(d, h, f or "", bool(neg)) for d, h, f, neg in s.execute(
            select(ArticleRow.disease_id, AnnotationRow.hpo_id, AnnotationRow.frequency, AnnotationRow.negated)
            .join(ArticleRow, ArticleRow.article_id == AnnotationRow.article_id))]
        inheritance: dict[str, set[str]] = {}
        for d, labels in s.execute(select(ArticleRow.disease_id, ArticleRow.inheritance)):
            inheritance.setdefault(d, set()).update(labels or [])
    annotated = {(f.disease_id, f.hpo_id) for f in facts if f.negated or not seen_in_none(f.frequency)}
    profiles = list(profiles)
    added = [f for f in profiles if f.disease_id in inheritance and (f.disease_id, f.hpo_id) not in annotated]
    if profiles:
        log.info("published patients' profiles: %d of %d findings added (the others annotated already or of a disease "
                 "the store lacks; terms the release lacks are left out too)", len(added), len(profiles))
    facts += added
    return PhenotypeSimilarity({h: list(p or []) for h, _, p in rows}, facts, {h: n for h, n, _ in rows}, config,
                               inheritance)
