"""The profile file: what published patients of a disease show, per publication; added up with some publications
left out (a published case is evaluated without its own); written and read back, a bad line refused with what is
wrong and how to write it."""

import pytest

from evaluation.cases import PublishedCase, main
from evaluation.profiles import (
    COLUMNS, LEAVE_OUT_FOLDS, Profile, ProfileFileError, ProfileRow, disease_profiles, fold_of, leave_out_folds,
    profile_rows, publications, read_profiles, write_profiles,
)
from tests.conftest import HPO_SLICE
from tests.evaluation.test_cases import LICENCE, cohort, ontology, record, write_cases  # noqa: F401 (a fixture)

ASD, SHORT, SEIZURE = "HP:0001631", "HP:0004322", "HP:0001250"
HEADER = "\t".join(COLUMNS)


def patient(case_id: str, pmids: list[str], observed: tuple[str, ...], clean: bool, disease: str = "OMIM:142900"):
    return PublishedCase(**{**record(case_id, disease, observed=observed, clean=clean), "pmids": pmids})


def test_every_patient_with_a_publication_counts_for_its_disease_and_publication():
    cases = [patient("clean", ["PMID:1"], (ASD,), clean=True),
             patient("same-paper", ["PMID:1"], (ASD, SEIZURE), clean=False),
             patient("cited", ["PMID:2"], (ASD, SHORT), clean=False),
             patient("no-paper", [], (SHORT,), clean=False),  # no evaluation could leave it out: not counted
             patient("other", ["PMID:4"], (SEIZURE,), clean=False, disease="OMIM:154700")]
    assert profile_rows(cases) == [
        ProfileRow("OMIM:142900", "PMID:1", SEIZURE, 1, 2), ProfileRow("OMIM:142900", "PMID:1", ASD, 2, 2),
        ProfileRow("OMIM:142900", "PMID:2", ASD, 1, 1), ProfileRow("OMIM:142900", "PMID:2", SHORT, 1, 1),
        ProfileRow("OMIM:154700", "PMID:4", SEIZURE, 1, 1)]


def test_a_disease_profile_adds_up_its_publications_and_leaves_out_those_asked():
    rows = [ProfileRow("OMIM:142900", "PMID:1", ASD, 2, 2), ProfileRow("OMIM:142900", "PMID:1", SEIZURE, 1, 2),
            ProfileRow("OMIM:142900", "PMID:2", ASD, 1, 3), ProfileRow("OMIM:154700", "PMID:1", SEIZURE, 1, 1)]
    assert disease_profiles(rows) == [Profile("OMIM:142900", SEIZURE, 1, 5), Profile("OMIM:142900", ASD, 3, 5),
                                      Profile("OMIM:154700", SEIZURE, 1, 1)]
    # without PMID:1, its patients count neither among those showing a finding nor among all
    assert disease_profiles(rows, {"PMID:1"}) == [Profile("OMIM:142900", ASD, 1, 3)]
    assert Profile("OMIM:142900", ASD, 1, 3).frequency == "1/3"


def test_each_case_is_ranked_apart_from_its_own_publication_in_folds_of_publications():
    counted = {f"PMID:{i}" for i in range(1, 60)}
    cases = [frozenset({"PMID:1"}), frozenset(), frozenset({"PMID:2"}), frozenset({"PMID:999"}),
             frozenset({"PMID:1"}), frozenset({"PMID:3", "PMID:4"})]
    groups = leave_out_folds(cases, counted)
    assert sorted(i for _, positions in groups for i in positions) == list(range(len(cases)))  # each case once
    assert groups[0] == (frozenset(), [1, 3])  # no publication the profiles count: nothing left out
    for leave_out, positions in groups[1:]:
        assert all(cases[i] <= leave_out for i in positions)  # its own publications are left out
        others = leave_out - frozenset().union(*(cases[i] for i in positions))
        assert len({fold_of(p) for p in others}) == 1  # with one fold of the other publications
    assert len(groups) == 3  # PMID:2 and PMID:3 share a fold: one service ranks both cases (one build, not two)
    assert fold_of("PMID:2") == fold_of("PMID:3") != fold_of("PMID:1") and 0 <= fold_of("PMID:1") < LEAVE_OUT_FOLDS
    assert next(positions for _, positions in groups if 0 in positions) == [0, 4]  # one publication, one group
    assert publications({"pmids": ["PMID:1", 7]}) == {"PMID:1"} and publications(None) == frozenset()


def test_a_written_profile_reads_back_the_same(tmp_path):
    rows = [ProfileRow("OMIM:142900", "PMID:1", ASD, 2, 3), ProfileRow("ORPHA:558", "PMID:2", SHORT, 1, 1)]
    path = write_profiles(tmp_path / "profiles" / "published-cases.tsv", rows)
    assert path.read_text().splitlines()[0] == HEADER
    assert read_profiles(path) == rows


@pytest.mark.parametrize("text, message", [
    ("disease\thpo\n", r"line 1: the header is \['disease', 'hpo'\]; expected the columns disease_id, publication"),
    ("disease_id\thpo_id\tshown_by\tpatients\n", r"line 1: .* \(write the file again with `zebra queries cases`\)"),
    (HEADER + "\nOMIM:1\tPMID:1\tHP:0001631\t1\n", "line 2: 4 values; a line has 5"),
    (HEADER + "\nOMIM 1\tPMID:1\tHP:0001631\t1\t2\n", "line 2: disease_id 'OMIM 1' is no disease id"),
    (HEADER + "\nOMIM:1\t10662742\tHP:0001631\t1\t2\n",
     "line 2: publication '10662742' is no publication id; write it as PMID:10662742"),
    (HEADER + "\nOMIM:1\tPMID:1\tHP:1631\t1\t2\n", "line 2: hpo_id 'HP:1631' is no HPO id; write it as HP:"),
    (HEADER + "\nOMIM:1\tPMID:1\tHP:0001631\t1\t2\nOMIM:1\tPMID:1\tHP:0004322\t3\t2\n",
     "line 3: shown_by '3' of patients '2'; give whole numbers with 1 <= shown_by <= patients"),
    (HEADER + "\nOMIM:1\tPMID:1\tHP:0001631\t1\t2\nOMIM:1\tPMID:1\tHP:0004322\t1\t3\n",
     "line 3: patients 3 for OMIM:1 in PMID:1, where an earlier line says 2; every line of one disease and "
     "publication gives the same number of patients"),
])
def test_a_bad_line_is_refused_with_its_place_and_the_fix(tmp_path, text, message):
    path = tmp_path / "published-cases.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileFileError, match=message):
        read_profiles(path)


def test_a_missing_profile_file_says_how_to_write_it_or_do_without(tmp_path):
    with pytest.raises(ProfileFileError, match=r"does not exist or is no file; write it with `zebra queries cases`, "
                                               r"or set ZEBRA_PROFILES_PATH= \(empty\)"):
        read_profiles(tmp_path / "none.tsv")


@pytest.mark.parametrize("content, message", [
    (HEADER.encode() + b"\n\xff\xfe\n", r"cannot be read \('utf-8' codec can't decode"),
    (HEADER.encode() + b"\nOMIM:1\tPMID:1\tHP:0001631\t\xc2\xb2\t2\n", r"line 2: shown_by '\xb2' of patients"),
    (HEADER.encode() + b'\nOMIM:1\tPMID:1\tHP:0001631\t"1\t2\nOMIM:1\tPMID:1\tHP:0004322\t1\t2\n',
     r"line 2: shown_by '\"1' of patients '2'"),  # a stray quote swallows no line
])
def test_an_unreadable_line_is_refused_as_any_bad_line(tmp_path, content, message):
    path = tmp_path / "published-cases.tsv"
    path.write_bytes(content)
    with pytest.raises(ProfileFileError, match=message):
        read_profiles(path)


def test_main_writes_the_profiles_with_the_licence_beside_them(tmp_path, ontology):
    source = tmp_path / "source"
    source.mkdir()
    (source / "LICENSE").write_text(LICENCE, encoding="utf-8")
    cases = cohort(ontology)  # per disease two clean cases and one leaky one, all of one publication
    leaky = [{**record(f"cited-{i}", c.disease_id, clean=False, ontology=ontology), "pmids": [f"PMID:{9000 + i}"]}
             for i, c in enumerate(cases[:3])]
    rows = [record(c.case_id, c.disease_id, clean=c.clean, ontology=ontology) for c in cases] + leaky
    counts = main(write_cases(source / "cases.jsonl", rows), tmp_path / "out", seed=0, hpo_dir=HPO_SLICE,
                  profiles=tmp_path / "profiles" / "published-cases.tsv")
    written = read_profiles(tmp_path / "profiles" / "published-cases.tsv")
    assert {r.disease_id for r in written} == {c.disease_id for c in cases}  # every patient with a publication
    shared = [r for r in written if r.publication == "PMID:1"]  # the clean and leaky cases' common publication
    assert len(shared) == 12 * 4 and all(r.patients == 3 and r.shown_by == 3 for r in shared)
    assert {r.publication for r in written} == {"PMID:1", "PMID:9000", "PMID:9001", "PMID:9002"}
    assert counts["profiles"] == {"rows": 12 * 4 + 3 * 4, "diseases": 12, "publications": 4}
    licence = (tmp_path / "profiles" / "LICENSE-published-cases-profiles").read_text()
    assert licence.startswith("The published cases in published-cases.tsv are derived from")
    assert licence.endswith(LICENCE)


def test_a_case_whose_publication_is_no_id_is_refused_before_the_file_is_written():
    with pytest.raises(ProfileFileError, match=r"case odd: publication 'pubmed 12' is no publication id, so the "
                                               r"profiles could not be read back; write it as PMID:10662742"):
        profile_rows([patient("odd", ["pubmed 12"], (ASD,), clean=True)])
