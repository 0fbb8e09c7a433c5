"""The in-memory catalogue of diseases read once from the SQL store at start-up.

Owns what the search hot path needs about a disease (name, articles, genes) so that a
search never touches the database. Detail pages read the store directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from indexer.store import ArticleRow, DiseaseRow, article_genes, read_meta


@dataclass(frozen=True)
class ArticleInfo:
    article_id: str
    source: str
    title: str
    url: str | None


@dataclass
class DiseaseInfo:
    disease_id: str
    name: str
    articles: list[ArticleInfo] = field(default_factory=list)
    genes: list[str] = field(default_factory=list)


@dataclass
class Catalogue:
    data_release: str
    diseases: dict[str, DiseaseInfo]
    article_to_disease: dict[str, str]

    def __len__(self) -> int:
        return len(self.diseases)


def load_catalogue(engine: Engine) -> Catalogue:
    with Session(engine) as s:
        meta = read_meta(s)
        diseases = {d: DiseaseInfo(d, n) for d, n in s.execute(select(DiseaseRow.disease_id, DiseaseRow.name))}
        genes: dict[str, set[str]] = defaultdict(set)
        rows = s.execute(select(ArticleRow.article_id, ArticleRow.disease_id, ArticleRow.source,
                                ArticleRow.title, ArticleRow.url).order_by(ArticleRow.article_id))
        owner = {}
        for aid, did, source, title, url in rows:
            diseases[did].articles.append(ArticleInfo(aid, source, title, url))
            owner[aid] = did
        for aid, symbol in s.execute(select(article_genes.c.article_id, article_genes.c.symbol)):
            genes[owner[aid]].add(symbol)
    for did, g in genes.items():
        diseases[did].genes = sorted(g)
    return Catalogue(meta.data_release if meta else "", diseases, owner)
