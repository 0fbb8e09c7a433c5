"""The `zebra` command line: build, import, search, serve, info (and eval, queries from `cli.evaluate`).

An entry point: it reads the one `Settings` object and hands explicit values down.
Errors a user can cause end with a one-line message and exit code 1 (2 for usage).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from sqlalchemy.exc import SQLAlchemyError
from rich.table import Table

from core.config import Settings, get_settings
from cli.common import console, err, fail, settings as cli_settings
from cli.evaluate import evaluate_command, queries_app
from cli.solr import solr_app
from cli.train import train_cmd
from indexer.build import build as build_corpus, is_built, store_counts
from indexer.hpo import HpoDataError
from indexer.importer import ImportRejected, import_jsonl
from indexer.lexical import open_index
from indexer.store import StoreMismatch, make_engine, read_meta

app = typer.Typer(help="Zebra search: rare diseases from a patient's findings.", no_args_is_help=True,
                  pretty_exceptions_enable=False)



@app.callback()
def _start() -> None:
    get_settings.cache_clear()  # one Settings per invocation, read from the environment as it is now


app.add_typer(solr_app, name="solr")


def _setup(settings: Settings, progress: bool = False):
    try:
        return make_engine(settings.sql_url), open_index(**settings.lexical_options, progress=progress)
    except (StoreMismatch, SQLAlchemyError) as exc:
        fail(f"the SQL store cannot be opened: {exc}")



@app.command()
def build(if_missing: Annotated[bool, typer.Option("--if-missing", help="Do nothing when already built.")] = False,
          progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True) -> None:
    """Build the corpus from the HPO release into the SQL store and the lexical index (idempotent)."""
    settings = cli_settings()
    engine, index = _setup(settings, progress)
    if if_missing and is_built(engine, index):
        console.print("corpus and index already built; nothing to do")
        return
    try:
        with console.status("building corpus, store and index…"):
            report = build_corpus(engine, index, settings.hpo_dir)
    except HpoDataError as exc:
        fail(str(exc))
    console.print(f"HPO data release {report.data_release}: {report.articles:,} articles, "
                  f"{report.diseases:,} diseases, {report.merged_groups:,} merged groups "
                  f"(articles from several sources), {report.imported_articles:,} imported articles; "
                  f"{report.seconds['total']:.1f} s")


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="JSONL file, one article per line.")]) -> None:
    """Add your own articles: {article_id, title, text, source, url?, disease_id?, genes?} per line."""
    settings = cli_settings()
    engine, index = _setup(settings)
    try:
        n = import_jsonl(engine, index, file)
    except ImportRejected as exc:
        fail(f"{exc}; nothing was imported")
    console.print(f"imported {n:,} articles from {file}")


@app.command()
def search(query: Annotated[str, typer.Argument(help="The findings, in plain words.")],
           k: Annotated[int, typer.Option("-k", "--k", min=1, max=100, help="Number of diseases.")] = 10,
           source: Annotated[Optional[str], typer.Option(help="Only this source (OMIM, ORPHA, …).")] = None) -> None:
    """Rank diseases for a free-text query and print a table."""
    from app.loading import load_service

    if not 1 <= len(query) <= 2000:
        fail(f"the query has {len(query)} characters; it must have 1 to 2,000")
    settings = cli_settings()
    engine, index = _setup(settings)
    try:
        result = load_service(settings, engine)[0].search(query, k, source)
    except Exception as exc:  # noqa: BLE001 — shown to the user as one line
        fail(f"{exc}")
    table = Table(title=f"{result.total:,} candidate diseases (HPO {result.data_release})")
    for col in ("rank", "disease", "name", "score", "articles"):
        table.add_column(col)
    for r in result.results:
        table.add_row(str(r.rank), r.disease_id, r.name, f"{r.score:.2f}", ", ".join(a.article_id for a in r.articles))
    console.print(table)


@app.command()
def serve(host: Annotated[Optional[str], typer.Option(help="Address; default from ZEBRA_HOST.")] = None,
          port: Annotated[Optional[int], typer.Option(help="Port; default from ZEBRA_PORT.")] = None,
          workers: Annotated[Optional[int], typer.Option(min=1, max=16, help="Processes; default ZEBRA_WORKERS.")] = None,
          ) -> None:
    """Serve the web page and the REST API."""
    import uvicorn

    from app.database import StoreUnavailable, open_store

    settings = cli_settings()
    try:
        open_store(settings).dispose()  # fail early and clearly when the database cannot be reached
    except (StoreUnavailable, StoreMismatch) as exc:
        fail(str(exc))
    workers = workers or settings.workers
    options = dict(host=host or settings.host, port=port or settings.port, log_level=settings.log_level.lower(),
                   access_log=settings.log_queries)
    if workers > 1:  # each process builds its own app from the environment
        uvicorn.run("app.main:create_app", factory=True, workers=workers, **options)
    else:
        from app.main import create_app

        uvicorn.run(create_app(settings), **options)


@app.command("tune-fusion")
def tune_fusion(
    queries: Annotated[Optional[list[Path]], typer.Option(
        "--queries", help="A tuning query set (JSONL), once per set; each weighs the same. Default: the real tuning "
                          "cases and the clinician-style vignettes.")] = None,
    held_out: Annotated[Optional[list[Path]], typer.Option(
        "--held-out", help="A test query set whose diseases are never tuned on, once per set. Default: the real "
                           "test cases.")] = None,
    split_half: Annotated[bool, typer.Option(
        help="Tune only on queries of the tuning half of diseases (the split rule of `zebra queries cases`), so "
             "the other half can test.")] = True,
    split_seed: Annotated[int, typer.Option(help="The split's seed, as given to `zebra queries cases --seed`.")] = 0,
    unprofiled: Annotated[bool, typer.Option(
        help="Also tune on each set of published cases as if its diseases had no published patients (their "
             "profiles left out), so the fusion serves the many diseases without them.")] = True,
    out: Annotated[Optional[Path], typer.Option(help="Where to write; default ZEBRA_FUSION_PATH.")] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Choose the fusion method and weights on tuning sets (never worse than the best single ranker there)."""
    from app.loading import load_service
    from app.tuning import HELD_OUT, TUNE_SETS, diseases_of, tune, tuning_part, write_tuned
    from evaluation.queryset import QuerySetError, read_queries

    settings = cli_settings()
    engine, _ = _setup(settings)
    paths, test_paths = list(queries or TUNE_SETS), list(HELD_OUT if held_out is None else held_out)
    if len({p.name for p in paths}) < len(paths):
        fail(f"--queries names one file name twice ({', '.join(str(p) for p in paths)}); each tuning set is "
             "recorded by its file name, so give sets with different names")
    try:
        sets = {p: read_queries(p) for p in paths}
        tests = [q for p in test_paths for q in read_queries(p)]
    except QuerySetError as exc:
        fail(str(exc))
    service, notices = load_service(settings, engine)
    for n in notices:
        err.print(f"note: {n}", highlight=False)
    if len(service.rankers) < 2:
        fail(f"only the {service.rankers[0]} ranker is loaded; fusion needs two or more")
    target = out or settings.fusion_path
    if target is None:
        fail("no output path: pass --out or set ZEBRA_FUSION_PATH")
    disease_of = service.catalogue.article_to_disease
    chosen = {p: tuning_part(qs, diseases_of(tests, disease_of), disease_of, split_half, split_seed)
              for p, qs in sets.items()}
    for p, qs in chosen.items():
        console.print(f"{p.name}: {len(qs):,} of {len(sets[p]):,} queries tuned on", highlight=False)
    if not any(chosen.values()):
        fail("no query is left to tune on: every one is of a held-out disease or of the test half; pass other "
             "--queries, or --no-split-half")
    result = tune(service, {p.name: qs for p, qs in chosen.items()}, progress, unprofiled)
    write_tuned(target, result, service, {p: len(qs) for p, qs in chosen.items() if qs}, test_paths)
    singles = ", ".join(f"{k} {v:.3f}" for k, v in result.single.items())
    per_set = ", ".join(f"{k} {v:.3f}" for k, v in result.per_set.items())
    console.print(f"MRR alone (mean over the sets) {singles}; fused ({result.config.method}, weights "
                  f"{result.config.weights}): MRR {result.dev_mrr:.3f} ({per_set}), R@10 {result.dev_r10:.3f} "
                  f"({result.tried} settings tried) → {target}", highlight=False)


@app.command()
def info() -> None:
    """Show the data release, counts, backend and the neural model's checkpoint.

    The counts are read from the store and the index as they are now (imports included), not from
    the last build's report."""
    from sqlalchemy.orm import Session

    settings = cli_settings()
    engine, index = _setup(settings)
    with Session(engine) as s:
        meta = read_meta(s)
        counts = store_counts(s) if meta else {}
    health = index.health()
    table = Table(show_header=False)
    table.add_row("data release", meta.data_release if meta else "not built (run `zebra build`)")
    table.add_row("built at", str(meta.built_at) if meta else "—")
    for key, value in counts.items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    table.add_row("store", engine.url.render_as_string(hide_password=True))
    table.add_row("search backend", _backend_row(health, counts.get("articles")))
    table.add_row("model", _model_row(settings, meta.data_release if meta else None))
    console.print(table)


def _backend_row(health, articles: int | None) -> str:
    """The index's backend and documents, and whether they agree with the store's articles."""
    if not health.ok:
        return f"{health.backend}: {health.detail}"
    row = f"{health.backend} ({health.documents:,} documents)"
    if articles is not None and health.documents != articles:
        row += f"; the store has {articles:,} articles: run `zebra build` to index them all"
    return row


def _model_row(settings: Settings, data_release: str | None) -> str:
    """The configured checkpoint: its path, architecture, classes and dev figures, or why it will not load."""
    if settings.model_path is None:
        return "none (ZEBRA_MODEL_PATH is empty; no neural ranker)"
    from models.checkpoint import CheckpointError, load_checkpoint

    try:
        ck = load_checkpoint(settings.model_path, expected_release=data_release)
    except CheckpointError as exc:
        return f"not loaded: {exc}"
    dev = ck.metrics.get("dev") or {}
    figures = f", dev MRR {dev['mrr']:.3f}" if isinstance(dev, dict) and "mrr" in dev else ""
    return (f"{ck.path} ({ck.arch}, {ck.model.n_params():,} parameters, {len(ck.labels):,} diseases, "
            f"HPO {ck.data_release}{figures})")


app.add_typer(queries_app, name="queries")
app.command("eval")(evaluate_command)

app.command("train")(train_cmd)
