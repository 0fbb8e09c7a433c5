"""What published patients of a disease show, beyond its HPO annotations, ranks it for a patient who shows it too:
the ontology and neural rankers over the fixture corpus with and without a profile file; a published case is evaluated
(and the fusion tuned) without its own publication's patients; a bad file keeps the ranker out with a notice naming the
line and the fix."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from typer.testing import CliRunner

from app.leave_out import apart
from app.loading import load_service
from app.main import create_app
from app.tuning import rank_all, tune
from app.understanding.similarity import AnnotationFact, load_similarity
from cli.main import app
from evaluation.profiles import ProfileRow, write_profiles
from evaluation.queryset import EvalQuery
from indexer.store import make_engine
from tests.evaluation.helpers import wait
from tests.conftest import make_settings
from tests.evaluation.test_eval_cli import _env

GITELMAN, ARACHNODACTYLY = "OMIM:263800", "HP:0001166"  # Gitelman syndrome is not annotated with it


def _ontology_ranks(settings, query: str) -> list[str]:
    service, notices = load_service(settings, make_engine(settings.sql_url))
    assert not [n for n in notices if "profile" in n]
    profiles = service.statuses()["ontology"]["profiles"]  # what /health shows (without the path)
    if settings.profiles_path is None:
        assert profiles is None
    else:
        assert profiles == {"path": str(settings.profiles_path), "findings": 1, "diseases": 1, "publications": 1}
    return [r.disease_id for r in service.rank(query, "ontology")]


def test_a_finding_published_patients_show_ranks_their_disease(settings, tmp_path: Path):
    before = _ontology_ranks(settings, "arachnodactyly")
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10)])
    after = _ontology_ranks(settings.model_copy(update={"profiles_path": path}), "arachnodactyly")
    assert GITELMAN not in before[:10] and GITELMAN in after[:5]
    assert "OMIM:154700" in before[:3] and "OMIM:154700" in after[:3]  # Marfan syndrome, annotated with it, stays


def test_a_profile_adds_only_what_the_annotations_lack(settings):
    engine = make_engine(settings.sql_url)
    plain = load_similarity(engine)
    profiled = load_similarity(engine, profiles=[AnnotationFact("OMIM:999999", ARACHNODACTYLY, "5/5"),
                                                 AnnotationFact("OMIM:154700", ARACHNODACTYLY, "10/10"),
                                                 AnnotationFact(GITELMAN, ARACHNODACTYLY, "9/10")])
    assert profiled.disease_ids == plain.disease_ids  # a disease the store lacks is left out
    term = plain.term_index[ARACHNODACTYLY]
    marfan, gitelman = plain.disease_index["OMIM:154700"], plain.disease_index[GITELMAN]
    assert profiled.frequency[marfan, term] == plain.frequency[marfan, term] > 0.5  # Marfan's annotation stays
    assert plain.frequency[gitelman, term] == 0
    assert profiled.frequency[gitelman, term] == pytest.approx((9 + 0.5) / (10 + 1))  # the count, shrunk as any


def test_a_bad_profile_file_keeps_the_ontology_ranker_out_with_a_notice(settings, tmp_path: Path):
    path = tmp_path / "profiles.tsv"
    path.write_text("disease_id\tpublication\thpo_id\tshown_by\tpatients\nOMIM:263800\tPMID:1\tHP:0001166\t11\t10\n",
                    encoding="utf-8")
    service, notices = load_service(settings.model_copy(update={"profiles_path": path}),
                                    make_engine(settings.sql_url))
    assert "ontology" not in service.rankers
    assert (f"ontology ranker not loaded: {path} line 2: shown_by '11' of patients '10'; give whole numbers with "
            "1 <= shown_by <= patients") in notices


def test_health_says_which_profiles_are_matched_and_only_the_admin_report_names_the_file(settings, tmp_path: Path):
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10)])
    with TestClient(create_app(settings.model_copy(update={"profiles_path": path, "admin_api_key": SecretStr("k")}))) as client:
        assert client.get("/health").json()["profiles"] == {"findings": 1, "diseases": 1, "publications": 1}
        full = client.get("/api/admin/health", headers={"X-API-Key": "k"}).json()
        assert full["profiles"] == {"path": str(path), "findings": 1, "diseases": 1, "publications": 1}
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").json()["profiles"] is None


def _case(pmid: str) -> EvalQuery:
    return EvalQuery(query="arachnodactyly", gold=[GITELMAN], meta={"pmids": [pmid]})


def test_a_published_case_is_ranked_without_its_own_publications_patients(settings, tmp_path: Path):
    # PMID:1 and PMID:5 fall in different folds of publications (evaluation.profiles.fold_of)
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10)])
    service, _ = load_service(settings.model_copy(update={"profiles_path": path}), make_engine(settings.sql_url))
    served = [r.disease_id for r in service.rank("arachnodactyly", "ontology")]
    cases = [_case("PMID:1"), _case("PMID:77")]  # of the counted publication, and of one the file does not count
    (new_pub, as_served), (own_pub, apart_service) = apart(service, cases)
    assert (new_pub, own_pub) == ([1], [0]) and as_served is service and apart_service is not service
    assert GITELMAN in served[:5]  # the product counts every publication
    assert GITELMAN not in [r.disease_id for r in apart_service.rank("arachnodactyly", "ontology")][:10]
    # the fusion's tuning sees the case as evaluation does
    run_own, run_new = rank_all(service, cases, names=["ontology"], progress=False)
    assert GITELMAN not in [d for d, _ in run_own["ontology"]][:10] and GITELMAN in [d for d, _ in run_new["ontology"]][:5]

    both = write_profiles(tmp_path / "both.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10),
                                                  ProfileRow(GITELMAN, "PMID:5", ARACHNODACTYLY, 4, 4)])
    service, _ = load_service(settings.model_copy(update={"profiles_path": both}), make_engine(settings.sql_url))
    (_, apart_service), = apart(service, [_case("PMID:1")])
    assert GITELMAN in [r.disease_id for r in apart_service.rank("arachnodactyly", "ontology")][:5]  # PMID:5 still counts


def test_zebra_eval_ranks_a_published_case_without_its_own_publication(settings, tmp_path: Path):
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10)])
    env = {**_env(settings), "ZEBRA_PROFILES_PATH": str(path)}
    queries = tmp_path / "q.jsonl"
    mrr = {}
    for pmid in ("PMID:1", "PMID:77"):
        queries.write_text(_case(pmid).model_dump_json() + "\n", encoding="utf-8")
        r = CliRunner().invoke(app, ["eval", "--queries", str(queries), "--rankers", "ontology", "--no-progress"],
                               env=env)
        assert r.exit_code == 0, r.output
        mrr[pmid] = float(re.search(r"ontology\s+│\s+([\d.]+)", r.output).group(1))
        said = "1 published cases ranked as new patients: the published patients' profiles left out their own"
        assert (said in " ".join(r.output.split())) == (pmid == "PMID:1")
    assert mrr["PMID:1"] < 0.1 < 0.2 <= mrr["PMID:77"]
    # as if the disease had no published patients: PMID:5's patients are left out too
    both = write_profiles(tmp_path / "both.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10),
                                                  ProfileRow(GITELMAN, "PMID:5", ARACHNODACTYLY, 4, 4)])
    queries.write_text(_case("PMID:1").model_dump_json() + "\n", encoding="utf-8")
    for flag, low in (("--no-unprofiled", False), ("--unprofiled", True)):
        r = CliRunner().invoke(app, ["eval", "--queries", str(queries), "--rankers", "ontology", "--no-progress", flag],
                               env={**env, "ZEBRA_PROFILES_PATH": str(both)})
        assert r.exit_code == 0, r.output
        assert (float(re.search(r"ontology\s+│\s+([\d.]+)", r.output).group(1)) < 0.1) == low
    assert "1 published cases ranked as if their diseases had no published patients" in " ".join(r.output.split())


def test_an_api_evaluation_of_published_cases_says_their_figures_are_optimistic(settings, tmp_path: Path):
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10)])
    lines = "".join(_case(pmid).model_dump_json() + "\n" for pmid in ("PMID:1", "PMID:77")).encode()
    with TestClient(create_app(settings.model_copy(update={"profiles_path": path}))) as client:
        run = wait(client, client.post("/api/evaluations", files={"file": ("q.jsonl", lines)},
                                       params={"rankers": "ontology"}).json()["id"])
    assert run["notes"] == ["1 queries come from publications whose patients the rankers' profiles count, so their "
                            "figures are optimistic; `zebra eval` ranks each without its own publication"]


def test_the_fusion_is_also_tuned_on_published_cases_as_if_their_disease_had_no_published_patients(settings,
                                                                                                     tmp_path: Path):
    both = write_profiles(tmp_path / "both.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 9, 10),
                                                  ProfileRow(GITELMAN, "PMID:5", ARACHNODACTYLY, 4, 4)])
    service, _ = load_service(settings.model_copy(update={"profiles_path": both}), make_engine(settings.sql_url))
    cases = [_case("PMID:1"), EvalQuery(query="arachnodactyly", gold=[GITELMAN])]  # a published case, and a query
    (published, unprofiled), (other, as_served) = apart(service, cases, unprofiled=True)
    assert (published, other) == ([0], [1]) and as_served is service
    # neither PMID:1 nor PMID:5 counts: Gitelman syndrome ranks as without the file
    assert GITELMAN not in [r.disease_id for r in unprofiled.rank("arachnodactyly", "ontology")][:10]
    assert service.publications([GITELMAN]) == {"PMID:1", "PMID:5"} and service.publications(["OMIM:154700"]) == set()

    assert set(tune(service, {"cases": cases}, progress=False).per_set) == {"cases", "cases (diseases unprofiled)"}
    assert set(tune(service, {"cases": cases}, progress=False, unprofiled=False).per_set) == {"cases"}


def test_the_tuning_half_is_the_diseases_not_their_article_ids():
    from app.tuning import tuning_part
    from evaluation.cases import in_tuning_half

    # an Orphanet article id grouped under an OMIM disease goes where its disease goes, whatever its own hash
    tuned = next(d for d in (f"OMIM:{600000 + i}" for i in range(100)) if in_tuning_half(d))
    other = next(a for a in (f"ORPHA:{i}" for i in range(100)) if not in_tuning_half(a))
    query = EvalQuery(query="arachnodactyly", gold=[other])
    assert tuning_part([query], frozenset(), {other: tuned}) == [query]
    assert tuning_part([query], frozenset(), {}) == []  # unknown to the catalogue: its own id decides
    assert tuning_part([query], frozenset({tuned}), {other: tuned}) == []  # a held-out set's disease: never
    assert tuning_part([query], frozenset(), {}, split_half=False) == [query]


def test_the_network_matches_a_finding_published_patients_show_to_their_disease(trained, tmp_path: Path):
    """Gitelman syndrome is not annotated with arachnodactyly; one of ten published patients showed it: the network
    ranks it for "arachnodactyly" then, and a case of that publication is ranked as without the file (exactly here:
    Marfan syndrome is annotated with arachnodactyly, so its texts are read either way)."""
    data_dir, model = trained
    engine = make_engine(make_settings(data_dir).sql_url)
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, "PMID:1", ARACHNODACTYLY, 1, 10)])
    plain = load_service(make_settings(data_dir, model_path=model), engine)[0]
    profiled = load_service(make_settings(data_dir, model_path=model, profiles_path=path), engine)[0]
    before = [r.disease_id for r in plain.rank("arachnodactyly", "neural")]
    after = [r.disease_id for r in profiled.rank("arachnodactyly", "neural")]
    assert GITELMAN in after[:3] and before.index(GITELMAN) > after.index(GITELMAN)
    assert profiled.statuses()["neural"]["profiles"] == {"path": str(path), "findings": 1, "diseases": 1,
                                                         "publications": 1}
    assert plain.statuses()["neural"]["profiles"] is None
    network = next(r for r in profiled.ranker_objects if r.name == "neural")
    assert network.publications([GITELMAN]) == {"PMID:1"} and network.publications(["OMIM:154700"]) == set()
    assert network.profiles is profiled.get_ranker("ontology").profiles  # one reading of the file for both rankers
    # a fusion tuned with the profiles is not applied to the network without them, nor the other way round
    plain_network = next(r for r in plain.ranker_objects if r.name == "neural")
    assert network.fingerprint().endswith("+phrases5") and plain_network.fingerprint().endswith("+phrases4")

    owners, starts = network.findings.owners.copy(), network.findings.starts.copy()
    (_, apart_service), = apart(profiled, [_case("PMID:1")])
    assert [(r.disease_id, r.score) for r in apart_service.rank("arachnodactyly", "neural")] == [
        (r.disease_id, r.score) for r in plain.rank("arachnodactyly", "neural")]
    # the served network is left as it was: it still counts PMID:1, for a phrase it has not met before too
    assert (network.findings.owners == owners).all() and (network.findings.starts == starts).all()
    assert GITELMAN in [r.disease_id for r in profiled.rank("long slender fingers", "neural")][:3]


def test_a_bad_profile_file_keeps_the_network_out_with_a_notice_that_names_it(trained, tmp_path: Path):
    data_dir, model = trained
    path = tmp_path / "profiles.tsv"
    path.write_text("disease_id\tpublication\thpo_id\tshown_by\tpatients\nOMIM:263800\tPMID:1\tHP:0001166\t0\t10\n",
                    encoding="utf-8")
    settings = make_settings(data_dir, model_path=model, profiles_path=path)
    service, notices = load_service(settings, make_engine(settings.sql_url))
    assert "neural" not in service.rankers and "lexical" in service.rankers
    assert any(n.startswith(f"neural ranker not loaded: {path} line 2: shown_by '0'") for n in notices), notices
