"""The JSON API says how much of a query it understood, as the page does: no ranking for a query of
which nothing was understood (not even from the neural model, which ranks any text), the phrases
not understood listed, and the same verdict as the page for the same query."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import MARFAN_QUERY, make_settings

EXAMPLE_PACKET = {"id": "p1", "subject": {"id": "p1"},
                  "phenotypicFeatures": [{"type": {"id": "HP:0001166", "label": "Arachnodactyly"}},
                                         {"type": {"id": "HP:0001083", "label": "Ectopia lentis"}}],
                  "metaData": {"created": "2026-01-01T00:00:00Z", "createdBy": "lab",
                               "phenopacketSchemaVersion": "2.0"}}


@pytest.fixture(scope="module")
def with_model(trained):
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as c:
        assert c.get("/health").json()["model"]["loaded"] is True
        yield c


@pytest.mark.parametrize("ranker", [None, "neural", "lexical"])
def test_nonsense_gets_no_ranking_and_says_so(with_model, ranker):
    params = {"q": "qqqqzzzz", "ask_next": "true"} | ({"ranker": ranker} if ranker else {})
    r = with_model.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["confidence"] == "none" and body["not_understood"] == ["qqqqzzzz"]
    assert body["results"] == [] and body["total"] == 0 and body["findings"] == [] and body["ask_next"] == []


def test_nonsense_grouped_by_gene_has_no_genes_either(with_model):
    body = with_model.get("/api/search", params={"q": "qqqqzzzz", "group_by": "gene"}).json()
    assert body["confidence"] == "none" and body["results"] == [] and body["genes"] == []


def test_understood_query_keeps_its_ranking_and_lists_what_was_not_understood(with_model):
    body = with_model.get("/api/search", params={"q": MARFAN_QUERY + ", zebroid wobble", "k": 5}).json()
    assert body["confidence"] == "normal" and body["not_understood"] == ["zebroid wobble"]
    assert "OMIM:154700" in [x["disease_id"] for x in body["results"][:3]] and body["total"] > 0


def test_words_in_the_articles_but_no_finding_is_low_confidence_with_a_ranking(with_model):
    body = with_model.get("/api/search", params={"q": "FBN1"}).json()
    assert body["findings"] == [] and body["confidence"] == "low" and body["not_understood"] == ["FBN1"]
    assert body["results"] and body["total"] > 0


def test_phenopacket_search_reports_its_confidence(with_model):
    r = with_model.post("/api/search", json=EXAMPLE_PACKET, params={"k": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["confidence"] == "normal" and body["not_understood"] == []
    assert "OMIM:154700" in [x["disease_id"] for x in body["results"][:3]]


@pytest.mark.parametrize("q", ["qqqqzzzz", "!!!", "FBN1", MARFAN_QUERY])
def test_page_and_api_agree(with_model, q):
    api = with_model.get("/api/search", params={"q": q}).json()
    page = with_model.get("/", params={"q": q}).text
    assert ("No recognised findings" in page) == (api["confidence"] == "none")
    assert ('id="low-confidence"' in page) == (api["confidence"] == "low")


def test_confidence_is_in_the_openapi_response_model(with_model):
    schema = with_model.get("/openapi.json").json()["components"]["schemas"]["SearchResponse"]["properties"]
    assert schema["confidence"]["enum"] == ["none", "low", "normal"]
    assert schema["not_understood"]["type"] == "array"
