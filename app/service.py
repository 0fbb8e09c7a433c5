"""The search service: free text → ranked diseases with their articles and evidence.

Owns running the rankers, fusing them, the source filter for every ranker, pagination,
grouping by gene, and assembling results from the in-memory catalogue. It does not
parse HTTP, and it never logs query text unless the settings ask for it.
"""

from __future__ import annotations

import logging

from app.catalogue import Catalogue
from app.errors import UnknownRanker
from app.fusion import FusionConfig, fuse
from app.rankers.base import Ranked, Ranker
from app.rankers.lexical import LexicalRanker
from app.schemas import ArticleRef, DiseaseResult, GeneGroup, SearchResponse

log = logging.getLogger(__name__)
FUSED = "fused"
FUSION_DEPTH = 1000  # each ranker's ranking is cut here before fusion


class SearchService:
    def __init__(self, catalogue: Catalogue, rankers: list[Ranker], fusion: FusionConfig | None = None,
                 log_queries: bool = False):
        self.catalogue = catalogue
        self._rankers = {r.name: r for r in rankers}
        self.fusion = fusion or FusionConfig()
        self.log_queries = log_queries

    @property
    def rankers(self) -> list[str]:
        """Names of the rankers this service can run, in display order (fused last)."""
        names = list(self._rankers)
        return names + [FUSED] if len(names) > 1 else names

    @property
    def default_ranker(self) -> str:
        return self.rankers[-1]

    def get_ranker(self, name: str) -> Ranker | None:
        return self._rankers.get(name)

    @property
    def lexical(self) -> LexicalRanker | None:
        return next((r for r in self._rankers.values() if isinstance(r, LexicalRanker)), None)

    def statuses(self) -> dict[str, dict]:
        return {name: r.status() for name, r in self._rankers.items()}

    def _run(self, name: str, query: str, source: str | None) -> list[Ranked]:
        ranking = self._rankers[name].rank(query, source)
        diseases = self.catalogue.diseases
        kept = [r for r in ranking if r.disease_id in diseases
                and (source is None or any(a.source == source for a in diseases[r.disease_id].articles))]
        for position, r in enumerate(kept, start=1):
            r.ranks, r.scores = {name: position}, {name: r.score}
        return kept

    def rank(self, query: str, ranker: str | None = None, source: str | None = None) -> list[Ranked]:
        """One ranker's (or the fusion's) full disease ranking for a query, best first."""
        ranker = ranker or self.default_ranker
        if ranker not in self.rankers:
            raise UnknownRanker(ranker, self.rankers)
        if ranker != FUSED:
            return self._run(ranker, query, source)
        runs = {name: self._run(name, query, source)[:FUSION_DEPTH] for name in self._rankers}
        hits = {r.disease_id: r.hits for run in runs.values() for r in run if r.hits}
        fused = fuse({name: [(r.disease_id, r.score) for r in run] for name, run in runs.items()}, self.fusion)
        return [Ranked(f.disease_id, f.score, hits.get(f.disease_id, []), f.ranks, f.scores) for f in fused]

    def search(self, query: str, k: int = 20, source: str | None = None, ranker: str | None = None,
               offset: int = 0, group_by: str = "disease") -> SearchResponse:
        if self.log_queries:
            log.info("search q=%r k=%d source=%s ranker=%s", query, k, source, ranker)
        ranker = ranker or self.default_ranker
        ranking = self.rank(query, ranker, source)
        page = ranking[offset:offset + k]
        if self.lexical is not None:
            self.lexical.highlight(query, [h for r in page for h in r.hits])
        results = [self._result(offset + i + 1, r, source) for i, r in enumerate(page)]
        return SearchResponse(query=query, data_release=self.catalogue.data_release, ranker=ranker,
                              total=len(ranking), offset=offset, results=results,
                              genes=group_by_gene(results) if group_by == "gene" else None)

    def _result(self, rank: int, r: Ranked, source: str | None) -> DiseaseResult:
        info = self.catalogue.diseases[r.disease_id]
        snippets = {h.article_id: h.snippet for h in r.hits}
        articles = [a for a in info.articles if source is None or a.source == source]
        articles.sort(key=lambda a: (a.article_id not in snippets, a.article_id))
        return DiseaseResult(
            rank=rank, disease_id=info.disease_id, name=info.name, score=round(r.score, 6),
            articles=[ArticleRef(article_id=a.article_id, source=a.source, title=a.title, url=a.url,
                                 snippet=snippets.get(a.article_id)) for a in articles],
            genes=info.genes, ranks=r.ranks, scores={n: round(s, 6) for n, s in r.scores.items()},
        )


def group_by_gene(results: list[DiseaseResult]) -> list[GeneGroup]:
    """Genes ranked by their best disease in `results`, each listing its diseases' ranks."""
    groups: dict[str, GeneGroup] = {}
    for r in results:
        for g in r.genes:
            group = groups.setdefault(g, GeneGroup(symbol=g, rank=0, best_disease_rank=r.rank, diseases=[]))
            group.diseases.append(r.rank)
    ordered = sorted(groups.values(), key=lambda x: (x.best_disease_rank, -len(x.diseases), x.symbol))
    for i, group in enumerate(ordered, start=1):
        group.rank = i
    return ordered
