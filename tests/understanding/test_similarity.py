"""The ontology ranker on a tiny hand-computable ontology in a real SQLite store, and on the fixture corpus.

Tiny ontology (is_a):  R ─┬─ A ─┬─ A1        Diseases: OMIM:1 {A1}   OMIM:2 {A2}   OMIM:3 {B1}
                          │     └─ A2                  OMIM:4 {A1} + ORPHA:4 {B1} (one disease, two articles)
                          └─ B ─── B1                  OMIM:5 {A1, NOT B1}
IC over the 5 diseases: R 0, A ln(5/4), A1 ln(5/3), A2 ln 5, B = B1 ln(5/2).
"""

from __future__ import annotations

from math import log
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session

from app.understanding.similarity import (
    AnnotationFact, PhenotypeSimilarity, SimilarityConfig, UnknownPhenotype, frequency_weight, load_similarity,
    seen_in_none)
from app.understanding.recognizer import load_recognizer
from indexer.build import build
from indexer.corpus import Article, Feature
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import PhenotypeRow, make_engine, replace_release
from tests.conftest import HPO_SLICE

R, A, A1, A2, B, B1 = "HP:0000118", "HP:0000100", "HP:0000101", "HP:0000102", "HP:0000200", "HP:0000201"
PARENTS = {R: [], A: [R], A1: [A], A2: [A], B: [R], B1: [B]}
# The hand-computed tests check the similarity itself: plain Resnik best-match average, an
# excluded finding costing its full IC × frequency, no background correction and no frequency
# bonus (both tested apart).
PURE = SimilarityConfig(exclusion_weight=1.0, background_weight=0.0, frequency_bonus=0.0)


def same(ranked: list[tuple[str, float]], expected: list[tuple[str, float]]) -> bool:
    """Same ids in the same order, scores equal to rounding."""
    return [d for d, _ in ranked] == [d for d, _ in expected] and \
        [s for _, s in ranked] == pytest.approx([s for _, s in expected])


def _article(article_id: str, disease_id: str, present: list[str], absent: list[str] = ()) -> Article:
    source = article_id.split(":")[0]
    return Article(article_id, source, f"Disease {disease_id}", disease_id=disease_id,
                   features=[Feature(h, h, "obligate") for h in present],
                   excluded=[Feature(h, h) for h in absent])


@pytest.fixture
def tiny(tmp_path: Path) -> PhenotypeSimilarity:
    engine = make_engine(f"sqlite:///{tmp_path / 'tiny.db'}")
    articles = [_article("OMIM:1", "OMIM:1", [A1]), _article("OMIM:2", "OMIM:2", [A2]),
                _article("OMIM:3", "OMIM:3", [B1]), _article("OMIM:4", "OMIM:4", [A1]),
                _article("ORPHA:4", "OMIM:4", [B1]), _article("OMIM:5", "OMIM:5", [A1], [B1])]
    with Session(engine) as s, s.begin():
        replace_release(s, articles, [PhenotypeRow(hpo_id=h, name=f"term {h}", parents=p) for h, p in PARENTS.items()],
                        {d: f"Disease {d}" for d in ["OMIM:1", "OMIM:2", "OMIM:3", "OMIM:4", "OMIM:5"]})
    return load_similarity(engine, PURE)


def test_information_content_counts_diseases_annotated_with_the_term_or_a_descendant(tiny):
    ic = dict(zip(tiny.terms, tiny.ic))
    assert ic[R] == 0
    assert ic[A] == pytest.approx(log(5 / 4)) and ic[A1] == pytest.approx(log(5 / 3))
    assert ic[A2] == pytest.approx(log(5)) and ic[B] == pytest.approx(log(5 / 2)) == ic[B1]


def test_resnik_best_match_average_query_to_disease(tiny):
    assert same(tiny.rank([A1]), [
        ("OMIM:1", log(5 / 3)), ("OMIM:4", log(5 / 3)), ("OMIM:5", log(5 / 3)), ("OMIM:2", log(5 / 4))])
    # OMIM:3 shares only the root (IC 0) with A1, so it is not ranked at all
    assert same(tiny.rank([A1, B1]), [
        ("OMIM:4", (log(5 / 3) + log(5 / 2)) / 2),  # its two articles' annotations are pooled
        ("OMIM:3", log(5 / 2) / 2), ("OMIM:1", log(5 / 3) / 2), ("OMIM:5", log(5 / 3) / 2),
        ("OMIM:2", log(5 / 4) / 2)])


def test_a_relatives_finding_counts_as_half_of_the_patients_own(tiny):
    """Family history: B1 said of a relative weighs `family_weight` (0.5) of a finding of the patient's."""
    assert same(tiny.rank([A1], family=[B1]), [
        ("OMIM:4", (log(5 / 3) + 0.5 * log(5 / 2)) / 1.5), ("OMIM:1", log(5 / 3) / 1.5),
        ("OMIM:5", log(5 / 3) / 1.5), ("OMIM:3", 0.5 * log(5 / 2) / 1.5), ("OMIM:2", log(5 / 4) / 1.5)])
    assert same(tiny.rank([A1], family=[A1]), tiny.rank([A1]))  # the patient's own finding counts once
    assert tiny.rank([], family=[B1]) == []  # a relative's findings alone say nothing of the patient
    unweighted = PhenotypeSimilarity(PARENTS, TINY_FACTS, config=SimilarityConfig(
        exclusion_weight=1.0, background_weight=0.0, frequency_bonus=0.0, family_weight=0.0))
    assert same(unweighted.rank([A1], family=[B1]), unweighted.rank([A1]))


TINY_FACTS = [AnnotationFact("OMIM:1", A1), AnnotationFact("OMIM:2", A2), AnnotationFact("OMIM:3", B1),
              AnnotationFact("OMIM:4", A1), AnnotationFact("OMIM:4", B1), AnnotationFact("OMIM:5", A1),
              AnnotationFact("OMIM:5", B1, negated=True)]


def test_background_correction_costs_diseases_that_match_anything(tiny):
    """With every annotated term in the background sample (A1, A2, B1), a disease's background is
    its mean best match to them; the score is the similarity minus weight × background."""
    corrected = PhenotypeSimilarity(PARENTS, TINY_FACTS, config=SimilarityConfig(
        exclusion_weight=1.0, background_weight=0.5, background_direct=False, frequency_bonus=0.0))
    background = dict(zip(corrected.disease_ids, corrected.background))
    assert background["OMIM:1"] == pytest.approx((log(5 / 3) + log(5 / 4) + 0) / 3)
    assert background["OMIM:4"] == pytest.approx((log(5 / 3) + log(5 / 4) + log(5 / 2)) / 3)
    scores = dict(corrected.rank([A1]))
    assert scores["OMIM:1"] == pytest.approx(log(5 / 3) - 0.5 * background["OMIM:1"])
    assert scores["OMIM:4"] == pytest.approx(log(5 / 3) - 0.5 * background["OMIM:4"])
    assert scores["OMIM:1"] > scores["OMIM:4"]  # same match, but OMIM:4 matches more of anything
    plain = dict(tiny.rank([A1]))
    assert plain["OMIM:1"] == plain["OMIM:4"]


def test_background_is_charged_on_findings_a_disease_is_not_annotated_with():
    """A finding among a disease's own annotations is no chance match: only the share of findings
    it matches through a relative pays the background."""
    sim = PhenotypeSimilarity(PARENTS, TINY_FACTS, config=SimilarityConfig(
        exclusion_weight=1.0, background_weight=0.5, frequency_bonus=0.0))
    background = dict(zip(sim.disease_ids, sim.background))
    scores = dict(sim.rank([A1]))
    assert scores["OMIM:1"] == pytest.approx(log(5 / 3)) == scores["OMIM:4"]  # both annotated with A1
    assert scores["OMIM:2"] == pytest.approx(log(5 / 4) - 0.5 * background["OMIM:2"])  # A2 matches A1 through A
    scores = dict(sim.rank([A1, B1]))
    assert scores["OMIM:4"] == pytest.approx((log(5 / 3) + log(5 / 2)) / 2)  # named with both
    assert scores["OMIM:1"] == pytest.approx(log(5 / 3) / 2 - 0.5 * background["OMIM:1"] / 2)  # with one of two
    scores = dict(sim.rank([A]))  # a general finding no disease is annotated with: every one pays
    assert scores["OMIM:1"] == pytest.approx(log(5 / 4) - 0.5 * background["OMIM:1"])


def test_frequency_breaks_ties_between_diseases_that_match_alike():
    facts = [AnnotationFact("OMIM:1", A1, "very frequent"), AnnotationFact("OMIM:2", A1, "occasional"),
             AnnotationFact("OMIM:3", A1, "2/2"), AnnotationFact("OMIM:4", B1)]
    plain = PhenotypeSimilarity(PARENTS, facts, config=PURE)
    assert [s for _, s in plain.rank([A1])] == pytest.approx([log(4 / 3)] * 3)
    sim = PhenotypeSimilarity(PARENTS, facts, config=SimilarityConfig(background_weight=0.0, frequency_bonus=0.03))
    ranked = sim.rank([A1])
    assert [d for d, _ in ranked] == ["OMIM:1", "OMIM:3", "OMIM:2"]  # 0.895, then 2/2 read as 2.5/3, then 0.17
    assert ranked[0][1] == pytest.approx(log(4 / 3) * (1 + 0.03 * 0.895))
    assert ranked[2][1] == pytest.approx(log(4 / 3) * (1 + 0.03 * 0.17))


def test_an_annotation_seen_in_no_patient_is_no_match():
    """'0/12' says the disease's patients lacked the finding; another article's nonzero count still counts."""
    facts = [AnnotationFact("OMIM:1", A1, "5/6"), AnnotationFact("OMIM:2", A1, "0/12"), AnnotationFact("OMIM:2", A2),
             AnnotationFact("OMIM:3", A1, "0/3"), AnnotationFact("OMIM:3", A1, "occasional"),
             AnnotationFact("OMIM:4", B1)]
    sim = PhenotypeSimilarity(PARENTS, facts, config=PURE)
    ranked = dict(sim.rank([A1]))
    assert set(ranked) == {"OMIM:1", "OMIM:2", "OMIM:3"}
    assert ranked["OMIM:2"] < ranked["OMIM:1"] == ranked["OMIM:3"]  # OMIM:2 matches A1 only through A via A2
    assert sim.presence(sim.term_index[A1])[sim.disease_index["OMIM:2"]] == 0


def test_symmetric_best_match_average(tiny):
    tiny.config = SimilarityConfig(symmetric=True, exclusion_weight=1.0, background_weight=0.0, frequency_bonus=0.0)
    scores = dict(tiny.rank([A1, B1]))
    # OMIM:1: query→disease (ln(5/3) + 0)/2; disease→query: its one annotation A1 matches A1 fully
    assert scores["OMIM:1"] == pytest.approx(0.5 * (log(5 / 3) / 2 + log(5 / 3)))
    # OMIM:2: A2's best match in the query is A1 through A
    assert scores["OMIM:2"] == pytest.approx(0.5 * (log(5 / 4) / 2 + log(5 / 4)))


def test_excluded_finding_moves_a_disease_down_and_not_annotation_supports_exclusion(tiny):
    assert [d for d, _ in tiny.rank([A1])][:3] == ["OMIM:1", "OMIM:4", "OMIM:5"]
    ranked = tiny.rank([A1], excluded=[B1])
    assert [d for d, _ in ranked] == ["OMIM:5", "OMIM:1", "OMIM:2", "OMIM:4"]
    scores = dict(ranked)
    assert scores["OMIM:4"] == pytest.approx(log(5 / 3) - log(5 / 2))  # shows B1 (obligate): its full IC
    assert scores["OMIM:5"] == pytest.approx(log(5 / 3) + 0.5 * log(5 / 2))  # annotated NOT B1


def test_ids_k_and_unknown_terms(tiny):
    assert tiny.rank([], excluded=[B1]) == []
    assert [d for d, _ in tiny.rank([A1], k=2)] == ["OMIM:1", "OMIM:4"]
    with pytest.raises(UnknownPhenotype, match="HP:9999999"):
        tiny.rank([A1, "HP:9999999"])


def test_pure_constructor_matches_the_store_loader(tiny):
    facts = [AnnotationFact("OMIM:1", A1, "obligate"), AnnotationFact("OMIM:2", A2, "obligate"),
             AnnotationFact("OMIM:3", B1, "obligate"), AnnotationFact("OMIM:4", A1, "obligate"),
             AnnotationFact("OMIM:4", B1, "obligate"), AnnotationFact("OMIM:5", A1, "obligate"),
             AnnotationFact("OMIM:5", B1, "", negated=True)]
    direct = PhenotypeSimilarity(PARENTS, facts, config=PURE)
    assert same(direct.rank([A1, B1], [A2]), tiny.rank([A1, B1], [A2]))


@pytest.mark.parametrize("value, weight", [
    ("obligate", 1.0), ("very frequent", 0.895), ("3/4", 3.5 / 5), ("1/1", 1.5 / 2), ("45/58", 45.5 / 59),
    ("40%", 0.4), ("", 0.5), ("0/0", 0.5)])
def test_frequency_weight(value, weight):
    assert frequency_weight(value) == pytest.approx(weight)


@pytest.mark.parametrize("value, none", [
    ("0/44", True), ("0%", True), ("excluded", True), ("0/0", False), ("1/44", False), ("", False), ("rare", False)])
def test_seen_in_none(value, none):
    assert seen_in_none(value) is none


@pytest.fixture(scope="module")
def fixture_corpus(tmp_path_factory) -> PhenotypeSimilarity:
    root = tmp_path_factory.mktemp("onto")
    engine = make_engine(f"sqlite:///{root / 'zebra.db'}")
    build(engine, TantivyIndex(root / "index"), HPO_SLICE)
    return load_similarity(engine)


def test_marfan_findings_rank_marfan_first_on_the_fixture_corpus(fixture_corpus):
    rec = load_recognizer(HPO_SLICE).recognize("long fingers, dislocated lens")
    ranked = [d for d, _ in fixture_corpus.rank(rec.observed, rec.excluded)]
    # Marfan (merged with ORPHA:558) and neonatal Marfan match both findings alike; the background
    # correction puts the one with fewer annotations (neonatal) ahead
    assert ranked[:2] == ["ORPHA:284979", "OMIM:154700"]
    assert "ORPHA:558" not in ranked  # diseases, not articles


def test_denied_marfan_finding_lowers_marfan(fixture_corpus):
    recognizer = load_recognizer(HPO_SLICE)
    rec = recognizer.recognize("long fingers, dislocated lens, no dural ectasia")
    assert rec.excluded == ["HP:0100775"]
    before = dict(fixture_corpus.rank(rec.observed))
    after = dict(fixture_corpus.rank(rec.observed, rec.excluded))
    # Marfan shows dural ectasia: it pays 0.25 × IC × its frequency / 2 observed findings
    t = fixture_corpus.term_index["HP:0100775"]
    frequency = fixture_corpus.presence(t)[fixture_corpus.disease_index["OMIM:154700"]]
    assert frequency > 0.5
    assert after["OMIM:154700"] == pytest.approx(before["OMIM:154700"] - 0.25 * fixture_corpus.ic[t] * frequency / 2)
    assert after["ORPHA:284979"] == before["ORPHA:284979"]  # neonatal Marfan is not annotated with it


def test_the_best_k_are_the_head_of_the_full_ranking_ties_included(fixture_corpus):
    """Ranking sorts only the best k diseases; they are exactly the first k of the full ranking, in its order,
    even where several diseases share the score at the cut (ties by id)."""
    recognizer = load_recognizer(HPO_SLICE)
    tied = 0
    for query in ("long fingers, dislocated lens", "tall stature", "seizures, no dural ectasia", "scoliosis"):
        rec = recognizer.recognize(query)
        full = fixture_corpus.rank(rec.observed, rec.excluded)
        tied += len(full) - len({s for _, s in full})
        for k in range(0, len(full) + 2):
            assert fixture_corpus.rank(rec.observed, rec.excluded, k=k) == full[:k]
    assert tied  # rankings with shared scores were among them


def _resnik_by_hand(sim: PhenotypeSimilarity, q: int) -> np.ndarray:
    """Each disease's best Resnik similarity to term q, straight from the definition: the highest IC of a
    common ancestor of q and any of the disease's annotations."""
    anc_q = set(sim.ancestors.indices[sim.ancestors.indptr[q]:sim.ancestors.indptr[q + 1]].tolist())
    out = np.zeros(len(sim.disease_ids))
    for d in range(len(sim.disease_ids)):
        for a in sim.annotated.indices[sim.annotated.indptr[d]:sim.annotated.indptr[d + 1]].tolist():
            common = anc_q & set(sim.ancestors.indices[sim.ancestors.indptr[a]:sim.ancestors.indptr[a + 1]].tolist())
            out[d] = max([out[d]] + [sim.ic[c] for c in common])
    return out


def test_remembered_best_matches_equal_the_definition_and_memory_is_bounded(fixture_corpus, monkeypatch):
    import app.understanding.similarity as similarity
    terms = [fixture_corpus.term_index[h] for h in ("HP:0100807", "HP:0001083", "HP:0001250", "HP:0000098")]
    expected = {q: _resnik_by_hand(fixture_corpus, q) for q in terms}
    assert any(v.any() for v in expected.values())
    monkeypatch.setattr(similarity, "BEST_MATCH_CACHE", 2)
    fixture_corpus._best.clear()
    for _ in range(2):  # first computed, then (the last two) remembered, then computed again after eviction
        for q in terms:
            assert np.array_equal(fixture_corpus.best_match(q), expected[q])  # the same floats, not just close
            assert len(fixture_corpus._best) <= 2
    assert list(fixture_corpus._best) == terms[-2:]  # the most recently used are kept
