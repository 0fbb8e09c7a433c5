"""REST API routes: search (free text, or a GA4GH phenopacket), findings (also as a phenopacket),
HPO term suggestions, diseases, articles."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from app.deps import EngineDep, ServiceDep
from app.records import get_article, get_disease
from app.errors import InvalidPhenopacket, ModelNotLoaded
from app.json_limits import JsonTooDeep, loads
from app.schemas import TermSuggestion
from evaluation.phenopackets import PhenopacketError, parse_phenopacket, to_query, write_phenopacket
from app.rankers.ontology import Overrides
from app.service import RankerChoice, SearchService
from app.understood import honest, judge, not_understood
from app.schemas import (
    AnalysisPublic, ArticlePublic, DiseasePublic, FindingRef, PhraseNotUnderstood, SearchResponse, error_responses,
)

router = APIRouter(prefix="/api", tags=["search"], responses=error_responses(404, 422, 429, 503))

QueryText = Annotated[str, Query(min_length=1, max_length=2000, description="The patient's findings in plain words.",
                                 examples=["long fingers, dislocated lens, widening of the aorta"])]
TopK = Annotated[int, Query(ge=1, le=100, description="Number of diseases to return.")]
SourceFilter = Annotated[str | None, Query(pattern="^(OMIM|ORPHA|DECIPHER|[A-Za-z0-9_-]{1,32})$",
                                           description="Only articles of this source (OMIM, ORPHA, DECIPHER, …).")]


RankerName = Annotated[RankerChoice | None, Query(
    description="Default: fused when several rankers are loaded, else the only one. /health lists the loaded "
                "rankers; asking for one that is not loaded answers 503.")]
Offset = Annotated[int, Query(ge=0, le=1000, description="Skip this many diseases (pagination).")]
GroupBy = Annotated[Literal["disease", "gene"], Query(description="Also group the page's diseases by gene.")]
AskNext = Annotated[bool, Query(description="Also return `ask_next`: the findings that would best separate the "
                                            "top candidates (costs about a sixth of a search; off by default).")]


HpoIds = Query(max_length=50, description="HPO ids, e.g. HP:0001250.")
Inheritance = Annotated[Literal["read", "ignore"], Query(
    description="`ignore`: do not weigh what the query says of how the condition runs in the family "
                "(`inheritance` in the answer is then empty).")]
HPO_ID = r"^HP:\d{7}$"


async def overrides(add: Annotated[list[Annotated[str, Query(pattern=HPO_ID)]], HpoIds] = [],  # noqa: B006
              exclude: Annotated[list[Annotated[str, Query(pattern=HPO_ID)]], HpoIds] = [],  # noqa: B006
              ignore: Annotated[list[Annotated[str, Query(pattern=HPO_ID)]], HpoIds] = [],  # noqa: B006
              inheritance: Inheritance = "read") -> Overrides:
    """Corrections to the recognised findings: add as observed, add as excluded, or ignore; and whether the
    inheritance cues are weighed (`async`: no worker thread for building a tuple)."""
    return Overrides(tuple(add), tuple(exclude), tuple(ignore), inheritance == "read")


OverridesDep = Annotated[Overrides, Depends(overrides)]


@router.get("/search", response_model=SearchResponse, summary="Rank diseases for a free-text description")
def search(service: ServiceDep, q: QueryText, fixes: OverridesDep, k: TopK = 20, source: SourceFilter = None,
           ranker: RankerName = None, offset: Offset = 0, group_by: GroupBy = "disease",
           ask_next: AskNext = False) -> Response:
    """Diseases ranked for the findings in `q`, grouped by disease, each with its articles (matching
    passages highlighted), genes, the query's findings it shows, and every ranker's own rank and score.
    Also the HPO findings recognised in `q` (observed or excluded, with spans) and, with `ask_next=true`, the
    findings that would best separate the top candidates. `add`, `exclude` and `ignore` correct the recognised
    findings.
    `confidence` and `not_understood` say how much of `q` was understood: with `confidence` "none" (no
    finding recognised, no word in any article) there is no ranking, as on the page."""
    service.require_loaded([ranker] if ranker else [])
    return _answer(service, q, fixes, k=k, source=source, ranker=ranker, offset=offset, group_by=group_by,
                   ask_next=ask_next)


def _answer(service: SearchService, query: str, fixes: Overrides, source: str | None, **options) -> Response:
    """The search's answer, with how much of the query was understood (`app.understood`), as JSON.
    The answer is a `SearchResponse` built and checked by the service; written out directly, it is
    not converted and validated a second time on the way out (about 2 ms of a search)."""
    result = service.search(query, source=source, overrides=fixes, **options)
    return Response(honest(result, judge(service, query, result, source, fixes)).model_dump_json(),
                    media_type="application/json")


EXAMPLE_PHENOPACKET = {
    "id": "patient-1", "subject": {"id": "patient-1", "sex": "FEMALE"},
    "phenotypicFeatures": [{"type": {"id": "HP:0001166", "label": "Arachnodactyly"}},
                           {"type": {"id": "HP:0001083", "label": "Ectopia lentis"}},
                           {"type": {"id": "HP:0001250", "label": "Seizure"}, "excluded": True}],
    "metaData": {"created": "2026-01-01T00:00:00Z", "createdBy": "lab", "phenopacketSchemaVersion": "2.0"}}
_PHENOPACKET_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "object", "description": "A GA4GH Phenopacket v2 (ISO 4454:2022) as JSON: "
                                               "`phenotypicFeatures` with HPO ids, `excluded` honoured."},
    "example": EXAMPLE_PHENOPACKET}}}}


async def _phenopacket_query(request: Request) -> str:
    """The request body as a phenopacket, turned into the query text its findings make."""
    body = await request.body()
    try:
        data = loads(body)
    except JsonTooDeep as exc:
        raise InvalidPhenopacket(str(exc)) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidPhenopacket("the body is not UTF-8 JSON; send a GA4GH Phenopacket v2 as a JSON object") from None
    try:
        return to_query(parse_phenopacket(data)).text
    except PhenopacketError as exc:
        raise InvalidPhenopacket(str(exc)) from None


@router.post("/search", response_model=SearchResponse, summary="Rank diseases for a GA4GH phenopacket",
             openapi_extra=_PHENOPACKET_BODY)
async def search_phenopacket(request: Request, service: ServiceDep, fixes: OverridesDep, k: TopK = 20,
                             source: SourceFilter = None, ranker: RankerName = None, offset: Offset = 0,
                             group_by: GroupBy = "disease", ask_next: AskNext = False) -> Response:
    """The same answer as `GET /api/search`, for a patient sent as a phenopacket: its observed and
    excluded `phenotypicFeatures` (HPO ids) are the findings; `query` echoes them as text. A bad
    phenopacket gets 422 naming the JSON path of the field at fault."""
    text = await _phenopacket_query(request)
    service.require_loaded([ranker] if ranker else [])
    return await run_in_threadpool(_answer, service, text, fixes, k=k, source=source, ranker=ranker, offset=offset,
                                   group_by=group_by, ask_next=ask_next)


_ANALYSIS = {k: v for k, v in AnalysisPublic.model_json_schema(ref_template="#/components/schemas/{model}").items()
             if k != "$defs"}  # its FindingPublic is a component already (SearchResponse uses it)


@router.get("/analyze", response_model=None, summary="The HPO findings recognised in a text",
            responses={200: {"description": "The findings; with `format=phenopacket`, a GA4GH Phenopacket v2 "
                                            "(JSON) holding them, to download",
                             "content": {"application/json": {"schema": {"anyOf": [_ANALYSIS, {
                                 "type": "object", "title": "Phenopacket", "required": ["id", "metaData"],
                                 "description": "GA4GH Phenopacket v2 (format=phenopacket)"}]}}}}})
def analyze(service: ServiceDep, q: QueryText, fixes: OverridesDep,
            format: Annotated[Literal["json", "phenopacket"], Query(
                description="json: the analysis; phenopacket: the findings (observed and excluded) as a "
                            "GA4GH Phenopacket v2 file")] = "json",
            suggest: Annotated[bool, Query(description="Also suggest HPO terms for each phrase not understood "
                                                       "(a few milliseconds a phrase; off by default).")] = False,
            ) -> AnalysisPublic | JSONResponse:
    """Findings named in `q`, each observed or excluded ("no seizures") or a relative's ("mother deaf"),
    with its character span, and the phrases no finding covers. The phenopacket holds the patient's own (observed
    and excluded)."""
    if service.phenotypes is None:
        raise ModelNotLoaded("query understanding is off (ZEBRA_ONTOLOGY=false)")
    analysis = service.analyze(q, fixes)
    if format == "json":
        missed = list(dict.fromkeys(not_understood(q, analysis.findings)))
        terms = service.term_suggestions(missed) if suggest else {}
        analysis.not_understood = [PhraseNotUnderstood(phrase=p, terms=[FindingRef(hpo_id=h, name=name)
                                                                        for h, name in terms.get(p, [])])
                                   for p in missed]
        return analysis
    packet_id = "zebra-" + hashlib.sha256(q.encode()).hexdigest()[:12]  # stable, and no query text in the file
    patient = analysis.patient
    patients = [(f.hpo_id, f.name, f.status == "excluded") for f in analysis.findings if f.status != "family"]
    packet = write_phenopacket(packet_id, patients,
                               analysis.data_release, sex=patient.sex if patient else None,
                               age=patient.age if patient else None)
    return JSONResponse(packet, headers={"Content-Disposition": f'attachment; filename="{packet_id}.json"'})


@router.get("/terms", response_model=list[TermSuggestion], summary="HPO terms for what one is typing")
def terms(service: ServiceDep, q: Annotated[str, Query(min_length=1, max_length=100, description="The start of a "
                                                        "finding's name, e.g. arachno (typos forgiven)")],
          limit: Annotated[int, Query(ge=1, le=50, description="Number of suggestions.")] = 10) -> list[TermSuggestion]:
    """HPO phenotype terms whose label or synonym (layperson ones included) starts like `q`, best first;
    a misspelt word still finds its term. Add one to a search with `add=HP:…`."""
    if service.phenotypes is None:
        raise ModelNotLoaded("query understanding is off (ZEBRA_ONTOLOGY=false)")
    return [TermSuggestion(hpo_id=h, name=name, matched=matched)
            for h, name, matched in service.phenotypes.recognizer.suggest(q, limit)]


@router.get("/diseases/{disease_id}", response_model=DiseasePublic, summary="One disease with all its articles")
def disease(engine: EngineDep, disease_id: Annotated[str, Path(max_length=128)]) -> DiseasePublic:
    return get_disease(engine, disease_id)


@router.get("/articles/{article_id}", response_model=ArticlePublic, summary="One source article")
def article(engine: EngineDep, article_id: Annotated[str, Path(max_length=128)]) -> ArticlePublic:
    return get_article(engine, article_id)
