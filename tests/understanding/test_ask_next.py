"""What to ask next, on a constructed case whose answer is known.

R ─┬─ X ─┬─ Y1      P1 {X, Y1, Z}   P2 {X, Y1}   P3 {X, Y2}   P4 {X, NOT Y1}   P5 {W}
   │     ├─ Y2      Observed X: P1–P4 tie (P5 shares nothing), so the prior is uniform over four.
   │     └─ Z       Y1 splits them two against two: 1 bit. Y2 and Z each single one out:
   └─ W             2 − ¾·log2 3 ≈ 0.811 bits.
"""

from __future__ import annotations

from math import log2

import numpy as np
import pytest

from app.understanding.ask_next import ask_next, candidate_distribution, information_gain
from app.understanding.similarity import AnnotationFact, PhenotypeSimilarity, SimilarityConfig

R, X, Y1, Y2, Z, W = "HP:0000118", "HP:0000010", "HP:0000011", "HP:0000012", "HP:0000013", "HP:0000020"


@pytest.fixture
def ranker() -> PhenotypeSimilarity:
    parents = {R: [], X: [R], Y1: [X], Y2: [X], Z: [X], W: [R]}
    facts = [AnnotationFact(d, h, "obligate") for d, hs in
             {"P1": [X, Y1, Z], "P2": [X, Y1], "P3": [X, Y2], "P4": [X], "P5": [W]}.items() for h in hs]
    facts.append(AnnotationFact("P4", Y1, negated=True))
    # plain Resnik scores (no background correction): equal scores give the uniform prior computed by hand
    return PhenotypeSimilarity(parents, facts, {h: f"term {h}" for h in parents},
                               SimilarityConfig(exclusion_weight=1.0, background_weight=0.0))


def test_best_question_splits_the_candidates_in_half(ranker):
    questions = ask_next(ranker, [X], background=0.0)
    assert [q.hpo_id for q in questions] == [Y1, Y2, Z]  # equal gains: by id
    assert questions[0].gain == pytest.approx(1.0)
    assert questions[1].gain == pytest.approx(2 - 0.75 * log2(3)) == questions[2].gain
    assert (questions[0].name, questions[0].candidates_with) == (f"term {Y1}", 2)


def test_known_findings_are_not_asked(ranker):
    assert Y1 not in [q.hpo_id for q in ask_next(ranker, [X, Y1])]
    assert Y1 not in [q.hpo_id for q in ask_next(ranker, [X], excluded=[Y1])]


def test_not_annotation_keeps_a_finding_impossible_even_with_background(ranker):
    # With background 0.1, P3 might show Y1 but P4 is annotated NOT Y1: Y1 still gains, below 1 bit.
    gain = {q.hpo_id: q.gain for q in ask_next(ranker, [X], background=0.1)}
    prior = np.full(4, 0.25)
    assert gain[Y1] == pytest.approx(information_gain(prior, np.array([[1.0], [1.0], [0.1], [0.0]]))[0])
    assert gain[Y1] < 1.0


def test_information_gain_and_softmax_by_hand():
    assert information_gain(np.array([0.5, 0.5]), np.array([[1.0, 0.5], [0.0, 0.5]])) == pytest.approx([1.0, 0.0])
    assert candidate_distribution([1.0, 1.0, 1.0 + np.log(2)]) == pytest.approx([0.25, 0.25, 0.5])


def test_nothing_to_ask_with_one_candidate(ranker):
    assert ask_next(ranker, [W]) == []
