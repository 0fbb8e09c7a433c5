"""Health: whether the store, the index and the model can serve, and what the rankers match.

`GET /health` needs no key, so it names no file system path and no command line; the full
report (the checkpoint's path, the training command) is `GET /api/admin/health`, behind the admin key.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.schemas import HealthPublic
from app.security import without_paths

router = APIRouter(tags=["health"])
PRIVATE_KEYS = frozenset({"path", "command"})  # where a build machine's paths and commands live


def _public(value):
    """`value` without the private keys, its strings without the folders of absolute paths."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if k not in PRIVATE_KEYS}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return without_paths(value) if isinstance(value, str) else value


def health_report(state, public: bool = True) -> HealthPublic:
    """The health of the store, the index and the model; `public` leaves out paths and commands."""
    try:
        with state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = {"ok": True, "dialect": state.engine.dialect.name}
    except SQLAlchemyError as exc:
        database = {"ok": False, "dialect": state.engine.dialect.name, "detail": str(exc.__class__.__name__)}
    service = state.live.service
    idx = service.lexical.index.health()
    index = {"ok": idx.ok, "backend": idx.backend, "documents": idx.documents, "detail": idx.detail}
    model = state.live.model_status()
    profiles = next((st["profiles"] for st in service.statuses().values() if st.get("profiles")), None)
    if public:
        index, model, profiles = _public(index), _public(model), _public(profiles)
    ok = database["ok"] and idx.ok
    return HealthPublic(status="ok" if ok else "degraded", data_release=service.catalogue.data_release or None,
                        database=database, index=index, model=model, rankers=service.rankers, profiles=profiles)


@router.get("/health", response_model=HealthPublic, summary="Status of the store, the index and the model",
            description="Needs no key, so it names no file path or command; GET /api/admin/health has them.")
def health(request: Request) -> HealthPublic:
    return health_report(request.app.state)
