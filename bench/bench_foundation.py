"""Foundation benchmark: full build time and lexical search latency (in-process and over HTTP).

Prints a table. Targets on 2 cores: full build ≤ 60 s; lexical search p50 ≤ 5 ms in-process.
Run: `make bench` or `.venv/bin/python -m bench.bench_foundation`.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from core.config import Settings
from app.loading import load_service
from bench.common import load_queries, machine, served, summarise
from indexer.build import build
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import make_engine


def main() -> None:
    queries = load_queries(200)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        engine, index = make_engine(settings.sql_url), TantivyIndex(settings.tantivy_dir)
        start = time.perf_counter()
        report = build(engine, index)
        build_s = time.perf_counter() - start
        service = load_service(settings, engine)[0]
        for q in queries[:20]:
            service.search(q, 20)  # warm-up
        raw, full = [], []
        for q in tqdm(queries, desc="in-process"):
            t = time.perf_counter()
            index.search(q, 300)
            raw.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            service.search(q, 20)
            full.append((time.perf_counter() - t) * 1000)
        env = {**os.environ, "ZEBRA_DATA_DIR": tmp}
        http = []
        with served(env) as url, httpx.Client(base_url=url) as client:
            for q in queries[:20]:
                client.get("/api/search", params={"q": q})
            for q in tqdm(queries, desc="HTTP"):
                t = time.perf_counter()
                client.get("/api/search", params={"q": q, "k": 20}).raise_for_status()
                http.append((time.perf_counter() - t) * 1000)
    table = Table(title=f"Foundation benchmark — {machine()}")
    for col in ("measure", "value", "target"):
        table.add_column(col)
    table.add_row("full build (corpus → DB → index)", f"{build_s:.1f} s ({report.articles:,} articles)", "≤ 60 s")
    for name, ms, target in (("tantivy search, 300 hits", raw, "p50 ≤ 5 ms"),
                             ("lexical search, grouped top 20, in-process", full, ""),
                             ("GET /api/search over HTTP", http, "")):
        s = summarise(ms)
        table.add_row(name, f"p50 {s['p50']:.2f} ms · p95 {s['p95']:.2f} ms (n={len(ms)})", target)
    Console().print(table)


if __name__ == "__main__":
    main()
