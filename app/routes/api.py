"""REST API routes: search, diseases, articles."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from app.deps import EngineDep, ServiceDep
from app.records import get_article, get_disease
from app.errors import ModelNotLoaded
from app.rankers.ontology import Overrides
from app.service import RankerChoice
from app.schemas import AnalysisPublic, ArticlePublic, DiseasePublic, SearchResponse, error_responses

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


HpoIds = Query(max_length=50, description="HPO ids, e.g. HP:0001250.")
HPO_ID = r"^HP:\d{7}$"


def overrides(add: Annotated[list[Annotated[str, Query(pattern=HPO_ID)]], HpoIds] = [],  # noqa: B006
              exclude: Annotated[list[Annotated[str, Query(pattern=HPO_ID)]], HpoIds] = [],  # noqa: B006
              ignore: Annotated[list[Annotated[str, Query(pattern=HPO_ID)]], HpoIds] = []) -> Overrides:  # noqa: B006
    """Corrections to the recognised findings: add as observed, add as excluded, or ignore."""
    return Overrides(tuple(add), tuple(exclude), tuple(ignore))


OverridesDep = Annotated[Overrides, Depends(overrides)]


@router.get("/search", response_model=SearchResponse, summary="Rank diseases for a free-text description")
def search(service: ServiceDep, q: QueryText, fixes: OverridesDep, k: TopK = 20, source: SourceFilter = None,
           ranker: RankerName = None, offset: Offset = 0, group_by: GroupBy = "disease") -> SearchResponse:
    """Diseases ranked for the findings in `q`, grouped by disease, each with its articles (matching
    passages highlighted), genes, the query's findings it shows, and every ranker's own rank and score.
    Also the HPO findings recognised in `q` (observed or excluded, with spans) and the findings that
    would best separate the top candidates. `add`, `exclude` and `ignore` correct the recognised findings."""
    service.require_loaded([ranker] if ranker else [])
    return service.search(q, k=k, source=source, ranker=ranker, offset=offset, group_by=group_by, overrides=fixes)


@router.get("/analyze", response_model=AnalysisPublic, summary="The HPO findings recognised in a text")
def analyze(service: ServiceDep, q: QueryText, fixes: OverridesDep) -> AnalysisPublic:
    """Findings named in `q`, each observed or excluded ("no seizures"), with its character span."""
    if service.phenotypes is None:
        raise ModelNotLoaded("query understanding is off (ZEBRA_ONTOLOGY=false)")
    return service.analyze(q, fixes)


@router.get("/diseases/{disease_id}", response_model=DiseasePublic, summary="One disease with all its articles")
def disease(engine: EngineDep, disease_id: Annotated[str, Path(max_length=128)]) -> DiseasePublic:
    return get_disease(engine, disease_id)


@router.get("/articles/{article_id}", response_model=ArticlePublic, summary="One source article")
def article(engine: EngineDep, article_id: Annotated[str, Path(max_length=128)]) -> ArticlePublic:
    return get_article(engine, article_id)
