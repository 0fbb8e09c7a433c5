"""Helpers shared by the benchmarks: query loading, timing summaries, a served app."""

from __future__ import annotations

import contextlib
import json
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def load_queries(n: int = 200, path: Path = ROOT / "data" / "queries" / "dev.jsonl", seed: int = 0) -> list[str]:
    """`n` queries of the dev set (a fixed sample), or of feature lists when the set is absent."""
    if path.is_file():
        rows = [json.loads(line)["query"] for line in path.read_text().splitlines() if line.strip()]
    else:
        from indexer.corpus import build_articles, load_release
        rows = [", ".join(f.name for f in a.features[:6]) for a in build_articles(load_release()) if a.features]
    return random.Random(seed).sample(rows, min(n, len(rows)))


def warm_up_queries(n: int = 20) -> list[str]:
    """Queries to warm a service or server with, none of them timed after (the real tuning cases): the
    service remembers its last few readings, so warming with a timed query would time a remembered one."""
    return load_queries(n, ROOT / "data" / "queries" / "real-tune.jsonl")


def without_network(service):
    """`service`'s rankers fused with the network's weight 0 (so a fused search does not run it), remembering no
    search; None when its fusion weighs no network."""
    from dataclasses import replace
    from app.service import SearchService

    weights = service.fusion.weights
    if service.default_ranker != "fused" or not weights.get("neural"):
        return None
    fusion = replace(service.fusion, weights={**weights, "neural": 0.0})
    return SearchService(service.catalogue, service.ranker_objects, fusion, remembered=0)


def summarise(ms: list[float]) -> dict[str, float]:
    a = np.asarray(ms)
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)), "mean": float(a.mean())}


def machine() -> str:
    import os
    import platform
    model = ""
    with contextlib.suppress(OSError):
        model = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "")
    return f"{platform.machine()} {model}, {os.cpu_count()} cores, Python {platform.python_version()}"


@contextlib.contextmanager
def served(env: dict[str, str]):
    """`zebra serve` in a child process on a free port; yields the base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the app did not start within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
