"""Solr benchmark: full-corpus indexing time and search latency, tantivy vs Solr (standalone and 2-shard cloud).

The same 200 queries (`load_queries`) go through each backend in-process: 300 hits (what the app
fetches before grouping), and highlighting of the top 20. A Solr already healthy on 8983 / 8984 is
used (only the `zebra_bench` core/collection is written); otherwise one is started with the project's
launcher in a temporary folder and stopped at the end.
Run: `.venv/bin/python -m bench.bench_solr [--no-cloud]`.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session
from tqdm import tqdm

from bench.common import load_queries, machine, summarise
from indexer.build import build
from indexer.lexical.base import LexicalIndex
from indexer.lexical.solr_index import SolrIndex
from indexer.lexical.tantivy_index import TantivyIndex
from cli.solr import PORTS, Node, problem, start, stop
from indexer.store import load_articles, make_engine

CANDIDATE_HITS = 300
HIGHLIGHTED = 20


@contextlib.contextmanager
def local_solr(cloud: bool, tmp: Path) -> Iterator[str]:
    """Base URL of a healthy local Solr; started (and stopped afterwards) only if none is running."""
    node = Node(state=tmp / ("solr-cloud" if cloud else "solr"), cloud=cloud, port=PORTS[cloud])
    if problem(node) is None:
        yield node.base_url
        return
    start(node, timeout=300)
    try:
        yield node.base_url
    finally:
        stop(node)


def timed_rebuild(index: LexicalIndex, articles, release: str) -> float:
    start_s = time.perf_counter()
    index.rebuild(articles, release)
    return time.perf_counter() - start_s


def latencies(index: LexicalIndex, queries: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds per query: search of CANDIDATE_HITS hits; highlighting of the top HIGHLIGHTED."""
    for q in queries:  # warm-up: one untimed pass (a freshly started JVM is still compiling)
        index.highlight(q, index.search(q, CANDIDATE_HITS)[:HIGHLIGHTED])
    search_ms, highlight_ms = [], []
    for q in tqdm(queries, desc=index.backend):
        t = time.perf_counter()
        hits = index.search(q, CANDIDATE_HITS)
        search_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.highlight(q, hits[:HIGHLIGHTED])
        highlight_ms.append((time.perf_counter() - t) * 1000)
    return search_ms, highlight_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cloud", action="store_true", help="Skip the 2-shard SolrCloud rows.")
    args = parser.parse_args()
    queries = load_queries(200)
    rows: list[tuple[str, float, list[float], list[float]]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        engine, tantivy = make_engine(f"sqlite:///{tmp / 'zebra.db'}"), TantivyIndex(tmp / "index")
        report = build(engine, tantivy)  # the store gives the articles their disease ids
        with Session(engine) as session:
            articles = load_articles(session)
        rows.append(("tantivy", timed_rebuild(tantivy, articles, report.data_release), *latencies(tantivy, queries)))
        for cloud in (False,) if args.no_cloud else (False, True):
            with local_solr(cloud, tmp) as base:
                solr = SolrIndex(f"{base}/zebra_bench", timeout=30)
                seconds = timed_rebuild(solr, articles, report.data_release)
                rows.append((f"Solr {'2-shard cloud' if cloud else 'standalone'}", seconds, *latencies(solr, queries)))
    show(rows, len(articles), len(queries))


def show(rows, n_articles: int, n_queries: int) -> None:
    table = Table(title=f"Solr benchmark — {n_articles:,} articles, {n_queries} queries — {machine()}")
    for col in ("backend", "index full corpus", f"search {CANDIDATE_HITS} hits p50 / p95",
                "× tantivy (p50)", f"highlight top {HIGHLIGHTED} p50 / p95"):
        table.add_column(col)
    base_p50 = summarise(rows[0][2])["p50"]
    for name, seconds, search_ms, highlight_ms in rows:
        s, h = summarise(search_ms), summarise(highlight_ms)
        table.add_row(name, f"{seconds:.1f} s", f"{s['p50']:.2f} / {s['p95']:.2f} ms", f"{s['p50'] / base_p50:.1f}×",
                      f"{h['p50']:.2f} / {h['p95']:.2f} ms")
    Console().print(table)


if __name__ == "__main__":
    main()
