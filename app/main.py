"""Builds the FastAPI app: lifespan loading (store, catalogue, index), routes, error mapping."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.config import Settings, get_settings
from app.loading import load_service
from app.errors import install_error_handlers
from app.security import install_security
from app.evaluations import EvaluationManager
from app.routes import api, evaluations, health, model, pages
from indexer.store import make_engine

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
log = logging.getLogger(__name__)


def _lifespan(settings: Settings):
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = make_engine(settings.sql_url)
        service, notices = load_service(settings, engine)
        for notice in notices:
            log.warning(notice)
        app.state.engine = engine
        app.state.service = service
        app.state.notices = notices
        neural = service.statuses().get("neural")
        app.state.model_status = neural or {
            "loaded": False, "detail": next((n for n in notices if "neural" in n), "no neural model")}
        app.state.evaluations = EvaluationManager(engine, app.state.service)
        app.state.evaluations.start()  # resumes runs a previous app left unfinished
        yield
        app.state.evaluations.stop()
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
    install_security(app, settings.cors_origins)
    app.include_router(api.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(model.router)
    app.include_router(evaluations.router)
    app.include_router(evaluations.pages)
    return app
