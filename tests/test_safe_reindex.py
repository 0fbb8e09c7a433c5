"""Safe reindexing: builds and imports killed halfway (a real SIGKILL) leave the previous corpus
intact, and a running server keeps answering correctly while the corpus is rebuilt beside it (by
another process, or by its own admin API)."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import weakref
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import create_engine, text
from fastapi.testclient import TestClient

from core.config import Settings
from app.main import create_app
from app.loading import load_service
from app.reloading import LiveService
from indexer.build import build
from indexer.lexical import open_index
from indexer.store import make_engine
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


class Searchers:
    """Threads searching a live server for the Marfan query until stopped, noting every wrong answer."""

    def __init__(self, base: str, n: int = 3):
        self.base, self.failures, self.answered, self.stop = base, [], 0, threading.Event()
        self.threads = [threading.Thread(target=self._search) for _ in range(n)]
        for t in self.threads:
            t.start()

    def _search(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stop.is_set():
                try:
                    r = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 5})
                    names = [x["name"] for x in r.json()["results"][:3]] if r.status_code == 200 else []
                    if "Marfan syndrome" not in names:
                        self.failures.append(f"{r.status_code}: {r.text[:300]}")
                    self.answered += 1
                except httpx.HTTPError as exc:
                    self.failures.append(repr(exc))

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def test_server_keeps_answering_while_the_corpus_is_rebuilt_and_imported(settings, tmp_path):
    env = _env(settings, ZEBRA_HPO_DIR=str(HPO_SLICE), ZEBRA_RELOAD_CHECK_SECONDS="0.2", ZEBRA_RATE_LIMIT="",
               ZEBRA_ONTOLOGY="false")
    server, base = start_server(env)
    searchers = Searchers(base)
    try:
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
        searchers.finish()
        assert searchers.failures == [] and searchers.answered > 10
        assert httpx.get(f"{base}/health", timeout=10).json()["index"]["documents"] == FIXTURE_ARTICLES + 1
    finally:
        searchers.finish()
        _stop(server)


def test_server_keeps_answering_through_its_own_admin_reindex_and_import(settings):
    """The admin API's writes run beside the searches (in a child process); every search meanwhile is
    answered correctly, and each write's answer comes after the server has switched."""
    server, base = start_server(_env(settings, ZEBRA_HPO_DIR=str(HPO_SLICE), ZEBRA_RATE_LIMIT=""))
    searchers = Searchers(base)
    try:
        with httpx.Client(base_url=base, timeout=300) as admin:
            for _ in range(2):
                r = admin.post("/api/admin/reindex")
                assert r.status_code == 200, r.text
                assert r.json()["articles"] == FIXTURE_ARTICLES and r.json()["data_release"] == "2025-01-16"
            note = json.dumps({"article_id": "MYCLINIC:7", "title": "Zebroid fever", "source": "MYCLINIC",
                               "text": "Recurrent zebroid fever with striped rash."}) + "\n"
            r = admin.post("/api/admin/import", content=note, headers={"Content-Type": "application/x-ndjson"})
            assert r.status_code == 200, r.text
            assert r.json()["imported"] == 1 and r.json()["index_documents"] == FIXTURE_ARTICLES + 1
            top = admin.get("/api/search", params={"q": "zebroid striped rash"}).json()["results"][0]
            assert top["disease_id"] == "MYCLINIC:7"
            bad = admin.post("/api/admin/import", content=note, headers={"Content-Type": "application/x-ndjson"})
            assert bad.status_code == 422 and "already exists" in bad.json()["error"]["message"]
        searchers.finish()
        assert searchers.failures == [] and searchers.answered > 10
    finally:
        searchers.finish()
        _stop(server)


def test_admin_reindex_whose_build_process_is_killed_keeps_the_previous_corpus(settings):
    """The admin reindex's build runs in a child process of the server: SIGKILL it mid-way and the
    reindex answers 500 naming what happened, while the server goes on serving the previous corpus."""
    server, base = start_server(_env(settings, ZEBRA_RATE_LIMIT=""))  # the full release: slow enough to kill
    result: dict = {}

    def reindex() -> None:
        result["r"] = httpx.post(f"{base}/api/admin/reindex", timeout=600)

    try:
        worker = threading.Thread(target=reindex)
        worker.start()
        deadline = time.monotonic() + 120
        while not (builders := [p for p in psutil.Process(server.pid).children()
                                if "spawn_main" in " ".join(p.cmdline()) and "resource_tracker" not in " ".join(p.cmdline())]):
            assert time.monotonic() < deadline and worker.is_alive(), "no build process appeared"
            time.sleep(0.05)
        time.sleep(1)
        builders[0].send_signal(signal.SIGKILL)
        worker.join(timeout=300)
        r = result["r"]
        assert r.status_code == 500 and r.json()["error"]["code"] == "reindex_failed"
        assert r.json()["error"]["message"].startswith("the build's process ended before it finished")
        assert httpx.get(f"{base}/health", timeout=10).json()["index"]["documents"] == FIXTURE_ARTICLES
        names = [x["name"] for x in httpx.get(f"{base}/api/search", params={"q": MARFAN_QUERY}, timeout=30)
                 .json()["results"][:3]]
        assert "Marfan syndrome" in names
    finally:
        _stop(server)
    _assert_previous_corpus_serves(settings)


def test_a_reload_shares_the_recognizer_and_frees_the_replaced_corpus(settings, tmp_path):
    """Reloading over the same HPO release reuses its phrase dictionary instead of rebuilding it, and
    the replaced service is released at once (no reference cycles keep it: memory stays flat across
    reindexes). Another HPO folder gets a recognizer of its own."""
    engine = make_engine(settings.sql_url)
    live = LiveService(settings, engine)
    ontology = live.service.get_ranker("ontology")
    recognizer, replaced, similarity = ontology.recognizer, weakref.ref(live.service), weakref.ref(ontology.ontology)
    del ontology
    build(engine, open_index(**settings.lexical_options), HPO_SLICE)
    assert live.reload()
    assert live.service.get_ranker("ontology").recognizer is recognizer
    assert replaced() is None and similarity() is None

    copy = tmp_path / "hpo-copy"
    shutil.copytree(HPO_SLICE, copy)
    elsewhere = settings.model_copy(update={"hpo_dir": copy})
    moved, _ = load_service(elsewhere, engine, previous=live.service)
    assert moved.get_ranker("ontology").recognizer is not recognizer
    again, _ = load_service(elsewhere, engine, previous=moved)
    assert again.get_ranker("ontology").recognizer is moved.get_ranker("ontology").recognizer
    (copy / "hp.obo").touch()  # an edited release file
    edited, _ = load_service(elsewhere, engine, previous=again)
    assert edited.get_ranker("ontology").recognizer is not again.get_ranker("ontology").recognizer
    engine.dispose()


def test_a_loaded_server_searches_without_the_cyclic_collector(settings):
    """Once loaded, the service's objects are frozen out of the cyclic collector's reach, and neither a search's own
    objects (freed by reference counting when it ends) nor what the caches keep of new queries wake it: no
    collection runs during searches (at Python's threshold of 700, these few searches over the fixture corpus
    already ran two; a search of the full corpus ran about four)."""
    engine = make_engine(settings.sql_url)
    before = gc.get_threshold()
    runs: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            runs.append(info["generation"])
    try:
        live = LiveService(settings, engine)
        assert gc.get_freeze_count() > 10_000
        live.service.search(MARFAN_QUERY, 20)  # first-call costs
        gc.callbacks.append(count)
        for k in (5, 20, 50):
            for query in (MARFAN_QUERY, "seizures, ataxia and hypotonia", "tall, long fingers, no seizures"):
                assert live.service.search(query, k).results
        assert runs == []
    finally:  # the loaded objects stay frozen, as after every other test that loads a service
        if count in gc.callbacks:
            gc.callbacks.remove(count)
        gc.set_threshold(*before)
        engine.dispose()
