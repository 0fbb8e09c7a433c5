"""A query's phrases matched to each disease's findings, both read by a tiny trained network."""
import threading

import numpy as np
import pytest

from models.checkpoint import save_checkpoint
from models.phrases import POWER, RECENT_PHRASES, FindingIndex, phrases, standardised
from models.predict import Predictor

FINDINGS = {
    "HP:0001166": ["Arachnodactyly", "Long slender fingers"],
    "HP:0001083": ["Ectopia lentis", "Dislocated lens"],
    "HP:0002072": ["Chorea", "Involuntary jerking movements"],
    "HP:0001250": ["Seizure", "Seizures"],
    "HP:0003707": ["Calf muscle pseudohypertrophy"],
}
ANNOTATIONS = {
    "OMIM:154700": ["HP:0001166", "HP:0001083"],
    "OMIM:143100": ["HP:0002072"],
    "OMIM:261600": ["HP:0001250"],
    "OMIM:310200": ["HP:0003707"],
    "OMIM:219700": [],
    "OMIM:999999": ["HP:0001250"],  # not one of the index's diseases: left out
}


@pytest.fixture(scope="module")
def predictor(trained, labels, release, tmp_path_factory) -> Predictor:
    result = trained["c2w2d"]
    path = save_checkpoint(tmp_path_factory.mktemp("phrases") / "model.pt", result.model, "c2w2d", result.config,
                           result.vocab, labels, release, result.metrics(), {})
    return Predictor.load(path, labels, release)


@pytest.fixture
def index(predictor, labels) -> FindingIndex:
    return FindingIndex(predictor, FINDINGS, ANNOTATIONS, labels)


def test_a_query_is_split_into_phrases_at_punctuation_and_joining_words():
    assert phrases("Tall stature, arachnodactyly and ectopia lentis; no seizures. Aortic root: dilated") == [
        "Tall stature", "arachnodactyly", "ectopia lentis", "seizures", "Aortic root", "dilated"]
    assert phrases("boy WITH chorea") == ["boy", "chorea"]
    assert phrases("IV, a") == ["IV, a"]  # no piece long enough: the whole text
    assert phrases("   ") == []


def test_numbers_stay_whole_and_phrases_of_empty_words_are_dropped():
    assert phrases("platelets 20,000, Hb 6.5 g/dL") == ["platelets 20,000", "Hb 6.5 g/dL"]
    empty = frozenset({"absence", "of", "without", "none", "history"})
    # what is left once an excluded finding's words are gone names no finding
    assert phrases("tall, absence of  ", empty) == ["tall"]
    assert phrases("tall, without . Seizures: none", empty) == ["tall", "Seizures"]
    assert phrases("history of", empty) == [] and phrases("absence seizures", empty) == ["absence seizures"]


def test_a_phrase_written_as_a_findings_label_or_synonym_matches_it_fully(index, labels):
    """The same text read twice is the same vector: cosine 1, a full match for every disease annotated with it."""
    scores = index.scores("Arachnodactyly")
    assert scores[labels.index("OMIM:154700")] == pytest.approx(1.0, abs=1e-5)
    assert scores.max() == pytest.approx(1.0, abs=1e-5) and scores.min() >= 0.0
    assert index.scores("Dislocated lens")[labels.index("OMIM:154700")] == pytest.approx(1.0, abs=1e-5)


def test_a_diseases_score_is_the_mean_over_the_phrases_of_its_best_match(index, predictor, labels):
    marfan, huntington = labels.index("OMIM:154700"), labels.index("OMIM:143100")
    scores = index.scores("Arachnodactyly, Chorea")
    vectors = predictor.encode(["Chorea", "Arachnodactyly", "Ectopia lentis", "Long slender fingers",
                                "Dislocated lens"])
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    best = max(max(float(unit[0] @ unit[i]), 0.0) for i in range(1, 5)) ** POWER  # chorea against Marfan's texts
    assert scores[marfan] == pytest.approx((1.0 + best) / 2, abs=1e-4)
    assert scores[huntington] == pytest.approx((1.0 + max(float(unit[1] @ unit[0]), 0.0) ** POWER) / 2, abs=1e-4)
    assert scores[labels.index("OMIM:219700")] == 0.0  # no findings: no match


def test_remembered_phrases_give_the_same_scores_and_are_bounded(index):
    fresh = index.scores("Chorea and seizures, calf muscle pseudohypertrophy")
    again = index.scores("Chorea and seizures, calf muscle pseudohypertrophy")
    assert np.array_equal(fresh, again)
    assert set(index._recent) == {"chorea", "seizures", "calf muscle pseudohypertrophy"}  # as the network reads them
    index.scores(", ".join(f"phrase {i}" for i in range(RECENT_PHRASES + 10)))
    assert len(index._recent) == RECENT_PHRASES and "chorea" not in index._recent


def test_a_phrase_written_as_a_known_text_scores_as_the_network_reads_it(index):
    """Its nearest texts were found when the index was built; read anew ("!" is no word to this word-level network),
    the same."""
    for text in ("Arachnodactyly", "involuntary jerking movements", "Seizures"):
        assert text.lower() in index._row
        assert np.allclose(index.scores(text), index.scores(text + " !"), atol=1e-5)


def test_threads_sharing_an_index_get_the_scores_of_one_thread(index):
    texts = [f"Chorea {i}, seizure {i % 7}, arachnodactyly" for i in range(40)]
    alone = [index.scores(t) for t in texts]
    index._recent.clear()
    out: dict[int, np.ndarray] = {}

    def work(start: int) -> None:
        for i in range(start, len(texts), 4):
            out[i] = index.scores(texts[i])

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.allclose(out[i], alone[i], atol=1e-5) for i in range(len(texts)))


def test_text_without_phrases_scores_nothing(index, labels):
    assert not index.scores("  ").any()
    empty = FindingIndex(index.predictor, {}, {}, labels)
    assert not empty.scores("Chorea").any() and empty.n_findings == 0


def test_standardised_scores_have_mean_0_and_spread_1_unless_all_equal():
    z = standardised(np.array([1.0, 2.0, 3.0, 6.0]))
    assert z.mean() == pytest.approx(0.0) and z.std() == pytest.approx(1.0)
    assert not standardised(np.full(4, 2.5)).any()


def test_a_query_with_more_phrases_than_are_remembered_keeps_those_it_knew(index, labels):
    """A remembered phrase stays in the answer even when the same query brings enough new phrases to push it out."""
    index.scores("Chorea")
    many = "Chorea, " + ", ".join(f"phrase {i}" for i in range(RECENT_PHRASES + 5))
    scores = index.scores(many)
    fresh = FindingIndex(index.predictor, FINDINGS, ANNOTATIONS, labels).scores(many)
    assert np.allclose(scores, fresh, atol=1e-6) and scores[labels.index("OMIM:143100")] > 0
    assert len(index._recent) == RECENT_PHRASES


def test_a_diseases_matches_name_the_finding_nearest_each_phrase_and_make_up_its_score(index, labels):
    """The evidence shown for a disease: each phrase with the disease's finding text nearest it; their
    similarities ** POWER, averaged over the phrases, are the disease's score."""
    text = "Long slender fingers, chorea, seizures"
    diseases = [labels.index(d) for d in ("OMIM:154700", "OMIM:143100", "OMIM:219700")]
    marfan, huntington, none = index.matches(text, diseases)
    assert marfan[0].phrase == "Long slender fingers" and marfan[0].finding == "HP:0001166"
    assert marfan[0].text == "Long slender fingers" and marfan[0].similarity == pytest.approx(1.0, abs=1e-5)
    assert huntington[0].phrase == "chorea" and huntington[0].finding == "HP:0002072"
    assert huntington[0].similarity == pytest.approx(1.0, abs=1e-5)
    assert none == []  # a disease without findings matches nothing
    scores = index.scores(text)
    for position, found in zip(diseases, (marfan, huntington, none)):
        assert [m.similarity for m in found] == sorted((m.similarity for m in found), reverse=True)
        assert sum(m.similarity ** POWER for m in found) / 3 == pytest.approx(scores[position], abs=1e-5)


def test_matches_below_the_least_similarity_are_left_out(index, labels):
    marfan = labels.index("OMIM:154700")
    every = index.matches("Arachnodactyly, chorea", [marfan])[0]
    assert [m.phrase for m in every][0] == "Arachnodactyly" and len(every) == 2  # chorea's nearest Marfan text too
    strict = index.matches("Arachnodactyly, chorea", [marfan], least=every[1].similarity + 1e-3)[0]
    assert [m.phrase for m in strict] == ["Arachnodactyly"]
    assert index.matches("  ", [marfan]) == [[]]


def test_the_findings_nearest_a_text_are_distinct_best_first_and_above_the_least(index, labels):
    near = index.nearest_findings(["Dislocated lens", "Chorea"], n=3)
    assert near[0][0][:2] == ("HP:0001083", "Dislocated lens") and near[0][0][2] == pytest.approx(1.0, abs=1e-5)
    assert near[1][0][0] == "HP:0002072"
    for found in near:
        assert len({f for f, _, _ in found}) == len(found) <= 3  # one entry per finding (not one per synonym)
        assert [c for _, _, c in found] == sorted((c for _, _, c in found), reverse=True)
    strict = index.nearest_findings(["Dislocated lens"], n=3, least=near[0][1][2] + 1e-3)[0]
    assert [f for f, _, _ in strict] == ["HP:0001083"]
    assert FindingIndex(index.predictor, {}, {}, labels).nearest_findings(["Chorea"]) == [[]]


def test_a_known_text_that_the_split_would_cut_stays_one_phrase(predictor, labels):
    """ "Delayed speech and language development" and "High, arched palate" are findings' labels: typed as written
    they are one phrase each and score 1 for their diseases; other text is split as before."""
    known = {"delayed speech and language development", "high, arched palate"}
    assert phrases("Delayed speech and language development, high, arched palate and tall", known=known) == [
        "Delayed speech and language development", "high, arched palate", "tall"]
    assert phrases("speech and language, high and arched", known=known) == ["speech", "language", "high", "arched"]
    texts = {"HP:0000750": ["Delayed speech and language development"], "HP:0000218": ["High, arched palate"],
             "HP:0001250": ["Seizure"]}
    index = FindingIndex(predictor, texts, {"OMIM:154700": ["HP:0000750"], "OMIM:143100": ["HP:0000218"],
                                            "OMIM:261600": ["HP:0001250"]}, labels)
    text = "Delayed speech and language development, High, arched palate"
    scores = index.scores(text)
    speech, palate = labels.index("OMIM:154700"), labels.index("OMIM:143100")
    assert scores[speech] >= 0.5 - 1e-5 and scores[palate] >= 0.5 - 1e-5  # each, one of two phrases exactly
    shown = index.matches(text, [speech, palate])
    assert shown[0][0].phrase == "Delayed speech and language development" and shown[0][0].similarity == pytest.approx(1)
    assert shown[1][0].phrase == "High, arched palate" and shown[1][0].similarity == pytest.approx(1)


def test_a_repeated_phrase_counts_once_and_the_evidence_still_makes_up_the_score(index, labels):
    """ "Chorea, chorea, CHOREA, arachnodactyly" scores as "Chorea, arachnodactyly"; its matches list "Chorea" once,
    and their similarities ** POWER over the distinct phrases are the score."""
    text = "Chorea, chorea, CHOREA, Arachnodactyly"
    assert np.allclose(index.scores(text), index.scores("Chorea, Arachnodactyly"), atol=1e-6)
    marfan, huntington = labels.index("OMIM:154700"), labels.index("OMIM:143100")
    found = index.matches(text, [marfan, huntington, marfan])
    assert [m.phrase for m in found[1]].count("Chorea") == 1 and found[0] == found[2]  # a repeated position too
    for position, matches in ((marfan, found[0]), (huntington, found[1])):
        assert sum(m.similarity ** POWER for m in matches) / 2 == pytest.approx(index.scores(text)[position], abs=1e-5)
    with pytest.raises(ValueError, match=f"disease position {len(labels) + 5} is outside"):
        index.matches(text, [len(labels) + 5])


def test_other_findings_per_disease_share_the_readings_and_score_as_an_index_built_with_them(index, labels):
    """Some published patients left out: the same texts and readings, other owners, nothing remembered carried over."""
    index.scores("Arachnodactyly, chorea")  # remembered with the index's own findings
    # every finding keeps a disease, so an index built with these findings reads the same texts
    fewer = {**ANNOTATIONS, "OMIM:154700": ["HP:0001083"], "OMIM:219700": ["HP:0002072", "HP:0001166"]}
    other = index.with_annotations(fewer, labels)
    assert other.vectors is index.vectors and other.texts is index.texts and not other._recent
    built = FindingIndex(index.predictor, FINDINGS, fewer, labels)
    assert built.texts == other.texts
    assert (built.starts == other.starts).all() and (built.owners == other.owners).all()
    for text in ("Arachnodactyly, chorea", "Long slender fingers", "jerky movements"):
        assert np.allclose(other.scores(text), built.scores(text), atol=1e-6)
    marfan, cf = labels.index("OMIM:154700"), labels.index("OMIM:219700")
    before, after = index.scores("Arachnodactyly, chorea"), other.scores("Arachnodactyly, chorea")
    assert before[marfan] > after[marfan] and after[cf] > before[cf] == 0
    assert np.allclose(index.scores("Arachnodactyly, chorea"), before)  # the index itself is left as it was
    # a finding the index has no texts of is left out
    assert other.with_annotations({"OMIM:154700": ["HP:9999999"]}, labels).owners.size == 0
