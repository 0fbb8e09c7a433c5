"""Domain exceptions and the one JSON error shape every failure takes.

Owns the mapping exception → status code → `{"error": {"status", "code", "message"}}`
(HTML pages get the same message in the error template). Routes raise; only this
module turns exceptions into responses.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.search_form import form_context
from core.validation import describe

log = logging.getLogger(__name__)


class ZebraError(Exception):
    status = 500
    code = "internal_error"
    headers: dict[str, str] = {}

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DiseaseNotFound(ZebraError):
    status, code = 404, "disease_not_found"

    def __init__(self, disease_id: str):
        super().__init__(f"no disease with id {disease_id!r}; disease ids look like OMIM:154700 or ORPHA:558")


class ArticleNotFound(ZebraError):
    status, code = 404, "article_not_found"

    def __init__(self, article_id: str):
        super().__init__(f"no article with id {article_id!r}; article ids look like OMIM:154700 or ORPHA:558")


class ModelNotLoaded(ZebraError):
    status, code = 503, "model_not_loaded"

    def __init__(self, message: str = "no neural model is loaded; see /health for the reason (set "
                                      "ZEBRA_MODEL_PATH to a checkpoint trained with `zebra train` on this corpus)"):
        super().__init__(message)


class InvalidPhenopacket(ZebraError):
    status, code = 422, "invalid_phenopacket"


class PlotNotFound(ZebraError):
    status, code = 404, "not_found"

    def __init__(self, kind: str):
        super().__init__(f"no model plot named {kind!r}; the plots are chars.png and words.png")


class AdminKeyRequired(ZebraError):
    status, code = 401, "unauthorized"
    headers = {"WWW-Authenticate": 'Bearer realm="zebra-admin"'}


class PayloadTooLarge(ZebraError):
    status, code = 413, "payload_too_large"


class AdminBusy(ZebraError):
    status, code = 409, "busy"


class ReindexFailed(ZebraError):
    status, code = 500, "reindex_failed"


class InvalidImport(ZebraError):
    """An article import refused as a whole; the message names the line."""

    status, code = 422, "invalid_import"


class BackendUnavailable(ZebraError):
    status, code = 503, "backend_unavailable"


class UnknownRanker(ZebraError):
    status, code = 422, "unknown_ranker"

    def __init__(self, ranker: str, available: list[str]):
        super().__init__(f"ranker {ranker!r} is not available; choose one of {', '.join(available)}")


class RankerUnavailable(ZebraError):
    status, code = 503, "ranker_unavailable"

    def __init__(self, ranker: str, available: list[str]):
        super().__init__(f"the {ranker} ranker is not loaded on this server (/health says why); "
                         f"choose one of {', '.join(available)}")


class InvalidQuerySet(ZebraError):
    """An evaluation query set refused as a whole; the message names the line."""

    status, code = 422, "invalid_query_set"


class QuerySetMediaType(InvalidQuerySet):
    status, code = 415, "unsupported_media_type"


class EvaluationNotFound(ZebraError):
    status, code = 404, "evaluation_not_found"

    def __init__(self, run_id: int):
        super().__init__(f"no evaluation run with id {run_id}; GET /api/evaluations lists the runs")


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("query", "body", "path")]
    return ".".join(parts) or "request"


_FIXES = {  # how to get under a length limit, by field; a field not named here gets a plain "shorten it"
    "q": "Shorten it to the key findings",
    "disease_id": "Disease ids look like OMIM:154700 or ORPHA:558",
    "article_id": "Article ids look like OMIM:154700 or ORPHA:558",
}


def _too_long(name: str, value, ctx: dict) -> str:
    return (f"{name} has {len(value)} characters; the limit is {ctx['max_length']:,}. "
            f"{_FIXES.get(name, 'Shorten it')}")


_API_WORDING = {"string_too_long": _too_long}  # how the API words these for its users


def describe_validation_error(err: dict) -> str:
    """One sentence naming the value, the limit and the fix."""
    return describe(err, _field(tuple(err.get("loc", ()))), _API_WORDING)


def error_body(status: int, code: str, message: str) -> dict:
    return {"error": {"status": status, "code": code, "message": message}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api", "/health")) and "text/html" in request.headers.get("accept", "")


_TITLES = {404: "Not found", 422: "This search cannot run as written", 503: "The search is unavailable right now"}


def _page_context(request: Request, status: int, message: str) -> dict:
    """An error page keeps the search form and whatever query the request carried."""
    live = getattr(request.app.state, "live", None)
    service = live.service if live is not None else None
    params = request.query_params
    group_by = "gene" if params.get("group_by") == "gene" else "disease"
    return {**form_context(service, params.get("q", ""), params.get("source") or None,
                           params.get("ranker") or None, group_by),
            "status": status, "message": message, "title": _TITLES.get(status, "Something went wrong"),
            "data_release": service.catalogue.data_release if service is not None else None}


def _respond(request: Request, status: int, code: str, message: str,
             headers: dict[str, str] | None = None) -> JSONResponse | HTMLResponse:
    if _wants_html(request):
        templates = request.app.state.templates
        return templates.TemplateResponse(request, "error.html", _page_context(request, status, message),
                                          status_code=status, headers=headers)
    return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ZebraError)
    async def _zebra(request: Request, exc: ZebraError):
        return _respond(request, exc.status, exc.code, exc.message, exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        message = "; ".join(describe_validation_error(e) for e in exc.errors())
        return _respond(request, 422, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            message = f"no page or endpoint at {request.url.path}; see /docs for the API"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        return _respond(request, exc.status_code, "not_found" if exc.status_code == 404 else "http_error", message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return _respond(request, 500, "internal_error", "an unexpected error occurred; it has been logged")
