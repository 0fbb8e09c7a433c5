"""The search service: free text → ranked diseases with their articles and evidence.

Owns turning each ranker's output into disease rankings (lexical: best article score
per disease) and assembling the grouped results. It does not parse HTTP, and it
never logs query text unless the settings ask for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from app.catalogue import Catalogue, DiseaseInfo
from app.errors import BackendUnavailable, UnknownRanker
from app.schemas import ArticleRef, DiseaseResult, SearchResponse
from indexer.lexical.base import Filters, Hit, LexicalIndex, LexicalIndexError

log = logging.getLogger(__name__)


@dataclass
class Ranked:
    """One ranker's view of one disease."""

    disease_id: str
    score: float
    hits: list[Hit] = field(default_factory=list)


def group_hits(hits: list[Hit]) -> list[Ranked]:
    """Article hits (best first) → diseases ranked by their best article; ties keep hit order."""
    by_disease: dict[str, Ranked] = {}
    for h in hits:
        entry = by_disease.get(h.disease_id)
        if entry is None:
            by_disease[h.disease_id] = Ranked(h.disease_id, h.score, [h])
        else:
            entry.hits.append(h)
    return list(by_disease.values())


class SearchService:
    def __init__(self, catalogue: Catalogue, lexical: LexicalIndex, candidate_hits: int = 300,
                 log_queries: bool = False):
        self.catalogue = catalogue
        self.lexical = lexical
        self.candidate_hits = candidate_hits
        self.log_queries = log_queries

    def rank_lexical(self, query: str, source: str | None = None) -> list[Ranked]:
        try:
            hits = self.lexical.search(query, self.candidate_hits, Filters(source=source))
        except (LexicalIndexError, OSError, ValueError) as exc:
            raise BackendUnavailable(f"the {self.lexical.backend} index cannot answer: {exc}") from exc
        return [r for r in group_hits(hits) if r.disease_id in self.catalogue.diseases]

    @property
    def rankers(self) -> list[str]:
        """Names of the rankers this service can run, in display order."""
        return ["lexical"]

    def rank(self, query: str, ranker: str = "lexical", source: str | None = None) -> list[Ranked]:
        """One ranker's full disease ranking for a query (best first), as used by search and evaluation."""
        if ranker not in self.rankers:
            raise UnknownRanker(ranker, self.rankers)
        return self.rank_lexical(query, source)

    def search(self, query: str, k: int = 20, source: str | None = None) -> SearchResponse:
        if self.log_queries:
            log.info("search q=%r k=%d source=%s", query, k, source)
        ranking = self.rank_lexical(query, source)
        self.lexical.highlight(query, [h for r in ranking[:k] for h in r.hits])
        results = [self._result(i + 1, r, {"lexical": i + 1}, {"lexical": r.score}, source)
                   for i, r in enumerate(ranking[:k])]
        return SearchResponse(query=query, data_release=self.catalogue.data_release, ranker="lexical",
                              total=len(ranking), results=results)

    def _result(self, rank: int, r: Ranked, ranks: dict[str, int], scores: dict[str, float],
                source: str | None) -> DiseaseResult:
        info: DiseaseInfo = self.catalogue.diseases[r.disease_id]
        snippets = {h.article_id: h.snippet for h in r.hits}
        articles = [a for a in info.articles if source is None or a.source == source]
        articles.sort(key=lambda a: (a.article_id not in snippets, a.article_id))
        return DiseaseResult(
            rank=rank, disease_id=info.disease_id, name=info.name, score=round(r.score, 4),
            articles=[ArticleRef(article_id=a.article_id, source=a.source, title=a.title, url=a.url,
                                 snippet=snippets.get(a.article_id)) for a in articles],
            genes=info.genes, ranks=ranks, scores={n: round(s, 4) for n, s in scores.items()},
        )
