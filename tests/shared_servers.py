"""One test run at a time on this machine's shared test servers: the PostgreSQL test database (emptied before
each test that uses it), the Solr test cores on the standard ports and the fault tests' Solr on its fixed port. A
second run beside the first would empty the database, or rebuild a core, under the first one's tests; it stops
instead, before its first test, saying which run holds them.

A run takes the lock when its tests are collected, if any of them uses these servers (`tests/conftest.py`), and
holds it until it ends (the operating system lets it go even when the run is killed); a run with none of those
tests takes nothing. The fixtures that reach the servers take it too, should a test reach them unforeseen."""

from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

import pytest

LOCK = Path("/tmp/zebra-test-servers.lock")  # one path for every run on the machine, whatever its TMPDIR
BUSY = 75  # the exit status of a run stopped because another holds the servers (EX_TEMPFAIL: try again later)

_held: IO[str] | None = None


def hold() -> None:
    """Take the servers for the rest of this run; stop the run (exit status `BUSY`) while another run holds them."""
    global _held
    if _held is not None:
        return
    try:
        lock = open(LOCK, "a+")
    except OSError as exc:
        pytest.exit(f"cannot open the test servers' lock {LOCK} ({exc.strerror}): remove it, or let this user "
                    "write it, then run the tests again", returncode=BUSY)
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
