"""The `LexicalIndex` interface every lexical backend implements, and its value types.

Owns the contract (hits, filters, health, field weights, query cleaning); the
backends (tantivy, Solr) own how they store and score. Free text is never parsed as
query syntax: `query_terms` keeps words only.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field

from indexer.corpus import Article

# Chosen on the dev query set by bench/tune_lexical_weights.py (see README, "Lexical
# search"): symptom queries match feature text; a heavy title weight pulls in diseases
# that merely share a word (title 0.3 also won on real cases, 0.1 is within noise on dev).
DEFAULT_WEIGHTS: dict[str, float] = {
    "title": 0.3, "features": 1.0, "synonyms": 1.0, "definitions": 0.5, "genes": 1.0,
}
_WORD = re.compile(r"\w+", re.UNICODE)
# Function words carry no finding; matching them only adds noise to scores and snippets.
# Negations ("no", "not", "without") are dropped too: lexical matching cannot honour them.
STOPWORDS = frozenset(
    "a an the of and or with without in on at to for by from is are was were be been has have had his her "
    "their its this that these those as but no not nor".split())


class LexicalIndexError(RuntimeError):
    """Base class of lexical index failures."""


class IndexNotBuilt(LexicalIndexError):
    """No index exists at the configured place."""


class IndexMismatch(LexicalIndexError):
    """The stored index was written by another format version or data release."""


class LexicalIndexUnavailable(LexicalIndexError):
    """The search server cannot be reached or did not answer in time."""


@dataclass(frozen=True)
class Filters:
    source: str | None = None


@dataclass(slots=True)
class Hit:
    article_id: str
    disease_id: str
    source: str
    title: str
    score: float
    snippet: str = ""  # HTML-escaped text with the matched words in <b>…</b>; filled by `highlight`
    ref: object = field(default=None, repr=False, compare=False)  # the backend's handle on the document


@dataclass
class IndexHealth:
    ok: bool
    backend: str
    documents: int
    detail: str = ""
    meta: dict = field(default_factory=dict)


class StagedIndex(ABC):
    """A fully written index waiting to replace the live one."""

    @abstractmethod
    def activate(self) -> None:
        """Switch readers to this index atomically and drop the old one."""

    @abstractmethod
    def discard(self) -> None:
        """Throw this index away; the live one stays as it was."""


def query_terms(text: str) -> list[str]:
    """The words of a free-text query, lowercased, function words dropped; syntax becomes plain words."""
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOPWORDS]


def repeats_as_boosts(words: list[str]) -> list[str]:
    """Each distinct word once, in order of first appearance, a repeated one boosted by its count ("w^2"): the
    same scores as the words repeated, with fewer clauses to search. Only `\\w+` words from `query_terms`
    come here, so the boosts are the only query syntax."""
    return [w if n == 1 else f"{w}^{n}" for w, n in Counter(words).items()]


class LexicalIndex(ABC):
    """A full-text index of articles that answers free-text queries with scored hits."""

    backend: str

    @abstractmethod
    def stage(self, articles: list[Article], data_release: str) -> StagedIndex:
        """Write a complete new index beside the live one; nothing changes for readers yet."""

    def rebuild(self, articles: list[Article], data_release: str) -> None:
        """Replace the whole index with `articles`; readers see the old one until the switch."""
        self.stage(articles, data_release).activate()

    @abstractmethod
    def add(self, articles: list[Article]) -> None:
        """Add or replace (by article_id) these articles in the live index."""

    @abstractmethod
    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Hit]:
        """The best `k` article hits for free text, best first (snippets not yet filled)."""

    @abstractmethod
    def highlight(self, query: str, hits: list[Hit]) -> None:
        """Fill the snippet of each of `hits` (found by `search` for the same query)."""

    @abstractmethod
    def count(self) -> int:
        """Number of indexed articles."""

    @abstractmethod
    def health(self) -> IndexHealth:
        """Whether the index can answer, with its metadata."""

    def version(self) -> str:
        """A marker that changes whenever the live index is switched (a rebuild or an import)."""
        h = self.health()
        return f"{h.meta.get('build_id') or h.meta.get('built_at', '')}/{h.documents}" if h.ok else ""
