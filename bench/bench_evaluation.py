"""Evaluation benchmark: query-set generation time, in-process ranking throughput, and a batch
run through the API (background thread + SQL store), on the built corpus of the settings.

Prints a table. Targets on 2 cores: 1,000 simulated patients ≤ 15 s; `zebra eval` on the test
set ≤ 60 s; the API run of the dev set within 1.5× the in-process time of the same queries.
Run: `ZEBRA_DATA_DIR=… .venv/bin/python -m bench.bench_evaluation` (after `zebra build`).
"""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from core.config import Settings
from app.loading import load_service
from app.main import create_app
from bench.common import ROOT, machine
from evaluation.queries import generate
from evaluation.queryset import read_queries
from evaluation.runner import GoldIndex, evaluate
from indexer.corpus import load_release
from indexer.store import make_engine


def main() -> None:
    settings = Settings()
    start = time.perf_counter()
    generate(load_release(settings.hpo_dir), 1000, seed=2)
    gen_s = time.perf_counter() - start

    service, _ = load_service(settings, make_engine(settings.sql_url))
    if not service.catalogue.diseases:
        raise SystemExit(f"nothing built at {settings.sql_url}; run `zebra build` first")
    index = GoldIndex.of({d: [a.article_id for a in i.articles] for d, i in service.catalogue.diseases.items()})
    timings = {}
    for name in ("dev", "test"):
        queries = read_queries(ROOT / "data" / "queries" / f"{name}.jsonl")
        with tqdm(total=len(queries), desc=f"in-process {name}") as bar:
            start = time.perf_counter()
            evaluate(lambda q, r: [x.disease_id for x in service.rank(q, r)], service.rankers, index, queries,
                     progress=bar.update)
            timings[name] = (len(queries), time.perf_counter() - start)

    with TestClient(create_app(settings)) as client:
        start = time.perf_counter()
        run = client.post("/api/evaluations", data={"set": "dev", "name": "bench"}).json()
        while run["status"] not in ("done", "failed"):
            time.sleep(0.1)
            run = client.get(f"/api/evaluations/{run['id']}").json()
        api_s = time.perf_counter() - start

    table = Table(title=f"Evaluation benchmark ({', '.join(service.rankers)}) — {machine()}")
    for col in ("measure", "value", "target"):
        table.add_column(col)
    table.add_row("generate 1,000 simulated patients", f"{gen_s:.1f} s", "≤ 15 s")
    for name, (n, s) in timings.items():
        table.add_row(f"rank + summarise {name} ({n:,} queries), in-process", f"{s:.1f} s ({n / s:,.0f} q/s)",
                      "≤ 60 s" if name == "test" else "")
    n, s = timings["dev"]
    table.add_row(f"API batch run of dev ({n:,} queries, {run['status']})", f"{api_s:.1f} s",
                  f"≤ {1.5 * s:.1f} s (1.5× in-process)")
    Console().print(table)


if __name__ == "__main__":
    main()
