"""One test run at a time on this machine's shared test servers: the PostgreSQL test database (emptied before
each test that uses it) and the Solr test cores on the standard ports. A second run beside the first would empty
the database, or rebuild a core, under the first one's tests; it stops instead, saying which run holds them.

The lock is taken by the first test that needs either server and held until the run ends (the operating system
lets it go even when the run is killed); runs that need neither are never stopped."""

from __future__ import annotations

import fcntl
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

import pytest

LOCK = Path(tempfile.gettempdir()) / "zebra-test-servers.lock"
BUSY = 3  # the exit status of a run stopped because another holds the servers

_held: IO[str] | None = None


def hold() -> None:
    """Take the servers for the rest of this run; stop the run (exit status `BUSY`) while another run holds them."""
    global _held
    if _held is not None:
        return
    lock = open(LOCK, "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip() or "a run that has not yet said which"
        lock.close()
        pytest.exit(f"another test run ({holder}) is using this machine's PostgreSQL test database and Solr test "
                    f"cores ({LOCK} is locked): wait until it ends, then run the tests again", returncode=BUSY)
    lock.seek(0)
    lock.truncate()
    lock.write(f"pid {os.getpid()}, started {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC")
    lock.flush()
    _held = lock
