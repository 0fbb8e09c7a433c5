"""REST API routes: search, diseases, articles."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from app.deps import EngineDep, ServiceDep
from app.records import get_article, get_disease
from app.schemas import ArticlePublic, DiseasePublic, SearchResponse

router = APIRouter(prefix="/api", tags=["search"])

QueryText = Annotated[str, Query(min_length=1, max_length=2000, description="The patient's findings in plain words.",
                                 examples=["long fingers, dislocated lens, widening of the aorta"])]
TopK = Annotated[int, Query(ge=1, le=100, description="Number of diseases to return.")]
SourceFilter = Annotated[str | None, Query(pattern="^(OMIM|ORPHA|DECIPHER|[A-Za-z0-9_-]{1,32})$",
                                           description="Only articles of this source (OMIM, ORPHA, DECIPHER, …).")]


RankerName = Annotated[str | None, Query(
    max_length=32, description="lexical, neural, ontology or fused (default: fused when several rankers are "
                               "loaded, else the only one). /health lists the loaded rankers.")]
Offset = Annotated[int, Query(ge=0, le=1000, description="Skip this many diseases (pagination).")]
GroupBy = Annotated[Literal["disease", "gene"], Query(description="Also group the page's diseases by gene.")]


@router.get("/search", response_model=SearchResponse, summary="Rank diseases for a free-text description")
def search(service: ServiceDep, q: QueryText, k: TopK = 20, source: SourceFilter = None,
           ranker: RankerName = None, offset: Offset = 0, group_by: GroupBy = "disease") -> SearchResponse:
    """Diseases ranked for the findings in `q`, grouped by disease, each with its articles (matching
    passages highlighted), genes, and every ranker's own rank and score."""
    return service.search(q, k=k, source=source, ranker=ranker, offset=offset, group_by=group_by)


@router.get("/diseases/{disease_id}", response_model=DiseasePublic, summary="One disease with all its articles")
def disease(engine: EngineDep, disease_id: Annotated[str, Path(max_length=128)]) -> DiseasePublic:
    return get_disease(engine, disease_id)


@router.get("/articles/{article_id}", response_model=ArticlePublic, summary="One source article")
def article(engine: EngineDep, article_id: Annotated[str, Path(max_length=128)]) -> ArticlePublic:
    return get_article(engine, article_id)
