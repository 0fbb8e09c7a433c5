"""Health: whether the store, the index and the model can serve."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic, summary="Status of the store, the index and the model")
def health(request: Request) -> HealthPublic:
    state = request.app.state
    try:
        with state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = {"ok": True, "dialect": state.engine.dialect.name}
    except SQLAlchemyError as exc:
        database = {"ok": False, "dialect": state.engine.dialect.name, "detail": str(exc.__class__.__name__)}
    service = state.live.service
    lexical = service.lexical
    idx = lexical.index.health()
    index = {"ok": idx.ok, "backend": idx.backend, "documents": idx.documents, "detail": idx.detail}
    model = state.live.model_status()
    ok = database["ok"] and idx.ok
    return HealthPublic(status="ok" if ok else "degraded", data_release=service.catalogue.data_release or None,
                        database=database, index=index, model=model,
                        rankers=service.rankers)
