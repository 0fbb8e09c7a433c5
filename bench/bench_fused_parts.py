"""What the network costs a fused search, in-process: its parts timed one by one, and the fused search three ways in
one process, the queries alternating between them (the network on a thread beside the other rankers, as a search
alone in its process runs; all of it on the request's thread, as while another search is in flight; and a fusion
that weighs the network 0, so it is not run).

Uses the built corpus and the configured model (ZEBRA_* settings, as `zebra serve`); each search ranks anew (nothing
remembered, the query's reading and recognised findings forgotten before each). Prints two tables.
Run: `.venv/bin/python -m bench.bench_fused_parts [--queries 300]` after `make build`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from app import service as service_module
from app.loading import load_service
from app.rankers.base import negation_free
from app.rankers.ontology import Overrides
from app.reloading import settle_heap
from app.service import SearchService
from bench.common import ROOT, load_queries, machine, summarise, warm_up_queries, without_network
from core.config import get_settings
from indexer.store import make_engine

WAYS = ("network beside", "network on the request's thread", "network weight 0 (not run)")


def _ms(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def network_parts(service: SearchService, queries: list[str], desc: str) -> dict[str, list[float]]:
    """Per query: the network reading the whole query (prototypes and attention), finding the nearest finding texts
    of its phrases (a phrase written as a known text, or read before, is looked up), and matching them to the
    diseases."""
    neural, phenotypes = service.explainer, service.phenotypes
    out: dict[str, list[float]] = {"reading the whole query": [], "nearest texts of its phrases": [],
                                   "matching the phrases to the diseases": []}
    for q in tqdm(queries, desc=desc, leave=False):
        recognition = phenotypes.recognize(q)
        text = negation_free(q, phenotypes.findings(recognition.mentions, Overrides(), recognition.heredity))
        if not text.strip():
            continue
        out["reading the whole query"].append(_ms(lambda: neural.predictor.read(text))[0])
        ms, later = _ms(lambda: neural.findings.scores_later(text))
        out["nearest texts of its phrases"].append(ms)
        out["matching the phrases to the diseases"].append(_ms(later)[0])
    return out


def three_ways(service: SearchService, without: SearchService, queries: list[str], desc: str) -> dict[str, list[float]]:
    """The fused search's time each way (`without`: the same rankers, the network weighed 0), the ways taking turns
    at going first."""
    out: dict[str, list[float]] = {way: [] for way in WAYS}
    for i, q in enumerate(tqdm(queries, desc=desc, leave=False)):
        for way in WAYS[i % 3:] + WAYS[:i % 3]:
            service.phenotypes.recognizer._recent.cache_clear()  # recognised anew, read anew
            service.explainer._read.cache_clear()
            if way == WAYS[1]:
                with service_module._IN_FLIGHT:  # as if another search were in flight
                    out[way].append(_ms(lambda: service.search(q, 20))[0])
            else:
                out[way].append(_ms(lambda: (without if way == WAYS[2] else service).search(q, 20))[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300, help="Dev queries (and at most as many real-case ones).")
    args = parser.parse_args()
    settings = get_settings().model_copy(update={"recent_searches": 0})
    service = load_service(settings, make_engine(settings.sql_url))[0]
    settle_heap()
    without = without_network(service)
    if service.explainer is None or without is None:
        raise SystemExit("this benchmark needs the network loaded and weighed by the fusion (ZEBRA_MODEL_PATH)")
    for q in warm_up_queries(50):
        service.search(q, 20)
    sets = {"dev": load_queries(args.queries),
            "real-case test": load_queries(args.queries, ROOT / "data" / "queries" / "real-test.jsonl")}
    parts = Table(title=f"The network's parts, one at a time — {machine()}")
    ways = Table(title="The fused search three ways, alternating in one process (p50 · mean ms)")
    for table, first in ((parts, "part"), (ways, "way")):
        for col in (first, *(f"{name} (n={len(qs)})" for name, qs in sets.items())):
            table.add_column(col)
    timed_parts = {name: network_parts(service, qs, f"parts, {name}") for name, qs in sets.items()}
    timed_ways = {name: three_ways(service, without, qs, f"three ways, {name}") for name, qs in sets.items()}
    for rows, table in ((timed_parts, parts), (timed_ways, ways)):
        for key in next(iter(rows.values())):
            table.add_row(key, *(f"{summarise(rows[s][key])['p50']:.2f} · {summarise(rows[s][key])['mean']:.2f}"
                                 for s in sets))
    console = Console()
    console.print(parts)
    console.print(ways)


if __name__ == "__main__":
    main()
