"""Loading the search service from settings: catalogue, every registered ranker, fusion.

An entry point's helper (the app lifespan, the CLI, benchmarks): it reads `Settings`
and hands explicit objects down. A ranker that cannot load is left out with a notice
naming the reason; the lexical ranker is always there.
"""

from __future__ import annotations

import importlib
import logging

from sqlalchemy.engine import Engine

from app.catalogue import load_catalogue
from app.fusion import load_fusion
from app.rankers import REGISTRY
from app.rankers.base import LoadContext, Ranker, RankerNotLoaded
from app.service import SearchService
from core.config import Settings

log = logging.getLogger(__name__)


def load_rankers(context: LoadContext) -> tuple[list[Ranker], list[str]]:
    """Every registered ranker that loads, in registry order, and a notice for each that did not."""
    rankers: list[Ranker] = []
    notices: list[str] = []
    for module in REGISTRY.values():
        try:
            ranker = importlib.import_module(module).load(context)
        except RankerNotLoaded as exc:
            notices.append(str(exc))
            continue
        if ranker is not None:
            rankers.append(ranker)
    return rankers, notices


def load_service(settings: Settings, engine: Engine,
                 previous: SearchService | None = None) -> tuple[SearchService, list[str]]:
    """The service and the notices to show (rankers that could not load, and why). `previous`: the
    service a running server replaces, whose corpus-independent parts the rankers may reuse."""
    catalogue = load_catalogue(engine)
    notices: list[str] = [] if catalogue.diseases else ["the corpus is not built; run `zebra build`"]
    reusable = {r.name: r for r in previous.ranker_objects} if previous is not None else {}
    rankers, not_loaded = load_rankers(LoadContext(settings, engine, catalogue, reusable))
    fusion, note = load_fusion(settings.fusion_path, rankers)
    log.info("fusion: %s", note)
    return SearchService(catalogue, rankers, fusion, log_queries=settings.log_queries,
                         remembered=settings.recent_searches), notices + not_loaded
