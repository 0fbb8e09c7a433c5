"""Building the corpus: HPO release → articles → diseases → SQL store → lexical index.

Owns the order of the write side and its all-or-nothing rules: the store is written
in one transaction, the index is rebuilt beside the old one and switched only after
the commit. Also the JSONL import of user articles, under the same rules.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from indexer.corpus import HpoRelease, build_articles, load_release
from indexer.grouping import group_articles
from indexer.lexical.base import LexicalIndex, StagedIndex
from indexer.store import ArticleRow, DiseaseRow, PhenotypeRow, load_articles, read_meta, replace_release, write_meta

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    data_release: str
    articles: int
    diseases: int
    merged_groups: int
    imported_articles: int
    seconds: dict[str, float]


def _phenotypes(release: HpoRelease) -> list[PhenotypeRow]:
    return [PhenotypeRow(hpo_id=t.hpo_id, name=t.name, definition=t.definition,
                         synonyms=[s.text for s in t.usable_synonyms()], parents=list(t.parents))
            for t in release.ontology.terms.values() if not t.obsolete]


def store_counts(session: Session) -> dict[str, int]:
    per_disease = (select(ArticleRow.disease_id, func.count().label("n"))
                   .group_by(ArticleRow.disease_id).subquery())
    return {
        "articles": session.scalar(select(func.count()).select_from(ArticleRow)) or 0,
        "diseases": session.scalar(select(func.count()).select_from(DiseaseRow)) or 0,
        "merged_groups": session.scalar(select(func.count()).select_from(per_disease).where(per_disease.c.n > 1)) or 0,
        "imported_articles": session.scalar(
            select(func.count()).select_from(ArticleRow).where(ArticleRow.origin == "import")) or 0,
    }


def commit_then_switch(engine: Engine, index: LexicalIndex, write: Callable[[Session], str]) -> None:
    """Run `write` in one transaction, stage the index from its result, commit, then switch.

    `write` returns the data release. A failure anywhere before the switch leaves the
    previous store and index as they were.
    """
    staged: StagedIndex | None = None
    try:
        with Session(engine) as session, session.begin():
            release = write(session)
            staged = index.stage(load_articles(session), release)
    except BaseException:
        if staged is not None:
            staged.discard()
        raise
    staged.activate()


def build(engine: Engine, index: LexicalIndex, hpo_folder: Path | None = None) -> BuildReport:
    """Build (or rebuild; idempotent) the corpus, the store and the index."""
    t: dict[str, float] = {}
    start = time.perf_counter()
    release = load_release(hpo_folder)
    articles = build_articles(release)
    diseases = group_articles(articles)
    t["corpus"] = time.perf_counter() - start
    counts: dict[str, int] = {}

    def write(session: Session) -> str:
        replace_release(session, articles, _phenotypes(release), {d.disease_id: d.name for d in diseases})
        counts.update(store_counts(session))
        write_meta(session, release.release, counts)
        return release.release

    commit_then_switch(engine, index, write)
    t["store+index"] = time.perf_counter() - start - t["corpus"]
    t["total"] = time.perf_counter() - start
    return BuildReport(data_release=release.release, seconds=t, **counts)


def is_built(engine: Engine, index: LexicalIndex) -> bool:
    with Session(engine) as session:
        return read_meta(session) is not None and index.health().ok
