"""FastAPI dependency aliases for the objects the lifespan loads."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from app.service import SearchService


def get_service(request: Request) -> SearchService:
    return request.app.state.live.service


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


ServiceDep = Annotated[SearchService, Depends(get_service)]
EngineDep = Annotated[Engine, Depends(get_engine)]
