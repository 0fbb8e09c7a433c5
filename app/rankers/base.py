"""The `Ranker` interface with its capabilities, `Ranked` (one ranker's view of one disease),
and what a ranker's `load` function is given (`LoadContext`) or raises (`RankerNotLoaded`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from app.catalogue import Catalogue
from app.understanding.heredity import Heredity
from app.understanding.tokens import HPO_ID
from core.config import Settings
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
    """The HPO terms a query names (after the user's overrides): observed, excluded and a relative's, and how
    word-matching rankers must read the query: each (start, end, text) span replaced by its text
    (an excluded finding's words by nothing, an HPO id by its term's label)."""

    observed: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    rewrites: tuple[tuple[int, int, str], ...] = ()
    # How the release names the observed findings (label, then a synonym): words that word-matching
    # rankers also match, so "enlarged lymph nodes" meets an article's "Lymphadenopathy".
    expansion: tuple[str, ...] = ()
    # Findings said of a relative ("mother went grey in her twenties"): family history, evidence of a
    # heritable disease that the ontology ranker weighs below the patient's own findings.
    family: tuple[str, ...] = ()
    # How the condition runs in the family ("consanguineous parents", "his mother has the same"): the modes of
    # inheritance the story fits, which the ontology ranker weighs.
    heredity: Heredity = Heredity()


def negation_free(query: str, findings: Findings | None) -> str:
    """The query as a ranker that reads words should read it: "…, no seizures" loses "seizures" (never
    reward a finding the patient does not have) and "HP:0001166" reads "Arachnodactyly" (an id is no word)."""
    out, at = [], 0
    for start, end, text in sorted(findings.rewrites if findings is not None else ()):
        if start >= at:
            out += [query[at:start], f" {text} " if text else " "]
            at = end
    return HPO_ID.sub(" ", "".join(out) + query[at:])  # ids that name no finding: no words either


def lexical_text(query: str, findings: Findings | None) -> str:
    """The query as word matching should read it: `negation_free`, then the recognised findings' names."""
    text = negation_free(query, findings)
    if findings is not None and findings.expansion:
        text += " . " + " . ".join(findings.expansion)
    return text


@dataclass(frozen=True)
class LoadContext:
    """What a ranker's `load(context)` may read: the settings, the store, the loaded catalogue and,
    when a running server reloads, the rankers it serves now (by name), whose parts that do not
    depend on the corpus may be reused; `read` holds what one load reads once for every ranker that
    needs it (the published patients' profiles), so they all see the same file."""

    settings: Settings
    engine: Engine
    catalogue: Catalogue
    previous: dict[str, Ranker] = field(default_factory=dict)
    read: dict[str, object] = field(default_factory=dict)


class RankerNotLoaded(Exception):
    """A ranker that could not load; the message (the reason and the fix) is shown as a notice."""


class Ranker(ABC):
    """Ranks every disease it can for a free-text query, best first.

    Capabilities the service asks for by flag, never by class: `highlights` (it has
    `highlight(query, hits, findings)`: snippets for the shown articles, and `index` for /health),
    `explains` (it has `explain(query, findings)`: each word it reads with its weight, and
    `matches(query, findings, disease_ids)`: the query's phrases it matched to each disease's findings, and
    `nearest_findings(phrases, n)`: the findings it reads nearest each phrase),
    `understands` (it recognises findings: `mentions`, `findings`, `questions` among its top `asks_among` diseases,
    `matched`, `similar`, `name_of`).
    `threaded`: its work is mostly native code that releases the GIL (a network's torch kernels), so a
    fused search runs it on a worker thread beside the other rankers (when no other search is in flight):
    the part `rank_later` does there, the rest (what it returns) on the search's own thread."""

    name: str
    highlights: bool = False
    explains: bool = False
    understands: bool = False
    threaded: bool = False

    @abstractmethod
    def rank(self, query: str, findings: Findings | None = None, source: str | None = None,
             depth: int = DEPTH) -> list[Ranked]:
        """The ranking, at most `depth` diseases. Rankers that read findings rather than words use
        `findings`; `source` is a hint a ranker may use to filter early (the service filters every
        ranking by source anyway)."""

    def rank_later(self, query: str, findings: Findings | None = None, source: str | None = None,
                   depth: int = DEPTH) -> Callable[[], list[Ranked]]:
        """`rank` in two parts: the work done now, and a function that finishes it. A threaded ranker does its
        native work now (beside the other rankers) and leaves its Python to the function, which the search's own
        thread calls once the other rankers are done; by default all of it is done now."""
        ranked = self.rank(query, findings, source, depth)
        return lambda: ranked

    def status(self) -> dict:
        return {"loaded": True}

    def publications(self, diseases: Collection[str] | None = None) -> frozenset[str]:
        """The publications whose patients this ranker counts (as the ontology and neural rankers' profiles do), of
        `diseases` only when given."""
        return frozenset()

    def leaving_out(self, publications: frozenset[str]) -> Ranker:
        """This ranker counting no patient of `publications`: itself unless it counts some (`publications()`)."""
        return self

    def fingerprint(self) -> str | None:
        """What tuned fusion weights depend on beyond the ranker's name (e.g. a model's label map);
        tuned weights recorded with another fingerprint are not used."""
        return None
