"""Bounded load test of the real server: throughput, latency percentiles, errors and RSS per ranker × clients.

Starts `zebra serve` on 127.0.0.1 (a free port) over a built data dir, drives GET /api/search from
N concurrent asyncio clients with dev queries, and always stops the server. It does not build
data, tune anything, or target any host but 127.0.0.1.
Run: `.venv/bin/python -m bench.bench_load [--quick] [--workers 2] [--out var/bench/load.json]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import httpx
import numpy as np
import psutil
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from core.config import get_settings
from bench.common import ROOT, load_queries, machine

ZEBRA = ROOT / ".venv" / "bin" / "zebra"
HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 30.0
STARTUP_TIMEOUT_S = 120.0
SAMPLE_EVERY_S = 0.5


@dataclass
class CellResult:
    """One ranker × clients cell: counts, throughput, latency (successful requests only) and memory."""

    ranker: str
    clients: int
    requests: int
    ok: int
    seconds: float
    throughput: float  # successful requests per second of wall time
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    errors: dict[str, int]
    rss_mb: dict[str, float]  # max RSS per server process ("pid role") during the cell
    rss_total_mb: float  # max over samples of the summed RSS of all server processes
    # CPU time (user + system) per successful request during the cell: the server's processes (those alive at
    # the cell's end), and this benchmark's own process (its clients, with its sampling and progress threads;
    # they share the machine's cores with the server)
    server_cpu_ms: float | None = None
    client_cpu_ms: float | None = None


# --- the server -----------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log_path: Path) -> dict:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"zebra serve exited with code {proc.returncode} before /health answered:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            r = httpx.get(url + "/health", timeout=2)
            if r.status_code == 200:
                return r.json()
        time.sleep(0.5)
    raise RuntimeError(f"/health did not answer 200 within {STARTUP_TIMEOUT_S:.0f} s; see {log_path}")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (it is its own session), then SIGKILL what is left."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@contextlib.contextmanager
def serve_zebra(workers: int, data_dir: Path, log_path: Path,
                fusion_path: Path | None = None) -> Iterator[tuple[str, int, dict]]:
    """`zebra serve` in its own process group on a free port (with the fusion file at `fusion_path` when given);
    yields (base URL, pid, /health body)."""
    port = _free_port()
    cmd = [str(ZEBRA), "serve", "--host", HOST, "--port", str(port)]
    if workers > 1:  # only pass the option when needed, so the bench runs on a CLI without it
        cmd += ["--workers", str(workers)]
    # Every request ranked anew: a query the clients repeat would otherwise be answered from the server's
    # recent searches (rarely here: hundreds of other searches come between two of the same query).
    env = {**os.environ, "ZEBRA_DATA_DIR": str(data_dir), "ZEBRA_RATE_LIMIT": "", "ZEBRA_WORKERS": str(workers),
           "ZEBRA_RECENT_SEARCHES": "0"}
    if fusion_path is not None:
        env["ZEBRA_FUSION_PATH"] = str(fusion_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                start_new_session=True)
    try:
        url = f"http://{HOST}:{port}"
        yield url, proc.pid, _wait_healthy(url, proc, log_path)
    finally:
        _stop(proc)


# --- memory ---------------------------------------------------------------------------------------

class RssSampler:
    """Samples the RSS of the server process and its children every SAMPLE_EVERY_S in a thread."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.max_by_proc: dict[str, float] = {}
        self.max_total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_seconds(self) -> float:
        """User + system CPU seconds the server and its children have used so far (children alive now)."""
        total = 0.0
        for _, proc in self._processes():
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                total += t.user + t.system
        return total

    def _processes(self) -> list[tuple[str, psutil.Process]]:
        procs = [(f"{self.root.pid} server", self.root)]
        with contextlib.suppress(psutil.Error):
            procs += [(f"{p.pid} child", p) for p in self.root.children(recursive=True)]
        return procs

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(SAMPLE_EVERY_S):
                break

    def sample(self) -> None:
        total = 0.0
        for name, proc in self._processes():
            with contextlib.suppress(psutil.Error):
                mb = proc.memory_info().rss / 2**20
                total += mb
                self.max_by_proc[name] = max(self.max_by_proc.get(name, 0.0), mb)
        self.max_total = max(self.max_total, total)


# --- the clients ----------------------------------------------------------------------------------

@dataclass
class _Tally:
    max_requests: int
    deadline: float
    issued: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    def may_send(self) -> bool:
        return self.issued < self.max_requests and time.perf_counter() < self.deadline


async def _get(client: httpx.AsyncClient, query: str, ranker: str) -> tuple[float, str | None]:
    """One search; (latency ms, error kind or None)."""
    t = time.perf_counter()
    try:
        r = await client.get("/api/search", params={"q": query, "ranker": ranker, "k": 20})
        kind = None if r.status_code == 200 else f"HTTP {r.status_code}"
    except httpx.HTTPError as exc:
        kind = type(exc).__name__
    return (time.perf_counter() - t) * 1000, kind


async def _client_loop(client: httpx.AsyncClient, tally: _Tally, queries: list[str], start: int,
                       ranker: str, on_done: Callable[[], None]) -> None:
    i = start
    while tally.may_send():
        tally.issued += 1  # single event loop: no lock needed
        ms, kind = await _get(client, queries[i % len(queries)], ranker)
        i += 1
        if kind is None:
            tally.latencies_ms.append(ms)
        else:
            tally.errors[kind] += 1
        on_done()


def _percentiles(ms: list[float]) -> tuple[float | None, float | None, float | None]:
    if not ms:
        return None, None, None
    p50, p95, p99 = np.percentile(np.asarray(ms), [50, 95, 99])
    return float(p50), float(p95), float(p99)


async def run_cell(url: str, pid: int, ranker: str, clients: int, queries: list[str], seconds: float,
                   max_requests: int, warmup: int, progress: Progress) -> CellResult:
    """Warm up, then `clients` concurrent loops until `seconds` pass or `max_requests` are sent."""
    limits = httpx.Limits(max_connections=clients + 4, max_keepalive_connections=clients + 4)
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        for q in queries[:warmup]:
            await _get(client, q, ranker)
        task = progress.add_task(f"{ranker} × {clients}", total=1.0)
        t0 = time.perf_counter()
        tally = _Tally(max_requests=max_requests, deadline=t0 + seconds)

        def on_done() -> None:
            done = len(tally.latencies_ms) + sum(tally.errors.values())
            frac = max((time.perf_counter() - t0) / seconds, done / max_requests)
            progress.update(task, completed=min(frac, 1.0), description=f"{ranker} × {clients}: {done} req")

        step = max(1, len(queries) // clients)  # clients start apart in the query list
        with RssSampler(pid) as rss:
            server_cpu, client_cpu = rss.cpu_seconds(), time.process_time()
            await asyncio.gather(*(_client_loop(client, tally, queries, warmup + j * step, ranker, on_done)
                                   for j in range(clients)))
            elapsed = time.perf_counter() - t0
            server_cpu, client_cpu = rss.cpu_seconds() - server_cpu, time.process_time() - client_cpu
        progress.remove_task(task)
    ok = len(tally.latencies_ms)
    return CellResult(ranker, clients, ok + sum(tally.errors.values()), ok, elapsed, ok / elapsed,
                      *_percentiles(tally.latencies_ms), dict(tally.errors),
                      dict(sorted(rss.max_by_proc.items())), rss.max_total,
                      1000 * server_cpu / ok if ok else None, 1000 * client_cpu / ok if ok else None)


# --- reporting ------------------------------------------------------------------------------------

def _machine_info() -> dict[str, object]:
    return {"processor": platform.processor(), "cpu_count": os.cpu_count(), "platform": platform.platform(),
            "summary": machine(), "load_average_at_start": os.getloadavg()}


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def render(results: list[CellResult], caption: str) -> Table:
    table = Table(title="Load test: GET /api/search (k=20)", caption=caption)
    for col in ("ranker", "clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors",
                "CPU ms/req server", "CPU ms/req client", "RSS MB per process (max)", "RSS MB total (max)"):
        table.add_column(col, justify="left" if col in ("ranker", "errors", "RSS MB per process (max)") else "right")
    for r in results:
        errors = ", ".join(f"{k}: {v}" for k, v in r.errors.items()) or "0"
        rss = ", ".join(f"{name.split()[1]} {mb:.0f}" for name, mb in r.rss_mb.items())
        table.add_row(r.ranker, str(r.clients), str(r.requests), f"{r.throughput:.1f}", _fmt(r.p50_ms),
                      _fmt(r.p95_ms), _fmt(r.p99_ms), errors, _fmt(r.server_cpu_ms), _fmt(r.client_cpu_ms), rss,
                      f"{r.rss_total_mb:.0f}")
    return table


def write_json(path: Path, args: argparse.Namespace, health: dict, results: list[CellResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"format": "zebra-bench-load/1", "machine": _machine_info(), "workers": args.workers,
           "data_dir": str(args.data_dir), "seconds_per_cell": args.seconds, "max_requests_per_cell": args.max_requests,
           "request_timeout_s": REQUEST_TIMEOUT_S, "warmup_requests": args.warmup,
           "health": health, "cells": [asdict(r) for r in results]}
    path.write_text(json.dumps(doc, indent=2) + "\n")


def plot(path: Path, runs: dict[str, list[dict]], goal_ms: float = 200.0) -> None:
    """Throughput and p50/p99 against clients, per ranker; one column per result file (e.g. 1 and 2 workers)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(runs), figsize=(5.5 * len(runs), 7), squeeze=False, sharey="row")
    for col, (title, cells) in enumerate(runs.items()):
        for ranker in dict.fromkeys(c["ranker"] for c in cells):
            mine = sorted((c for c in cells if c["ranker"] == ranker), key=lambda c: c["clients"])
            x = [c["clients"] for c in mine]
            axes[0][col].plot(x, [c["throughput"] for c in mine], marker="o", label=ranker)
            line, = axes[1][col].plot(x, [c["p50_ms"] for c in mine], marker="o", label=f"{ranker} p50")
            axes[1][col].plot(x, [c["p99_ms"] for c in mine], marker="^", linestyle="--", color=line.get_color(),
                              label=f"{ranker} p99")
        ticks = sorted({c["clients"] for c in cells})
        for row in axes:
            row[col].set_xscale("log", base=2)
            row[col].set_xticks(ticks, [str(t) for t in ticks])
        axes[0][col].set_title(title)
        axes[1][col].axhline(goal_ms, color="grey", linewidth=1, linestyle=":", label=f"goal p99 ≤ {goal_ms:g} ms")
        for row, label in ((0, "requests / s"), (1, "latency, ms")):
            axes[row][col].set_xlabel("concurrent clients")
            axes[row][col].set_ylabel(label)
            axes[row][col].grid(alpha=0.3)
        axes[0][col].legend(fontsize=8)
        axes[1][col].legend(fontsize=7, ncol=2)
    fig.suptitle("GET /api/search under load (bench/bench_load.py)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_files(files: list[Path], out: Path) -> None:
    runs = {}
    for f in files:
        doc = json.loads(f.read_text())
        runs[f"{doc['workers']} worker{'s' if doc['workers'] > 1 else ''}"] = doc["cells"]
    plot(out, runs)


# --- entry point ----------------------------------------------------------------------------------

def _csv(kind: type) -> Callable[[str], list]:
    return lambda s: [kind(x.strip()) for x in s.split(",") if x.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=_csv(int), default=None, help="Concurrency levels (default 1,8,32).")
    parser.add_argument("--rankers", type=_csv(str), default=["lexical", "neural", "fused"])
    parser.add_argument("--seconds", type=float, default=None, help="Duration per cell (default 20).")
    parser.add_argument("--max-requests", type=int, default=2000, help="Requests per cell at most.")
    parser.add_argument("--warmup", type=int, default=5, help="Uncounted requests before each cell.")
    parser.add_argument("--workers", type=int, default=1, help="Passed to `zebra serve --workers`.")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="ZEBRA_DATA_DIR of the server (default: the configured one, `var`).")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "load.json")
    parser.add_argument("--quick", action="store_true", help="Smoke run: 3 s per cell, clients 1,8.")
    parser.add_argument("--without-network", action="store_true",
                        help="Also the fused cells on a second server whose fusion weighs the network 0 (not run): "
                             "what the network costs a fused search under load.")
    parser.add_argument("--plot-only", type=Path, nargs="+", default=None, metavar="JSON",
                        help="Draw the results files (e.g. load.json load-2workers.json) to --plot; run nothing.")
    parser.add_argument("--plot", type=Path, default=None, help="PNG of the results (default: --out with .png).")
    args = parser.parse_args(argv)
    args.clients = args.clients or ([1, 8] if args.quick else [1, 8, 32])
    args.seconds = args.seconds or (3.0 if args.quick else 20.0)
    args.data_dir = args.data_dir or get_settings().data_dir
    return args


async def run_all(url: str, pid: int, args: argparse.Namespace, queries: list[str],
                  rankers: list[str] | None = None) -> list[CellResult]:
    results = []
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:.0f}/{task.total:.0f}"),
               TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        cells = [(r, c) for r in rankers or args.rankers for c in args.clients]
        overall = progress.add_task("cells", total=len(cells))
        for ranker, clients in cells:
            results.append(await run_cell(url, pid, ranker, clients, queries, args.seconds, args.max_requests,
                                          args.warmup, progress))
            progress.advance(overall)
    return results


WITHOUT_NETWORK = "fused, network weight 0"


def fusion_without_network(tuned: Path | None, folder: Path) -> Path:
    """A copy of the tuned fusion file in `folder` with the network's weight 0 (a fused search then does not run it:
    the same rankers, fingerprints and other weights); refuses a missing file or one that weighs no network."""
    if tuned is None or not tuned.is_file():
        raise SystemExit(f"--without-network needs the tuned fusion file; {tuned} is missing (run `zebra tune-fusion`)")
    data = json.loads(tuned.read_text())
    if not data.get("weights", {}).get("neural"):
        raise SystemExit(f"--without-network: {tuned} gives the network no weight already; nothing to compare")
    data["weights"]["neural"] = 0.0
    out = folder / "fusion-without-network.json"
    out.write_text(json.dumps(data, indent=2) + "\n")
    return out


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through serve_zebra's finally, so the server is stopped


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.plot_only:
        out = args.plot or args.out.with_suffix(".png")
        plot_files(args.plot_only, out)
        print(f"wrote {out}")
        return
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    console = Console()
    if not console.is_terminal:  # piped or captured: don't squeeze the table into 80 columns
        console = Console(width=170)
    queries = load_queries(10**6)  # every dev query, in a fixed shuffled order
    log_path = args.out.with_suffix(".server.log")
    console.print(f"starting zebra serve (workers={args.workers}, data={args.data_dir}); log: {log_path}")
    with serve_zebra(args.workers, args.data_dir, log_path) as (url, pid, health):
        console.print(f"server up at {url}; status {health.get('status')}")
        results = asyncio.run(run_all(url, pid, args, queries))
    if args.without_network:
        fusion = fusion_without_network(get_settings().fusion_path, args.out.parent)
        second_log = log_path.with_suffix(".without-network.log")
        with serve_zebra(args.workers, args.data_dir, second_log, fusion) as (url, pid, _):
            console.print(f"second server up at {url}, fusion {fusion}")
            lighter = asyncio.run(run_all(url, pid, args, queries, ["fused"]))
        results += [replace(r, ranker=WITHOUT_NETWORK) for r in lighter]
    info = _machine_info()
    caption = (f"{info['summary']}; {info['platform']}; workers={args.workers}; data={args.data_dir}; "
               f"{args.seconds:g} s or {args.max_requests} requests per cell; load avg at start "
               f"{', '.join(f'{x:.2f}' for x in info['load_average_at_start'])}")
    console.print(render(results, caption))
    write_json(args.out, args, health, results)
    plot_files([args.out], args.plot or args.out.with_suffix(".png"))
    console.print(f"wrote {args.out} and {args.plot or args.out.with_suffix('.png')}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # the server was already stopped on the way out
        raise SystemExit(130) from None
