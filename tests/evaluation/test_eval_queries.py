"""The simulated-patient generator on the committed HPO slice: determinism, gold, wording, exclusions."""

import json
from dataclasses import replace

import numpy as np
import pytest

from evaluation.queries import (PUBLISHED_NOISE_WEIGHTS, GenerationError, GeneratorParams, frequency_value, generate,
                                meta_path, write_query_set)
from evaluation.render import Person, has_synonym, narrate, tidy
from indexer.corpus import build_articles, load_release
from indexer.grouping import group_articles

from tests.conftest import HPO_SLICE


@pytest.fixture(scope="module")
def release():
    return load_release(HPO_SLICE)


@pytest.fixture(scope="module")
def positives(release):
    """Per disease group: every finding any of its articles is annotated with (not NOT)."""
    articles = build_articles(release)
    group = {a: d.disease_id for d in group_articles(articles) for a in d.article_ids}
    out: dict[str, set[str]] = {}
    for a in release.annotations:
        if a.aspect == "P" and not a.negated and a.frequency not in ("HP:0040285",) and not a.frequency.startswith("0/"):
            out.setdefault(group[a.disease_id], set()).add(release.ontology.get(a.hpo_id).hpo_id)
    return out, group


def test_frequency_values():
    assert frequency_value("HP:0040280") == 1.0 and frequency_value("HP:0040283") == 0.17
    assert frequency_value("3/4") == 0.75 and frequency_value("0/5") == 0.0
    assert frequency_value("40%") == 0.4 and frequency_value("", unknown=0.5) == 0.5


def test_same_seed_same_files_and_a_sidecar(release, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_query_set(a, generate(release, 20, seed=7))
    sidecar = write_query_set(b, generate(release, 20, seed=7))
    assert a.read_bytes() == b.read_bytes()
    assert sidecar == meta_path(b) == tmp_path / "b.meta.json"
    meta = json.loads(sidecar.read_text())
    assert (meta["seed"], meta["n"], meta["data_release"], meta["generator_version"]) == (7, 20, "2025-01-16", 1)
    assert meta["params"]["p_synonym"] == GeneratorParams().p_synonym and sum(meta["strata"].values()) == 20
    other = generate(release, 20, seed=8).rows
    assert [r["query"] for r in other] != [json.loads(line)["query"] for line in a.read_text().splitlines()]


def test_gold_is_the_record_and_its_disease_one_query_per_disease(release, positives):
    _, group = positives
    rows = generate(release, 30, seed=2).rows
    for r in rows:
        m = r["meta"]
        assert r["gold"] == list(dict.fromkeys([m["article_id"], group[m["article_id"]]]))
        assert len(m["features"]) >= 3
    assert len({r["meta"]["disease_id"] for r in rows}) == 30
    assert {r["meta"]["stratum"].split()[0] for r in rows} >= {"OMIM", "ORPHA"}
    assert any(len(r["gold"]) == 2 and r["gold"][0].startswith("ORPHA:") for r in rows)  # a merged disease


def test_most_findings_are_written_with_a_synonym_never_only_labels(release):
    rows = generate(release, 40, seed=3).rows
    written = [(f["form"], has_synonym(release.ontology.terms[f["shown"]])) for r in rows for f in r["meta"]["features"]]
    with_synonym = [form for form, has in written if has]
    assert sum(form in ("synonym", "layperson") for form in with_synonym) / len(with_synonym) >= 0.7
    assert any(form == "layperson" for form in with_synonym)
    for r in rows:
        feats = r["meta"]["features"]
        if any(has_synonym(release.ontology.terms[f["shown"]]) for f in feats):
            assert any(f["form"] in ("synonym", "layperson") for f in feats), r["query"]


def test_queries_are_not_copies_of_article_text(release):
    bodies = {a.article_id: a.body().lower() for a in build_articles(release)}
    labels = {t.hpo_id: tidy(t.name) for t in release.ontology.terms.values()}
    for r in generate(release, 40, seed=4).rows:
        query, feats = r["query"].lower(), r["meta"]["features"]
        assert query not in bodies[r["meta"]["article_id"]]
        assert query.rstrip(".") != ", ".join(labels[f["shown"]] for f in feats)
        assert all(f["text"] != labels[f["shown"]] for f in feats if f["form"] in ("synonym", "layperson"))


def test_excluded_findings_are_not_findings_of_the_gold_disease(release, positives):
    found, _ = positives
    params = replace(GeneratorParams(), p_excluded=1.0, p_second_excluded=0.5)
    rows = generate(release, 40, seed=5, params=params).rows
    reasons = set()
    for r in rows:
        have = found[r["meta"]["disease_id"]]
        closure = set(have) | {a for t in have for a in release.ontology.ancestors(t)}
        assert r["meta"]["excluded"], r["query"]
        for e in r["meta"]["excluded"]:
            reasons.add(e["reason"])
            assert e["hpo_id"] not in closure  # neither a finding of the disease nor more general than one
            assert "no " + e["text"] in r["query"] or "No " + e["text"] in r["query"] or f"or {e['text']}" in r["query"]
    assert reasons == {"absent", "not_annotated"}  # ORPHA:79406 of the slice has NOT annotations


def test_imprecision_climbs_is_a_and_noise_is_unrelated(release, positives):
    found, _ = positives
    onto = release.ontology
    too_general = {"HP:0000001", "HP:0000118"} | {t for t in onto.terms if {"HP:0000001", "HP:0000118"} & set(onto.terms[t].parents)}
    params = replace(GeneratorParams(), p_imprecise=1.0, noise_weights=(0.0, 0.0, 1.0))
    rows = generate(release, 40, seed=6, params=params).rows
    climbed = 0
    for r in rows:
        have = found[r["meta"]["disease_id"]]
        for f in r["meta"]["features"]:
            climbed += f["shown"] != f["hpo_id"]
            if f["shown"] != f["hpo_id"]:  # climbed: an is_a ancestor, never a too-general one
                assert f["shown"] in onto.ancestors(f["hpo_id"]) and f["shown"] not in too_general
        for n in r["meta"]["noise"]:
            assert n["hpo_id"] not in have and not have & onto.ancestors(n["hpo_id"])  # nor more specific
            assert not any(n["hpo_id"] in onto.ancestors(t) for t in have)  # nor more general
        assert len(r["meta"]["noise"]) == 2
    assert climbed > 40


def test_patients_as_noisy_as_published_ones_show_a_quarter_of_unrelated_findings(release, positives):
    found, _ = positives
    onto = release.ontology
    default = generate(release, 40, seed=9).rows
    noisy = generate(release, 40, seed=9, params=replace(GeneratorParams(), noise_weights=PUBLISHED_NOISE_WEIGHTS)).rows

    def unrelated_share(rows):
        n = [(len(r["meta"]["noise"]), len(r["meta"]["features"]) + len(r["meta"]["noise"])) for r in rows]
        return sum(u for u, _ in n) / sum(t for _, t in n)

    assert unrelated_share(default) < 0.15 < 0.2 < unrelated_share(noisy) < 0.4
    assert max(len(r["meta"]["noise"]) for r in noisy) > 2  # the default never adds more than two
    for r in noisy:  # still unrelated: neither a finding of the disease nor more general or more specific than one
        have = found[r["meta"]["disease_id"]]
        for n in r["meta"]["noise"]:
            assert n["hpo_id"] not in have and not have & onto.ancestors(n["hpo_id"])
            assert not any(n["hpo_id"] in onto.ancestors(t) for t in have)
            assert n["text"].casefold() in r["query"].casefold()


def test_exclusion_of_another_sets_diseases_and_too_many(release):
    first = generate(release, 20, seed=1).rows
    second = generate(release, 20, seed=2, exclude={g for r in first for g in r["gold"]}).rows
    assert not {r["meta"]["disease_id"] for r in first} & {r["meta"]["disease_id"] for r in second}
    with pytest.raises(GenerationError, match=r"^only \d+ diseases have 3 or more findings \(after exclusions\)"):
        generate(release, 1000, seed=1)


def test_age_and_sex_come_from_onset(release):
    rows = generate(release, 40, seed=8).rows
    aged = [r for r in rows if r["meta"]["age"]]
    assert aged
    for r in aged:
        assert r["meta"]["onset"] and r["meta"]["sex"] in ("male", "female")
        if r["meta"]["template"] != "list":
            assert r["meta"]["age"] in r["query"]


def test_wording_helpers():
    assert tidy("Hearing loss, sensorineural") == "sensorineural hearing loss"
    assert tidy("Aplasia/Hypoplasia of the thumb.") == "aplasia or hypoplasia of the thumb"
    assert tidy("Increased CPK") == "increased CPK"
    rng = np.random.default_rng(0)
    texts = {narrate(["long fingers", "tall"], ["seizures"], Person("8-month-old", "male"), rng)[0] for _ in range(40)}
    assert "An 8-month-old boy with long fingers and tall; no seizures." in texts
    assert "long fingers, tall, no seizures" in texts
    assert all("seizures" in t and "long fingers" in t.lower() for t in texts)
    adult = narrate(["fatigue"], [], Person("34-year-old", "female", adult=True), np.random.default_rng(1))[0]
    assert "34-year-old woman" in adult or adult == "fatigue"
