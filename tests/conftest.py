"""Shared fixtures: a real SQLite store and a real tantivy index built from the committed HPO slice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from indexer.build import build
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import make_engine

HPO_SLICE = Path(__file__).parent / "fixtures" / "hpo"
MARFAN_QUERY = "long fingers, dislocated lens, widening of the aorta"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test, never from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("ZEBRA_"):
            monkeypatch.delenv(key)


def make_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, hpo_dir=HPO_SLICE, **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings of a freshly built fixture corpus in its own folder."""
    s = make_settings(tmp_path / "var")
    build(make_engine(s.sql_url), TantivyIndex(s.tantivy_dir), HPO_SLICE)
    return s


@pytest.fixture
def client(settings: Settings):
    with TestClient(create_app(settings)) as c:
        yield c
