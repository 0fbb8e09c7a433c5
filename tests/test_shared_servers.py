"""Two test runs on one machine: the second stops before its first test, naming the first, rather than empty the
PostgreSQL test database or rebuild a Solr test core under the first one's tests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_servers import BUSY, LOCK

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import pathlib, sys, pytest
import tests.shared_servers as servers
servers.LOCK = pathlib.Path(sys.argv[1])
try:
    servers.hold()
except pytest.exit.Exception as stop:
    print(stop.msg)
    sys.exit(stop.returncode)
print("held", flush=True)
sys.stdin.read()  # held until told to end
"""


@pytest.mark.shared_servers  # so this run takes the servers when its tests are collected
def test_a_second_run_with_a_postgresql_test_stops_before_its_first_test():
    second = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_store_and_search.py", "-k", "postgresql"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = " ".join((second.stdout + second.stderr).split())
    assert second.returncode == BUSY, out
    assert f"another test run (pid {os.getpid()}, started " in out
    assert f"({LOCK} is locked): wait until it ends, then run the tests again" in out
    assert "passed" not in out and "failed" not in out


def _probe(lock: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", PROBE, str(lock)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def test_the_servers_pass_to_the_next_run_once_the_run_holding_them_ends(tmp_path):
    lock = tmp_path / "servers.lock"
    first = _probe(lock)
    assert first.stdout.readline().strip() == "held"
    second = _probe(lock)
    said, _ = second.communicate("", timeout=60)
    assert second.returncode == BUSY and f"another test run (pid {first.pid}, started " in said
    first.communicate("", timeout=60)  # the first run ends
    third = _probe(lock)
    assert third.communicate("", timeout=60)[0].strip() == "held" and third.returncode == 0
