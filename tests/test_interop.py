"""The field's formats: HPO ids in the query, GA4GH phenopackets in (search, evaluation) and out
(export), and HPO term suggestions, on the fixture corpus (real SQLite, real tantivy)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from phenopackets import Sex

from app.understanding.recognizer import load_recognizer
from evaluation.phenopackets import parse_phenopacket
from tests.conftest import MARFAN_QUERY
from tests.evaluation.helpers import wait

MARFAN_IDS = "HP:0001166, HP:0001083"  # arachnodactyly, ectopia lentis
MARFANS = {"OMIM:154700", "ORPHA:284979"}  # Marfan syndrome (merged with ORPHA:558), neonatal Marfan


def packet(pid: str, observed: list[str], excluded: list[str] = (), disease: str | None = "OMIM:154700") -> dict:
    out = {"id": pid, "subject": {"id": pid, "sex": "FEMALE"},
           "phenotypicFeatures": [{"type": {"id": h}} for h in observed]
           + [{"type": {"id": h}, "excluded": True} for h in excluded],
           "metaData": {"created": "2026-01-01T00:00:00Z", "createdBy": "test", "phenopacketSchemaVersion": "2.0"}}
    if disease:
        out["interpretations"] = [{"id": "i1", "progressStatus": "SOLVED",
                                   "diagnosis": {"disease": {"id": disease, "label": "x"}}}]
    return out


def search(client, q: str, **params) -> dict:
    r = client.get("/api/search", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_hpo_ids_are_findings_and_never_words(client):
    answer = search(client, f"{MARFAN_IDS}, no HP:0001250")
    assert [(f["hpo_id"], f["status"], f["text"]) for f in answer["findings"]] == [
        ("HP:0001166", "observed", "HP:0001166"), ("HP:0001083", "observed", "HP:0001083"),
        ("HP:0001250", "excluded", "HP:0001250")]
    assert {r["disease_id"] for r in answer["results"][:2]} == MARFANS
    # the lexical ranker reads the terms' labels, not the ids' characters
    lexical = search(client, MARFAN_IDS, ranker="lexical")
    words = search(client, "Arachnodactyly, Ectopia lentis", ranker="lexical")
    assert [r["disease_id"] for r in lexical["results"]] == [r["disease_id"] for r in words["results"]]
    assert search(client, "HP:9999999 HP_9999998", ranker="lexical")["total"] == 0  # an id is no word


def test_underscore_and_alternative_ids_map_to_the_current_term(client):
    found = search(client, "HP_0001166 and HP:0004424")["findings"]
    assert [(f["hpo_id"], f["name"]) for f in found] == [
        ("HP:0001166", "Arachnodactyly"), ("HP:0000009", "Functional abnormality of the bladder")]


def test_unknown_id_is_answered_with_a_notice(client):
    answer = search(client, "HP:9999999, HP:0001166")
    assert answer["notices"] == ["HP:9999999 is not a term of HPO 2025-01-16; check the id, or describe the "
                                 "finding in words"]
    assert [f["hpo_id"] for f in answer["findings"]] == ["HP:0001166"]


def test_obsolete_id_is_answered_with_a_notice():
    recognizer = load_recognizer()  # the full release
    recognition = recognizer.recognize("HP:0003114, HP:0000057")
    # HP:0003114 is obsolete with no successor; HP:0000057 (obsolete Clitoromegaly) lives on as an
    # alternative id of Clitoral hypertrophy, so it maps there
    assert [(m.hpo_id, m.name) for m in recognition.mentions] == [("HP:0008665", "Clitoral hypertrophy")]
    assert [n.message for n in recognition.notices] == [
        "HP:0003114 (obsolete Abnormal cardiological findings) is obsolete in HPO 2025-01-16; pick a current "
        "term (GET /api/terms suggests them) or describe the finding in words"]


def test_phenopacket_search_answers_as_the_text_search(client):
    r = client.post("/api/search", json=packet("p1", ["HP:0001166", "HP:0001083"], ["HP:0001250"]),
                    params={"k": 5, "ask_next": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ask_next"] and "HP:0001166" not in {a["hpo_id"] for a in body["ask_next"]}
    assert body["query"] == "HP:0001166, HP:0001083. No HP:0001250."
    same = search(client, body["query"], k=5)
    assert [x["disease_id"] for x in body["results"]] == [x["disease_id"] for x in same["results"]]
    assert {x["disease_id"] for x in body["results"][:2]} == MARFANS
    assert [f["status"] for f in body["findings"]] == ["observed", "observed", "excluded"]


@pytest.mark.parametrize("bad, message", [
    ({"id": "p", "phenotypicFeatures": [{"type": {"id": "HP:0001166"}, "excluded": "yes"}]},
     "phenotypicFeatures[0].excluded: Expected true or false without quotes; see the GA4GH Phenopacket v2 schema"),
    ({"id": "p", "phenotypicFeatures": [{"type": {"idd": "HP:0001166"}}]},
     "phenotypicFeatures[0].type.idd is not a field here; the fields are id, label; see the GA4GH Phenopacket v2 "
     "schema"),
    ({"id": "p", "phenotypicFeatures": [{"type": {"id": "OMIM:154700"}}]},
     "phenotypicFeatures[0].type.id is 'OMIM:154700'; it must be an HPO id such as HP:0001166"),
    ({"id": "p"}, "phenotypicFeatures is empty; give at least one observed finding as an HPO term "
                  '(e.g. {"type": {"id": "HP:0001166", "label": "Arachnodactyly"}})'),
    ([1, 2], "expected a JSON object: a GA4GH Phenopacket v2 with phenotypicFeatures"),
])
def test_invalid_phenopacket_gets_422_naming_the_field(client, bad, message):
    r = client.post("/api/search", json=bad)
    assert r.status_code == 422
    assert r.json() == {"error": {"status": 422, "code": "invalid_phenopacket", "message": message}}


def test_phenopackets_go_through_evaluation_as_jsonl_and_zip(client):
    packets = [packet("case-A", ["HP:0001166", "HP:0001083"]), packet("case-B", ["HP:0001166"], disease="OMIM:999999")]
    body = "\n".join(json.dumps(p) for p in packets).encode()
    r = client.post("/api/evaluations", files={"file": ("cohort.jsonl", body, "application/x-ndjson")},
                    data={"rankers": "ontology"})
    assert r.status_code == 202, r.text
    assert r.json()["unknown_gold"]["examples"] == [{"index": 2, "id": "OMIM:999999"}]  # reported as for text
    run = wait(client, r.json()["id"])
    rows = list(csv.DictReader(io.StringIO(client.get(run["links"]["queries_csv"]).text)))
    assert [(row["id"], row["gold"]) for row in rows] == [("case-A", "OMIM:154700"), ("case-B", "OMIM:999999")]
    assert 1 <= int(rows[0]["ontology_rank"]) <= 2
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for p in packets:
            z.writestr(f"cohort/{p['id']}.json", json.dumps(p))
    r = client.post("/api/evaluations", files={"file": ("cohort.zip", archive.getvalue(), "application/zip")},
                    data={"rankers": "ontology"})
    assert r.status_code == 202, r.text
    assert wait(client, r.json()["id"])["report"]["metrics"]["ontology"]["n"] == 2


def test_bad_phenopacket_in_an_evaluation_names_the_line_and_path(client):
    body = (json.dumps(packet("ok", ["HP:0001166"])) + "\n"
            + json.dumps(packet("no-diagnosis", ["HP:0001166"], disease=None)) + "\n").encode()
    r = client.post("/api/evaluations", files={"file": ("cohort.jsonl", body, "application/x-ndjson")})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == (
        "line 2: phenopacket 'no-diagnosis' names no diagnosis; give its disease in diseases[].term or "
        "interpretations[].diagnosis.disease (e.g. OMIM:154700)")


def test_findings_export_as_a_valid_phenopacket(client):
    r = client.get("/api/analyze", params={"q": f"{MARFAN_QUERY}, no seizures", "format": "phenopacket"})
    assert r.status_code == 200 and r.headers["content-disposition"].startswith('attachment; filename="zebra-')
    exported = parse_phenopacket(r.json())  # the GA4GH package reads it back
    features = [(f.type.id, f.type.label, f.excluded) for f in exported.phenotypic_features]
    assert features == [("HP:0100807", "Long fingers", False), ("HP:0001083", "Ectopia lentis", False),
                        ("HP:0004942", "Aortic aneurysm", False), ("HP:0001250", "Seizure", True)]
    assert exported.meta_data.phenopacket_schema_version == "2.0" and exported.meta_data.resources[0].version == \
        "2025-01-16"
    assert "long fingers" not in r.text  # the query text itself is not written into the file
    assert not exported.HasField("subject")  # the query names no patient


def test_the_patient_s_sex_and_age_go_with_the_findings(client):
    q = f"4 yo M, {MARFAN_QUERY}"
    assert client.get("/api/analyze", params={"q": q}).json()["patient"] == {"sex": "MALE", "age": "P4Y"}
    exported = parse_phenopacket(client.get("/api/analyze", params={"q": q, "format": "phenopacket"}).json())
    assert exported.subject.sex == Sex.Value("MALE")
    assert exported.subject.time_at_last_encounter.age.iso8601duration == "P4Y"
    assert client.get("/api/analyze", params={"q": "fever for 3 days, rash"}).json()["patient"] is None  # a duration


def test_term_suggestions_forgive_typos(client):
    r = client.get("/api/terms", params={"q": "arachno"})
    assert r.status_code == 200 and r.json()[0] == {"hpo_id": "HP:0001166", "name": "Arachnodactyly",
                                                     "matched": "Arachnodactyly"}
    assert client.get("/api/terms", params={"q": "arachnodactily"}).json()[0]["hpo_id"] == "HP:0001166"
    lay = client.get("/api/terms", params={"q": "long fing"}).json()
    assert lay[0]["hpo_id"] == "HP:0100807"
    assert client.get("/api/terms", params={"q": "xqzvw"}).json() == []
    assert client.get("/api/terms", params={"q": ""}).status_code == 422


def test_a_published_phenopackets_pmids_make_it_a_published_case_for_evaluation():
    from evaluation.profiles import publications
    from evaluation.queryset import parse_jsonl

    published = packet("case-P", ["HP:0001166"])
    published["metaData"]["externalReferences"] = [{"id": "PMID:10662742", "description": "the case report"},
                                                   {"id": "DOI:10.1000/x"}]
    first, second = parse_jsonl([json.dumps(published), json.dumps(packet("case-Q", ["HP:0001166"]))])
    assert publications(first.meta) == {"PMID:10662742"}  # `zebra eval` ranks it without its publication's patients
    assert first.meta["format"] == "phenopacket" and publications(second.meta) == frozenset()
