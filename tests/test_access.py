"""Access control and limits: the admin key, admin import and reindex, body size, rate limit."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import MARFAN_QUERY, make_settings

KEY = "s3cret-admin-key"
ARTICLE = {"article_id": "MYCLINIC:1", "title": "Clinic note on zebroid fever",
           "text": "Recurrent zebroid fever with striped rash.", "source": "MYCLINIC"}
EVAL = [{"query": MARFAN_QUERY, "gold": ["OMIM:154700"]}]


def _client(settings, **changes) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=changes)))


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["code"] == code
    return body["error"]["message"]


def _jsonl(*articles: dict) -> bytes:
    return "".join(json.dumps(a) + "\n" for a in articles).encode()


def test_admin_actions_need_the_key_when_it_is_set(settings):
    from pydantic import SecretStr

    with _client(settings, admin_api_key=SecretStr(KEY)) as c:
        message = _error(c.post("/api/evaluations", json=EVAL), 401, "unauthorized")
        assert "X-API-Key" in message
        assert "WWW-Authenticate" in c.post("/api/evaluations", json=EVAL).headers
        _error(c.post("/api/evaluations", json=EVAL, headers={"X-API-Key": KEY + "x"}), 401, "unauthorized")
        _error(c.post("/api/admin/reindex", headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
        _error(c.post("/api/admin/import", content=_jsonl(ARTICLE),
                      headers={"Content-Type": "application/x-ndjson"}), 401, "unauthorized")
        assert c.post("/api/evaluations", json=EVAL, headers={"X-API-Key": KEY}).status_code == 202
        assert c.post("/api/evaluations", json=EVAL, headers={"Authorization": f"Bearer {KEY}"}).status_code == 202
        # searching and reading stay open; the per-query CSV holds query texts, so it needs the key
        assert c.get("/api/search", params={"q": MARFAN_QUERY}).status_code == 200
        run = c.get("/api/evaluations").json()[0]
        assert c.get(run["links"]["self"]).status_code == 200
        _error(c.get(run["links"]["queries_csv"]), 401, "unauthorized")
        assert c.get(run["links"]["queries_csv"], headers={"X-API-Key": KEY}).status_code == 200
        page = c.get(run["links"]["page"]).text
        assert "needs the admin key" in page and f'href="{run["links"]["queries_csv"]}"' not in page


def test_without_a_key_admin_actions_are_open(settings):
    with _client(settings) as c:
        assert c.post("/api/evaluations", json=EVAL).status_code == 202


def test_admin_import_is_searchable_at_once_and_all_or_nothing(settings):
    from pydantic import SecretStr

    with _client(settings, admin_api_key=SecretStr(KEY)) as c:
        auth = {"X-API-Key": KEY, "Content-Type": "application/x-ndjson"}
        before = c.get("/health").json()["index"]["documents"]
        bad = dict(ARTICLE, article_id="MYCLINIC:2", title="")
        message = _error(c.post("/api/admin/import", content=_jsonl(ARTICLE, bad), headers=auth), 422, "invalid_import")
        assert message.startswith("line 2: title")
        assert c.get("/health").json()["index"]["documents"] == before
        assert c.get("/api/search", params={"q": "zebroid striped"}).json()["results"] == []

        r = c.post("/api/admin/import", content=_jsonl(ARTICLE), headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["imported"] == 1 and r.json()["index_documents"] == before + 1
        top = c.get("/api/search", params={"q": "zebroid fever striped rash", "ranker": "lexical"}).json()["results"][0]
        assert top["disease_id"] == "MYCLINIC:1" and top["articles"][0]["source"] == "MYCLINIC"
        assert c.get("/api/diseases/MYCLINIC:1").status_code == 200
        message = _error(c.post("/api/admin/import", content=_jsonl(ARTICLE), headers=auth), 422, "invalid_import")
        assert "already exists" in message
        files = {"file": ("more.jsonl", _jsonl(dict(ARTICLE, article_id="MYCLINIC:3")), "application/octet-stream")}
        assert c.post("/api/admin/import", files=files, headers={"X-API-Key": KEY}).json()["imported"] == 1


def test_admin_reindex_rebuilds_and_keeps_imports_and_search(settings):
    with _client(settings) as c:
        c.post("/api/admin/import", content=_jsonl(ARTICLE), headers={"Content-Type": "application/x-ndjson"})
        r = c.post("/api/admin/reindex")
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["articles"] == 54 and report["imported_articles"] == 1 and report["data_release"] == "2025-01-16"
        names = [x["name"] for x in c.get("/api/search", params={"q": MARFAN_QUERY}).json()["results"][:3]]
        assert "Marfan syndrome" in names
        assert c.get("/api/diseases/MYCLINIC:1").status_code == 200


def test_request_bodies_over_the_limit_are_refused(settings):
    with _client(settings, max_body_bytes=2048) as c:
        big = _jsonl(*[dict(ARTICLE, article_id=f"MYCLINIC:{i}") for i in range(40)])
        message = _error(c.post("/api/admin/import", content=big, headers={"Content-Type": "application/x-ndjson"}),
                         413, "payload_too_large")
        assert f"{len(big):,} bytes" in message and "the limit is 2,048" in message

        def chunks():  # no Content-Length: counted while it streams in
            for i in range(0, len(big), 500):
                yield big[i:i + 500]

        r = c.post("/api/admin/import", content=chunks(), headers={"Content-Type": "application/x-ndjson"})
        assert "the limit is 2,048" in _error(r, 413, "payload_too_large")
        assert c.get("/api/diseases/MYCLINIC:1").status_code == 404  # nothing was imported


def test_rate_limit_answers_429_with_retry_after(settings):
    with _client(settings, rate_limit="5/minute") as c:
        codes = [c.get("/api/search", params={"q": "fever"}).status_code for _ in range(5)]
        assert codes == [200] * 5
        r = c.get("/api/search", params={"q": "fever"})
        message = _error(r, 429, "rate_limited")
        assert "the limit is 5 per 1 minute" in message
        assert 0 < int(r.headers["Retry-After"]) <= 61
        assert c.get("/health").status_code == 200  # monitoring is not limited


def test_a_request_refused_by_one_limit_uses_none_of_the_others(settings):
    with _client(settings, rate_limit="3/2 seconds;5/minute") as c:
        codes = [c.get("/api/search", params={"q": "fever"}).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]  # refused by the 2-second limit
        import time

        time.sleep(2.2)
        codes = [c.get("/api/search", params={"q": "fever"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]  # 5 a minute: the two refused ones did not count
        assert "5 per 1 minute" in c.get("/api/search", params={"q": "fever"}).json()["error"]["message"]


@pytest.mark.parametrize("limit", ["lots", "5/fortnight"])
def test_bad_rate_limit_setting_is_refused_naming_it(tmp_path, limit):
    with pytest.raises(ValueError, match="rate_limit"):
        make_settings(tmp_path, rate_limit=limit)
