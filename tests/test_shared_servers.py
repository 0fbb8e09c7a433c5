"""Two test runs on one machine: the second stops, naming the first, rather than empty the PostgreSQL test
database or rebuild a Solr test core under the first one's tests."""

import os
import subprocess
import sys
from pathlib import Path

from tests.shared_servers import BUSY, LOCK, hold

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import sys, pytest
from tests.shared_servers import hold
try:
    hold()
except pytest.exit.Exception as stop:
    print(stop.msg)
    sys.exit(stop.returncode)
print("held")
"""


def _second_run() -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_a_second_run_stops_while_this_one_holds_the_shared_servers():
    hold()  # as the first test to use PostgreSQL or Solr does; again: no change
    hold()
    second = _second_run()
    assert second.returncode == BUSY, second.stdout + second.stderr
    assert f"another test run (pid {os.getpid()}, started " in second.stdout
    assert str(LOCK) in second.stdout and "wait until it ends" in second.stdout


def test_the_servers_are_free_again_once_the_run_holding_them_ends(tmp_path):
    lock = tmp_path / "servers.lock"
    elsewhere = f"import pathlib, tests.shared_servers as s; s.LOCK = pathlib.Path({str(lock)!r}); hold = s.hold"
    probe = PROBE.replace("from tests.shared_servers import hold", elsewhere)
    first = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    again = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (first.stdout.strip(), again.stdout.strip()) == ("held", "held")
