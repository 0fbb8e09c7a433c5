"""Builds the FastAPI app: lifespan loading (store, catalogue, index), routes, error mapping."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.catalogue import load_catalogue
from app.config import Settings, get_settings, open_lexical_index
from app.errors import install_error_handlers
from app.routes import api, health, pages
from app.service import SearchService
from indexer.store import make_engine

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
log = logging.getLogger(__name__)


def _lifespan(settings: Settings):
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = make_engine(settings.sql_url)
        index = open_lexical_index(settings)
        catalogue = load_catalogue(engine)
        if not catalogue.diseases:
            log.warning("the store at %s is empty; run `zebra build`", settings.sql_url)
        app.state.engine = engine
        app.state.service = SearchService(catalogue, index, settings.candidate_hits, settings.log_queries)
        app.state.model_status = {"loaded": False, "detail": "no neural model configured; lexical ranking only"}
        yield
        engine.dispose()
    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Zebra search", version="0.1.0", lifespan=_lifespan(settings),
                  description="Rare-disease search: a patient's findings in plain words → ranked candidate "
                              "diseases, grouped by disease, with their evidence. Decision support for "
                              "professionals.")
    app.state.settings = settings
    app.state.templates = Jinja2Templates(directory=FRONTEND / "templates")
    app.mount("/static", StaticFiles(directory=FRONTEND / "static"), name="static")
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    return app
