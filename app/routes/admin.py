"""Admin API: import articles and rebuild the corpus from a running server, behind the admin key.

Both go through the same all-or-nothing write path as the CLI (`indexer.build`): the
store changes in one transaction and the index switches only after the commit. The
server then swaps to a service over the new corpus (`app.reloading`); searches keep
answering from the previous one until the swap. One admin write runs at a time.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar
from pathlib import Path

from fastapi import APIRouter, Request
import anyio.to_thread
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from app.errors import AdminBusy, InvalidImport, QuerySetMediaType, ReindexFailed
from app.json_limits import JsonTooDeep, check_jsonl_depth
from app.routes.health import health_report
from app.schemas import HealthPublic, error_responses
from app.security import AdminDep
from app.writer import build_in_child, import_in_child
from indexer.build import BuildReport
from indexer.hpo import HpoDataError
from indexer.importer import ImportRejected
from indexer.lexical import open_index

router = APIRouter(prefix="/api/admin", tags=["admin"],
                   responses=error_responses(400, 401, 409, 413, 415, 422, 429, 500))
_WRITING = threading.Lock()
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines", "text/plain")
_BODY = {"requestBody": {"required": True, "content": {
    "application/x-ndjson": {"schema": {"type": "string"}, "example":
                             '{"article_id": "MYCLINIC:1", "title": "…", "text": "…", "source": "MYCLINIC"}\n'},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary", "description": "JSONL: one article per line."}}}},
}}}


class ImportReport(BaseModel):
    imported: int
    data_release: str
    index_documents: int


T = TypeVar("T")


def _exclusive(work: Callable[[], T]) -> T:
    if not _WRITING.acquire(blocking=False):
        raise AdminBusy("another import or reindex is running; retry when it has finished")
    try:
        return work()
    finally:
        _WRITING.release()


async def _off_the_search_threads(work: Callable[[], T]) -> T:
    """Run an admin write from a thread of its own, not one of the few that answer searches (the
    thread waits for the child process that writes, then reloads)."""
    return await anyio.to_thread.run_sync(_exclusive, work, limiter=anyio.CapacityLimiter(1))


async def _jsonl(request: Request) -> bytes:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        upload = (await request.form()).get("file")
        if isinstance(upload, UploadFile):
            return await upload.read()
        raise InvalidImport("send the JSONL file in the form field 'file'")
    if kind in JSONL_TYPES:
        return await request.body()
    raise QuerySetMediaType(f"content type {kind or 'none'!r} is not accepted; send the JSONL as "
                            "application/x-ndjson, or multipart/form-data with a 'file' field")


@router.post("/import", response_model=ImportReport, openapi_extra=_BODY, summary="Add your own articles (JSONL)",
             description="One article per line: {article_id, title, text, source, url?, disease_id?, genes?}. "
                         "Every line is validated first; one bad line refuses the whole file, naming the line.")
async def import_articles(request: Request, _: AdminDep) -> ImportReport:
    data = await _jsonl(request)
    try:
        check_jsonl_depth(data)
    except JsonTooDeep as exc:
        raise InvalidImport(f"{exc}; nothing was imported") from None
    state = request.app.state
    live = state.live

    def work() -> ImportReport:
        with tempfile.TemporaryDirectory(prefix="zebra-import-") as folder:
            path = Path(folder) / "import.jsonl"
            path.write_bytes(data)
            try:
                n = import_in_child(state.settings.sql_url, state.settings.lexical_options, path)
            except ImportRejected as exc:
                raise InvalidImport(str(exc).replace(str(path), "the upload")) from None
        live.reload()
        return ImportReport(imported=n, data_release=live.service.catalogue.data_release,
                            index_documents=open_index(**state.settings.lexical_options).count())

    return await _off_the_search_threads(work)


@router.post("/reindex", response_model=BuildReport, summary="Rebuild the corpus and the index",
             description="Rebuilds from the configured HPO release (imported articles are kept) into a new "
                         "index, switches to it atomically and reloads the rankers. Searches keep answering "
                         "from the previous corpus meanwhile.")
async def reindex(request: Request, _: AdminDep) -> BuildReport:
    state = request.app.state
    live = state.live

    def work() -> BuildReport:
        try:
            report = build_in_child(state.settings.sql_url, state.settings.lexical_options, state.settings.hpo_dir)
        except HpoDataError as exc:
            raise ReindexFailed(f"the HPO release cannot be read: {exc}") from None
        except BrokenProcessPool:
            raise ReindexFailed("the build's process ended before it finished (killed, or out of memory); the "
                                "previous corpus is still served; check the server's free memory and retry") from None
        live.reload()
        return report

    return await _off_the_search_threads(work)


@router.get("/health", response_model=HealthPublic, summary="The full health report, with paths and commands",
            description="As GET /health, plus what that leaves out: the checkpoint's path, the training command "
                        "and the paths in error details.")
def admin_health(request: Request, _: AdminDep) -> HealthPublic:
    return health_report(request.app.state, public=False)
