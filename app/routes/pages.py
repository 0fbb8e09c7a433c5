"""HTML pages: the search page, the disease page and the model page (Jinja2 templates in frontend/)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from app.deps import EngineDep, ServiceDep
from app.records import get_disease
from app.service import SearchService

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
ATTENTION_LEVELS = 10


def attention_view(service: SearchService, query: str) -> list[tuple[str, int, float]] | None:
    """The query's words with an attention level 0–9 (for shading) and weight, or None without a model."""
    neural = service.get_ranker("neural")
    if neural is None or not query.strip():
        return None
    weights = neural.explain(query)
    top = max((w for _, w in weights), default=0.0) or 1.0
    return [(token, min(ATTENTION_LEVELS - 1, int(w / top * ATTENTION_LEVELS)), w) for token, w in weights]


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, service: ServiceDep,
                q: Annotated[str, Query(max_length=2000)] = "",
                source: Annotated[str | None, Query(max_length=32)] = None,
                ranker: Annotated[str | None, Query(max_length=32)] = None,
                group_by: Annotated[Literal["disease", "gene"], Query()] = "disease",
                offset: Annotated[int, Query(ge=0, le=1000)] = 0) -> HTMLResponse:
    source, ranker = source or None, ranker or None
    result = service.search(q, k=PAGE_SIZE, source=source, ranker=ranker, offset=offset, group_by=group_by) \
        if q.strip() else None
    return request.app.state.templates.TemplateResponse(request, "search.html", {
        "q": q, "source": source, "ranker": ranker or service.default_ranker, "rankers": service.rankers,
        "group_by": group_by, "offset": offset, "page_size": PAGE_SIZE, "result": result,
        "attention": attention_view(service, q) if result else None,
        "by_rank": {r.rank: r for r in result.results} if result else {},
        "data_release": service.catalogue.data_release, "notices": request.app.state.notices})


@router.get("/diseases/{disease_id}", response_class=HTMLResponse)
def disease_page(request: Request, engine: EngineDep, disease_id: Annotated[str, Path(max_length=128)]) -> HTMLResponse:
    disease = get_disease(engine, disease_id)
    return request.app.state.templates.TemplateResponse(request, "disease.html", {
        "disease": disease, "data_release": disease.data_release})
