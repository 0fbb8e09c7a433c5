import re

from tests.conftest import MARFAN_QUERY


def test_search_groups_marfan_articles_in_one_result(client):
    r = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == MARFAN_QUERY and body["data_release"] == "2025-01-16"
    ids = [x["disease_id"] for x in body["results"]]
    assert "OMIM:154700" in ids[:3]
    marfan = next(x for x in body["results"] if x["disease_id"] == "OMIM:154700")
    assert marfan["name"] == "Marfan syndrome"
    assert [a["article_id"] for a in marfan["articles"]] == ["OMIM:154700", "ORPHA:558"]
    assert marfan["articles"][0]["url"] == "https://omim.org/entry/154700"
    assert "<b>" in marfan["articles"][0]["snippet"]
    assert marfan["genes"] == ["FBN1"]
    assert body["ranker"] == "fused"
    assert set(marfan["ranks"]) == {"lexical", "ontology"} and set(marfan["scores"]) == {"lexical", "ontology"}
    assert {f["name"] for f in marfan["matched_findings"]} >= {"Long fingers", "Ectopia lentis"}
    assert {f["name"]: f["status"] for f in body["findings"]}["Ectopia lentis"] == "observed"
    assert [x["rank"] for x in body["results"]] == list(range(1, len(body["results"]) + 1))
    assert len(body["results"]) <= 5


def test_source_filter_keeps_only_that_source(client):
    body = client.get("/api/search", params={"q": MARFAN_QUERY, "source": "ORPHA"}).json()
    assert body["results"]
    assert {a["source"] for x in body["results"] for a in x["articles"]} == {"ORPHA"}


def test_query_of_symbols_only_returns_no_results(client):
    r = client.get("/api/search", params={"q": "((( ***"})
    assert r.status_code == 200 and r.json()["results"] == []


def test_query_too_long_is_422_with_exact_message(client):
    r = client.get("/api/search", params={"q": "x" * 2001})
    assert r.status_code == 422
    assert r.json() == {"error": {"status": 422, "code": "invalid_request", "message":
                        "q has 2001 characters; the limit is 2,000. Shorten it to the key findings"}}


def test_missing_query_and_bad_k(client):
    assert client.get("/api/search").json()["error"]["message"] == "q is required"
    r = client.get("/api/search", params={"q": "fever", "k": 101})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "k is 101; it should be less than or equal to 100 (limit 100)"
    r = client.get("/api/search", params={"q": "fever", "k": "ten"})
    assert r.json()["error"]["message"].startswith("k is 'ten'; ")


def test_disease_and_article_records(client):
    d = client.get("/api/diseases/OMIM:154700").json()
    assert d["name"] == "Marfan syndrome"
    assert [a["article_id"] for a in d["articles"]] == ["OMIM:154700", "ORPHA:558"]
    a = client.get("/api/articles/ORPHA:558").json()
    assert a["disease_id"] == "OMIM:154700" and a["source"] == "ORPHA"
    assert any(f["name"] == "Arachnodactyly" for f in a["features"])
    jeb = client.get("/api/articles/ORPHA:79406").json()
    assert any(f["hpo_id"] == "HP:0000478" for f in jeb["excluded"])
    # an article merged into a disease names that disease too (links made before the merge keep working)
    assert client.get("/api/diseases/ORPHA:558").json() == d
    page = client.get("/diseases/ORPHA:558")
    assert page.status_code == 200 and "Marfan syndrome" in page.text and "OMIM:154700" in page.text


def test_unknown_ids_are_404_naming_the_id(client):
    r = client.get("/api/diseases/OMIM:999999")
    assert r.status_code == 404
    assert r.json() == {"error": {"status": 404, "code": "disease_not_found", "message":
                        "no disease with id 'OMIM:999999'; disease ids look like OMIM:154700 or ORPHA:558"}}
    r = client.get("/api/articles/NOPE:1")
    assert r.status_code == 404 and r.json()["error"]["code"] == "article_not_found"
    r = client.get("/api/nothing-here")
    assert r.json()["error"] == {"status": 404, "code": "not_found",
                                 "message": "no page or endpoint at /api/nothing-here; see /docs for the API"}


def test_health_reports_each_component(client):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["data_release"] == "2025-01-16"
    assert h["database"]["ok"] and h["index"] == {"ok": True, "backend": "tantivy", "documents": 53, "detail": ""}
    assert h["model"]["loaded"] is False


def test_search_page_shows_grouped_results_and_escapes_input(client):
    page = client.get("/", params={"q": MARFAN_QUERY}).text
    assert "Marfan syndrome" in page and 'href="/diseases/OMIM:154700"' in page
    assert "https://www.orpha.net/en/disease/detail/558" in page
    assert "decision support" in page and "2025-01-16" in page
    hostile = client.get("/", params={"q": "<script>alert(1)</script> aorta"}).text
    assert "<script>alert(1)</script>" not in hostile and "&lt;script&gt;" in hostile


def test_disease_page_and_html_404(client):
    page = client.get("/diseases/OMIM:154700").text
    assert "Marfan syndrome" in page and "Arachnodactyly" in page and "FBN1" in page
    r = client.get("/diseases/OMIM:1", headers={"accept": "text/html"})
    assert r.status_code == 404 and "no disease with id &#39;OMIM:1&#39;" in r.text


def test_pagination_and_unknown_ranker(client):
    first = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 4}).json()
    second = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 2, "offset": 2}).json()
    assert [r["disease_id"] for r in second["results"]] == [r["disease_id"] for r in first["results"][2:4]]
    assert [r["rank"] for r in second["results"]] == [3, 4] and second["offset"] == 2
    r = client.get("/api/search", params={"q": MARFAN_QUERY, "ranker": "psychic"})
    assert r.status_code == 422
    assert r.json()["error"] == {"status": 422, "code": "invalid_request", "message":
                                 "ranker is 'psychic'; input should be 'lexical', 'neural', 'ontology' or 'fused'"}
    r = client.get("/api/search", params={"q": MARFAN_QUERY, "ranker": "neural"})  # known, but not loaded here
    assert r.status_code == 503
    assert r.json()["error"] == {"status": 503, "code": "ranker_unavailable", "message":
                                 "the neural ranker is not loaded on this server (/health says why); "
                                 "choose one of lexical, ontology, fused"}
    assert client.get("/health").json()["rankers"] == ["lexical", "ontology", "fused"]


def test_group_by_gene(client):
    body = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 10, "group_by": "gene"}).json()
    genes = {g["symbol"]: g for g in body["genes"]}
    marfan = next(r for r in body["results"] if r["disease_id"] == "OMIM:154700")
    assert marfan["rank"] in genes["FBN1"]["diseases"]
    assert [g["rank"] for g in body["genes"]] == list(range(1, len(body["genes"]) + 1))
    bests = [g["best_disease_rank"] for g in body["genes"]]
    assert bests == sorted(bests)
    assert client.get("/api/search", params={"q": "aorta"}).json()["genes"] is None


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/search?q=aorta", "/api/diseases/OMIM:1", "/api/search", "/static/search.js"):
        h = client.get(path).headers
        assert h["x-frame-options"] == "DENY" and h["referrer-policy"] == "no-referrer"
        assert list(client.head(path).headers.keys()).count("content-security-policy") == 1
        assert h["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src 'self'" in h["content-security-policy"]


def test_cors_only_for_configured_origins(tmp_path):
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, cors_origins=["https://ehr.example.org"])
    with TestClient(create_app(settings)) as c:
        ok = c.get("/health", headers={"Origin": "https://ehr.example.org"})
        assert ok.headers["access-control-allow-origin"] == "https://ehr.example.org"
        other = c.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_analyze_recognises_findings_and_negation(client):
    q = "8 month old boy, no seizures, long fingers, lens dislocation"
    body = client.get("/api/analyze", params={"q": q}).json()
    status = {f["name"]: f["status"] for f in body["findings"]}
    assert status["Seizure"] == "excluded"
    assert status["Long fingers"] == "observed" and status["Ectopia lentis"] == "observed"
    seizure = next(f for f in body["findings"] if f["name"] == "Seizure")
    assert q[seizure["start"]:seizure["end"]] == "seizures" and seizure["cue"] == "no"


def test_a_relatives_findings_are_family_history_weighed_below_the_patients(client):
    q = "long fingers, dislocated lens. Father had an aortic aneurysm at 40"
    body = client.get("/api/analyze", params={"q": q}).json()
    status = {f["name"]: (f["status"], q[f["start"]:f["end"]]) for f in body["findings"]}
    assert status["Aortic aneurysm"] == ("family", "aortic aneurysm")
    assert status["Long fingers"][0] == status["Ectopia lentis"][0] == "observed"
    packet = client.get("/api/analyze", params={"q": q, "format": "phenopacket"}).json()
    assert "HP:0004942" not in {f["type"]["id"] for f in packet["phenotypicFeatures"]}  # the patient's findings only

    def marfan_score(text: str) -> float:
        results = client.get("/api/search", params={"q": text, "ranker": "ontology"}).json()["results"]
        return next(r["score"] for r in results if r["disease_id"] == "OMIM:154700")
    # Marfan syndrome shows aortic aneurysms: a father's lifts it, the patient's own more
    alone, father = marfan_score("long fingers, dislocated lens"), marfan_score(q)
    own = marfan_score("long fingers, dislocated lens, aortic aneurysm")
    assert alone < father < own
    page = client.get("/", params={"q": q}).text
    assert 'class="chip chip-family"' in page and "in a relative: Aortic aneurysm" in page
    assert 'id="low-confidence"' not in page
    # a relative's findings alone are no finding of the patient: the answer says so
    alone_family = client.get("/", params={"q": "A boy of 12; his father had an aortic aneurysm"}).text
    assert "in a relative: Aortic aneurysm" in alone_family and 'id="low-confidence"' in alone_family


def test_what_the_query_says_of_the_inheritance_weighs_the_diseases_whose_mode_fits(client):
    """Marfan syndrome is dominant: parents who are cousins make it less likely, an affected father does not."""
    def marfan(text: str) -> tuple[float, list[str]]:
        body = client.get("/api/search", params={"q": text, "ranker": "ontology"}).json()
        return next(r["score"] for r in body["results"] if r["disease_id"] == "OMIM:154700"), body["inheritance"]
    plain = marfan("long fingers, dislocated lens")
    cousins = marfan("long fingers, dislocated lens; parents are cousins")
    father = marfan("long fingers, dislocated lens; his father has the same")
    assert plain[1] == [] and cousins[1] == ["parents related"] and father[1] == ["affected father"]
    assert cousins[0] < plain[0] == father[0]
    analysis = client.get("/api/analyze", params={"q": "tall, consanguineous parents"}).json()
    assert analysis["inheritance"] == ["parents related"]
    page = client.get("/", params={"q": "long fingers, dislocated lens; parents are cousins"}).text
    assert 'id="inheritance-heading"' in page and "Read from the family history: parents related" in page
    # a cue read against the story can be switched off, on the page and in the API
    assert "inheritance=ignore" in page and "Ignore it" in page
    ignored = client.get("/api/search", params={"q": "long fingers, dislocated lens; parents are cousins",
                                                "ranker": "ontology", "inheritance": "ignore"}).json()
    assert ignored["inheritance"] == [] and next(
        r["score"] for r in ignored["results"] if r["disease_id"] == "OMIM:154700") == plain[0]
    page = client.get("/", params={"q": "long fingers, dislocated lens; parents are cousins",
                                   "inheritance": "ignore"}).text
    weigh = re.search(r'href="([^"]*)">Weigh it', page)
    assert "is not weighed" in page and weigh and "inheritance" not in weigh[1] and "q=long" in weigh[1]
    bad = client.get("/api/search", params={"q": "tall", "inheritance": "maybe"})
    assert bad.status_code == 422 and "inheritance" in bad.text


def test_analyze_reads_measured_values_as_findings(client):
    q = "4 yo boy, CK 25000, glucose 1.8 mmol/L, calf hypertrophy"
    body = client.get("/api/analyze", params={"q": q}).json()
    spans = {f["name"]: q[f["start"]:f["end"]] for f in body["findings"] if f["status"] == "observed"}
    assert spans["Elevated circulating creatine kinase concentration"] == "CK 25000"
    assert spans["Hypoglycemia"] == "glucose 1.8 mmol/L"
    reading = {f["name"]: f["reading"] for f in body["findings"]}
    assert reading["Elevated circulating creatine kinase concentration"] == "CK 25000: above 300 U/L"
    assert reading["Hypoglycemia"] == "glucose 1.8 mmol/L: below 3 mmol/L"
    page = client.get("/", params={"q": q}).text  # the chip says how the value was read
    assert '<span class="chip-reading">CK 25000: above 300 U/L</span>' in page


def test_overrides_change_findings_and_ranking(client):
    q = "long fingers, lens dislocation"
    base = client.get("/api/search", params={"q": q, "ranker": "ontology", "ask_next": "true"}).json()
    assert {f["hpo_id"] for f in base["findings"]} == {"HP:0100807", "HP:0001083"}
    assert base["ask_next"] and all(a["gain_bits"] > 0 for a in base["ask_next"])
    fixed = client.get("/api/search", params={"q": q, "ranker": "ontology", "ignore": "HP:0100807",
                                              "exclude": "HP:0001083", "add": "HP:0001166"}).json()
    status = {f["hpo_id"]: (f["status"], f["origin"]) for f in fixed["findings"]}
    assert status == {"HP:0001083": ("excluded", "query"), "HP:0001166": ("observed", "added")}
    assert [r["disease_id"] for r in fixed["results"]] != [r["disease_id"] for r in base["results"]]
    bad = client.get("/api/search", params={"q": q, "add": "seizures"})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("add.0 is 'seizures'")



def test_what_to_ask_next_is_the_same_whichever_ranker_is_shown(client):
    """The questions come from the ontology ranking's top candidates, whether the search shows that ranking,
    the lexical one (which asks the ontology ranker only for those candidates) or the fusion."""
    for q in ("long fingers, lens dislocation", "tall, long fingers, no seizures, aortic root dilatation",
              "8 month old boy, no seizures, long fingers, lens dislocation"):
        asked = {ranker: client.get("/api/search", params={"q": q, "ranker": ranker, "ask_next": "true"}).json()
                 for ranker in ("ontology", "lexical", "fused")}
        assert asked["ontology"]["ask_next"], q
        assert asked["lexical"]["ask_next"] == asked["ontology"]["ask_next"] == asked["fused"]["ask_next"], q
        # not asked for, the search leaves them out and ranks the same
        plain = client.get("/api/search", params={"q": q}).json()
        assert plain["ask_next"] == [] and plain["results"] == asked["fused"]["results"], q

def test_page_shows_finding_chips_and_questions(client):
    q = "8 month old boy, no seizures, long fingers, lens dislocation"
    page = client.get("/", params={"q": q}).text
    assert 'class="chip chip-excluded" data-hpo="HP:0001250"' in page and "no Seizure" in page
    assert 'class="chip chip-observed" data-hpo="HP:0001083"' in page
    assert "To tell the top candidates apart, ask about" in page
    assert "ignore=HP%3A0001083" in page  # the remove link of a chip re-runs the search without it
    removed = client.get("/", params={"q": q, "ignore": "HP:0001083"}).text
    assert 'data-hpo="HP:0001083"' not in removed


def test_disease_page_lists_similar_diseases(client):
    page = client.get("/diseases/OMIM:154700").text
    assert "Similar diseases" in page and 'href="/diseases/ORPHA:284979"' in page  # neonatal Marfan


def test_analyze_lists_the_phrases_not_understood_with_terms_when_asked(client):
    q = "8 month old boy, long fingers, heart murm, heart murm, blorfy zwee"
    plain = client.get("/api/analyze", params={"q": q}).json()["not_understood"]
    assert plain == [{"phrase": "heart murm", "terms": []}, {"phrase": "blorfy zwee", "terms": []}]  # once each
    asked = client.get("/api/analyze", params={"q": q, "suggest": "true"}).json()["not_understood"]
    assert asked[0]["phrase"] == "heart murm"
    assert asked[0]["terms"][0] == {"hpo_id": "HP:0030148", "name": "Heart murmur"}
    assert len(asked[0]["terms"]) <= 3 and asked[1] == {"phrase": "blorfy zwee", "terms": []}
