"""Safe reindexing: builds and imports killed halfway (a real SIGKILL) leave the previous corpus
intact, and a running server keeps answering correctly while the corpus is rebuilt beside it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from fastapi.testclient import TestClient

from core.config import Settings
from app.main import create_app
from tests.conftest import HPO_SLICE, MARFAN_QUERY, ZEBRA, start_server

FIXTURE_ARTICLES = 53


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZEBRA_")}
    return {**env, "ZEBRA_DATA_DIR": str(settings.data_dir), "ZEBRA_DATABASE_URL": settings.sql_url,
            "ZEBRA_MODEL_PATH": "", "ZEBRA_FUSION_PATH": "", "COLUMNS": "200", **extra}


def _versions(settings: Settings) -> set[str]:
    return {p.name for p in settings.tantivy_dir.glob("v*") if p.is_dir()}


def _writing(settings: Settings, engine) -> bool:
    """Whether a write transaction is open on the store (SQLite: a journal; PostgreSQL: an open transaction)."""
    if settings.sql_url.startswith("sqlite"):
        return Path(settings.sql_url.removeprefix("sqlite:///") + "-journal").exists()
    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND xact_start IS NOT NULL AND query ILIKE 'INSERT%'")).scalar())


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"the process ended (exit {proc.returncode}) before the kill point: "
                        f"{proc.stdout.read() if proc.stdout else ''}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the kill point was never reached")
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _assert_previous_corpus_serves(settings: Settings, articles: int = FIXTURE_ARTICLES) -> None:
    with TestClient(create_app(settings)) as c:
        health = c.get("/health").json()
        assert health["status"] == "ok" and health["index"]["documents"] == articles
        assert health["data_release"] == "2025-01-16"
        names = [r["name"] for r in c.get("/api/search", params={"q": MARFAN_QUERY}).json()["results"][:3]]
        assert "Marfan syndrome" in names
        assert c.get("/api/diseases/OMIM:154700").status_code == 200
    engine = create_engine(settings.sql_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == articles
    engine.dispose()


@pytest.mark.parametrize("point", ["store", "index"])
def test_build_killed_halfway_leaves_the_previous_corpus(settings, point):
    """The fixture corpus is live; a full-release build (12k articles) is killed while it writes."""
    before = _versions(settings)
    engine = create_engine(settings.sql_url)
    env = _env(settings)  # no ZEBRA_HPO_DIR: the full HPO release, slow enough to kill mid-way
    proc = subprocess.Popen([ZEBRA, "build", "--no-progress"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    ready = (lambda: _writing(settings, engine)) if point == "store" else (lambda: bool(_versions(settings) - before))
    _kill_when(proc, ready)
    engine.dispose()
    assert (settings.tantivy_dir / "CURRENT").read_text().strip() in before
    _assert_previous_corpus_serves(settings)
    # and the next build goes through
    r = subprocess.run([ZEBRA, "build", "--no-progress"], env=_env(settings, ZEBRA_HPO_DIR=str(HPO_SLICE)),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    _assert_previous_corpus_serves(settings)


def test_import_killed_halfway_imports_nothing(settings, tmp_path):
    big = tmp_path / "big.jsonl"
    with big.open("w") as fh:
        for i in range(30_000):
            fh.write(json.dumps({"article_id": f"BULK:{i}", "title": f"Bulk article {i}", "source": "BULK",
                                 "text": f"Generated note {i} on recurrent fever, rash and joint pain. " * 8}) + "\n")
    before = _versions(settings)
    proc = subprocess.Popen([ZEBRA, "import", str(big)], env=_env(settings), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    _kill_when(proc, lambda: bool(_versions(settings) - before))
    _assert_previous_corpus_serves(settings)
    with TestClient(create_app(settings)) as c:
        assert c.get("/api/articles/BULK:1").status_code == 404


def test_server_keeps_answering_while_the_corpus_is_rebuilt_and_imported(settings, tmp_path):
    env = _env(settings, ZEBRA_HPO_DIR=str(HPO_SLICE), ZEBRA_RELOAD_CHECK_SECONDS="0.2", ZEBRA_RATE_LIMIT="",
               ZEBRA_ONTOLOGY="false")
    server, base = start_server(env)
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.is_set():
                try:
                    r = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 5})
                    names = [x["name"] for x in r.json()["results"][:3]] if r.status_code == 200 else []
                    if "Marfan syndrome" not in names:
                        failures.append(f"{r.status_code}: {r.text[:300]}")
                    answered[0] += 1
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))

    try:
        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for t in threads:
            t.start()
        for _ in range(3):
            r = subprocess.run([ZEBRA, "build", "--no-progress"], env=env, capture_output=True, text=True, timeout=300)
            assert r.returncode == 0, r.stdout + r.stderr
        note = tmp_path / "note.jsonl"
        note.write_text(json.dumps({"article_id": "MYCLINIC:7", "title": "Zebroid fever", "source": "MYCLINIC",
                                    "text": "Recurrent zebroid fever with striped rash."}) + "\n")
        r = subprocess.run([ZEBRA, "import", str(note)], env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        deadline = time.monotonic() + 60  # the server notices the switch within its check interval
        while time.monotonic() < deadline:
            found = httpx.get(f"{base}/api/search", params={"q": "zebroid striped rash"}, timeout=30).json()["results"]
            if found and found[0]["disease_id"] == "MYCLINIC:7":
                break
            time.sleep(0.2)
        else:
            pytest.fail("the server never switched to the imported corpus")
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert failures == [] and answered[0] > 10
        assert httpx.get(f"{base}/health", timeout=10).json()["index"]["documents"] == FIXTURE_ARTICLES + 1
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
