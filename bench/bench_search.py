"""Search latency per ranker, in-process and over HTTP, and the result page's server time.

Uses the built corpus and the configured model (ZEBRA_* settings, as `zebra serve`).
Prints a table. Targets on 2 cores: fused search over HTTP p50 ≤ 30 ms; the page's
server time ≤ 50 ms; neural prediction p50 ≤ 10 ms.
Run: `.venv/bin/python -m bench.bench_search` after `make build`.
"""

from __future__ import annotations

import os
import time

import httpx
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from core.config import get_settings
from app.loading import load_service
from app.reloading import settle_heap
from bench.common import load_queries, machine, served, summarise, warm_up_queries
from indexer.store import make_engine


def _time(fn, queries: list[str], desc: str) -> list[float]:
    out = []
    for q in tqdm(queries, desc=desc, leave=False):
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    settings = get_settings()
    queries = load_queries(200)
    service, notices = load_service(settings, make_engine(settings.sql_url))
    settle_heap()  # as the server does after loading
    for n in notices:
        print("note:", n)
    for q in warm_up_queries(10):
        service.search(q, 20)
    rows = []
    for name in service.rankers:
        rows.append((f"{name} ranking, in-process", _time(lambda q, n=name: service.rank(q, n), queries, name)))
    rows.append(("full search (default ranker, top 20 with evidence), in-process",
                 _time(lambda q: service.search(q, 20), queries, "search")))
    with served({**os.environ}) as url, httpx.Client(base_url=url, timeout=30) as client:
        for q in warm_up_queries(10):
            client.get("/api/search", params={"q": q})
        rows.append(("GET /api/search (default ranker) over HTTP",
                     _time(lambda q: client.get("/api/search", params={"q": q}).raise_for_status(), queries, "http")))
        rows.append(("GET / result page over HTTP",
                     _time(lambda q: client.get("/", params={"q": q}).raise_for_status(), queries, "page")))
    table = Table(title=f"Search latency, 200 dev queries — {machine()}; rankers {', '.join(service.rankers)}")
    for col in ("measure", "p50 ms", "p95 ms"):
        table.add_column(col)
    for name, ms in rows:
        s = summarise(ms)
        table.add_row(name, f"{s['p50']:.2f}", f"{s['p95']:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
