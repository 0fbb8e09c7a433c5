"""Builds the FastAPI app: lifespan loading (store, catalogue, index), routes, error mapping."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from core.config import Settings, get_settings
from core.logs import setup_logging
from app.database import open_store
from app.reloading import LiveService
from app.errors import install_error_handlers
from app.security import install_limits, install_security
from app.evaluations import EvaluationManager
from app.routes import admin, api, docs, evaluations, health, model, pages

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
log = logging.getLogger(__name__)


def _lifespan(settings: Settings):
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = open_store(settings)  # retried while the database is unreachable, then a clear error
        live = LiveService(settings, engine)
        for notice in live.notices:
            log.warning(notice)
        app.state.engine = engine
        app.state.live = live
        app.state.evaluations = EvaluationManager(engine, live.service)
        live.on_swap(app.state.evaluations.use_service)
        app.state.evaluations.start()  # resumes runs a previous app left unfinished
        live.start()  # notices corpora rebuilt or imported by another process
        # Searches are CPU-bound Python: a few threads, the rest queued in arrival order.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads_per_worker
        yield
        live.stop()
        app.state.evaluations.stop()
        engine.dispose()
    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    setup_logging(settings.log_level)
    app = FastAPI(title="Zebra search", version="0.1.0", lifespan=_lifespan(settings),
                  docs_url=None, redoc_url=None,  # served by app.routes.docs, without a CDN
                  description="Rare-disease search: a patient's findings in plain words → ranked candidate "
                              "diseases, grouped by disease, with their evidence. Decision support for "
                              "professionals.")
    app.state.settings = settings
    app.state.templates = Jinja2Templates(directory=FRONTEND / "templates")
    app.mount("/static", StaticFiles(directory=FRONTEND / "static"), name="static")
    app.mount(docs.ASSETS_URL, StaticFiles(directory=docs.ASSETS), name="static-docs")
    install_error_handlers(app)
    install_limits(app, settings)
    install_security(app, settings.cors_origins)
    app.include_router(api.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(model.router)
    app.include_router(evaluations.router)
    app.include_router(admin.router)
    app.include_router(docs.router)
    app.include_router(evaluations.pages)
    return app
