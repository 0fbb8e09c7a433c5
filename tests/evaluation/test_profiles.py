"""The profile file: what published patients of a disease show, counted only from publications no clean case of
the query sets comes from; written and read back, a bad line refused with what is wrong and how to write it."""

import pytest

from evaluation.cases import PublishedCase, main
from evaluation.profiles import COLUMNS, ProfileFileError, ProfileRow, profile_rows, read_profiles, write_profiles
from tests.conftest import HPO_SLICE
from tests.evaluation.test_cases import LICENCE, cohort, ontology, record, write_cases  # noqa: F401 (a fixture)

ASD, SHORT, SEIZURE = "HP:0001631", "HP:0004322", "HP:0001250"


def patient(case_id: str, pmid: str, observed: tuple[str, ...], clean: bool, disease: str = "OMIM:142900"):
    return PublishedCase(**{**record(case_id, disease, observed=observed, clean=clean), "pmids": [pmid]})


def test_only_patients_of_publications_no_clean_case_comes_from_are_counted():
    cases = [patient("clean", "PMID:1", (ASD,), clean=True),
             patient("same-paper", "PMID:1", (SEIZURE,), clean=False),  # its publication gives a clean case: out
             patient("cited-a", "PMID:2", (ASD, SHORT), clean=False),
             patient("cited-b", "PMID:3", (ASD,), clean=False),
             patient("other", "PMID:4", (SEIZURE,), clean=False, disease="OMIM:154700")]
    assert profile_rows(cases) == [ProfileRow("OMIM:142900", ASD, 2, 2), ProfileRow("OMIM:142900", SHORT, 1, 2),
                                   ProfileRow("OMIM:154700", SEIZURE, 1, 1)]
    assert ProfileRow("OMIM:142900", SHORT, 1, 2).frequency == "1/2"


def test_a_written_profile_reads_back_the_same(tmp_path):
    rows = [ProfileRow("OMIM:142900", ASD, 2, 3), ProfileRow("ORPHA:558", SHORT, 1, 1)]
    path = write_profiles(tmp_path / "profiles" / "published-cases.tsv", rows)
    assert path.read_text().splitlines()[0] == "\t".join(COLUMNS)
    assert read_profiles(path) == rows


@pytest.mark.parametrize("text, message", [
    ("disease\thpo\n", r"line 1: the header is \['disease', 'hpo'\]; expected the columns disease_id, hpo_id"),
    ("\t".join(COLUMNS) + "\nOMIM:1\tHP:0001631\t1\n", "line 2: 3 values; a line has 4"),
    ("\t".join(COLUMNS) + "\nOMIM 1\tHP:0001631\t1\t2\n", "line 2: disease_id 'OMIM 1' is no disease id"),
    ("\t".join(COLUMNS) + "\nOMIM:1\tHP:1631\t1\t2\n", "line 2: hpo_id 'HP:1631' is no HPO id; write it as HP:"),
    ("\t".join(COLUMNS) + "\nOMIM:1\tHP:0001631\t1\t2\nOMIM:1\tHP:0004322\t3\t2\n",
     "line 3: shown_by '3' of patients '2'; give whole numbers with 1 <= shown_by <= patients"),
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
    (b"disease_id\thpo_id\tshown_by\tpatients\n\xff\xfe\n", r"cannot be read \('utf-8' codec can't decode"),
    ("\t".join(COLUMNS).encode() + b"\nOMIM:1\tHP:0001631\t\xc2\xb2\t2\n", r"line 2: shown_by '\xb2' of patients"),
    ("\t".join(COLUMNS).encode() + b'\nOMIM:1\tHP:0001631\t"1\t2\nOMIM:1\tHP:0004322\t1\t2\n',
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
    assert {r.disease_id for r in written} == {cases[0].disease_id}  # only the cited publications' patients
    assert all(r.patients == 3 and r.shown_by == 3 for r in written) and len(written) == 4
    assert counts["profiles"] == {"rows": 4, "diseases": 1}
    licence = (tmp_path / "profiles" / "LICENSE-published-cases-profiles").read_text()
    assert licence.startswith("The published cases in published-cases.tsv are derived from")
    assert licence.endswith(LICENCE)
