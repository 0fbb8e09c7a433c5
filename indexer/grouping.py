"""Merge articles about the same disease from different sources into one disease.

Method: two articles from *different* sources (OMIM, ORPHA, DECIPHER) are the same
disease when their normalised names are equal — lowercased, accents folded, Roman
numerals and "type"/"syndrome"/"disease" wording unified, punctuation dropped and the
words sorted (so "Syndrome, Marfan" = "Marfan syndrome") — unless both list genes and
share none (the gene veto keeps apart namesakes with different causes). Articles of
the same source are never merged with each other: OMIM and Orphanet each list a
disease once. The disease id is the id of its first article by source priority
(OMIM, then ORPHA, then DECIPHER); its name is that article's title.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from indexer.corpus import SOURCES, Article

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
_DROP = {"syndrome", "disease", "disorder", "type", "the", "of", "and", "due", "to", "deficiency"}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Disease:
    disease_id: str
    name: str
    article_ids: list[str]


def normalise_name(name: str) -> str:
    """A key under which spellings of one disease name coincide."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [_ROMAN.get(w, w) for w in _WORD.findall(folded)]
    kept = [w for w in words if w not in _DROP] or words
    return " ".join(sorted(kept))


def _priority(article: Article) -> tuple[int, int, str]:
    source, _, number = article.article_id.partition(":")
    rank = SOURCES.index(source) if source in SOURCES else len(SOURCES)
    return rank, int(number) if number.isdigit() else 0, article.article_id


def _compatible(group: list[Article], candidate: Article) -> bool:
    if any(a.source == candidate.source for a in group):
        return False
    genes = {g for a in group for g in a.genes}
    return not (genes and candidate.genes and genes.isdisjoint(candidate.genes))


def group_articles(articles: list[Article]) -> list[Disease]:
    """Assign `disease_id` on every article and return the diseases, in id order."""
    by_key: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        if art.disease_id is None:
            by_key[normalise_name(art.title)].append(art)
    groups: list[list[Article]] = []
    for members in by_key.values():
        open_groups: list[list[Article]] = []
        for art in sorted(members, key=_priority):
            home = next((g for g in open_groups if _compatible(g, art)), None)
            if home is None:
                open_groups.append([art])
            else:
                home.append(art)
        groups.extend(open_groups)
    diseases = []
    for g in groups:
        head = min(g, key=_priority)
        for art in g:
            art.disease_id = head.article_id
        diseases.append(Disease(head.article_id, head.title, [a.article_id for a in sorted(g, key=_priority)]))
    return sorted(diseases, key=lambda d: d.disease_id)
