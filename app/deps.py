"""FastAPI dependency aliases for the objects the lifespan loads. The dependencies only read
`app.state`: they are `async def` so FastAPI calls them on the event loop, not each on a
worker thread (a thread hop per dependency costs a search time and a thread token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from app.service import SearchService


async def get_service(request: Request) -> SearchService:
    return request.app.state.live.service


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


ServiceDep = Annotated[SearchService, Depends(get_service)]
EngineDep = Annotated[Engine, Depends(get_engine)]
