"""Reading whole diseases and articles from the SQL store for detail pages and the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from app.errors import ArticleNotFound, DiseaseNotFound
from app.schemas import ArticlePublic, DiseasePublic, FeaturePublic
from indexer.corpus import Article
from indexer.store import AnnotationRow, ArticleRow, DiseaseRow, read_meta, to_article

_LOAD = (selectinload(ArticleRow.genes),
         selectinload(ArticleRow.annotations).selectinload(AnnotationRow.phenotype))


def _public(a: Article, release: str) -> ArticlePublic:
    def feats(items):
        return [FeaturePublic(hpo_id=f.hpo_id, name=f.name, frequency=f.frequency) for f in items]
    return ArticlePublic(article_id=a.article_id, disease_id=a.disease_id or a.article_id, source=a.source,
                         title=a.title, url=a.url, inheritance=a.inheritance, onset=a.onset,
                         features=feats(a.features), excluded=feats(a.excluded), genes=a.genes, text=a.body(),
                         data_release=release)


def get_article(engine: Engine, article_id: str) -> ArticlePublic:
    with Session(engine) as s:
        row = s.scalars(select(ArticleRow).where(ArticleRow.article_id == article_id).options(*_LOAD)).first()
        if row is None:
            raise ArticleNotFound(article_id)
        meta = read_meta(s)
        return _public(to_article(row), meta.data_release if meta else "")


def get_disease(engine: Engine, disease_id: str) -> DiseasePublic:
    """The disease, also by the id of one of its articles (ORPHA:558 is Marfan syndrome, OMIM:154700): an article
    merged into a disease keeps its id, and links to it keep working."""
    with Session(engine) as s:
        disease = s.get(DiseaseRow, disease_id)
        if disease is None:
            owner = s.scalar(select(ArticleRow.disease_id).where(ArticleRow.article_id == disease_id))
            disease = s.get(DiseaseRow, owner) if owner is not None else None
        if disease is None:
            raise DiseaseNotFound(disease_id)
        disease_id = disease.disease_id
        rows = s.scalars(select(ArticleRow).where(ArticleRow.disease_id == disease_id).options(*_LOAD)).all()
        meta = read_meta(s)
        release = meta.data_release if meta else ""
        articles = sorted((_public(to_article(r), release) for r in rows), key=lambda a: a.article_id)
        genes = sorted({g for a in articles for g in a.genes})
        return DiseasePublic(disease_id=disease.disease_id, name=disease.name, articles=articles, genes=genes,
                             data_release=release)
