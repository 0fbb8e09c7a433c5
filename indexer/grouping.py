"""Merge articles about the same disease from different sources into one disease.

Method: two articles from *different* sources (OMIM, ORPHA, DECIPHER) are the same
disease when their normalised names are equal — lowercased, accents folded, Roman
numerals and "type"/"syndrome"/"disease" wording unified, punctuation dropped and the
words sorted (so "Syndrome, Marfan" = "Marfan syndrome") — unless both list genes and
share none (the gene veto keeps apart namesakes with different causes). Articles of
the same source are never merged with each other: OMIM and Orphanet each list a
disease once. The disease id is the id of its first article by source priority
(OMIM, then ORPHA, then DECIPHER); its name is that article's title.

Then by gene, for names that differ ("Xia-Gibbs syndrome" is Orphanet's "AHDC1-related
intellectual disability-obstructive sleep apnea-mild dysmorphism syndrome"): an Orphanet disease
with no OMIM article joins the one OMIM disease of its genes when the match is one to one — the
same genes on both sides, no other OMIM or Orphanet disease naming any of them, no Orphanet
article on the OMIM side yet — unless it is a chromosomal deletion or duplication (a region named
by one gene) or the two share no annotated feature while both list at least `FEATURE_VETO`.
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
_REGION = re.compile(r"deletion|duplication|trisomy|monosomy", re.IGNORECASE)  # "microdeletion" too
FEATURE_VETO = 5  # features both sides list before sharing none of them keeps them apart


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
    groups = _join_by_gene(groups)
    diseases = []
    for g in groups:
        head = min(g, key=_priority)
        for art in g:
            art.disease_id = head.article_id
        diseases.append(Disease(head.article_id, head.title, [a.article_id for a in sorted(g, key=_priority)]))
    return sorted(diseases, key=lambda d: d.disease_id)


def _genes(group: list[Article]) -> frozenset[str]:
    return frozenset(g for a in group for g in a.genes)


def _sources(group: list[Article]) -> set[str]:
    return {a.source for a in group}


def _same_disease(omim: list[Article], orpha: list[Article]) -> bool:
    if any(_REGION.search(a.title) for a in orpha):
        return False
    mine = {f.hpo_id for a in omim for f in a.features}
    theirs = {f.hpo_id for a in orpha for f in a.features}
    return not (len(mine) >= FEATURE_VETO and len(theirs) >= FEATURE_VETO and mine.isdisjoint(theirs))


def _join_by_gene(groups: list[list[Article]]) -> list[list[Article]]:
    """Orphanet-only groups joined to the OMIM group of the same genes, where the match is one to one."""
    naming: dict[tuple[str, str], set[int]] = defaultdict(set)  # (source, gene) -> groups with such an article
    for i, g in enumerate(groups):
        for a in g:
            for gene in a.genes:
                naming[a.source, gene].add(i)
    joined: dict[int, int] = {}
    for i, g in enumerate(groups):
        genes = _genes(g)
        if not genes or _sources(g) != {"ORPHA"}:
            continue
        omim = set().union(*(naming["OMIM", gene] for gene in genes))
        orpha = set().union(*(naming["ORPHA", gene] for gene in genes))
        if len(omim) != 1 or orpha != {i}:
            continue
        j = next(iter(omim))
        if "ORPHA" not in _sources(groups[j]) and _genes(groups[j]) == genes and _same_disease(groups[j], g):
            joined[i] = j
    out = [list(g) for g in groups]
    for i, j in joined.items():
        out[j].extend(out[i])
        out[i] = []
    return [g for g in out if g]
