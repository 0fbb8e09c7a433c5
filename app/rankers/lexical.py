"""The lexical ranker: article hits from a `LexicalIndex`, grouped into diseases by best article."""

from __future__ import annotations

from itertools import islice

from app.errors import BackendUnavailable
from app.rankers.base import DEPTH, Findings, LoadContext, Ranked, Ranker, lexical_text
from indexer.lexical import open_index
from indexer.lexical.base import Filters, Hit, LexicalIndex, LexicalIndexError


def group_hits(hits: list[Hit], depth: int | None = None) -> list[Ranked]:
    """Article hits (best first) → the first `depth` diseases (all of them for None; none for 0 or less) ranked by
    their best article, each with all its hits; ties keep hit order."""
    by_disease: dict[str, list[Hit]] = {}
    for h in hits:
        found = by_disease.get(h.disease_id)
        if found is None:
            by_disease[h.disease_id] = [h]
        else:
            found.append(h)
    stop = None if depth is None else max(0, min(depth, len(by_disease)))
    return [Ranked(d, found[0].score, found) for d, found in islice(by_disease.items(), stop)]


class LexicalRanker(Ranker):
    name = "lexical"
    highlights = True

    def __init__(self, index: LexicalIndex, candidate_hits: int = 300):
        self.index = index
        self.candidate_hits = candidate_hits

    def rank(self, query: str, findings: Findings | None = None, source: str | None = None,
             depth: int = DEPTH) -> list[Ranked]:
        """Lexical ranking of the query as word matching should read it (`lexical_text`); with `source`, the index filters
        (the service filters every ranker too)."""
        try:
            hits = self.index.search(lexical_text(query, findings), self.candidate_hits, Filters(source=source))
        except (LexicalIndexError, OSError, ValueError) as exc:
            raise BackendUnavailable(f"the {self.index.backend} index cannot answer: {exc}") from exc
        return group_hits(hits, depth)

    def highlight(self, query: str, hits: list[Hit], findings: Findings | None = None) -> None:
        """Fill the hits' snippets with the query's words marked, never those of its excluded findings."""
        try:
            self.index.highlight(lexical_text(query, findings), hits)
        except (LexicalIndexError, OSError, ValueError) as exc:
            raise BackendUnavailable(f"the {self.index.backend} index cannot answer: {exc}") from exc

    def status(self) -> dict:
        h = self.index.health()
        return {"loaded": h.ok, "backend": h.backend, "documents": h.documents, "detail": h.detail}


def load(context: LoadContext) -> LexicalRanker:
    """The configured lexical backend (always loaded: an index that cannot answer is a 503 per query)."""
    settings = context.settings
    return LexicalRanker(open_index(**settings.lexical_options), settings.candidate_hits)
