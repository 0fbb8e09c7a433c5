"""Shared fixtures: a real SQLite store and a real tantivy index built from the committed HPO slice."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# The tests run torch on the CPU. Without this, the first optimizer step imports torch._dynamo,
# which imports triton (the GPU compiler bundled with PyPI's torch) only to probe for it, and
# triton's native module prints dozens of "nanobind: leaked …" lines when the interpreter exits.
sys.modules.setdefault("triton", None)

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from core.config import Settings
from app.main import create_app
from indexer.build import build
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import load_articles, make_engine
from models.checkpoint import save_checkpoint
from models.train import make_snippets, train
from sqlalchemy.orm import Session

from tests.shared_servers import hold

HPO_SLICE = Path(__file__).parent / "fixtures" / "hpo"
MARFAN_QUERY = "long fingers, dislocated lens, widening of the aorta"


SOLR_FIXTURES = {"solr_base", "solr_cloud_base"}


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run with tests on the PostgreSQL test database or the Solr test cores takes them before its first test,
    or stops while another run holds them (`tests.shared_servers`); listing the tests or fixtures takes nothing."""
    listing = session.config.option
    if listing.collectonly or listing.showfixtures or listing.show_fixtures_per_test:
        return
    if any(_uses_shared_servers(item) for item in session.items):
        hold()


def _uses_shared_servers(item: pytest.Item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return (params.get("database_url") == "postgresql" or bool(SOLR_FIXTURES & set(getattr(item, "fixturenames", ())))
            or item.get_closest_marker("shared_servers") is not None)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test, never from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("ZEBRA_"):
            monkeypatch.delenv(key)


def make_settings(data_dir: Path, **overrides) -> Settings:
    """Settings over the fixture corpus; no neural model and no published patients' profiles unless a test passes
    them. No rate limit (tests send many requests as one client) and no corpus polling, unless a test asks for them."""
    values = {"model_path": None, "fusion_path": None, "profiles_path": None, "rate_limit": None,
              "reload_check_seconds": 0, **overrides}
    return Settings(data_dir=data_dir, hpo_dir=HPO_SLICE, **values)


POSTGRES_URL = os.environ.get("ZEBRA_TEST_POSTGRES_URL", "postgresql+psycopg://zebra:zebra@127.0.0.1:5432/zebra_test")


def _fresh_postgres() -> str:
    """The test database, emptied; in CI an unreachable server fails the test, never skips it."""
    hold()
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    except OperationalError as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL at {POSTGRES_URL} unreachable ({exc.__class__.__name__}); "
                    "start it with scripts/postgres.sh start")
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    """The SQL store under test: a SQLite file, then the real PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'zebra.db'}"
    return _fresh_postgres()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings of a freshly built fixture corpus in its own folder (and database)."""
    s = make_settings(tmp_path / "var", database_url=database_url)
    engine = make_engine(s.sql_url)
    build(engine, TantivyIndex(s.tantivy_dir), HPO_SLICE)
    engine.dispose()
    return s


@pytest.fixture(scope="session")
def trained(tmp_path_factory) -> tuple[Path, Path]:
    """A fixture corpus (SQLite + tantivy) and a C2W2D checkpoint trained on its articles for a few seconds."""
    root = tmp_path_factory.mktemp("neural")
    settings = make_settings(root / "var")
    engine = make_engine(settings.sql_url)
    build(engine, TantivyIndex(settings.tantivy_dir), HPO_SLICE)
    with Session(engine) as s:
        articles = load_articles(s)
    labels = sorted({a.disease_id for a in articles})
    index = {d: i for i, d in enumerate(labels)}
    examples = make_snippets([a.body() for a in articles], [index[a.disease_id] for a in articles], 100, 100)
    result = train(examples, None, len(labels), "c2w2d", {"char_hidden": 32, "word_hidden": 64, "attn_dim": 64},
                   minutes=5, max_epochs=3, seed=0, progress=False, batch_size=64)
    path = save_checkpoint(root / "c2w2d.pt", result.model, "c2w2d", result.config, result.vocab, labels,
                           "2025-01-16", result.metrics())
    return root / "var", path


@pytest.fixture
def client(settings: Settings):
    with TestClient(create_app(settings)) as c:
        yield c


ZEBRA = str(Path(sys.executable).with_name("zebra"))


def free_port() -> int:
    """A local port nothing listens on (once the probe socket is closed)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], *args: str, timeout: float = 120):
    """`zebra serve` as a real process on a free port, once /health answers: (process, base URL)."""
    import subprocess
    import time

    import httpx

    port = free_port()
    server = subprocess.Popen([ZEBRA, "serve", "--port", str(port), *args], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise AssertionError(f"zebra serve did not start: {server.communicate()[0][-2000:]}")
        time.sleep(0.2)
