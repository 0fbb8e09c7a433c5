"""Foundation benchmark: full build time, raw tantivy latency, and the full search (the default
ranker: fused when several are loaded) in-process and over HTTP, with its ratio to raw tantivy.

Prints a table. Targets on 2 cores: full build ≤ 60 s; tantivy search p50 ≤ 5 ms in-process.
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
from app.reloading import settle_heap
from bench.common import ROOT, load_queries, machine, served, summarise, warm_up_queries, without_network
from indexer.build import build
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import make_engine


def main() -> None:
    queries = load_queries(200)
    real = load_queries(200, ROOT / "data" / "queries" / "real-test.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        engine, index = make_engine(settings.sql_url), TantivyIndex(settings.tantivy_dir)
        start = time.perf_counter()
        report = build(engine, index)
        build_s = time.perf_counter() - start
        service = load_service(settings, engine)[0]
        settle_heap()  # as the server does after loading
        for q in warm_up_queries():
            service.search(q, 20)
        raw, full, turned, asking = [], [], [], []
        for q in tqdm(queries, desc="in-process"):
            t = time.perf_counter()
            index.search(q, 300)
            raw.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            service.search(q, 20)
            full.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            service.search(q, 20, offset=20)  # its next page: the ranking is remembered
            turned.append((time.perf_counter() - t) * 1000)
        service.recent.clear()  # the second pass ranks every query anew
        for q in tqdm(queries, desc="in-process, asking"):  # a second pass, nothing remembered (cleared above)
            t = time.perf_counter()
            service.search(q, 20, ask_next=True)  # as the search page asks
            asking.append((time.perf_counter() - t) * 1000)
        # the same search with the network out of the fusion (weight 0: not run), a third pass, nothing remembered
        without = without_network(service)
        lighter = []
        for q in tqdm(queries if without else [], desc="in-process, without the network"):
            t = time.perf_counter()
            without.search(q, 20)
            lighter.append((time.perf_counter() - t) * 1000)
        env = {**os.environ, "ZEBRA_DATA_DIR": tmp, "ZEBRA_RECENT_SEARCHES": "0"}  # each request ranked anew
        http, http_real = [], []
        with served(env) as url, httpx.Client(base_url=url) as client:
            for q in warm_up_queries():
                client.get("/api/search", params={"q": q})
            for sample, out, desc in ((queries, http, "HTTP"), (real, http_real, "HTTP, real cases")):
                for q in tqdm(sample, desc=desc):
                    t = time.perf_counter()
                    client.get("/api/search", params={"q": q, "k": 20}).raise_for_status()
                    out.append((time.perf_counter() - t) * 1000)
    table = Table(title=f"Foundation benchmark — {machine()}")
    for col in ("measure", "value", "target"):
        table.add_column(col)
    table.add_row("full build (corpus → DB → index)", f"{build_s:.1f} s ({report.articles:,} articles)", "≤ 60 s")
    default = service.default_ranker
    for name, ms, target in (("raw tantivy search, 300 hits, dev queries", raw, "p50 ≤ 5 ms"),
                             (f"full search ({default}: {', '.join(service.rankers)}), top 20 with evidence, "
                              "in-process, dev queries", full, "p50 ≤ 3× raw tantivy"),
                             ("its next page (offset 20), right after it: the ranking remembered", turned, ""),
                             ("the same with what to ask next (ask_next=true, as the search page asks; "
                              "second pass)", asking, ""),
                             (f"GET /api/search ({default}) over HTTP, dev queries", http, ""),
                             (f"GET /api/search ({default}) over HTTP, real-case test queries", http_real,
                              "p50 ≤ 10 ms")):
        s = summarise(ms)
        table.add_row(name, f"p50 {s['p50']:.2f} ms · p95 {s['p95']:.2f} ms (n={len(ms)})", target)
    ratio = summarise(full)["p50"] / summarise(raw)["p50"]
    table.add_row("full search p50 / raw tantivy p50, same run", f"{ratio:.1f}×", "≤ 3×")
    if lighter:
        weights = " · ".join(f"{n} {w:g}" for n, w in without.fusion.weights.items() if w)
        light = summarise(lighter)["p50"]
        table.add_row(f"the full search without the network ({weights}), in-process, dev queries (third pass)",
                      f"p50 {light:.2f} ms · {light / summarise(raw)['p50']:.1f}× raw tantivy", "")
    Console().print(table)


if __name__ == "__main__":
    main()
