"""The API's documentation page, Swagger UI at /docs, served by the app itself.

Its assets come from the `fastapi-offline` package (mounted at /static-docs), its start-up script
from frontend/static: nothing is loaded from outside, and the pages' CSP applies. ReDoc needs
inline styles, which that CSP refuses, so /redoc leads to /docs.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

router = APIRouter(include_in_schema=False)
ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS_URL = "/static-docs"


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, "docs.html", {
        "title": request.app.title, "openapi_url": request.app.openapi_url, "assets": ASSETS_URL})


@router.get("/redoc")
def redoc() -> RedirectResponse:
    return RedirectResponse("/docs", status_code=308)
