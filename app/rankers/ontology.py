"""The ontology ranker: findings recognised in the query, matched to disease annotations.

Owns the bridge from `app.understanding` (recognition, Resnik best-match average,
ask-next) to the `Ranker` interface, the user's overrides of the recognised findings,
and per-disease evidence (which findings a disease shows, similar diseases).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np

from app.rankers.base import DEPTH, Findings, LoadContext, Ranked, Ranker
from app.rankers.profiles import PublishedProfiles, published_profiles
from app.understanding.ask_next import Question, ask_next
from app.understanding.heredity import Heredity
from app.understanding.recognizer import Mention, Recognition, Recognizer, load_recognizer, recognizer_source
from app.understanding.similarity import PhenotypeSimilarity, load_similarity


# Synonyms of each observed finding added to the lexical query after its label. Chosen on the real
# tuning cases (lexical MRR: none 0.294, label 0.301, label + 1 synonym 0.319, + 2 0.313, + 3 0.311).
EXPANSION_SYNONYMS = 1
# A relative's finding makes the relative affected (an inheritance cue) when one of this many diseases the
# patient's findings rank highest shows it.
RELATIVE_AMONG = 50


@dataclass(frozen=True)
class Overrides:
    """The user's corrections: terms to add as observed, to add as excluded, or to ignore; and whether the
    query's inheritance cues are weighed (a cue read against the story can be switched off)."""

    add: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    inheritance: bool = True


def _ordered(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class OntologyRanker(Ranker):
    name = "ontology"
    understands = True
    asks_among = 20  # the top diseases of its ranking that what to ask next separates

    def __init__(self, recognizer: Recognizer, ontology: PhenotypeSimilarity,
                 hpo_source: tuple[str, int, int] | None = None, profiles: PublishedProfiles | None = None):
        self.recognizer = recognizer
        self.ontology = ontology
        self.hpo_source = hpo_source  # the hp.obo the recognizer was built from (`recognizer_source`)
        self.profiles = profiles  # the published patients' profiles matched beside the annotations, if any

    def publications(self, diseases: Collection[str] | None = None) -> frozenset[str]:
        return frozenset() if self.profiles is None else self.profiles.publications_of(diseases)

    def leaving_out(self, publications: frozenset[str]) -> OntologyRanker:
        """This ranker with profiles that count no patient of `publications` (a published case is evaluated as a
        new patient, without its own publication); itself when its profiles count none of them."""
        if self.profiles is None or not publications & self.profiles.publications:
            return self
        similarity = load_similarity(self.profiles.engine, profiles=self.profiles.facts(publications))
        return OntologyRanker(self.recognizer, similarity, self.hpo_source, self.profiles)

    def recognize(self, query: str) -> Recognition:
        """The findings the query names (in words or as HPO ids) and notices on ids that name none."""
        return self.recognizer.recognize(query)

    def mentions(self, query: str) -> list[Mention]:
        return self.recognize(query).mentions

    def findings(self, mentions: list[Mention], overrides: Overrides = Overrides(),
                 heredity: Heredity = Heredity()) -> Findings:
        """Observed, excluded and relatives' terms after the overrides (ids unknown to the ontology dropped), with
        the query's inheritance cues (`Recognition.heredity`)."""
        known = self.ontology.term_index
        ignore, add, exclude = set(overrides.ignore), set(overrides.add), set(overrides.exclude)
        seen_obs = [m.hpo_id for m in mentions if not m.excluded and not m.relative]
        seen_exc = [m.hpo_id for m in mentions if m.excluded and not m.relative]
        observed = [h for h in seen_obs if h not in ignore | exclude] + list(overrides.add)
        excluded = [h for h in seen_exc if h not in ignore | add] + list(overrides.exclude)
        observed = _ordered(h for h in observed if h in known)
        excluded = _ordered(h for h in excluded if h in known and h not in observed)
        family = _ordered(m.hpo_id for m in mentions if m.relative and m.hpo_id in known
                          and m.hpo_id not in ignore and m.hpo_id not in observed and m.hpo_id not in excluded)
        rewrites = tuple((m.start, m.end, "" if m.hpo_id in excluded else m.name) for m in mentions
                         if m.hpo_id in excluded or (m.by_id and m.hpo_id in observed))
        expansion = tuple(name for h in observed for name in self.recognizer.names_of(h, EXPANSION_SYNONYMS))
        heredity = heredity if overrides.inheritance else Heredity()
        if heredity.evidence:  # a relative's finding says the relative is affected only where it is one of the
            # patient's likely diseases' findings ("his father has asthma" says nothing of a muscular dystrophy)
            heredity = heredity.keeping(self.ontology.shown_by_top(list(observed), list(excluded), list(family),
                                                                   heredity.evidence - ignore, RELATIVE_AMONG))
        return Findings(observed, excluded, rewrites, expansion, family, heredity)

    def rank(self, query: str, findings: Findings | None = None, source: str | None = None,
             depth: int = DEPTH) -> list[Ranked]:
        if findings is None:
            recognition = self.recognize(query)
            findings = self.findings(recognition.mentions, heredity=recognition.heredity)
        ranking = self.ontology.rank(list(findings.observed), list(findings.excluded), k=depth,
                                     family=list(findings.family), heredity=findings.heredity)
        return [Ranked(d, s) for d, s in ranking]

    def questions(self, findings: Findings, ranking: list[Ranked], n: int = 5) -> list[Question]:
        """The findings that best separate the top candidates (expected information gain)."""
        known = self.ontology.disease_index
        top = [(r.disease_id, r.score) for r in ranking[:self.asks_among] if r.disease_id in known]
        if not findings.observed:
            return []
        return ask_next(self.ontology, list(findings.observed), list(findings.excluded), n=n, ranking=top)

    def matched(self, disease_id: str, observed: tuple[str, ...]) -> list[str]:
        """Observed terms the disease shows (annotated with the term or a more specific one)."""
        return self.matched_each([disease_id], observed)[0]

    def matched_each(self, disease_ids: list[str], observed: tuple[str, ...]) -> list[list[str]]:
        """`matched` for each of several diseases (a page of results), one array look-up per term."""
        out: list[list[str]] = [[] for _ in disease_ids]
        rows = np.array([self.ontology.disease_index.get(d, -1) for d in disease_ids], dtype=np.int64)
        if not observed or not (rows >= 0).any():
            return out
        closed = self.ontology.closed  # (N, T) csc, sorted indices: column t lists the diseases showing t
        for h in observed:
            t = self.ontology.term_index[h]
            column = closed.indices[closed.indptr[t]:closed.indptr[t + 1]]
            if not len(column):
                continue
            at = np.minimum(column.searchsorted(rows), len(column) - 1)
            for i in np.flatnonzero((column[at] == rows) & (rows >= 0)).tolist():
                out[i].append(h)
        return out

    def similar(self, disease_id: str, n: int = 8) -> list[tuple[str, float]]:
        """Diseases whose annotations best match this disease's own (Resnik best-match average)."""
        d = self.ontology.disease_index.get(disease_id)
        if d is None:
            return []
        row = self.ontology.annotated.getrow(d)
        terms = [self.ontology.terms[t] for t in row.indices]
        return [(o, s) for o, s in self.ontology.rank(terms, k=n + 1) if o != disease_id][:n]

    def name_of(self, hpo_id: str) -> str:
        return self.ontology.names.get(hpo_id, hpo_id)

    def status(self) -> dict:
        return {"loaded": True, "diseases": len(self.ontology), "terms": len(self.ontology.terms),
                "data_release": self.recognizer.release,
                "profiles": self.profiles.describe() if self.profiles is not None else None}


def load(context: LoadContext) -> OntologyRanker | None:
    """Concept recognition over the HPO release and similarity over the store's annotations
    (None when switched off by `ZEBRA_ONTOLOGY=false` or when the corpus is not built)."""
    if not context.settings.ontology or not context.catalogue.diseases:
        return None
    source = recognizer_source(context.settings.hpo_dir)
    before = context.previous.get("ontology")
    if source is not None and isinstance(before, OntologyRanker) and before.hpo_source == source:
        recognizer = before.recognizer  # a reload over the same hp.obo: seconds of work saved
    else:
        recognizer = load_recognizer(context.settings.hpo_dir)
    profiles = published_profiles(context, "ontology")
    facts = profiles.facts() if profiles is not None else []
    return OntologyRanker(recognizer, load_similarity(context.engine, profiles=facts), source, profiles)
