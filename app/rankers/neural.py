"""The neural ranker: a character-level network's reading of the query, matched to diseases, with attention.

Owns turning a `models.predict.Predictor` into a disease ranking and an explanation (the weight of each query
word), and loading the configured checkpoint against the corpus. A disease's score is the standardised best match of
the query's phrases to its findings (its annotations and what its published patients showed, `app.rankers.profiles`),
both read by the network (`models.phrases`), plus `PROTOTYPE_WEIGHT` times the standardised similarity of the whole
query to the disease's prototype (the network's classifier layer).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.catalogue import Catalogue
from app.rankers.base import DEPTH, Findings, LoadContext, Ranked, Ranker, RankerNotLoaded, negation_free
from app.rankers.profiles import PublishedProfiles, published_profiles
from app.understanding.negation import ANSWERS, CUE_WORDS
from app.understanding.patient import PATIENT_WORDS
from app.understanding.recognizer import RECENT_TEXTS
from app.understanding.tokens import WORD, fold
from indexer.store import AnnotationRow, ArticleRow, PhenotypeRow
from models.checkpoint import CheckpointError, CheckpointMismatch, labels_digest
from models.encoding import normalise, split_words
from models.phrases import FindingIndex, PhraseMatch, standardised
from models.predict import Predictor

# The whole query's prototype similarity beside its phrases' best matches (both standardised over the diseases).
# Chosen on the published cases of the tuning part, every text scored exactly (neural MRR: phrases alone 0.402, with
# the prototypes at weight 0.35 0.410, 0.5 0.414, 0.75 0.417, 1.0 0.411; the prototypes alone 0.150); as served 0.403.
PROTOTYPE_WEIGHT = 0.75
# A phrase's match shown as evidence when its cosine reaches this (0.75 ** POWER: a third of an exact match's share;
# below it, matches such as "macrocephaly" ≈ Microcephaly (0.70) would mislead more than they explain)
SHOWN_SIMILARITY = 0.75
# A finding is offered for a phrase the recognizer did not understand when the network reads one of its texts this
# close and the two share a word's start (the first four letters): on the hand-annotated sentences a right finding
# is then offered for 883 phrases, 2,985 get an offer; by the cosine alone ≥ 0.75: 854 and 3,706 ("I'm 24" read as
# AML-M5 at 0.83, "blorfy zwee" as Bulimia at 0.79); the first term starting like the phrase alone: 302 and 1,199.
SUGGESTED_SIMILARITY = 0.7
PHRASES_VERSION = 5  # of the scoring with phrases matched to findings (5: published patients' findings matched too)
ANNOTATIONS_VERSION = 4  # the scoring without profiles: the same as version 4's
# Words that name no finding on their own: what is left of "absence of seizures", "no history of seizures" or
# "seizures: none" once the excluded finding is gone is no phrase to match, nor is who the patient is ("34 yo M").
EMPTY_WORDS = CUE_WORDS | ANSWERS | PATIENT_WORDS | frozenset(
    "a an the of for to in on at is are was were be been has have had any ever never history evidence sign signs "
    "symptom symptoms found seen noted reported ruled out".split())


class NeuralRanker(Ranker):
    name = "neural"
    explains = True
    threaded = True  # torch releases the GIL while the network runs

    def __init__(self, predictor: Predictor, depth: int = DEPTH, diseases: dict[str, str] | None = None):
        """`diseases`: the disease each of the network's classes belongs to, where the corpus groups articles the
        network tells apart (a class is an article, or a disease of another grouping); by default each class is
        a disease. Until `match_findings` gives it the diseases' findings, it ranks by the prototypes alone."""
        self.predictor = predictor
        self.grouping = ClassGroups.of(predictor.labels, diseases) if diseases else None
        self.labels = self.grouping.diseases if self.grouping else predictor.labels
        self.depth = min(depth, len(self.labels))
        self.findings: FindingIndex | None = None
        self.profiles: PublishedProfiles | None = None  # published patients' findings matched beside the annotations
        self._annotations: Mapping[str, list[str]] = {}
        self._position = {d: i for i, d in enumerate(self.labels)}  # each disease's place in the scores
        # The last few texts read, with their attention: a result page ranks its query, then shows where
        # the network looked, from the same pass (a text's reading depends on the text and these weights only).
        self._read = lru_cache(maxsize=RECENT_TEXTS)(predictor.read)

    def match_findings(self, texts: dict[str, list[str]], annotations: dict[str, list[str]],
                       profiles: PublishedProfiles | None = None) -> None:
        """Rank by the query's phrases matched to each disease's findings (`annotations`: disease → finding ids, and
        every finding its published patients showed in `profiles`; `texts`: each finding's label and synonyms), the
        network reading both, beside the prototypes."""
        self.profiles, self._annotations = profiles, annotations
        self.findings = FindingIndex(self.predictor, texts, with_profiles(annotations, profiles), self.labels,
                                     empty_words=EMPTY_WORDS)

    def publications(self, diseases: Collection[str] | None = None) -> frozenset[str]:
        return frozenset() if self.profiles is None else self.profiles.publications_of(diseases)

    def leaving_out(self, publications: frozenset[str]) -> NeuralRanker:
        """This ranker matching no finding only the patients of `publications` showed to their disease (a published
        case is evaluated as a new patient, without its own publication); itself when its profiles count none of
        them. The network's readings are shared: a finding only they showed keeps its texts, owned by no disease
        (they score nothing, and still take their place among a phrase's nearest texts). Like the ontology ranker's,
        the copy reports the full profiles (`status`, `publications`)."""
        if not publications & self.publications():
            return self
        other = copy.copy(self)
        other.findings = self.findings.with_annotations(
            with_profiles(self._annotations, self.profiles, publications), self.labels)
        return other

    def rank(self, query: str, findings: Findings | None = None, source: str | None = None,
             depth: int = DEPTH) -> list[Ranked]:
        """The network reads the query without its excluded findings ("…, no seizures" would otherwise
        pull seizure disorders up: it cannot read negation). Nothing left to read (only excluded
        findings): no ranking, as the other rankers."""
        return self.rank_later(query, findings, source, depth)()

    def rank_later(self, query: str, findings: Findings | None = None, source: str | None = None,
                   depth: int = DEPTH) -> Callable[[], list[Ranked]]:
        """`rank` in two parts: now the network reads the query and its new phrases (torch releases the GIL);
        the function returned matches the phrases to the diseases and ranks them (numpy and Python)."""
        text = negation_free(query, findings)
        if not _has_words(text):
            return lambda: []
        scores = self._read(text)[0]  # (C,) log-probabilities
        if self.grouping is not None:
            scores = self.grouping.best(scores)  # (D,) each disease's best class
        matched = self.findings.scores_later(text) if self.findings is not None else None

        def ranked() -> list[Ranked]:
            final = scores if matched is None else standardised(matched()) + PROTOTYPE_WEIGHT * standardised(scores)
            n = min(depth, self.depth)
            top = np.argpartition(-final, n - 1)[:n]
            top = top[np.lexsort((top, -final[top]))]  # best first; ties by class (by a disease's first class)
            labels = self.labels
            return [Ranked(labels[i], score) for i, score in zip(top.tolist(), final[top].tolist())]
        return ranked

    def explain(self, query: str, findings: Findings | None = None) -> list[tuple[str, float]]:
        """Each (normalised) word or character the network read with its attention weight; they sum to 1."""
        text = negation_free(query, findings)
        return list(self._read(text)[1]) if _has_words(text) else []

    def matches(self, query: str, findings: Findings | None, disease_ids: list[str]) -> dict[str, list[PhraseMatch]]:
        """For each of `disease_ids` the network ranks by its phrases, the query's phrases (its excluded findings
        left out, as when it ranks) with the disease's finding nearest each, best first; those below
        `SHOWN_SIMILARITY` left out. Empty without the finding index."""
        text = negation_free(query, findings)
        if self.findings is None or not _has_words(text):
            return {}
        ids = list(dict.fromkeys(d for d in disease_ids if d in self._position))
        found = self.findings.matches(text, [self._position[d] for d in ids], least=SHOWN_SIMILARITY)
        return {d: m for d, m in zip(ids, found) if m}

    def nearest_findings(self, phrases: list[str], n: int = 3) -> list[list[tuple[str, str, float]]]:
        """For each phrase, the `n` findings the network reads nearest it (`SUGGESTED_SIMILARITY` or closer, and
        sharing a word's start with the text read), as (HPO id, that label or synonym, cosine), best first; empty
        lists without the finding index."""
        if self.findings is None:
            return [[] for _ in phrases]
        near = self.findings.nearest_findings(phrases, 4 * n, least=SUGGESTED_SIMILARITY)
        starts = [_word_starts(phrase) for phrase in phrases]
        return [[m for m in found if ours & _word_starts(m[1])][:n] for ours, found in zip(starts, near)]

    def status(self) -> dict:
        ck = self.predictor.checkpoint
        return {"loaded": True, "arch": ck.arch, "path": str(ck.path), "data_release": ck.data_release,
                "classes": len(ck.labels), "metrics": {k: v for k, v in ck.metrics.items()
                                                      if isinstance(v, (int, float, str))},
                "profiles": self.profiles.describe() if self.profiles is not None else None}

    def fingerprint(self) -> str:
        """The label map's digest, and whether phrases are matched to findings (and to published patients' findings):
        a fusion tuned on one way of scoring does not apply to the other."""
        digest = labels_digest(self.predictor.labels)
        matched = self.findings is not None and self.findings.n_findings > 0
        version = PHRASES_VERSION if self.profiles is not None else ANNOTATIONS_VERSION
        return f"{digest}+phrases{version}" if matched else digest


class ClassGroups:
    """The network's classes gathered into the corpus's diseases: a disease scores its best class (as the lexical
    ranker scores a disease by its best article)."""

    def __init__(self, diseases: list[str], order: np.ndarray, starts: np.ndarray):
        self.diseases = diseases  # in order of their first class
        self.order = order  # classes sorted by disease
        self.starts = starts  # where each disease's classes start in `order`

    @classmethod
    def of(cls, labels: list[str], disease_of: dict[str, str]) -> "ClassGroups | None":
        owners = [disease_of.get(label, label) for label in labels]
        if owners == list(labels):
            return None  # one class per disease: nothing to gather
        index: dict[str, int] = {}
        for owner in owners:
            index.setdefault(owner, len(index))
        target = np.array([index[o] for o in owners])
        order = np.argsort(target, kind="stable")
        starts = np.searchsorted(target[order], np.arange(len(index)))
        return cls(list(index), order, starts)

    def best(self, scores: np.ndarray) -> np.ndarray:
        """(…, C) class scores → (…, D) each disease's best, in `diseases` order."""
        return np.maximum.reduceat(scores[..., self.order], self.starts, axis=-1)


def _word_starts(text: str) -> set[str]:
    """The first four letters of each word of three or more that names something ("sweats" → "swea", "swolen" →
    "swol"; not "the" or "history")."""
    return {w[:4] for w in split_words(normalise(text)) if len(w) >= 3 and w not in EMPTY_WORDS}


def _has_words(text: str) -> bool:
    """Whether anything is left for the network to read beyond the words of negation cues (the "no" of
    "no seizures" once its finding is gone)."""
    return any(fold(w) not in CUE_WORDS for w in WORD.findall(text))


def load_neural(path: Path, catalogue: Catalogue) -> NeuralRanker:
    """The checkpoint at `path` as a ranker; refuses one of another data release, or with a class that is no disease
    or article of the corpus."""
    predictor = Predictor.load(path, expected_release=catalogue.data_release or None)
    # a class may be an article the corpus groups with others into one disease (a network trained before two
    # sources' articles were found to be one disease): it ranks that disease
    owner = catalogue.article_to_disease
    unknown = [label for label in predictor.labels if label not in catalogue.diseases and label not in owner]
    if unknown:
        raise CheckpointMismatch(
            f"checkpoint {path} ranks {len(unknown):,} diseases the corpus does not hold (e.g. {unknown[0]}; "
            f"checkpoint label map {labels_digest(predictor.labels)}, {len(predictor.labels):,} classes, corpus "
            f"{len(catalogue.diseases):,} diseases); retrain with `zebra train`")
    return NeuralRanker(predictor, diseases=owner)


def load(context: LoadContext) -> NeuralRanker | None:
    settings = context.settings
    if settings.model_path is None:
        raise RankerNotLoaded("no neural model configured (ZEBRA_MODEL_PATH is empty); lexical ranking only")
    if not context.catalogue.diseases:
        return None
    torch.set_num_threads(settings.torch_threads)
    # read first: a file that cannot be read keeps the network out before the work of loading it
    profiles = published_profiles(context, "neural")
    try:
        ranker = load_neural(settings.model_path, context.catalogue)
    except CheckpointError as exc:
        raise RankerNotLoaded(f"neural model not loaded: {exc}") from exc
    texts, annotations = finding_texts(context.engine)
    # the words queries are mostly made of, spelled once at load (~0.5 s) instead of during searches
    ranker.predictor.spell_ahead(text for term in texts.values() for text in term)
    ranker.match_findings(texts, annotations, profiles)
    return ranker


def with_profiles(annotations: Mapping[str, list[str]], profiles: PublishedProfiles | None,
                  leave_out: Collection[str] = ()) -> dict[str, list[str]]:
    """Each disease's annotated findings and every finding its published patients showed (however few of them),
    except those only the patients of `leave_out` showed. Every one counts: on the published cases of the tuning
    part, each without its own publication, the network's MRR went from 0.405 (annotations alone) to 0.585; in a
    first comparison that counted only findings some disease is annotated with, 0.572 with all of them against 0.446
    with only those shown by at least 30% of a disease's patients."""
    merged = {disease: list(findings) for disease, findings in annotations.items()}
    for fact in profiles.facts(leave_out) if profiles is not None else ():
        merged.setdefault(fact.disease_id, []).append(fact.hpo_id)
    return merged


def finding_texts(engine: Engine) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each current term's label and synonyms in the store's HPO release, and each disease's observed findings (its
    articles' annotations that are not ruled out), from the store."""
    with Session(engine) as session:
        texts = {h: [name, *(synonyms or [])] for h, name, synonyms in session.execute(
            select(PhenotypeRow.hpo_id, PhenotypeRow.name, PhenotypeRow.synonyms))}
        annotations: dict[str, list[str]] = {}
        for disease, hpo_id in session.execute(
                select(ArticleRow.disease_id, AnnotationRow.hpo_id)
                .join(ArticleRow, ArticleRow.article_id == AnnotationRow.article_id)
                .where(AnnotationRow.negated.is_(False))):
            annotations.setdefault(disease, []).append(hpo_id)
    return texts, annotations
