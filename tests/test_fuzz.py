"""Property-based fuzzing of the REST API from its own OpenAPI schema (schemathesis), over the fixture corpus.

Every generated request, valid (positive) or not (negative), must get an answer the schema
documents and describes, never a 5xx, and every 4xx must carry the one error shape; every
request the schema calls valid must be accepted.
Examples are bounded and derandomized so CI is reproducible.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance, status_code_conformance

from app.main import create_app
from indexer.build import build
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import make_engine
from tests.conftest import HPO_SLICE, make_settings

ADMIN_KEY = "fuzz-admin-key"
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# Built by hand, not by `schemathesis.pytest.from_fixture`: its lazy loader sets `node._nodeid`, which
# pytest 9 no longer has. `test_every_operation_is_fuzzed` keeps this list complete.
OPERATIONS = [
    ("GET", "/api/search"),
    ("POST", "/api/search"),
    ("GET", "/api/analyze"),
    ("GET", "/api/terms"),
    ("GET", "/api/diseases/{disease_id}"),
    ("GET", "/api/articles/{article_id}"),
    ("GET", "/api/attention"),
    ("GET", "/health"),
    ("POST", "/api/evaluations"),
    ("GET", "/api/evaluations"),
    ("GET", "/api/evaluations/{run_id}"),
    ("GET", "/api/evaluations/{run_id}/queries.csv"),
    ("POST", "/api/admin/import"),
    ("POST", "/api/admin/reindex"),
    ("GET", "/api/admin/health"),
]
NO_INPUTS = {("GET", "/health"), ("POST", "/api/admin/reindex"), ("GET", "/api/admin/health")}  # nothing to make invalid
CASES = [(m, p, mode) for m, p in OPERATIONS for mode in (POSITIVE, NEGATIVE)
         if not (mode is NEGATIVE and (m, p) in NO_INPUTS)]
EXAMPLES = 30
# Each accepted upload starts a background evaluation run, or rewrites the corpus: a few cover them.
EXAMPLES_FOR = {("POST", "/api/evaluations"): 6, ("POST", "/api/admin/import"): 10}
# The fixture app has no neural model: attention, and search with ranker=neural, answer 503 by design.
EXPECTED_5XX = {("GET", "/api/attention"): (503, "model_not_loaded"),
                ("GET", "/api/search"): (503, "ranker_unavailable"),
                ("POST", "/api/search"): (503, "ranker_unavailable"),
                ("POST", "/api/evaluations"): (503, "ranker_unavailable")}
# JSONL travels as an opaque string or file: the schema cannot say which ones hold valid lines. Where the
# operation also takes a JSON body the schema does describe, only that one is checked for acceptance.
OPAQUE_BODY = {("POST", "/api/admin/import"), ("POST", "/api/search")}  # a phenopacket: its own schema
DESCRIBED_BODY = {("POST", "/api/evaluations"): "application/json"}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    """The OpenAPI schema of an app over a freshly built fixture corpus (SQLite + tantivy, no neural model)."""
    root: Path = tmp_path_factory.mktemp("fuzz")
    s = make_settings(root / "var", admin_api_key=ADMIN_KEY, rate_limit=None)
    engine = make_engine(s.sql_url)
    build(engine, TantivyIndex(s.tantivy_dir), HPO_SLICE)
    engine.dispose()
    # Loading the schema starts the app's lifespan; schemathesis keeps it running for the requests.
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(s))
    yield schema
    asgi.shutdown_lifespans()  # stops the evaluation workers and disposes of the engine


def one_error_shape(ctx, response, case) -> bool | None:
    """Every 4xx body is exactly {"error": {"status", "code", "message"}}, its status the response's."""
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, f"not the one error shape: {body!r}"
    error = body["error"]
    assert isinstance(error, dict) and set(error) == {"status", "code", "message"}, f"not the one error shape: {body!r}"
    assert error["status"] == response.status_code, f"status {error['status']} in a {response.status_code} body"
    assert isinstance(error["code"], str) and error["code"], f"no error code: {body!r}"
    assert isinstance(error["message"], str) and error["message"], f"no error message: {body!r}"
    return True


def only_expected_server_error(status: int, code: str):
    """A check allowing one 5xx, by status and error code (used instead of `not_a_server_error`)."""
    def expected_server_error(ctx, response, case) -> bool | None:
        if response.status_code < 500:
            return None
        body = response.json()
        assert (response.status_code, body["error"]["code"]) == (status, code), f"unexpected server error: {body!r}"
        return True
    return expected_server_error


def test_every_operation_is_fuzzed(api_schema):
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


def fuzz(operation, mode: GenerationMode, examples: int, media_type: str | None = None, **validate):
    """Run `examples` derandomized cases of `operation` (bodies of `media_type` only, if given) through
    the app, validating each response."""
    cases = operation.as_strategy(generation_mode=mode)
    if media_type is not None:
        cases = cases.filter(lambda case: case.media_type == media_type)

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=cases)
    def run(case):
        case.call_and_validate(headers={"X-API-Key": ADMIN_KEY}, **validate)

    run()


CASE_IDS = [f"{m} {p} {mode.value}" for m, p, mode in CASES]


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=CASE_IDS)
def test_operation_never_fails_and_answers_in_shape(api_schema, method, path, mode):
    """No 5xx, the one error shape on every 4xx, bodies and content types as the schema describes them,
    invalid data rejected. (Which statuses the schema documents is the next test's concern, so that
    documentation gaps cannot hide a crash here.)"""
    additional, excluded = [one_error_shape], [status_code_conformance, positive_data_acceptance]
    if (method, path) in EXPECTED_5XX:
        additional.append(only_expected_server_error(*EXPECTED_5XX[method, path]))
        excluded.append(not_a_server_error)
    fuzz(api_schema[path][method], mode, EXAMPLES_FOR.get((method, path), EXAMPLES),
         additional_checks=additional, excluded_checks=excluded)


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=CASE_IDS)
def test_operation_documents_its_answers(api_schema, method, path, mode):
    """Every status the app answers is documented, and every request the schema calls valid is accepted."""
    checks = [status_code_conformance]
    if (method, path) not in OPAQUE_BODY:
        checks.append(positive_data_acceptance)
    fuzz(api_schema[path][method], mode, EXAMPLES_FOR.get((method, path), EXAMPLES),
         media_type=DESCRIBED_BODY.get((method, path)) if mode is POSITIVE else None, checks=checks)
