"""The `Ranker` interface and `Ranked`, one ranker's view of one disease."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from indexer.lexical.base import Hit


DEPTH = 1000  # diseases a ranker returns per query (far past any page or metric cut-off)


@dataclass(slots=True)
class Ranked:
    disease_id: str
    score: float
    hits: list[Hit] = field(default_factory=list)  # lexical evidence, best first
    ranks: dict[str, int] = field(default_factory=dict)  # each ranker's own rank, filled by the service
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Findings:
    """The HPO terms a query names (after the user's overrides): observed and excluded."""

    observed: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


class Ranker(ABC):
    """Ranks every disease it can for a free-text query, best first."""

    name: str

    @abstractmethod
    def rank(self, query: str, findings: Findings | None = None, source: str | None = None,
             depth: int = DEPTH) -> list[Ranked]:
        """The ranking, at most `depth` diseases. Rankers that read findings rather than words use
        `findings`; `source` is a hint a ranker may use to filter early (the service filters every
        ranking by source anyway)."""

    def status(self) -> dict:
        return {"loaded": True}
