"""What to ask next: the findings whose answer best separates the top candidate diseases.

Owns the expected information gain of asking about one finding, over the candidate
distribution (a softmax of the ontology ranker's scores over its top diseases). The
chance that a disease shows a finding is the annotated frequency of the finding or of a
more specific term; a NOT annotation makes it zero; no annotation gives `background`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from app.understanding.similarity import PhenotypeSimilarity


@dataclass(frozen=True)
class Question:
    hpo_id: str
    name: str
    gain: float  # expected information gain, bits
    candidates_with: int  # how many of the top candidates are annotated with it (or a more specific term)


def _entropy(p: np.ndarray) -> np.ndarray:
    """Entropy in bits of each column of p (columns sum to 1 or are all zero)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.nansum(np.where(p > 0, p * np.log2(p), 0.0), axis=0)


def information_gain(prior: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Expected gain in bits of asking each finding: `prior` (K,), `present` (K, S) = P(finding | disease)."""
    prior = prior / prior.sum()
    gain = np.full(present.shape[1], _entropy(prior[:, None])[0])
    for joint in (prior[:, None] * present, prior[:, None] * (1 - present)):  # answer yes, answer no
        p_answer = joint.sum(axis=0)  # (S,)
        posterior = np.divide(joint, p_answer, out=np.zeros_like(joint), where=p_answer > 0)
        gain -= p_answer * _entropy(posterior)
    return np.maximum(gain, 0.0)


def candidate_distribution(scores: list[float], temperature: float = 1.0) -> np.ndarray:
    """Softmax of ranker scores (IC units, nats) at `temperature`."""
    s = np.asarray(scores, dtype=float) / temperature
    e = np.exp(s - s.max())
    return e / e.sum()


def ask_next(ranker: PhenotypeSimilarity, observed: list[str], excluded: list[str] = (), n: int = 5, top: int = 20,
             temperature: float = 1.0, background: float = 0.01,
             ranking: list[tuple[str, float]] | None = None) -> list[Question]:
    """The `n` findings with the largest expected information gain over the `top` candidates.

    Findings already known are not asked: the observed terms and their ancestors, the
    excluded terms and their descendants. Of two findings where one is an ancestor of the
    other, only the better is asked. Pass `ranking` to reuse one already computed.
    """
    ranking = (ranking if ranking is not None else ranker.rank(observed, excluded, k=top))[:top]
    if len(ranking) < 2:
        return []
    rows = np.array([ranker.disease_index[d] for d, _ in ranking])
    prior = candidate_distribution([s for _, s in ranking], temperature)
    terms = _askable(ranker, rows, observed, excluded)
    if terms.size == 0:
        return []
    present = _chances(ranker, rows, terms, background)  # (K, S)
    gain = information_gain(prior, present)
    counts = (present > background).sum(axis=0)
    chosen: list[int] = []
    for i in np.lexsort((terms, -np.round(gain, 12))).tolist():
        if len(chosen) == n or gain[i] <= 0:
            break
        if not any(_related(ranker, terms[i], terms[j]) for j in chosen):  # no "Aortic aneurysm" twice over
            chosen.append(i)
    return [Question(ranker.terms[terms[i]], ranker.names.get(ranker.terms[terms[i]], ""), float(gain[i]),
                     int(counts[i])) for i in chosen]


def _related(ranker: PhenotypeSimilarity, a: int, b: int) -> bool:
    """Is one of the two terms an ancestor of (or equal to) the other?"""
    anc = ranker.ancestors  # (T, T) CSR, sorted indices: row t lists t's ancestors
    return _stores(anc, a, b) or _stores(anc, b, a)


def _stores(m: sparse.csr_matrix, row: int, col: int) -> bool:
    """Does `m` (CSR with sorted indices and no stored zeros) hold a value at (row, col)?"""
    cols = m.indices[m.indptr[row]:m.indptr[row + 1]]
    at = int(cols.searchsorted(col))
    return at < len(cols) and int(cols[at]) == col


def _major(m: sparse.csr_matrix | sparse.csc_matrix, major: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored entries of the rows (CSR) or columns (CSC) `major`, in that order: for each entry the position
    in `major` it belongs to, its minor index and its value. What `m[major]` (`m[:, major]`) stores, without
    scipy's fancy indexing."""
    starts, counts = m.indptr[major], np.diff(m.indptr)[major]
    owner = np.repeat(np.arange(len(major)), counts)
    at = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
    return owner, m.indices[at], m.data[at]


def _askable(ranker: PhenotypeSimilarity, rows: np.ndarray, observed: list[str], excluded: list[str]) -> np.ndarray:
    """Terms annotated to the candidates, less those the query already settles."""
    direct = np.unique(_major(ranker.annotated, rows)[1])
    anc, desc = ranker.ancestors, ranker.descendants
    known = [anc.indices[anc.indptr[q]:anc.indptr[q + 1]] for q in (ranker.term_index[h] for h in observed)]
    known += [desc.indices[desc.indptr[x]:desc.indptr[x + 1]] for x in (ranker.term_index[h] for h in excluded)]
    if known:
        direct = direct[~np.isin(direct, np.concatenate(known))]
    return direct.astype(np.int64)


def _spread(pairs: sparse.csr_matrix, rows: np.ndarray, closure: sparse.csr_matrix | sparse.csc_matrix,
            column: np.ndarray, values: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each stored (row k of `rows`, term d) of `pairs`, every term of d's closure (a CSR row's or CSC column's
    indices): returns (k, closure term's column in the output or -1, the pair's value)."""
    k, d, value = _major(pairs, rows)
    owner, reach, _ = _major(closure, d)
    return k[owner], column[reach], value[owner] if values else np.ones(len(owner))


def _chances(ranker: PhenotypeSimilarity, rows: np.ndarray, terms: np.ndarray, background: float) -> np.ndarray:
    """(K, S) P(finding | disease) for the candidate rows and the askable terms.

    A disease shows a finding with the highest frequency annotated to the finding or any of its
    descendants (each annotation is spread to all its ancestors); a NOT annotation of the finding
    or of an ancestor rules it out (spread to all its descendants)."""
    column = np.full(len(ranker.terms), -1, dtype=np.int64)
    column[terms] = np.arange(len(terms))
    p = np.zeros((len(rows), len(terms)))
    k, j, f = _spread(ranker.frequency, rows, ranker.ancestors, column, values=True)
    keep = j >= 0
    np.maximum.at(p, (k[keep], j[keep]), f[keep])
    ruled_out = np.zeros_like(p, dtype=bool)
    k, j, _ = _spread(ranker.negated_rows, rows, ranker.descendants, column, values=False)
    keep = j >= 0
    ruled_out[k[keep], j[keep]] = True
    return np.where(ruled_out, 0.0, np.where(p > 0, p, background))
