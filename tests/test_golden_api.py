"""API responses on the dev queries stay identical across refactoring: every ranker's answer to the
first dev queries (and a few hand-written ones) over the fixture corpus is compared with the
recorded `tests/golden/api_dev_queries.json`.

A change that is meant to change rankings rewrites the file with
`WRITE_GOLDEN=1 pytest tests/test_golden_api.py` (the run then fails once, naming the
file) and says in its commit why the answers changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from indexer.build import build
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import make_engine
from tests.conftest import HPO_SLICE, MARFAN_QUERY, make_settings

GOLDEN = Path(__file__).parent / "golden" / "api_dev_queries.json"
DEV = Path(__file__).parents[1] / "data" / "queries" / "dev.jsonl"
HAND = [MARFAN_QUERY, "tall, long fingers, no seizures", "elevated CK, calf hypertrophy, Gowers sign, 4 yo boy",
        "HP:0001166, HP:0001083", "qqqqzzzz"]
RANKERS = (None, "lexical", "ontology")  # None: the default (fused)


def _rounded(value):
    """Floats to 5 significant digits: tantivy's f32 BM25 scores move in the 7th between two builds."""
    if isinstance(value, float):
        return float(f"{value:.5g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _queries() -> list[str]:
    dev = [json.loads(line)["query"] for line in DEV.read_text().splitlines()[:40]]
    return dev + HAND


def _answers(client: TestClient) -> dict[str, list]:
    out = {}
    for ranker in RANKERS:
        rows = []
        for q in _queries():
            params = {"q": q, "k": 10, "ask_next": "true"} | ({"ranker": ranker} if ranker else {})
            r = client.get("/api/search", params=params)
            assert r.status_code == 200, r.text
            rows.append(_rounded(r.json()))
        out[ranker or "fused"] = rows
    return out


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict[str, list]:
    settings = make_settings(tmp_path_factory.mktemp("golden") / "var")
    engine = make_engine(settings.sql_url)
    build(engine, TantivyIndex(settings.tantivy_dir), HPO_SLICE)
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        return _answers(client)


def test_api_answers_on_dev_queries_are_unchanged(answers):
    if os.environ.get("WRITE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
        pytest.fail(f"golden answers written to {GOLDEN}; rerun without WRITE_GOLDEN")
    golden = json.loads(GOLDEN.read_text())
    assert sorted(golden) == sorted(answers)
    for ranker, rows in golden.items():
        for expected, got in zip(rows, answers[ranker], strict=True):
            assert got == expected, f"{ranker}: the answer to {expected['query']!r} changed"
