"""A server remembers its last searches' rankings: the next page, the gene view and the questions of a search
just made are the answer a fresh search gives, without running the rankers again; another request (query text,
ranker, source, corrections) is ranked anew, and so is every search after an import changed the corpus, or
after a ranker could not answer."""

from __future__ import annotations

import json
from collections import Counter

from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.main import create_app
from tests.conftest import MARFAN_QUERY, free_port, make_settings

KEY = "recent-searches-admin-key"


def _counting(service, monkeypatch) -> Counter:
    """How many rankings the service starts with each of its rankers from now on (it starts every ranking with
    `rank_later`; a direct `rank`, such as the lexical look-up of a query with no finding, is not counted)."""
    calls: Counter = Counter()
    for ranker in service.ranker_objects:
        def spy(*args, _rank=ranker.rank_later, _name=ranker.name, **kwargs):
            calls[_name] += 1
            return _rank(*args, **kwargs)
        monkeypatch.setattr(ranker, "rank_later", spy)
    return calls


def _search(client: TestClient, **params) -> dict:
    response = client.get("/api/search", params={"q": MARFAN_QUERY, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_next_page_gene_view_and_questions_of_a_search_just_made_skip_the_rankers(trained, monkeypatch):
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        service = client.app.state.live.service
        calls = _counting(service, monkeypatch)
        first = _search(client, k=10)
        assert set(calls) == {"lexical", "neural", "ontology"} and set(calls.values()) == {1}
        second = _search(client, k=10, offset=10)
        genes = _search(client, k=20, group_by="gene", ask_next="true")
        assert sum(calls.values()) == 3  # nothing ranked again
        service.recent.clear()
        fresh = _search(client, k=20, group_by="gene", ask_next="true")
        assert sum(calls.values()) == 6
    assert [r["rank"] for r in first["results"] + second["results"]] == list(range(1, 21))
    assert first["results"] + second["results"] == fresh["results"]  # snippets, scores and ranks included
    assert genes == fresh and fresh["ask_next"] and fresh["genes"]
    assert first["total"] == second["total"] == fresh["total"] and first["findings"] == fresh["findings"]


def test_another_request_is_ranked_anew(trained, monkeypatch):
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        service = client.app.state.live.service
        calls = _counting(service, monkeypatch)
        base = _search(client)
        orpha = _search(client, source="ORPHA")
        assert all(a["source"] == "ORPHA" for r in orpha["results"] for a in r["articles"])
        assert [r["disease_id"] for r in orpha["results"]] != [r["disease_id"] for r in base["results"]]
        lexical = _search(client, ranker="lexical")
        assert {tuple(r["ranks"]) for r in lexical["results"]} == {("lexical",)}
        corrected = _search(client, exclude="HP:0001083")
        assert {f["hpo_id"]: f["status"] for f in corrected["findings"]}["HP:0001083"] == "excluded"
        assert {f["hpo_id"]: f["status"] for f in base["findings"]}["HP:0001083"] == "observed"
        upper = client.get("/api/search", params={"q": MARFAN_QUERY.upper()}).json()  # the text exactly
        assert upper["query"] == MARFAN_QUERY.upper()
        assert calls == {"lexical": 5, "neural": 4, "ontology": 4}
        assert _search(client, ranker="fused") == base  # the default ranker by name: the same request
        assert calls == {"lexical": 5, "neural": 4, "ontology": 4}


def test_it_remembers_as_many_searches_as_set_and_none_with_0(trained, monkeypatch):
    data_dir, _ = trained
    queries = ["long fingers", "dislocated lens", "widening of the aorta"]
    with TestClient(create_app(make_settings(data_dir, recent_searches=2))) as client:
        service = client.app.state.live.service
        calls = _counting(service, monkeypatch)
        for q in queries:
            client.get("/api/search", params={"q": q})
        assert len(service.recent) == 2 and calls["lexical"] == 3
        client.get("/api/search", params={"q": queries[2]})
        assert calls["lexical"] == 3
        client.get("/api/search", params={"q": queries[0]})  # the oldest was forgotten
        assert calls["lexical"] == 4
    with TestClient(create_app(make_settings(data_dir, recent_searches=0))) as client:
        service = client.app.state.live.service
        calls = _counting(service, monkeypatch)
        answers = [client.get("/api/search", params={"q": queries[0]}).json() for _ in range(2)]
        assert calls["lexical"] == 2 and len(service.recent) == 0 and answers[0] == answers[1]


def test_a_search_a_ranker_could_not_answer_is_not_remembered(trained, monkeypatch):
    """The lexical ranker's Solr is not running: the search answers from the other rankers, marked degraded, and
    the next search of the same text asks every ranker again (Solr may be back)."""
    data_dir, model = trained
    settings = make_settings(data_dir, model_path=model, search_backend="solr", solr_timeout=1.0,
                             solr_url=f"http://127.0.0.1:{free_port()}/solr/zebra")
    with TestClient(create_app(settings)) as client:
        service = client.app.state.live.service
        calls = _counting(service, monkeypatch)
        answers = [_search(client) for _ in range(2)]
        assert all(a["degraded"] and [u["ranker"] for u in a["unavailable"]] == ["lexical"] for a in answers)
        assert answers[0]["results"] and calls["ontology"] == 2 and calls["lexical"] == 2
        assert len(service.recent) == 0


def test_after_an_import_the_same_query_finds_the_new_article(settings):
    article = {"article_id": "MYCLINIC:7", "title": "Clinic note on zebroid fever",
               "text": "Recurrent zebroid fever with a striped rash.", "source": "MYCLINIC"}
    query = {"q": "zebroid fever, striped rash", "ranker": "lexical"}
    with TestClient(create_app(settings.model_copy(update={"admin_api_key": SecretStr(KEY)}))) as client:
        before = [r["disease_id"] for r in client.get("/api/search", params=query).json()["results"]]
        assert "MYCLINIC:7" not in before
        assert len(client.app.state.live.service.recent) == 1
        imported = client.post("/api/admin/import", content=json.dumps(article) + "\n",
                               headers={"X-API-Key": KEY, "Content-Type": "application/x-ndjson"})
        assert imported.status_code == 200, imported.text
        after = [r["disease_id"] for r in client.get("/api/search", params=query).json()["results"]]
        assert after[0] == "MYCLINIC:7" and after[1:] == before
