"""Loading the search service from settings: catalogue, lexical index, and every available ranker.

An entry point's helper (the app lifespan, the CLI, benchmarks): it reads `Settings`
and hands explicit objects down. Rankers that cannot load are left out with a notice;
the lexical ranker is always there.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from app.catalogue import load_catalogue
from app.config import Settings, open_lexical_index
from app.rankers.base import Ranker
from app.rankers.lexical import LexicalRanker
from app.service import SearchService

log = logging.getLogger(__name__)


def load_service(settings: Settings, engine: Engine) -> tuple[SearchService, list[str]]:
    """The service and the notices to show (rankers that could not load, and why)."""
    catalogue = load_catalogue(engine)
    notices: list[str] = []
    if not catalogue.diseases:
        notices.append("the corpus is not built; run `zebra build`")
    rankers: list[Ranker] = [LexicalRanker(open_lexical_index(settings), settings.candidate_hits)]
    return SearchService(catalogue, rankers, log_queries=settings.log_queries), notices
