"""The model page: what the neural network learned (embedding plots) and where it looks (attention)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import ServiceDep
from app.errors import ModelNotLoaded, PlotNotFound
from app.model_plots import char_embedding_png, word_vectors_png
from app.routes.api import OverridesDep
from app.routes.pages import attention_view, public_notices
from app.schemas import AttentionPublic, AttentionToken, DiseaseMatches, error_responses

router = APIRouter()
DISEASE_ID = r"^[A-Za-z]{1,16}:[A-Za-z0-9_.-]{1,32}$"
MAX_DISEASES = 20


def _predictor(service):
    neural = service.explainer
    if neural is None:
        raise ModelNotLoaded()
    return neural.predictor


@lru_cache(maxsize=8)
def _plot(kind: str, predictor) -> bytes:
    return char_embedding_png(predictor) if kind == "chars" else word_vectors_png(predictor)


@router.get("/model", response_class=HTMLResponse, include_in_schema=False)
def model_page(request: Request, service: ServiceDep,
               q: Annotated[str, Query(max_length=2000)] = "") -> HTMLResponse:
    neural = service.explainer
    return request.app.state.templates.TemplateResponse(request, "model.html", {
        "q": q, "status": neural.status() if neural else None, "notices": public_notices(request),
        "attention": attention_view(service, q) if neural and q.strip() else None,
        "data_release": service.catalogue.data_release})


@router.get("/model/{kind}.png", include_in_schema=False)
def model_plot(service: ServiceDep, kind: str) -> Response:
    if kind not in ("chars", "words"):
        raise PlotNotFound(kind)
    return Response(_plot(kind, _predictor(service)), media_type="image/png",
                    headers={"Cache-Control": "max-age=3600"})


@router.get("/api/attention", response_model=AttentionPublic, tags=["search"], responses=error_responses(422, 429, 503),
            summary="The neural model's attention over the words of a query")
def attention(service: ServiceDep, fixes: OverridesDep, q: Annotated[str, Query(min_length=1, max_length=2000)],
              disease: Annotated[list[Annotated[str, Query(pattern=DISEASE_ID)]], Query(
                  max_length=MAX_DISEASES, description="Disease ids (as in a search's results) whose phrase "
                  "matches to return; up to 20.")] = []) -> AttentionPublic:  # noqa: B006
    """Each word the network reads of `q` with its weight, and for each `disease` the phrases of `q` it matched
    to that disease's findings: as when it ranks, the findings `q` rules out ("no seizures") are left out."""
    predictor = _predictor(service)
    weights = service.explain(q, fixes)
    disease = [f"{prefix.upper()}:{number}" for prefix, number in (d.split(":", 1) for d in disease)]  # omim:…
    found = service.network_matches(q, disease, fixes) if disease else {}
    return AttentionPublic(
        query=q, arch=predictor.arch, tokens=[AttentionToken(token=t, weight=w) for t, w in weights],
        matches=[DiseaseMatches(disease_id=d, matches=found[d]) for d in dict.fromkeys(disease) if d in found])
