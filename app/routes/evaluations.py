"""Batch evaluation: the REST API under /api/evaluations and the evaluation page /evaluations.

Parses and validates uploads (JSON list or JSONL file or a shipped set name); runs are
created, ranked and stored by `app.evaluations.EvaluationManager`.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile

from app.errors import InvalidQuerySet, QuerySetMediaType
from app.json_limits import JsonTooDeep, check_jsonl_depth, loads
from app.service import RANKER_NAMES
from app.schemas import error_responses
from app.security import AdminDep
from app.evaluations import EvaluationManager, EvaluationPublic, shipped_sets
from evaluation.queryset import EXAMPLE, MAX_QUERIES, EvalQuery, QuerySetError, decode, parse_items, read_queries

router = APIRouter(prefix="/api/evaluations", tags=["evaluation"],
                   responses=error_responses(400, 401, 404, 413, 415, 422, 429, 503))
pages = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
RANKER_LIST = rf"^({'|'.join(RANKER_NAMES)})(,({'|'.join(RANKER_NAMES)}))*$"


async def get_evaluations(request: Request) -> EvaluationManager:
    return request.app.state.evaluations


EvaluationsDep = Annotated[EvaluationManager, Depends(get_evaluations)]
RunId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The run's id.")]
_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "array", "minItems": 1, "maxItems": MAX_QUERIES, "items": EvalQuery.model_json_schema()},
                         "example": [json.loads(EXAMPLE)]},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary", "description": "JSONL: one {query, gold} object per line."},
        "set": {"type": "string", "description": "Instead of a file: a shipped query set (dev, test, real-tune, real-test)."},
        "name": {"type": "string"}, "rankers": {"type": "string"}}}},
}}}


def _too_big(size: int) -> InvalidQuerySet:
    return InvalidQuerySet(f"the upload has {size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,}. "
                           "Split the query set into several runs")


async def _from_json(request: Request) -> tuple[str, list[EvalQuery]]:
    body = await request.body()
    if len(body) > MAX_UPLOAD_BYTES:
        raise _too_big(len(body))
    try:
        data = loads(body)
    except JsonTooDeep as exc:
        raise InvalidQuerySet(str(exc)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InvalidQuerySet(f"the body is not valid JSON{where}; send a JSON list like [{EXAMPLE}]") from None
    return "JSON request", parse_items(data)


async def _from_form(request: Request) -> tuple[str, list[EvalQuery], dict[str, str]]:
    form = await request.form()
    upload, chosen = form.get("file"), str(form.get("set") or "")
    fields = {k: str(form.get(k) or "") for k in ("name", "rankers")}
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise _too_big(len(data))
        try:
            check_jsonl_depth(data)
        except JsonTooDeep as exc:
            raise InvalidQuerySet(str(exc)) from None
        return upload.filename, decode(data), fields
    if chosen:
        sets = shipped_sets()
        if chosen not in sets:
            raise InvalidQuerySet(f"no shipped query set {chosen!r}; choose one of {', '.join(sets) or 'none'}")
        return f"{chosen} (shipped set)", await run_in_threadpool(read_queries, sets[chosen]), fields
    raise InvalidQuerySet("send the JSONL file in the form field 'file', or name a shipped query set in the "
                          f"field 'set' ({', '.join(shipped_sets())})")


def _names(rankers: str | None) -> list[str] | None:
    names = [r.strip() for r in (rankers or "").split(",") if r.strip()]
    return names or None


@router.post("", status_code=202, response_model=EvaluationPublic, openapi_extra=_BODY,
             summary="Start an evaluation run on a query set",
             description=f"A JSON list of {{query, gold}} objects, or multipart/form-data with a JSONL `file` "
                         f"(or the name of a shipped `set`); at most {MAX_QUERIES:,} queries. Every line is "
                         "validated first; an error names the line. The run is ranked in the background: poll "
                         "GET /api/evaluations/{id}.")
async def create_evaluation(
    request: Request, evaluations: EvaluationsDep, _: AdminDep,
    rankers: Annotated[str | None, Query(max_length=200, pattern=RANKER_LIST,
                                         description="Comma-separated; default: every ranker.")] = None,
    name: Annotated[str | None, Query(max_length=200, description="A label for the run.")] = None,
) -> JSONResponse:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind == "application/json":
            (label, queries), fields = await _from_json(request), {}
        elif kind in ("multipart/form-data", "application/x-www-form-urlencoded"):  # the latter: `set` only
            label, queries, fields = await _from_form(request)
        else:
            raise QuerySetMediaType(f"content type {kind or 'none'!r} is not accepted; send application/json (a list "
                                    "of {query, gold}) or multipart/form-data with a JSONL file")
    except QuerySetError as exc:
        raise InvalidQuerySet(str(exc)) from None
    label = (name or fields.get("name") or label)[:200]
    names = _names(rankers or fields.get("rankers"))
    evaluations.service.require_loaded(names or [])  # a 503, as in search
    run = await run_in_threadpool(evaluations.submit, label, queries, names)
    return JSONResponse(run.model_dump(mode="json"), status_code=202, headers={"Location": run.links["self"]})


@router.get("", response_model=list[EvaluationPublic], summary="Evaluation runs, newest first")
def list_evaluations(evaluations: EvaluationsDep,
                     limit: Annotated[int, Query(ge=1, le=500, description="Most runs to return.")] = 50):
    return evaluations.list(limit)


@router.get("/{run_id}", response_model=EvaluationPublic, summary="A run's status, progress and metrics")
def get_evaluation(evaluations: EvaluationsDep, run_id: RunId) -> EvaluationPublic:
    return evaluations.get(run_id)


@router.get("/{run_id}/queries.csv", response_class=Response, summary="A run's per-query ranks as CSV",
            description="Holds the query texts (which can be health information), so it needs the admin key "
                        "when one is set.")
def evaluation_csv(evaluations: EvaluationsDep, run_id: RunId, _: AdminDep) -> Response:
    return Response(evaluations.queries_csv(run_id), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="evaluation-{run_id}-queries.csv"'})


def _page(request: Request, evaluations: EvaluationManager, run: EvaluationPublic | None) -> HTMLResponse:
    sets = {name: sum(1 for _ in path.open(encoding="utf-8")) for name, path in shipped_sets().items()}
    return request.app.state.templates.TemplateResponse(request, "evaluations.html", {
        "run": run, "runs": evaluations.list(20), "sets": sets, "max_queries": MAX_QUERIES,
        "rankers": evaluations.service.rankers, "data_release": evaluations.service.catalogue.data_release,
        "admin_key_required": request.app.state.settings.admin_api_key is not None})


@pages.get("/evaluations", response_class=HTMLResponse)
def evaluations_page(request: Request, evaluations: EvaluationsDep) -> HTMLResponse:
    return _page(request, evaluations, None)


@pages.get("/evaluations/{run_id}", response_class=HTMLResponse)
def evaluation_page(request: Request, evaluations: EvaluationsDep, run_id: RunId) -> HTMLResponse:
    return _page(request, evaluations, evaluations.get(run_id))
