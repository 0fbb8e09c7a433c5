"""The batch evaluation API and page on a real SQLite store and tantivy index (the HPO slice)."""

import csv
import io
import json
from datetime import datetime, timezone

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from evaluation.queryset import EXAMPLE
from indexer.store import EvalQueryRow, EvalRunRow, make_engine

from tests.conftest import MARFAN_QUERY
from tests.evaluation.helpers import wait

QUERIES = [
    {"query": MARFAN_QUERY, "gold": ["OMIM:154700"]},
    {"query": "tall stature, long fingers, lens dislocation", "gold": ["ORPHA:558"]},  # an article id
    {"query": "fever", "gold": ["OMIM:999999"]},  # unknown to the corpus
]


def error(r) -> tuple[int, str, str]:
    e = r.json()["error"]
    assert e["status"] == r.status_code
    return r.status_code, e["code"], e["message"]


def test_json_list_happy_path_with_unknown_gold_and_csv(client):
    r = client.post("/api/evaluations", json=QUERIES, params={"name": "smoke", "rankers": "lexical"})
    assert r.status_code == 202
    created = r.json()
    assert r.headers["location"] == f"/api/evaluations/{created['id']}"
    assert created["status"] in ("queued", "running", "done") and created["n_queries"] == 3
    assert created["unknown_gold"] == {"unknown_ids": 1, "queries_with_unknown": 1, "queries_without_known": 1,
                                       "examples": [{"index": 3, "id": "OMIM:999999"}]}
    run = wait(client, created["id"])
    assert run["status"] == "done" and run["done"] == 3 and run["progress"] == 1.0 and run["error"] is None
    assert run["name"] == "smoke" and run["rankers"] == ["lexical"] and run["data_release"] == "2025-01-16"
    m = run["report"]["metrics"]["lexical"]
    assert m["n"] == 3 and len(m["curve"]) == 50 and m["recall"]["20"] == 2 / 3  # the unknown one is a miss
    assert 0 < m["mrr"] <= 2 / 3 and m["mrr_ci"][0] <= m["mrr"] <= m["mrr_ci"][1]
    assert run["report"]["overlap"] is None and run["report"]["gold"]["unknown_ids"] == 1
    assert "per_disease" not in run["report"]  # three queries, three diseases: nothing to add per disease
    rows = list(csv.DictReader(io.StringIO(client.get(run["links"]["queries_csv"]).text)))
    assert [row["gold"] for row in rows] == ["OMIM:154700", "ORPHA:558", "OMIM:999999"]
    assert 1 <= int(rows[0]["lexical_rank"]) <= 3 and rows[2]["lexical_rank"] == ""
    assert "OMIM:154700" in rows[0]["lexical_top5"].split()
    listed = client.get("/api/evaluations").json()
    assert [x["id"] for x in listed] == [run["id"]]


def test_a_set_with_several_queries_of_one_disease_reports_per_disease_figures(client):
    queries = QUERIES[:2] + [{"query": "dislocated lens, long fingers", "gold": ["OMIM:154700"]}]
    run = wait(client, client.post("/api/evaluations", json=queries, params={"rankers": "lexical"}).json()["id"])
    per_disease, metrics = run["report"]["per_disease"]["lexical"], run["report"]["metrics"]["lexical"]
    assert per_disease["diseases"] == 2  # OMIM:154700 twice, ORPHA:558 (its own label) once
    assert 0 < per_disease["mrr"] <= 1 and per_disease["mrr_ci"][0] <= per_disease["mrr"] <= per_disease["mrr_ci"][1]
    assert metrics["n"] == 3


def test_jsonl_upload_and_shipped_set(client):
    body = "\n".join(json.dumps(q) for q in QUERIES[:2]) + "\n"
    r = client.post("/api/evaluations", files={"file": ("mine.jsonl", body.encode(), "application/x-ndjson")})
    assert r.status_code == 202 and r.json()["name"] == "mine.jsonl"
    assert wait(client, r.json()["id"])["report"]["metrics"]["lexical"]["n"] == 2
    r = client.post("/api/evaluations", data={"set": "dev", "name": "dev on the slice"})
    assert r.status_code == 202 and r.json()["n_queries"] == 500 and r.json()["name"] == "dev on the slice"
    run = wait(client, r.json()["id"], timeout=120)
    assert run["status"] == "done" and run["unknown_gold"]["unknown_ids"] > 0  # the full corpus's ids


def test_bad_uploads_name_the_line(client):
    post = client.post
    bad = json.dumps(QUERIES[0]) + "\n{oops\n"
    assert error(post("/api/evaluations", files={"file": ("q.jsonl", bad.encode())})) == (
        422, "invalid_query_set", "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)")
    assert error(post("/api/evaluations", files={"file": ("q.jsonl", b'{"query": "fever"}\n')})) == (
        422, "invalid_query_set", "line 1: gold is required")
    assert error(post("/api/evaluations", files={"file": ("q.jsonl", b"")})) == (
        422, "invalid_query_set", f"the query set holds no queries; give one JSON object per line like {EXAMPLE}")
    assert error(post("/api/evaluations", json=[QUERIES[0], {"query": "x", "gold": ["nope"]}])) == (
        422, "invalid_query_set", "item 2: gold[0] is 'nope'; ids look like OMIM:154700 or ORPHA:558")
    assert error(post("/api/evaluations", json=[QUERIES[0]] * 5001)) == (
        422, "invalid_query_set", "the query set holds 5,001 queries; the limit is 5,000. Split it into several runs")
    assert error(post("/api/evaluations", json={"query": "fever"})) == (
        422, "invalid_query_set", f"expected a JSON list of objects like {EXAMPLE}")
    assert error(post("/api/evaluations", content=b"[{", headers={"content-type": "application/json"})) == (
        422, "invalid_query_set", f"the body is not valid JSON at line 1 column 3; send a JSON list like [{EXAMPLE}]")
    assert error(post("/api/evaluations", content=b"hello", headers={"content-type": "text/plain"})) == (
        415, "unsupported_media_type", "content type 'text/plain' is not accepted; send application/json (a list "
                                       "of {query, gold}) or multipart/form-data with a JSONL file")
    assert error(post("/api/evaluations", data={"set": "nope"})) == (
        422, "invalid_query_set", "no shipped query set 'nope'; choose one of dev, real-test, real-test-typos, real-tune, test, vignettes")
    assert error(post("/api/evaluations", data={"name": "x"})) == (
        422, "invalid_query_set", "send the JSONL file in the form field 'file', or name a shipped query set in "
                                  "the field 'set' (dev, real-test, real-test-typos, real-tune, test, vignettes)")
    assert error(post("/api/evaluations", json=QUERIES, params={"rankers": "lexical,neural"})) == (
        503, "ranker_unavailable", "the neural ranker is not loaded on this server (/health says why); "
                                   "choose one of lexical, ontology, fused")
    assert error(post("/api/evaluations", json=QUERIES, params={"rankers": "lexical,psychic"}))[:2] == (
        422, "invalid_request")
    assert client.get("/api/evaluations").json() == []  # nothing refused was stored


def test_unknown_run_is_404(client):
    assert error(client.get("/api/evaluations/999")) == (
        404, "evaluation_not_found", "no evaluation run with id 999; GET /api/evaluations lists the runs")
    assert client.get("/api/evaluations/999/queries.csv").status_code == 404
    r = client.get("/evaluations/999", headers={"accept": "text/html"})
    assert r.status_code == 404 and "no evaluation run with id 999" in r.text


def test_runs_survive_a_restart(settings):
    with TestClient(create_app(settings)) as c:
        run = wait(c, c.post("/api/evaluations", json=QUERIES).json()["id"])
    with TestClient(create_app(settings)) as c:
        again = c.get(f"/api/evaluations/{run['id']}").json()
        assert again == run
        assert c.get(run["links"]["queries_csv"]).text.count("\n") == 4


def _interrupted_run(settings, release: str = "2025-01-16", ranked: int = 1) -> int:
    """A run as a stopped app leaves it: `running`, the first `ranked` queries ranked, the others not."""
    now = datetime.now(timezone.utc)
    with Session(make_engine(settings.sql_url)) as s, s.begin():
        run = EvalRunRow(name="interrupted", status="running", rankers=["lexical"], data_release=release,
                         n_queries=3, done=ranked, created_at=now, started_at=now, gold_check={
                             "unknown_ids": 1, "queries_with_unknown": 1, "queries_without_known": 1,
                             "examples": [{"index": 3, "id": "OMIM:999999"}]}, notes=[])
        s.add(run)
        s.flush()
        for i, q in enumerate(QUERIES, start=1):
            ranks = {"ranks": {"lexical": 1}, "top": {"lexical": ["OMIM:154700"]}} if i <= ranked else {}
            s.add(EvalQueryRow(run_id=run.id, position=i, query=q["query"], gold=q["gold"], **ranks))
        return run.id


def test_an_interrupted_run_is_resumed_at_start(settings):
    run_id = _interrupted_run(settings)
    with TestClient(create_app(settings)) as c:
        run = wait(c, run_id)
        csv_rows = list(csv.DictReader(io.StringIO(c.get(run["links"]["queries_csv"]).text)))
    assert run["status"] == "done" and run["done"] == 3
    assert run["notes"] == ["resumed after a restart at query 2 of 3"]
    assert run["report"]["metrics"]["lexical"]["n"] == 3
    assert [r["lexical_rank"] != "" for r in csv_rows] == [True, True, False]  # the first kept, the rest ranked


def test_a_fully_ranked_run_is_summarised_at_start(settings):
    run_id = _interrupted_run(settings, ranked=3)
    with TestClient(create_app(settings)) as c:
        run = wait(c, run_id)
    assert run["status"] == "done" and run["notes"] == ["summarised after a restart (every query had been ranked)"]
    assert run["report"]["metrics"]["lexical"]["mrr"] == 1.0  # the stored ranks, not re-ranked


def test_an_interrupted_run_on_another_release_fails_saying_why(settings):
    run_id = _interrupted_run(settings, release="2024-04-26")
    with TestClient(create_app(settings)) as c:
        run = c.get(f"/api/evaluations/{run_id}").json()
    assert run["status"] == "failed" and run["report"] is None
    assert run["error"] == ("interrupted by a restart, and the corpus changed meanwhile (HPO release 2024-04-26 → "
                            "2025-01-16); ranks from two corpora cannot be mixed. Start a new run")


def test_evaluation_pages(client):
    page = client.get("/evaluations")
    assert page.status_code == 200
    assert "Evaluate the rankers on a query set" in page.text and '<option value="test">test (1000 queries)' in page.text
    run = wait(client, client.post("/api/evaluations", json=QUERIES, params={"name": "<b>mine</b>"}).json()["id"])
    page = client.get(f"/evaluations/{run['id']}").text
    assert "&lt;b&gt;mine&lt;/b&gt;" in page and "<b>mine</b>" not in page.replace('\\u003cb\\u003e', "")
    assert 'id="run-data"' in page and "/api/evaluations/1/queries.csv" in page
    assert 'href="/evaluations"' in client.get("/").text  # the nav link
