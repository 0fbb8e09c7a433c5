"""Opening the SQL store at start-up: retried with back-off while the database is unreachable.

Kept free of the rankers' imports (torch), so that `zebra serve` can check the store
cheaply before it starts any worker.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from tenacity import RetryError, Retrying, before_sleep_log, retry_if_exception_type, stop_after_attempt, wait_exponential

from core.config import Settings
from indexer.store import make_engine

log = logging.getLogger(__name__)


class StoreUnavailable(RuntimeError):
    """The SQL store could not be reached at start-up, after the configured retries."""


def open_store(settings: Settings) -> Engine:
    """The SQL store's engine, retried with exponential back-off while the database is unreachable."""
    shown = make_url(settings.sql_url).render_as_string(hide_password=True)
    retrying = Retrying(stop=stop_after_attempt(settings.db_connect_attempts),
                        wait=wait_exponential(multiplier=settings.db_connect_wait, max=30),
                        retry=retry_if_exception_type(OperationalError),
                        before_sleep=before_sleep_log(log, logging.WARNING, exc_info=False), reraise=False)
    try:
        return retrying(make_engine, settings.sql_url)
    except RetryError as exc:
        cause = exc.last_attempt.exception()
        reason = str(getattr(cause, "orig", None) or cause).strip().splitlines()[0]
        raise StoreUnavailable(
            f"cannot reach the SQL store at {shown} after {settings.db_connect_attempts} tries ({reason}); "
            "start the database (PostgreSQL: scripts/postgres.sh start) or fix ZEBRA_DATABASE_URL") from None
