"""Search latency while idle and during an admin reindex, against a real `zebra serve` on 127.0.0.1.

Copies the data dir (store and index; default `var`) to a temporary folder, so the reindex never
touches the data the product serves, starts `zebra serve` over the copy, then times GET /api/search
with dev queries from one client: first for a while with nothing else running, then for the whole
of a `POST /api/admin/reindex` on the full corpus (build, switch and reload). Prints a table:
count, p50, p99 and max per phase, the ratio of the p99s (target: ≤ 2) and the load average.
Run: `.venv/bin/python -m bench.bench_reindex [--idle-seconds 40] [--data-dir var]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table

from bench.common import ROOT, load_queries, machine, warm_up_queries

STARTUP_TIMEOUT_S = 300.0
REINDEX_TIMEOUT_S = 1800.0


@dataclass
class Phase:
    name: str
    ms: list[float]
    at: list[float]  # seconds from the phase's start to each search's start
    errors: int
    seconds: float

    def slowest(self, n: int = 10) -> str:
        worst = sorted(zip(self.ms, self.at), reverse=True)[:n]
        return ", ".join(f"{ms:.0f} ms at {at:.1f} s" for ms, at in sorted(worst, key=lambda x: x[1]))

    def row(self) -> list[str]:
        a = np.asarray(self.ms) if self.ms else np.asarray([float("nan")])
        return [self.name, f"{len(self.ms):,}", f"{self.errors:,}", f"{self.seconds:.1f}",
                f"{np.percentile(a, 50):.1f}", f"{np.percentile(a, 99):.1f}", f"{a.max():.1f}"]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _copy_data(source: Path, target: Path) -> None:
    target.mkdir(parents=True)
    shutil.copy2(source / "zebra.db", target / "zebra.db")
    shutil.copytree(source / "index", target / "index")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZEBRA_")}
    env.update(ZEBRA_DATA_DIR=str(data_dir), ZEBRA_RATE_LIMIT="", ZEBRA_RELOAD_CHECK_SECONDS="0")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"zebra serve exited ({proc.returncode}); see {log}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"zebra serve did not answer /health within {STARTUP_TIMEOUT_S:.0f} s; see {log}")


def _search_until(client: httpx.Client, queries: list[str], done, name: str) -> Phase:
    ms: list[float] = []
    at: list[float] = []
    errors, i, start = 0, 0, time.perf_counter()
    while not done():
        t = time.perf_counter()
        r = client.get("/api/search", params={"q": queries[i % len(queries)]})
        ms.append((time.perf_counter() - t) * 1000)
        at.append(t - start)
        errors += r.status_code != 200
        i += 1
    return Phase(name, ms, at, errors, time.perf_counter() - start)


def run(data_dir: Path, idle_seconds: float, console: Console) -> None:
    queries = load_queries(200)
    with tempfile.TemporaryDirectory(prefix="zebra-bench-reindex-") as folder:
        copy = Path(folder) / "data"
        _copy_data(data_dir, copy)
        log = Path(folder) / "serve.log"
        proc, url = _serve(copy, log)
        try:
            with httpx.Client(base_url=url, timeout=120) as client:
                for q in warm_up_queries():
                    client.get("/api/search", params={"q": q})
                load_before = _load()
                until = time.monotonic() + idle_seconds
                idle = _search_until(client, queries, lambda: time.monotonic() > until, "idle")
                report: dict = {}

                def reindex() -> None:
                    with httpx.Client(base_url=url, timeout=REINDEX_TIMEOUT_S) as admin:
                        r = admin.post("/api/admin/reindex")
                        report.update(status=r.status_code, body=r.json())

                worker = threading.Thread(target=reindex)
                worker.start()
                during = _search_until(client, queries, lambda: not worker.is_alive(), "during reindex")
                load_after = _load()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if report.get("status") != 200:
            raise RuntimeError(f"the reindex failed: {report}; server log: {log.read_text()[-2000:]}")
    _print(console, idle, during, report["body"], load_before, load_after)


def _print(console: Console, idle: Phase, during: Phase, body: dict, load_before: str, load_after: str) -> None:
    table = Table(title="GET /api/search, one client, full corpus: idle vs during POST /api/admin/reindex")
    for col in ("phase", "searches", "errors", "seconds", "p50 ms", "p99 ms", "max ms"):
        table.add_column(col, justify="left" if col == "phase" else "right")
    table.add_row(*idle.row())
    table.add_row(*during.row())
    console.print(table)
    ratio = float(np.percentile(during.ms, 99) / np.percentile(idle.ms, 99))
    console.print(f"p99 during reindex / idle p99: {ratio:.2f} (target ≤ 2.00)")
    console.print(f"reindex: {body['articles']:,} articles, build {body['seconds'].get('total', 0):.1f} s of "
                  f"{during.seconds:.1f} s (the rest: starting the build's process, then loading the new corpus)")
    console.print(f"slowest searches during the reindex (from its start): {during.slowest()}")
    console.print(f"load average (1, 5, 15 min) before: {load_before}; after: {load_after}")
    console.print(f"machine: {machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var",
                        help="Built data dir to copy (zebra.db and index/); default: var.")
    parser.add_argument("--idle-seconds", type=float, default=40.0, help="How long to time searches while idle.")
    args = parser.parse_args()
    run(args.data_dir, args.idle_seconds, Console())


if __name__ == "__main__":
    main()
