"""Solr failing under a running app: frozen (slow) and stopped. Search answers from the other rankers.

A Solr node of its own (started here with the project's launcher, on its own port) so that
freezing and stopping it touches no other test.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from indexer.build import build
from indexer.lexical.solr_index import SolrIndex
from cli.solr import Node, SolrLaunchError, _pid, start, stop
from indexer.store import make_engine

from tests.conftest import HPO_SLICE, MARFAN_QUERY, make_settings
from tests.solr.conftest import unavailable

PORT = 8991
pytestmark = pytest.mark.shared_servers  # a Solr of its own on a fixed port: one run at a time


@pytest.fixture(scope="module")
def node(tmp_path_factory) -> Node:
    node = Node(state=tmp_path_factory.mktemp("solr-faults"), cloud=False, port=PORT)
    try:
        start(node, timeout=300, heap="384m")
    except SolrLaunchError as exc:
        unavailable(f"a Solr for the fault tests could not start: {exc}")
    yield node
    pid = _pid(node)
    if pid is not None:
        os.kill(pid, signal.SIGCONT)
    stop(node)


@pytest.fixture(scope="module")
def app_dir(node: Node, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("faults") / "var"
    settings = _settings(data)
    build(make_engine(settings.sql_url), SolrIndex(settings.solr_url, timeout=30), HPO_SLICE)
    return data


def _settings(data: Path):
    return make_settings(data, search_backend="solr", solr_url=f"http://127.0.0.1:{PORT}/solr/zebra_faults",
                         solr_timeout=1.0)


def _fused(c: TestClient) -> tuple[dict, float]:
    start_at = time.monotonic()
    r = c.get("/api/search", params={"q": MARFAN_QUERY})
    assert r.status_code == 200, r.text
    return r.json(), time.monotonic() - start_at


def test_frozen_solr_degrades_to_the_other_rankers_within_the_timeout(node, app_dir):
    with TestClient(create_app(_settings(app_dir))) as c:
        body, _ = _fused(c)
        assert body["degraded"] is False and body["results"][0]["ranks"].get("lexical")
        pid = _pid(node)
        os.kill(pid, signal.SIGSTOP)  # Solr stops answering: every request runs into the timeout
        try:
            remembered, _ = _fused(c)  # the search just made is remembered whole: no Solr needed
            assert remembered["results"] == body["results"] and remembered["degraded"] is False
            c.app.state.live.service.recent.clear()  # a search not remembered asks Solr and runs into its timeout
            body, seconds = _fused(c)
            assert body["degraded"] is True
            assert [u["ranker"] for u in body["unavailable"]] == ["lexical"]
            assert "solr" in body["unavailable"][0]["message"].lower()
            assert seconds < 10  # the 1 s Solr timeout, not a hang
            names = [r["name"] for r in body["results"][:5]]
            assert "Marfan syndrome" in names  # the ontology ranker still finds it
            assert all("lexical" not in r["ranks"] for r in body["results"])
            page = c.get("/", params={"q": MARFAN_QUERY})
            assert page.status_code == 200 and "Partial results" in page.text and 'id="degraded"' in page.text
            r = c.get("/api/search", params={"q": MARFAN_QUERY, "ranker": "lexical"})
            assert r.status_code == 503 and r.json()["error"]["code"] == "backend_unavailable"
            assert c.get("/health").json()["status"] == "degraded"
        finally:
            os.kill(pid, signal.SIGCONT)
        body, _ = _fused(c)
        assert body["degraded"] is False and body["results"][0]["ranks"].get("lexical")


def test_stopped_solr_degrades_and_503_only_when_nothing_answers(node, app_dir, tmp_path):
    with TestClient(create_app(_settings(app_dir))) as c:
        stop(node)
        body, _ = _fused(c)
        assert body["degraded"] is True and body["unavailable"][0]["ranker"] == "lexical"
        assert "Marfan syndrome" in [r["name"] for r in body["results"][:5]]
        assert c.get("/api/analyze", params={"q": MARFAN_QUERY}).status_code == 200
    # with the ontology ranker off, Solr was the only ranker: nothing can answer
    lexical_only = _settings(app_dir).model_copy(update={"ontology": False})
    with TestClient(create_app(lexical_only)) as c:
        r = c.get("/api/search", params={"q": MARFAN_QUERY})
        assert r.status_code == 503
        error = r.json()["error"]
        assert error["code"] == "backend_unavailable" and "solr" in error["message"].lower()
        page = c.get("/", params={"q": MARFAN_QUERY}, headers={"Accept": "text/html"})
        assert page.status_code == 503 and "cannot answer" in page.text
