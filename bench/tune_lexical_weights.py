"""Choose the lexical per-field weights on a tuning query set (never a test set).

A grid over the weights of title, synonyms and definitions (features fixed at 1, genes
at 1), each scored by the lexical ranker's MRR on dev, reading each query as a search does (the
findings recognised once: excluded ones dropped, observed ones named). Prints the best settings as a
table. Run on a built corpus: `python -m bench.tune_lexical_weights --queries data/queries/real-tune.jsonl`
(the real tuning cases; the default is the simulated dev set).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated

import typer

from rich.console import Console
from rich.table import Table
from tqdm import tqdm

from app.loading import load_service
from core.config import get_settings
from app.rankers.lexical import LexicalRanker
from evaluation.metrics import first_correct_rank, mrr, recall_at
from evaluation.queryset import read_queries
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import make_engine

GRID = {"title": (0.1, 0.3, 0.6, 1.0), "synonyms": (0.3, 0.5, 0.7, 1.0), "definitions": (0.0, 0.1, 0.3, 0.5)}


def main(queries: Annotated[Path, typer.Option(help="Tuning query set (JSONL).")] = Path("data/queries/dev.jsonl")) -> None:
    settings = get_settings()
    service, _ = load_service(settings, make_engine(settings.sql_url))
    articles_of = {d: [a.article_id for a in info.articles] for d, info in service.catalogue.diseases.items()}
    dev = read_queries(queries)
    ontology = service.phenotypes
    findings = [ontology.findings(ontology.mentions(q.query)) if ontology else None for q in dev]
    rows = []
    for values in tqdm(list(itertools.product(*GRID.values())), desc="weights"):
        weights = {"features": 1.0, "genes": 1.0, **dict(zip(GRID, values))}
        ranker = LexicalRanker(TantivyIndex(settings.tantivy_dir, weights=weights), settings.candidate_hits)
        ranks = [first_correct_rank([r.disease_id for r in ranker.rank(q.query, f)], set(q.gold), articles_of)
                 for q, f in zip(dev, findings)]
        rows.append((mrr(ranks), recall_at(ranks, 10), weights))
    rows.sort(key=lambda r: -r[0])
    table = Table(title=f"Lexical field weights on {queries} ({len(dev)} queries), best 10 of {len(rows)}")
    for col in ("MRR", "R@10", "title", "synonyms", "definitions"):
        table.add_column(col)
    for m, r10, w in rows[:10]:
        table.add_row(f"{m:.4f}", f"{r10:.3f}", str(w["title"]), str(w["synonyms"]), str(w["definitions"]))
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
