"""SolrIndex against a real Solr core: the same behaviour as the tantivy backend, plus atomic rebuilds."""

from __future__ import annotations

import dataclasses
import json

import pysolr
import pytest
import requests
from typer.testing import CliRunner

from cli.main import app
from indexer.corpus import Article
from indexer.lexical.base import (
    Filters, IndexMismatch, IndexNotBuilt, LexicalIndexError, LexicalIndexUnavailable,
)
from indexer.lexical.solr_index import SolrIndex, edismax_query

from tests.conftest import HPO_SLICE, MARFAN_QUERY
from tests.test_store_and_search import HOSTILE


def _stage_cores(base: str, name: str) -> list[str]:
    status = requests.get(f"{base}/admin/cores", params={"action": "STATUS", "wt": "json"}, timeout=10).json()
    return [c for c in status["status"] if c.startswith(f"{name}__stage_")]


def test_marfan_query_finds_marfan_articles(solr_index):
    hits = solr_index.search(MARFAN_QUERY, 10)
    top_diseases = list(dict.fromkeys(h.disease_id for h in hits))[:3]
    assert "OMIM:154700" in top_diseases
    marfan = [h for h in hits if h.disease_id == "OMIM:154700"]
    assert {h.article_id for h in marfan} == {"OMIM:154700", "ORPHA:558"}
    assert all(h.snippet == "" for h in hits)
    solr_index.highlight(MARFAN_QUERY, marfan)
    assert all("<b>" in h.snippet for h in marfan)


def test_count_health_and_metadata(solr_index, corpus):
    assert solr_index.count() == len(corpus.articles) == 53
    health = solr_index.health()
    assert health.ok and health.backend == "solr" and health.documents == 53
    assert health.meta["data_release"] == "2025-01-16" and health.meta["mode"] == "standalone"


def test_source_filter(solr_index):
    hits = solr_index.search(MARFAN_QUERY, 20, Filters(source="ORPHA"))
    assert hits and {h.source for h in hits} == {"ORPHA"}
    assert solr_index.search(MARFAN_QUERY, 20, Filters(source='OMIM"} OR *:*')) == []


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(solr_index, query):
    hits = solr_index.search(query, 10)
    solr_index.highlight(query, hits)
    for h in hits:
        assert "<script>" not in h.snippet


def test_operator_words_are_searched_as_words(solr_index):
    plain = [h.article_id for h in solr_index.search("aorta lens", 10)]
    with_ops = [h.article_id for h in solr_index.search('aorta AND "lens', 10)]
    assert plain[:3] == with_ops[:3]
    assert solr_index.search("title:zzzz", 5) == []  # field syntax is two plain words, neither in the corpus
    assert edismax_query(["long", "fingers", "long"]) == "long^2 fingers"


def test_snippets_are_html_escaped(solr_base):
    index = SolrIndex(f"{solr_base}/zebra_test_escape", timeout=30)
    article = Article(article_id="TEST:1", source="TEST", title="Escaping", disease_id="TEST:1",
                      text="Widening of the aorta <script>alert(1)</script> & more")
    index.rebuild([article], "test")
    hits = index.search("aorta script", 5)
    index.highlight("aorta script", hits)
    assert [h.article_id for h in hits] == ["TEST:1"]
    assert "<b>aorta</b>" in hits[0].snippet and "&lt;<b>script</b>&gt;" in hits[0].snippet
    assert "<script>" not in hits[0].snippet and "&amp;" in hits[0].snippet


def test_staged_index_is_invisible_until_activated(solr_base, corpus):
    index = SolrIndex(f"{solr_base}/zebra_test_rebuild", timeout=30)
    index.rebuild(corpus.articles, corpus.release)
    staged = index.stage(corpus.articles[:10], corpus.release)
    assert index.count() == 53  # readers still see the old index
    staged.activate()
    assert index.count() == 10
    assert _stage_cores(solr_base, "zebra_test_rebuild") == []  # the old core is gone after the swap
    staged = index.stage(corpus.articles[:5], corpus.release)
    staged.discard()
    assert index.count() == 10 and _stage_cores(solr_base, "zebra_test_rebuild") == []


def test_failed_rebuild_keeps_the_live_index(solr_base, corpus):
    index = SolrIndex(f"{solr_base}/zebra_test_failed", timeout=30, batch_size=20)
    index.rebuild(corpus.articles, corpus.release)
    before = [h.article_id for h in index.search(MARFAN_QUERY, 10)]
    # Solr itself rejects the last batch: a string term over 32,766 bytes cannot be indexed.
    broken = dataclasses.replace(corpus.articles[0], article_id="TEST:broken", disease_id="X" * 40_000)
    with pytest.raises(LexicalIndexError, match="indexing failed"):
        index.rebuild([*corpus.articles, broken], corpus.release)
    assert index.count() == 53
    assert [h.article_id for h in index.search(MARFAN_QUERY, 10)] == before
    assert _stage_cores(solr_base, "zebra_test_failed") == []


def test_add_replaces_by_article_id(solr_base, corpus):
    index = SolrIndex(f"{solr_base}/zebra_test_add", timeout=30)
    index.rebuild(corpus.articles, corpus.release)
    new = Article(article_id="MYCLINIC:1", source="MYCLINIC", title="Zebra stripes", text="quagga stripes",
                  disease_id="MYCLINIC:1")
    index.add([new, dataclasses.replace(new, text="okapi stripes")])
    assert index.count() == 54
    assert [h.article_id for h in index.search("okapi", 5)] == ["MYCLINIC:1"]


def test_errors_name_the_problem(solr_base):
    missing = SolrIndex(f"{solr_base}/zebra_test_missing", timeout=5)
    with pytest.raises(IndexNotBuilt, match="no Solr core or collection 'zebra_test_missing'"):
        missing.search("aorta", 5)
    health = missing.health()
    assert not health.ok and "zebra_test_missing" in health.detail
    down = SolrIndex("http://127.0.0.1:9/solr/zebra", timeout=2)
    with pytest.raises(LexicalIndexUnavailable, match="cannot reach Solr at http://127.0.0.1:9/solr"):
        down.search("aorta", 5)
    assert not down.health().ok
    with pytest.raises(ValueError, match="must name a core or collection"):
        SolrIndex("http://127.0.0.1:8983/")


def test_cli_builds_and_serves_from_solr(solr_base, tmp_path):
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200",
           "ZEBRA_SEARCH_BACKEND": "solr", "ZEBRA_SOLR_URL": f"{solr_base}/zebra_test_cli", "ZEBRA_SOLR_TIMEOUT": "30"}
    runner = CliRunner()
    r = runner.invoke(app, ["build", "--no-progress"], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["info"], env=env)
    assert r.exit_code == 0 and "solr (53 documents)" in r.output
    r = runner.invoke(app, ["search", MARFAN_QUERY, "-k", "3"], env=env)
    assert r.exit_code == 0 and "OMIM:154700, ORPHA:558" in r.output
    assert not (tmp_path / "var" / "index").exists()  # nothing went to tantivy


def test_solr_status_command(solr_base):
    runner = CliRunner()
    port = solr_base.split(":")[-1].split("/")[0]
    r = runner.invoke(app, ["solr", "status", "--port", port], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and f"healthy at http://127.0.0.1:{port}/solr/zebra" in r.output
    r = runner.invoke(app, ["solr", "status", "--port", "9"], env={"COLUMNS": "200"})
    assert r.exit_code == 1 and "not healthy: no answer at http://127.0.0.1:9/solr" in r.output


def test_format_mismatch_names_both_versions(solr_base, corpus):
    index = SolrIndex(f"{solr_base}/zebra_test_mismatch", timeout=30)
    index.rebuild(corpus.articles[:3], corpus.release)
    old_meta = {"article_id": "_zebra_meta", "meta_json": json.dumps({"format_version": 0})}
    pysolr.Solr(index.url, timeout=30).add([old_meta], commit=True)
    stale = SolrIndex(index.url, timeout=30)
    with pytest.raises(IndexMismatch, match="holds index format 0 with schema 'zebra-1'; this version needs format 1"):
        stale.search("aorta", 5)
    assert not stale.health().ok
