"""Ontology ranker benchmark: per-query latency, dev-set quality of the ranker alone, recognition P/R.

Latency: 200 queries (bench.common.load_queries) through recognition, the ontology ranker
over every disease of the store, and what-to-ask-next; p50/p95 in ms. Quality: MRR and
Recall@k on data/queries/dev.jsonl (a query is found at the first disease whose id or one of
whose articles is gold). Target: ranking ≤ 20 ms per query on 2 cores.
Run: `ZEBRA_DATA_DIR=/tmp/zb-onto .venv/bin/python -m bench.bench_ontology` after `zebra build`.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session
from tqdm import tqdm

from core.config import Settings
from app.understanding.ask_next import ask_next
from app.catalogue import load_catalogue
from app.rankers.base import LoadContext
from app.rankers.profiles import published_profiles
from app.understanding.similarity import PhenotypeSimilarity, SimilarityConfig, load_similarity
from app.understanding.recognizer import Recognizer, load_recognizer
from bench import bench_recognition
from bench.common import ROOT, load_queries, machine, summarise, warm_up_queries
from indexer.hpo import data_dir, read_ontology
from indexer.store import ArticleRow, make_engine

DEV = ROOT / "data" / "queries" / "dev.jsonl"


def latency(recognizer: Recognizer, ranker: PhenotypeSimilarity, queries: list[str]) -> dict[str, dict[str, float]]:
    for q in warm_up_queries():
        rec = recognizer.recognize(q)
        ranker.rank(rec.observed, rec.excluded)
    times: dict[str, list[float]] = {"recognition": [], "ontology ranking (all diseases)": [], "ask next": [],
                                     "total": []}
    for q in tqdm(queries, desc="latency"):
        t0 = time.perf_counter()
        rec = recognizer.recognize(q)
        t1 = time.perf_counter()
        ranking = ranker.rank(rec.observed, rec.excluded)
        t2 = time.perf_counter()
        ask_next(ranker, rec.observed, rec.excluded, ranking=ranking)
        t3 = time.perf_counter()
        for name, ms in zip(times, [t1 - t0, t2 - t1, t3 - t2, t3 - t0]):
            times[name].append(ms * 1000)
    return {name: summarise(ms) for name, ms in times.items()}


def quality(ranker: PhenotypeSimilarity, rows: list[dict], terms: list[tuple[list[str], list[str]]],
            owner: dict[str, str]) -> dict[str, float]:
    ranks = []
    for row, (observed, excluded) in zip(rows, terms):
        gold = {owner.get(g, g) for g in row["gold"]}
        ranking = ranker.rank(observed, excluded)
        ranks.append(next((i for i, (d, _) in enumerate(ranking, start=1) if d in gold), 0))
    r = np.asarray(ranks)
    found = r > 0
    return {"MRR": float(np.mean(np.where(found, 1 / np.maximum(r, 1), 0))),
            **{f"R@{k}": float(np.mean(found & (r <= k))) for k in (1, 10, 20)}}


def dev_table(recognizer: Recognizer, ranker: PhenotypeSimilarity, owner: dict[str, str]) -> Table:
    rows = [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]
    recognised = [recognizer.recognize(r["query"]) for r in tqdm(rows, desc="dev recognition")]
    from_text = [(rec.observed, rec.excluded) for rec in recognised]
    generator = [([f["shown"] for f in r["meta"]["features"]] + [f["hpo_id"] for f in r["meta"].get("noise", [])],
                  [f["hpo_id"] for f in r["meta"].get("excluded", [])]) for r in rows]
    variants = {
        "recognised terms, query→disease BMA (default)": (ranker.config, from_text),
        "recognised terms, excluded findings ignored": (ranker.config, [(o, []) for o, _ in from_text]),
        "recognised terms, symmetric BMA": (replace(ranker.config, symmetric=True), from_text),
        "generator's own term ids (upper bound of recognition)": (ranker.config, generator),
    }
    table = Table(title=f"Ontology ranker alone on {DEV.relative_to(ROOT)} ({len(rows)} queries)")
    for col in ("variant", "MRR", "R@1", "R@10", "R@20"):
        table.add_column(col)
    default = ranker.config
    for name, (config, terms) in variants.items():
        ranker.config = config
        m = quality(ranker, rows, terms, owner)
        table.add_row(name, *(f"{v:.3f}" for v in m.values()))
    ranker.config = default
    return table


def main() -> None:
    console = Console()
    settings = Settings()
    engine = make_engine(settings.sql_url)
    t0 = time.perf_counter()
    recognizer = load_recognizer(settings.hpo_dir)
    t1 = time.perf_counter()
    profiles = published_profiles(LoadContext(settings, engine, load_catalogue(engine)), "ontology")
    ranker = load_similarity(engine, SimilarityConfig(), profiles.facts() if profiles else [])  # as the server loads it
    t2 = time.perf_counter()
    console.print(f"{machine()}; store {settings.sql_url}: {len(ranker)} annotated diseases, "
                  f"{len(ranker.terms)} terms; recognizer built in {t1 - t0:.1f} s, ranker loaded in {t2 - t1:.1f} s")
    table = Table(title="Per-query latency, ms (200 queries)")
    for col in ("stage", "p50", "p95", "mean"):
        table.add_column(col)
    for name, s in latency(recognizer, ranker, load_queries(200)).items():
        table.add_row(name, f"{s['p50']:.2f}", f"{s['p95']:.2f}", f"{s['mean']:.2f}")
    console.print(table)
    if DEV.is_file():
        with Session(engine) as s:
            owner = dict(s.execute(select(ArticleRow.article_id, ArticleRow.disease_id)).all())
        console.print(dev_table(recognizer, ranker, owner))
    ontology = read_ontology((settings.hpo_dir or data_dir()) / "hp.obo")
    table = Table(title="Recognition on the hand-annotated sentences (exact ids)")
    for col in ("findings", "precision", "recall", "F1"):
        table.add_column(col)
    tallies = bench_recognition.score(recognizer, bench_recognition.hand_cases(), ontology)
    for kind, t in tallies.items():
        table.add_row(kind, *(f"{v:.3f}" for v in t.row()))
    console.print(table)


if __name__ == "__main__":
    main()
