"""HTML pages: the search page, the disease page and the model page (Jinja2 templates in frontend/)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from app.deps import EngineDep, ServiceDep
from app.rankers.ontology import Overrides
from app.records import get_disease
from app.routes.api import OverridesDep
from app.search_form import MAX_QUERY, form_context
from app.security import without_paths
from app.service import SearchService
from app.understood import judge

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
ATTENTION_LEVELS = 10


def attention_view(service: SearchService, query: str,
                   fixes: Overrides = Overrides()) -> list[tuple[str, int, float]] | None:
    """The words the network read of the query (its excluded findings left out) with an attention level
    0–9 (for shading) and weight, or None without a model."""
    if service.explainer is None or not query.strip():
        return None
    weights = service.explain(query, fixes)
    top = max((w for _, w in weights), default=0.0) or 1.0
    return [(token, min(ATTENTION_LEVELS - 1, int(w / top * ATTENTION_LEVELS)), w) for token, w in weights]


def network_view(service: SearchService, query: str, result, fixes: Overrides, shown: int = 5) -> dict[str, list]:
    """For each disease the network ranked in this ranking, its best `shown` phrase matches (the network's
    evidence, beside the ontology's "Shows" and the lexical snippets); none where the network took no part (another
    ranker asked for, a fusion that weighs it 0, or the network unavailable)."""
    ranked = [r.disease_id for r in result.results if "neural" in r.ranks] if result is not None else []
    if not ranked:
        return {}
    found = service.network_matches(query, ranked, fixes)
    return {d: matches[:shown] for d, matches in found.items()}


def _link(params: dict, **changes) -> str:
    """A search-page URL: the current parameters with some changed (lists replaced whole)."""
    merged = {**params, **changes}
    return "/?" + urlencode([(k, v) for k, vs in merged.items()
                             for v in (vs if isinstance(vs, (list, tuple)) else [vs]) if v not in (None, "")])


def finding_links(params: dict, fixes: Overrides, result) -> tuple[dict, dict]:
    """Per finding: remove / switch links; per question: present / absent links (all re-run the search)."""
    add, exclude, ignore = list(fixes.add), list(fixes.exclude), list(fixes.ignore)
    chips = {}
    for f in result.findings:
        h = f.hpo_id
        rest_add, rest_exc = [x for x in add if x != h], [x for x in exclude if x != h]
        switch = dict(add=rest_add, exclude=rest_exc + [h]) if f.status == "observed" else \
            dict(add=rest_add + [h], exclude=rest_exc)
        chips[h] = {"remove": _link(params, add=rest_add, exclude=rest_exc, ignore=ignore + [h]),
                    "switch": _link(params, **switch)}
    questions = {a.hpo_id: {"present": _link(params, add=add + [a.hpo_id]),
                            "absent": _link(params, exclude=exclude + [a.hpo_id])} for a in result.ask_next}
    return chips, questions


def public_notices(request: Request) -> list[str]:
    """The server's notices (e.g. why the model did not load) as a page may show them: without folders."""
    return [without_paths(n) for n in request.app.state.live.notices]


def term_choices(service: SearchService, params: dict, fixes: Overrides, phrases: list[str],
                 n: int = 3) -> dict[str, list[dict]]:
    """For each phrase not understood, the HPO terms suggested for it (`SearchService.term_suggestions`), each
    with a link that adds it to the same search."""
    return {p: [{"hpo_id": h, "name": name, "add": _link(params, add=[*fixes.add, h])} for h, name in terms]
            for p, terms in service.term_suggestions(phrases, n).items()}


OVERRIDE_KEYS = ("q", "add", "exclude", "ignore", "inheritance")  # what the findings depend on


def carried(params: dict) -> list[tuple[str, str]]:
    """The search's parameters as hidden form fields (a form that adds a finding re-runs the same search)."""
    return [(k, v) for k, vs in params.items() if k != "offset"
            for v in (vs if isinstance(vs, (list, tuple)) else [vs]) if v not in (None, "")]


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, service: ServiceDep, fixes: OverridesDep,
                q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
                source: Annotated[str | None, Query(max_length=32)] = None,
                ranker: Annotated[str | None, Query(max_length=32)] = None,
                group_by: Annotated[Literal["disease", "gene"], Query()] = "disease",
                offset: Annotated[int, Query(ge=0, le=1000)] = 0) -> HTMLResponse:
    source, ranker = source or None, ranker or None
    result = service.search(q, k=PAGE_SIZE, source=source, ranker=ranker, offset=offset, group_by=group_by,
                            overrides=fixes, ask_next=True) if q.strip() else None
    params = {"q": q, "source": source, "ranker": ranker, "group_by": group_by,
              "add": list(fixes.add), "exclude": list(fixes.exclude), "ignore": list(fixes.ignore),
              "inheritance": None if fixes.inheritance else "ignore"}
    chips, questions = finding_links(params, fixes, result) if result else ({}, {})
    understood = judge(service, q, result, source, fixes) if result else None
    return request.app.state.templates.TemplateResponse(request, "search.html", {
        **form_context(service, q, source, ranker, group_by),
        "offset": offset, "page_size": PAGE_SIZE, "result": result,
        "understanding": understood,
        "term_choices": term_choices(service, params, fixes, understood.not_understood) if understood else {},
        "export_url": "/api/analyze?" + urlencode([(k, v) for k, v in carried(params) if k in OVERRIDE_KEYS]
                                                  + [("format", "phenopacket")]),
        "carried": carried(params),
        "attention": attention_view(service, q, fixes) if result else None, "fixes": fixes,
        "network": network_view(service, q, result, fixes),
        "chips": chips, "questions": questions,
        "inheritance_switch": _link(params, inheritance=None if not fixes.inheritance else "ignore"),
        "prev_url": _link(params, offset=max(offset - PAGE_SIZE, 0)) if offset > 0 else None,
        "next_url": _link(params, offset=offset + PAGE_SIZE)
        if result and offset + PAGE_SIZE < min(result.total, 1000) else None,
        "by_rank": {r.rank: r for r in result.results} if result else {},
        "data_release": service.catalogue.data_release, "notices": public_notices(request)})


@router.get("/diseases/{disease_id}", response_class=HTMLResponse)
def disease_page(request: Request, engine: EngineDep, service: ServiceDep, disease_id: Annotated[str, Path(max_length=128)]) -> HTMLResponse:
    disease = get_disease(engine, disease_id)
    return request.app.state.templates.TemplateResponse(request, "disease.html", {
        "disease": disease, "data_release": disease.data_release,
        "similar": similar_diseases(service, disease.disease_id)})


def similar_diseases(service: SearchService, disease_id: str, n: int = 8) -> list[dict]:
    """Diseases with the most similar clinical features (ontology similarity), best first."""
    phenotypes = service.phenotypes
    if phenotypes is None:
        return []
    info = service.catalogue.diseases
    return [{"disease_id": d, "name": info[d].name, "score": s}
            for d, s in phenotypes.similar(disease_id, n) if d in info]
