"""The admin API's writes (corpus build, JSONL import), each run in a child process of its own.

A build is a minute or more of CPU-bound Python; in a thread of the serving process it would hold
the interpreter lock the searches need. A spawned child has an interpreter of its own and runs at a
lower scheduling priority. It writes through `indexer.build` and `indexer.importer`, so the store
and the index switch all-or-nothing exactly as with `zebra build` and `zebra import`; errors raised
in the child are raised here. Reloading the server afterwards is `app.reloading`'s business.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from indexer.build import BuildReport, build
from indexer.importer import import_jsonl
from indexer.lexical import open_index
from indexer.store import make_engine

T = TypeVar("T")
BACKGROUND_NICENESS = 10  # searches in the serving process come first when the CPUs are busy


def _background() -> None:
    os.nice(BACKGROUND_NICENESS)


def _build(sql_url: str, lexical: dict, hpo_dir: Path | None) -> BuildReport:
    engine = make_engine(sql_url)
    try:
        return build(engine, open_index(**lexical), hpo_dir)
    finally:
        engine.dispose()


def _import(sql_url: str, lexical: dict, path: Path) -> int:
    engine = make_engine(sql_url)
    try:
        return import_jsonl(engine, open_index(**lexical), path)
    finally:
        engine.dispose()


def _in_child(work: Callable[..., T], sql_url: str, *args: object) -> T:
    context = multiprocessing.get_context("spawn")  # no copy of the server's threads, locks or loaded rankers
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_background) as pool:
        return pool.submit(work, sql_url, *args).result()


def build_in_child(sql_url: str, lexical: dict, hpo_dir: Path | None) -> BuildReport:
    """`indexer.build.build` over the store at `sql_url` and the index of `lexical` (open_index's options)."""
    return _in_child(_build, sql_url, lexical, hpo_dir)


def import_in_child(sql_url: str, lexical: dict, path: Path) -> int:
    """`indexer.importer.import_jsonl` of the JSONL file at `path`; the number of articles imported."""
    return _in_child(_import, sql_url, lexical, path)
