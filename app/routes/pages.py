"""HTML pages: the search page and the disease page (Jinja2 templates in frontend/)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from app.deps import EngineDep, ServiceDep
from app.records import get_disease

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, service: ServiceDep,
                q: Annotated[str, Query(max_length=2000)] = "",
                k: Annotated[int, Query(ge=1, le=100)] = 20,
                source: Annotated[str | None, Query(max_length=32)] = None) -> HTMLResponse:
    source = source or None
    result = service.search(q, k=k, source=source) if q.strip() else None
    return request.app.state.templates.TemplateResponse(request, "search.html", {
        "q": q, "k": k, "source": source, "result": result, "data_release": service.catalogue.data_release,
        "model_status": request.app.state.model_status})


@router.get("/diseases/{disease_id}", response_class=HTMLResponse)
def disease_page(request: Request, engine: EngineDep, disease_id: Annotated[str, Path(max_length=128)]) -> HTMLResponse:
    disease = get_disease(engine, disease_id)
    return request.app.state.templates.TemplateResponse(request, "disease.html", {
        "disease": disease, "data_release": disease.data_release})
