"""Published patient cases as query sets, on hand-written cases and the committed HPO slice:
validation of the case file, the disease split, the leakage rule, each style, determinism, the files."""

import json
import re
from pathlib import Path

import pytest

from evaluation.cases import (CaseFileError, PublishedCase, age_words, build_case_sets, main, read_cases,
                              render_case, split_by_disease)
from evaluation.queries import meta_path
from evaluation.queryset import read_queries
from evaluation.render import tidy
from indexer.hpo import read_ontology

from tests.conftest import HPO_SLICE

ASD, VSD, GDD, MICROCEPHALY, SHORT = "HP:0001631", "HP:0001629", "HP:0001263", "HP:0000252", "HP:0004322"
SEIZURE, MOTOR_SEIZURE, ID, FTT = "HP:0001250", "HP:0020219", "HP:0001249", "HP:0001508"
LICENCE = "BSD 3-Clause License\n\nCopyright (c) 2022, Monarch Initiative\n"


@pytest.fixture(scope="module")
def ontology():
    return read_ontology(HPO_SLICE / "hp.obo")


def record(case_id: str, disease_id: str = "OMIM:142900", observed=(ASD, GDD, MICROCEPHALY, SHORT),
           excluded=(VSD, SEIZURE, ID, FTT, "HP:0000365"), sex: str = "MALE", age: str | None = "P4Y6M",
           clean: bool = True, ontology=None) -> dict:
    """One line of cases.jsonl; labels from the slice when it is given (else a placeholder)."""
    def pairs(ids):
        return [[h, ontology.terms[h].name if ontology else "some finding"] for h in ids]

    return {"case_id": case_id, "disease_id": disease_id, "disease_label": "A disease", "observed": pairs(observed),
            "excluded": pairs(excluded), "sex": sex, "age": age, "genes": ["TBX5"], "pmids": ["PMID:1"],
            "pmid_in_hpoa_refs": not clean}


def case(ontology, case_id: str = "PMID_1_P1", **fields) -> PublishedCase:
    return PublishedCase(**record(case_id, ontology=ontology, **fields))


def write_cases(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def cohort(ontology, n_diseases: int = 12) -> list[PublishedCase]:
    """Per disease two clean cases and one leaky one."""
    return [case(ontology, f"PMID_{d}_{k}", disease_id=f"OMIM:{600000 + d}", clean=k != "leaky")
            for d in range(n_diseases) for k in ("a", "b", "leaky")]


# --- reading -----------------------------------------------------------------------------------

def test_read_cases_gives_typed_frozen_cases(tmp_path, ontology):
    path = write_cases(tmp_path / "cases.jsonl", [record("A1", ontology=ontology), record("A2", clean=False)])
    first, second = read_cases(path)
    assert first.observed[0] == (ASD, "Atrial septal defect") and first.pmids == ("PMID:1",)
    assert (first.clean, second.clean) == (True, False)
    with pytest.raises(AttributeError):
        first.disease_id = "OMIM:1"


@pytest.mark.parametrize("change, message", [
    ({"observed": [["XP:0001631", "Atrial septal defect"]]},
     r"line 2: field observed\.0\.0 is 'XP:0001631'; it must match the pattern \^HP"),
    ({"observed": []}, r"line 2: field observed: Tuple should have at least 1 item"),
    ({"sex": "M"}, r"line 2: field sex is 'M'; give one of 'MALE', 'FEMALE', 'UNKNOWN_SEX' or 'OTHER_SEX'"),
    ({"age": "about four"}, r"line 2: field age: 'about four' is neither an ISO 8601 duration"),
    ({"pmid_in_hpoa_refs": "false"}, r"line 2: field pmid_in_hpoa_refs is 'false'; input should be a valid boolean"),
    ({"disease_id": "Holt-Oram"}, r"line 2: field disease_id is 'Holt-Oram'; it must match the pattern"),
    ({"case_id": "A1"}, r"line 2: field case_id: 'A1' repeats line 1"),
    ({"extra": 1}, r"line 2: field extra: Unexpected keyword argument"),
])
def test_a_bad_line_is_refused_naming_line_and_field(tmp_path, change, message):
    path = write_cases(tmp_path / "cases.jsonl", [record("A1"), {**record("A2"), **change}, record("A3")])
    with pytest.raises(CaseFileError, match=message):
        read_cases(path)


def test_a_missing_field_and_broken_json_are_named(tmp_path):
    missing = {k: v for k, v in record("A2").items() if k != "sex"}
    with pytest.raises(ValueError, match=r"cases\.jsonl line 2: field sex is required"):
        read_cases(write_cases(tmp_path / "cases.jsonl", [record("A1"), missing]))
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(record("A1")) + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"broken\.jsonl line 3: not valid JSON"):
        read_cases(path)


# --- the split ---------------------------------------------------------------------------------

def test_split_is_by_disease_deterministic_and_stable(ontology):
    cases = cohort(ontology, 60)
    tune, test = split_by_disease(cases, seed=3)
    assert (tune, test) == split_by_disease(list(reversed(cases)), seed=3)
    assert not tune & test and tune | test == {c.disease_id for c in cases}
    assert 15 <= len(test) <= 45
    # a disease's side depends on its id only: dropping other diseases moves nothing
    kept = [c for c in cases if c.disease_id in sorted(tune)[:5] + sorted(test)[:5]]
    sub_tune, sub_test = split_by_disease(kept, seed=3)
    assert sub_tune <= tune and sub_test <= test
    assert split_by_disease(cases, seed=4)[1] != test
    assert len(split_by_disease(cases, test_fraction=0.2, seed=3)[1]) < len(test)
    with pytest.raises(ValueError, match="test_fraction is 1"):
        split_by_disease(cases, test_fraction=1)


def test_leaky_cases_never_reach_the_test_part_nor_test_diseases_any_other(ontology):
    cases = cohort(ontology)
    tune_d, test_d = split_by_disease(cases, seed=0)
    sets = build_case_sets(cases, ontology, seed=0)
    rows = {part: qs.rows for part, qs in sets.parts().items()}
    assert all(r["meta"]["clean"] for r in rows["test"] + rows["tune"])
    assert not any(r["meta"]["clean"] for r in rows["tune-leaky"])
    assert {r["gold"][0] for r in rows["test"]} == test_d
    assert {r["gold"][0] for r in rows["tune"] + rows["tune-leaky"]} == tune_d
    written = {r["meta"]["case_id"] for part in rows.values() for r in part}
    dropped = {c.case_id for c in cases if c.disease_id in test_d and not c.clean}
    assert dropped and not written & dropped
    assert len(written) == len(cases) - len(dropped) == sum(qs.meta["n"] for qs in sets.parts().values())
    assert sets.test.meta["split"]["leaky_test_cases_dropped"] == len(dropped)


# --- the styles --------------------------------------------------------------------------------

@pytest.mark.parametrize("age, words", [
    ("P4Y6M", ("4-year-old", False)), ("P34Y", ("34-year-old", True)), ("P1Y6M", ("18-month-old", False)),
    ("P8M", ("8-month-old", False)), ("P43M", ("3-year-old", False)), ("P10D", ("10-day-old", False)),
    ("P21D", ("3-week-old", False)), ("P0D", ("newborn", False)), ("Congenital onset", ("newborn", False)),
    ("Infantile onset", ("infant", False)), ("GA 32w0d", ("fetus", False)), (None, (None, False)),
])
def test_age_words(age, words):
    assert age_words(age) == words


def test_narrative_states_age_and_sex(ontology):
    text = render_case(case(ontology), ontology, seed=0, style="narrative").text
    assert "4-year-old boy" in text and text[0].isupper() and text.endswith(".")
    woman = render_case(case(ontology, sex="FEMALE", age="P34Y"), ontology, seed=0, style="narrative").text
    assert "34-year-old woman" in woman
    fetus = render_case(case(ontology, age="GA 32w0d"), ontology, seed=0, style="narrative").text
    assert "male fetus" in fetus
    unknown = render_case(case(ontology, sex="UNKNOWN_SEX", age=None), ontology, seed=0, style="narrative").text
    assert unknown.startswith("Patient with ") and "year-old" not in unknown


def test_negation_appends_at_most_three_no_findings(ontology):
    r = render_case(case(ontology), ontology, seed=0, style="negation")
    assert re.search(r"\. No [^,.]+(, no [^,.]+){2}\.$", r.text), r.text
    assert (r.shown, r.negated) == (4, 3)
    with pytest.raises(ValueError, match="cannot be written in the negation style"):
        render_case(case(ontology, excluded=()), ontology, seed=0, style="negation")


def test_negation_never_denies_what_the_patient_has(ontology):
    # a motor seizure is a seizure: "no seizure" would contradict the case
    c = case(ontology, observed=(MOTOR_SEIZURE, ASD, SHORT), excluded=(SEIZURE, VSD))
    for seed in range(10):
        r = render_case(c, ontology, seed=seed, style="negation")
        assert r.negated == 1 and "seizure" not in r.text.split(". No ")[1].lower(), r.text


def test_abbreviation_style_uses_clinical_shorthand(ontology):
    text = render_case(case(ontology), ontology, seed=0, style="abbreviation").text
    assert "ASD" in text.split(", ") and "GDD" in text.split(", ")
    assert "atrial septal defect" not in text.lower() and "developmental delay" not in text.lower()
    with pytest.raises(ValueError, match="abbreviation style"):
        render_case(case(ontology, observed=(MICROCEPHALY, SHORT)), ontology, seed=0, style="abbreviation")


def test_layperson_style_uses_lay_synonyms(ontology):
    lay = {tidy(s.text) for s in ontology.terms[MICROCEPHALY].synonyms if s.kind == "layperson"}
    for seed in range(5):
        text = render_case(case(ontology), ontology, seed=seed, style="layperson").text
        assert lay & set(text.split(", ")) and "microcephaly" not in text, text


def test_terse_style_is_a_comma_list_capped_at_fifteen(ontology):
    r = render_case(case(ontology), ontology, seed=0, style="terse")
    assert len(r.text.split(", ")) == 4 and "year-old" not in r.text and "no " not in r.text.lower()
    many = [t.hpo_id for t in ontology.terms.values() if not t.obsolete and "," not in t.name][:30]
    r = render_case(case(ontology, observed=many), ontology, seed=0, style="terse")
    assert r.shown == 15 and len(r.text.split(", ")) == 15


def test_an_unknown_term_is_written_with_the_case_label(ontology):
    c = PublishedCase(**{**record("X1"), "observed": [["HP:9999999", "Made-up finding"]], "excluded": []})
    assert render_case(c, ontology, seed=0, style="terse").text == "made-up finding"


def test_rendering_is_deterministic_and_independent_of_other_cases(ontology):
    cases = cohort(ontology)
    a = build_case_sets(cases, ontology, seed=5)
    b = build_case_sets(list(reversed(cases)), ontology, seed=5)
    by_id = {r["meta"]["case_id"]: r for qs in b.parts().values() for r in qs.rows}
    assert all(by_id[r["meta"]["case_id"]] == r for qs in a.parts().values() for r in qs.rows)
    c = cases[0]
    assert render_case(c, ontology, seed=5) == render_case(c, ontology, seed=5)
    assert len({render_case(c, ontology, seed=s).text for s in range(10)}) > 1


def test_every_style_is_drawn(ontology):
    cases = cohort(ontology, 40)
    assert {render_case(c, ontology, seed=0).style for c in cases} == {
        "terse", "narrative", "layperson", "abbreviation", "negation"}


# --- the files ---------------------------------------------------------------------------------

def test_main_writes_readable_sets_with_sidecars_and_licence(tmp_path, ontology):
    source = tmp_path / "source"
    source.mkdir()
    (source / "LICENSE").write_text(LICENCE, encoding="utf-8")
    rows = [record(c.case_id, c.disease_id, clean=c.clean, ontology=ontology) for c in cohort(ontology)]
    cases_path = write_cases(source / "cases.jsonl", rows)
    counts = main(cases_path, tmp_path / "out", seed=0, hpo_dir=HPO_SLICE)
    for part, name in (("tune", "real-tune"), ("tune-leaky", "real-tune-leaky"), ("test", "real-test")):
        path = tmp_path / "out" / f"{name}.jsonl"
        queries = read_queries(path)
        meta = json.loads(meta_path(path).read_text())
        assert len(queries) == meta["n"] == counts[part]["cases"] > 0
        assert (meta["generator"], meta["part"], meta["seed"]) == ("published-cases", part, 0)
        assert meta["source"]["commit"] == "b694d17ec6fd3bccab8a69235f4e13b0b82b7ae5"
        assert sum(meta["styles"].values()) == meta["n"]
    licence = (tmp_path / "out" / "LICENSE-published-cases").read_text()
    assert licence.startswith("The published cases in") and "Danis D. et al." in licence
    assert licence.endswith(LICENCE)
    main(cases_path, tmp_path / "again", seed=0, hpo_dir=HPO_SLICE)
    assert all((tmp_path / "out" / f.name).read_bytes() == f.read_bytes() for f in (tmp_path / "again").iterdir())


def test_main_refuses_cases_without_their_licence(tmp_path, ontology):
    cases_path = write_cases(tmp_path / "cases.jsonl", [record(c.case_id, c.disease_id, clean=c.clean)
                                                        for c in cohort(ontology)])
    with pytest.raises(CaseFileError, match="licence .*LICENSE is missing"):
        main(cases_path, tmp_path / "out", seed=0, hpo_dir=HPO_SLICE)
