"""Faults at start-up: an unreachable database, broken checkpoints. (Solr faults: tests/solr/test_solr_faults.py.)"""

from __future__ import annotations

import os
import random
import subprocess
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.database import StoreUnavailable
from app.main import create_app
from tests.conftest import HPO_SLICE, MARFAN_QUERY, POSTGRES_URL, ZEBRA, _fresh_postgres, free_port, make_settings


def _serve(tmp_path: Path, database_url: str, attempts: int = 3) -> subprocess.CompletedProcess:
    env = {**os.environ, "ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE),
           "ZEBRA_DATABASE_URL": database_url, "ZEBRA_DB_CONNECT_ATTEMPTS": str(attempts),
           "ZEBRA_DB_CONNECT_WAIT": "0.2", "ZEBRA_PORT": str(free_port()), "COLUMNS": "300"}
    return subprocess.run([ZEBRA, "serve"], env=env, capture_output=True, text=True, timeout=120)


def _unreachable_urls() -> dict[str, str]:
    real = make_url(POSTGRES_URL)
    return {
        "server stopped": real.set(port=free_port(), password="hunter2").render_as_string(hide_password=False),
        "database missing": real.set(database="zebra_no_such_db").render_as_string(hide_password=False),
    }


@pytest.mark.shared_servers
@pytest.mark.parametrize("case", ["server stopped", "database missing"])
def test_unreachable_database_at_start_is_retried_then_exits_non_zero(tmp_path, case):
    _fresh_postgres()  # the real server is up: "database missing" reaches it and is refused
    url = _unreachable_urls()[case]
    started = time.monotonic()
    result = _serve(tmp_path, url)
    assert result.returncode == 1, result.stdout + result.stderr
    out = " ".join((result.stdout + result.stderr).split())
    assert "cannot reach the SQL store at postgresql+psycopg://zebra:***@127.0.0.1" in out
    assert "after 3 tries" in out and "ZEBRA_DATABASE_URL" in out
    assert out.count("Retrying") == 2  # bounded: the tries between the first and the last
    assert "hunter2" not in out  # the password is never printed
    assert time.monotonic() - started < 60


def test_app_start_raises_the_same_error(tmp_path):
    url = _unreachable_urls()["server stopped"]
    settings = make_settings(tmp_path / "var", database_url=url, db_connect_attempts=2, db_connect_wait=0.1)
    with pytest.raises(StoreUnavailable, match="after 2 tries"):
        with TestClient(create_app(settings)):
            pass


def _broken_checkpoints(good: Path, folder: Path) -> dict[str, Path]:
    data = good.read_bytes()
    truncated, garbage, empty = folder / "truncated.pt", folder / "garbage.pt", folder / "empty.pt"
    truncated.write_bytes(data[: len(data) // 2])
    garbage.write_bytes(random.Random(0).randbytes(4096))
    empty.write_bytes(b"")
    return {"truncated": truncated, "garbage": garbage, "empty": empty, "missing": folder / "missing.pt",
            "a folder": folder}


@pytest.mark.parametrize("kind", ["truncated", "garbage", "empty", "missing", "a folder"])
def test_broken_checkpoint_is_refused_with_the_reason_and_search_goes_on(trained, tmp_path, kind):
    data_dir, model = trained
    path = _broken_checkpoints(model, tmp_path)[kind]
    with TestClient(create_app(make_settings(data_dir, model_path=path))) as c:
        health = c.get("/health").json()
        assert health["model"]["loaded"] is False
        assert path.name in health["model"]["detail"] and str(path) not in health["model"]["detail"]  # no folders
        assert str(path) in c.get("/api/admin/health").json()["model"]["detail"]  # the admin report has them
        body = c.get("/api/search", params={"q": MARFAN_QUERY}).json()
        assert "Marfan syndrome" in [r["name"] for r in body["results"][:3]] and body["ranker"] == "fused"
        assert all("neural" not in r["ranks"] for r in body["results"])
        r = c.get("/api/search", params={"q": MARFAN_QUERY, "ranker": "neural"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "ranker_unavailable"
        assert "neural model not loaded" in c.get("/", params={"q": MARFAN_QUERY}).text
