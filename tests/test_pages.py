"""The clinician's page answers honestly, keeps the query through errors, and the app is hardened:
HEAD, the JSON depth limit, formula-safe CSV, /health without paths, docs without a CDN, field-fitting messages.
On the real app over the fixture corpus (SQLite + tantivy) with the small trained model."""

from __future__ import annotations

import csv
import io
import json
import re
import time

import pytest
from fastapi.testclient import TestClient

from app.json_limits import MAX_JSON_DEPTH, depth
from app.main import create_app
from app.understood import not_understood, phrases
from app.schemas import FindingPublic
from tests.conftest import MARFAN_QUERY, make_settings

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="module")
def client(trained):
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as c:
        yield c


def _heading(page: str) -> str:
    return re.search(r'id="results-heading" tabindex="-1">([^<]*)<', page).group(1)


def _not_understood(page: str) -> list[str]:
    summary = re.search(r'id="not-understood-summary">(.*?)</p>', page, re.S)
    return re.findall(r"<q>([^<]*)</q>", summary.group(1)) if summary else []


# -- honest answers ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["qqqqzzzz", "asdf", "!!!"])
def test_nonsense_gets_no_ranking_and_says_why(client, q):
    page = client.get("/", params={"q": q}).text
    assert _heading(page) == "No recognised findings"
    assert 'class="result"' not in page and "candidate disease" not in page
    assert "none of\n    them appears in the articles, so there is no ranking to show" in page


def test_words_without_findings_are_marked_low_confidence(client):
    page = client.get("/", params={"q": "syndrome, blorfy zwee"}).text  # a word of the titles, no finding
    assert _heading(page).endswith("candidate diseases") and 'class="result"' in page
    assert 'id="low-confidence"' in page
    assert _not_understood(page) == ["syndrome", "blorfy zwee"]


def test_understood_query_is_not_flagged_and_lists_what_it_missed(client):
    page = client.get("/", params={"q": "8 month old boy, long fingers, dislocated lens, blorfy zwee"}).text
    assert 'id="low-confidence"' not in page and 'class="chip chip-observed"' in page
    assert _not_understood(page) == ["blorfy zwee"]  # age and sex are not findings to miss
    assert "no HPO term starts like it; add one by its id below" in page  # nothing leaves the site
    assert "hpo.jax.org" not in page
    assert '<input type="hidden" name="q" value="8 month old boy, long fingers' in page  # the add-a-term form


def test_a_phrase_not_understood_offers_terms_that_add_to_the_search(client):
    page = client.get("/", params={"q": "long fingers, heart murm"}).text
    assert _not_understood(page) == ["heart murm"]
    # the suggestion is a link re-running the same search with the term added
    assert 'add Heart murmur (HP:0030148) for <q>heart murm</q></a>' in page
    assert "add=HP%3A0030148" in page and "q=long+fingers%2C+heart+murm" in page


def test_the_placeholder_example_is_understood_or_listed(client):
    q = "long fingers, lens dislocation, widening of the aorta"
    page = client.get("/", params={"q": q}).text
    spans = [(f["start"], f["end"]) for f in client.get("/api/analyze", params={"q": q}).json()["findings"]]
    start = q.index("widening")
    understood = any(s < len(q) and start < e for s, e in spans)
    assert understood != ("widening of the aorta" in _not_understood(page))


def test_an_ignored_finding_is_still_understood(client):
    page = client.get("/", params={"q": "long fingers, blorfy zwee", "ignore": "HP:0100807"}).text
    assert _not_understood(page) == ["blorfy zwee"]


def test_phrases_split_at_punctuation_and_joining_words():
    q = "tall; long fingers and swollen knees\nwith elevated lactate"
    assert [q[s:e] for s, e in phrases(q)] == ["tall", "long fingers", "swollen knees", "elevated lactate"]
    finding = FindingPublic(hpo_id="HP:0100807", name="Long fingers", status="observed", text="long fingers",
                            start=6, end=18)
    assert not_understood(q, [finding]) == ["tall", "swollen knees", "elevated lactate"]
    assert not_understood("3 yo girl, 8 month old boy, newborn", []) == []
    assert not_understood("4 yo M, adult F, 2 y/o boy, 34F", []) == []  # clinicians' shorthand for age and sex


def test_ask_next_links_name_the_finding(client):
    page = client.get("/", params={"q": MARFAN_QUERY}).text
    links = re.findall(r'<a href="[^"]*"><span class="visually-hidden">([^<]*) </span>(present|absent)</a>', page)
    assert links and all(name for name, _ in links)


def test_attention_weights_are_text_not_only_shading(client):
    page = client.get("/", params={"q": MARFAN_QUERY}).text
    table = re.search(r'<details class="att-weights">.*?</details>', page, re.S).group(0)
    assert "<td>fingers</td>" in table and re.search(r"<td>\d+\.\d%</td>", table)
    assert 'class="att-legend"' in page and "title=" not in table


# -- errors keep the query -----------------------------------------------------------------------------------
def test_too_long_query_keeps_the_query_the_form_and_a_counter(client):
    q = "long fingers " + "x" * 1988  # 2,001 characters
    r = client.get("/", params={"q": q, "source": "ORPHA"}, headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert f">{q}</textarea>" in r.text and 'id="search-form"' in r.text
    assert "2,001 / 2,000 characters: 1 too many" in r.text
    assert "q has 2001 characters; the limit is 2,000. Shorten it to the key findings" in r.text
    assert '<option value="ORPHA" selected>' in r.text
    assert "HPO data release 2025-01-16" in r.text  # not "not built"


def test_unknown_disease_is_an_html_page_for_a_browser(client):
    r = client.get("/diseases/OMIM:999999", headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no disease with id &#39;OMIM:999999&#39;" in r.text and 'id="search-form"' in r.text
    assert client.get("/api/diseases/OMIM:999999", headers=HTML).json()["error"]["code"] == "disease_not_found"


def test_length_messages_fit_their_field(client):
    r = client.get("/api/articles/" + "A" * 5000)
    assert r.status_code == 422
    assert r.json()["error"]["message"] == ("article_id has 5000 characters; the limit is 128. "
                                            "Article ids look like OMIM:154700 or ORPHA:558")


# -- HEAD, docs, CSP ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/?q=long+fingers", "/health", "/api/search?q=long+fingers", "/docs",
                                  "/static/zebra.css"])
def test_head_is_answered_where_get_is(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_docs_load_nothing_from_outside_under_the_csp(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    urls = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert urls and all(u.startswith("/") or u.startswith("data:") for u in urls), urls
    assert "<script>" not in r.text  # no inline script: the CSP would refuse it
    for u in urls:
        if u.startswith("/"):
            assert client.get(u).status_code == 200, u
    redoc = client.get("/redoc", follow_redirects=False)
    assert redoc.status_code == 308 and redoc.headers["location"] == "/docs"


# -- /health ---------------------------------------------------------------------------------------------------
def test_health_names_no_path_or_command_and_admin_health_does(trained):
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model, admin_api_key="k"))) as c:
        public = c.get("/health").text
        assert str(model.parent) not in public and '"path"' not in public and '"command"' not in public
        assert c.get("/api/admin/health").status_code == 401
        full = c.get("/api/admin/health", headers={"X-API-Key": "k"}).json()
        assert full["model"]["path"] == str(model)
        page = c.get("/model").text
        assert str(model.parent) not in page and model.name in page


# -- JSON depth --------------------------------------------------------------------------------------------------
DEEP = "[" * 1000 + "]" * 1000
MESSAGE = (f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep; the limit is {MAX_JSON_DEPTH}. "
           "Send flat objects as documented")


def test_deep_json_gets_422_naming_the_limit(client):
    r = client.post("/api/evaluations", content=DEEP, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == {"status": 422, "code": "invalid_query_set", "message": MESSAGE}
    shallow_but_too_deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    r = client.post("/api/evaluations", content=shallow_but_too_deep, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["message"] == MESSAGE
    r = client.post("/api/evaluations", files={"file": ("q.jsonl", b'{"query": "x", "gold": ["OMIM:1"]}\n' + DEEP.encode())})
    assert r.status_code == 422 and r.json()["error"]["message"] == "line 2: " + MESSAGE


def test_deep_json_import_gets_422_and_imports_nothing(client):
    good = json.dumps({"article_id": "CLINIC:1", "title": "t", "text": "x", "source": "CLINIC"})
    deep = '{"a":' * 1000 + "1" + "}" * 1000
    r = client.post("/api/admin/import", content=f"{good}\n{deep}\n", headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "line 2: " + MESSAGE + "; nothing was imported"
    assert client.get("/api/articles/CLINIC:1").status_code == 404


def test_depth_is_measured_without_recursion():
    value: list = []
    for _ in range(100_000):
        value = [value]
    assert depth(value) == 100_001 and depth({"a": [1, {"b": []}]}) == 4 and depth("x") == 0


# -- CSV -----------------------------------------------------------------------------------------------------------
def test_queries_csv_neutralises_formulas(client):
    queries = [{"query": q, "gold": ["OMIM:154700"]} for q in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)",
                                                                "long fingers")]
    run = client.post("/api/evaluations", json=queries).json()
    for _ in range(300):
        if client.get(run["links"]["self"]).json()["status"] == "done":
            break
        time.sleep(0.1)
    header, *rows = csv.reader(io.StringIO(client.get(run["links"]["queries_csv"]).text))
    query, gold = header.index("query"), header.index("gold")
    assert [r[query] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "long fingers"]
    assert [r[gold] for r in rows] == ["OMIM:154700"] * 5
