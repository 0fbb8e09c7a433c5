"""Switching a running server to a rebuilt or imported corpus without a pause in answering.

Owns the live `SearchService` reference and its replacement: a new service is loaded
beside the old one (searches keep using the old one meanwhile; parts that do not depend on
the corpus are shared), then swapped in with one assignment. Changes made by another process
(`zebra build`, `zebra import`) are noticed by polling the lexical index's version marker; the admin API reloads at once.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import Iterator

from sqlalchemy.engine import Engine

from core.config import Settings
from app.loading import load_service
from indexer.lexical import open_index

log = logging.getLogger(__name__)
YOUNG_OBJECTS = 10_000  # new objects the youngest generation holds before the cyclic collector runs (Python: 700)


def settle_heap() -> None:
    """Move the loaded service's objects (~500k: catalogue, ontology, recognizer) out of the cyclic
    garbage collector's reach. Otherwise every full collection walks them all, a pause of a few
    hundred ms in the middle of some request. Called after the first load.

    Also lets the youngest generation grow to `YOUNG_OBJECTS`: a search holds a few thousand objects at
    once (hits, entries, results), freed when it ends. At Python's 700 the collector ran about four times
    a search to walk them (0.2 ms of a 9.7 ms search, timed by its callbacks) and found nothing to free."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic collection while a new service loads beside the one serving, and its
    objects frozen after. Loading makes hundreds of thousands of objects; each full collection on
    the way would walk them all (up to 0.6 s measured, every thread of the process stopped), and
    so would an unfreeze-and-collect after the swap. The service holds no reference cycles (the
    tests check that a replaced one is freed), so reference counting releases the previous one;
    what cyclic garbage requests leave during the load stays frozen with it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


class LiveService:
    """The service requests use now, and the machinery to replace it."""

    def __init__(self, settings: Settings, engine: Engine):
        self.settings, self.engine = settings, engine
        self._marker_index = open_index(**settings.lexical_options)
        self.version = self._version()
        self.service, self.notices = load_service(settings, engine)
        settle_heap()
        self._reload_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list = []

    def model_status(self) -> dict:
        """The neural ranker's status, or why there is none."""
        neural = self.service.statuses().get("neural")
        return neural or {"loaded": False,
                          "detail": next((n for n in self.notices if "neural" in n), "no neural model")}

    def on_swap(self, listener) -> None:
        """Call `listener(service)` after every swap (e.g. the evaluation manager)."""
        self._listeners.append(listener)

    def _version(self) -> str:
        try:
            return self._marker_index.version()
        except Exception as exc:  # noqa: BLE001 — an index that cannot answer has no version; retried later
            log.debug("index version unavailable: %s", exc)
            return ""

    def reload(self) -> bool:
        """Load a service over the current store and index and swap it in; False if nothing changed."""
        with self._reload_lock:
            version = self._version()
            if version == self.version:
                return False
            with collector_paused():
                service, notices = load_service(self.settings, self.engine, previous=self.service)
                self.service, self.notices, self.version = service, notices, version
                for listener in self._listeners:
                    listener(service)
            log.info("switched to index version %s", version or "(none)")
            return True

    def _watch(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.reload()
            except Exception:  # noqa: BLE001 — keep serving the old service; try again next round
                log.exception("reloading the corpus failed; still serving the previous one")

    def start(self) -> None:
        every = self.settings.reload_check_seconds
        if every > 0:
            self._thread = threading.Thread(target=self._watch, args=(every,), name="corpus-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
