"""What published patients of a disease show, beyond its HPO annotations, ranks it for a patient who shows it too:
the ontology ranker over the fixture corpus with and without a profile file; a bad file keeps the ranker out with
a notice naming the line and the fix."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.loading import load_service
from app.main import create_app
from app.understanding.similarity import AnnotationFact, load_similarity
from evaluation.profiles import ProfileRow, write_profiles
from indexer.store import make_engine

GITELMAN, ARACHNODACTYLY = "OMIM:263800", "HP:0001166"  # Gitelman syndrome is not annotated with it


def _ontology_ranks(settings, query: str) -> list[str]:
    service, notices = load_service(settings, make_engine(settings.sql_url))
    assert not [n for n in notices if "profile" in n]
    profiles = service.statuses()["ontology"]["profiles"]  # what /health shows (without the path)
    if settings.profiles_path is None:
        assert profiles is None
    else:
        assert profiles == {"path": str(settings.profiles_path), "findings": 1, "diseases": 1}
    return [r.disease_id for r in service.rank(query, "ontology")]


def test_a_finding_published_patients_show_ranks_their_disease(settings, tmp_path: Path):
    before = _ontology_ranks(settings, "arachnodactyly")
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, ARACHNODACTYLY, 9, 10)])
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
    path.write_text("disease_id\thpo_id\tshown_by\tpatients\nOMIM:263800\tHP:0001166\t11\t10\n", encoding="utf-8")
    service, notices = load_service(settings.model_copy(update={"profiles_path": path}),
                                    make_engine(settings.sql_url))
    assert "ontology" not in service.rankers
    assert (f"ontology ranker not loaded: {path} line 2: shown_by '11' of patients '10'; give whole numbers with "
            "1 <= shown_by <= patients") in notices


def test_health_says_which_profiles_are_matched_and_only_the_admin_report_names_the_file(settings, tmp_path: Path):
    path = write_profiles(tmp_path / "profiles.tsv", [ProfileRow(GITELMAN, ARACHNODACTYLY, 9, 10)])
    with TestClient(create_app(settings.model_copy(update={"profiles_path": path, "admin_api_key": SecretStr("k")}))) as client:
        assert client.get("/health").json()["profiles"] == {"findings": 1, "diseases": 1}
        full = client.get("/api/admin/health", headers={"X-API-Key": "k"}).json()
        assert full["profiles"] == {"path": str(path), "findings": 1, "diseases": 1}
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").json()["profiles"] is None
