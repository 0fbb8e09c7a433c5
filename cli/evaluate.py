"""The evaluation commands of the `zebra` CLI: `zebra queries generate` and `zebra eval`.

An entry point (registered in `cli.main`): reads the one `Settings`, builds the
search service like `zebra search` does, and prints the FindZebra-shaped table. Errors
a user can cause end with a one-line message and exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from core.config import Settings
from cli.common import console, err, fail, settings as cli_settings
from evaluation.queryset import MAX_QUERIES, QuerySetError, read_queries
from evaluation.runner import Report

queries_app = typer.Typer(help="Query sets for evaluation (simulated patients, published cases).", no_args_is_help=True)



@queries_app.command("generate")
def generate_command(
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write; its parameters go to FILE.meta.json.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed and release give the same file.")],
    n: Annotated[int, typer.Option("--n", min=1, max=MAX_QUERIES, help="Number of queries.")] = 500,
    exclude: Annotated[Optional[list[Path]], typer.Option(
        "--exclude", help="Query file whose diseases are left out (keeps dev and test disjoint); repeatable.")] = None,
) -> None:
    """Simulated patients from the HPO annotations (Phenomizer protocol) as a query set."""
    from evaluation.queries import GenerationError, generate, write_query_set
    from indexer.corpus import load_release
    from indexer.hpo import HpoDataError

    settings = cli_settings()
    try:
        banned = {g for f in exclude or [] for q in read_queries(f) for g in q.gold}
        with console.status("reading the HPO release and simulating patients…"):
            query_set = generate(load_release(settings.hpo_dir), n, seed, exclude=banned)
    except (QuerySetError, GenerationError, HpoDataError) as exc:
        fail(str(exc))
    query_set.meta["excluded_diseases_of"] = [str(f) for f in exclude or []]
    sidecar = write_query_set(out, query_set)
    console.print(f"wrote {len(query_set.rows):,} queries to {out} (HPO {query_set.meta['data_release']}, "
                  f"seed {seed}); parameters in {sidecar}", highlight=False)


@queries_app.command("cases")
def cases_command(
    cases: Annotated[Path, typer.Option("--cases", help="Published cases (cases.jsonl of the Phenopacket Store "
                                                        "derived set, with its LICENSE beside it).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for real-tune.jsonl, real-tune-leaky.jsonl, "
                                                    "real-test.jsonl and their .meta.json.")] = Path("data/queries"),
    seed: Annotated[int, typer.Option("--seed", help="Seed of the disease split and the wording.")] = 0,
    profiles: Annotated[Path | None, typer.Option(
        "--profiles", help="What each disease's published patients show, per publication (TSV), for the ontology "
                           "and neural rankers; default: profiles/published-cases.tsv beside the --out folder.")
    ] = None,
) -> None:
    """Real patients as query sets: published cases written as clinicians type them, split by disease
    (test: clean cases of unseen diseases only); and what every published patient shows, per disease and
    publication."""
    from evaluation.cases import main as write_cases
    from indexer.hpo import HpoDataError

    settings = cli_settings()
    profiles = profiles or out.parent / "profiles" / "published-cases.tsv"
    try:
        counts = write_cases(cases, out, seed, settings.hpo_dir, profiles=profiles)
    except (ValueError, OSError, HpoDataError) as exc:
        fail(str(exc))
    parts = ", ".join(f"{part} {c['cases']:,} cases of {c['diseases']:,} diseases"
                      for part, c in counts.items() if isinstance(c, dict) and part != "profiles")
    console.print(f"{counts['cases']:,} published cases → {out}: {parts}; {counts['leaky_test_cases_dropped']:,} "
                  "leaky cases of test diseases left out", highlight=False)
    console.print(f"profiles → {profiles}: {counts['profiles']['rows']:,} findings of "
                  f"{counts['profiles']['diseases']:,} diseases in {counts['profiles']['publications']:,} publications",
                  highlight=False)


@queries_app.command("typos")
def typos_command(
    queries: Annotated[Path, typer.Option("--queries", help="Query set to copy (JSONL).")],
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write; its parameters go to FILE.meta.json.")],
    share: Annotated[float, typer.Option("--share", min=0.01, max=1.0,
                                         help="Share of the words of 5+ letters that get one typo.")] = 0.3,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same file.")] = 7,
) -> None:
    """A typo'd copy of a query set (one dropped or swapped letter in a share of the long words),
    to measure how rankers hold up against misspellings."""
    from evaluation.typos import typo_copy

    try:
        meta = typo_copy(queries, out, share, seed)
    except (QuerySetError, OSError) as exc:
        fail(str(exc))
    console.print(f"wrote {meta['n']:,} queries to {out}: {meta['long_words_edited']:,} of {meta['long_words']:,} "
                  f"words of 5+ letters misspelt (seed {seed})", highlight=False)


def _service(settings: Settings):
    """The search service with every available ranker, loaded as the app loads it."""
    from app.loading import load_service
    from indexer.store import make_engine

    service, notices = load_service(settings, make_engine(settings.sql_url))
    if not service.catalogue.diseases:
        fail(f"the store at {settings.sql_url} holds no diseases; run `zebra build` first")
    for notice in notices:
        err.print(f"[yellow]note:[/] {notice}", highlight=False)
    return service


def _ci(value: float, ci: list[float] | tuple[float, float]) -> str:
    return f"{value:.3f} ({ci[0]:.3f}–{ci[1]:.3f})"


def results_table(report: Report, title: str) -> Table:
    """Rows: rankers; columns: MRR, R@1, R@10, R@20 (95% CIs) and n — the FindZebra table's shape."""
    table = Table(title=title, title_justify="left")
    for col in ("ranker", "MRR", "R@1", "R@10", "R@20", "n"):
        table.add_column(col, justify="left" if col == "ranker" else "right")
    for name in report.rankers:
        s = report.summaries[name]
        table.add_row(name, _ci(s.mrr, s.mrr_ci), *(_ci(s.recall[k], s.recall_ci[k]) for k in (1, 10, 20)),
                      f"{s.n:,}")
    return table


def per_disease_table(report: Report) -> Table:
    """Rows: rankers; columns: macro MRR and Recall@10 over diseases (95% CIs resampling diseases)."""
    table = Table()
    for col in ("ranker", "macro MRR", "macro R@10", "diseases"):
        table.add_column(col, justify="left" if col == "ranker" else "right")
    for name in report.rankers:
        p = report.per_disease[name]
        table.add_row(name, _ci(p.mrr, p.mrr_ci), _ci(p.recall_10, p.recall_10_ci), f"{p.diseases:,}")
    return table


def overlap_table(report: Report) -> Table:
    """Both right / only A / only B / neither, at k = 20: the FindZebra error-overlap table."""
    a, b = report.rankers[:2]
    o, f = report.overlap, report.overlap.fractions()
    table = Table()
    table.add_column("")
    table.add_column("fraction", justify="right")
    table.add_column("queries", justify="right")
    for label, key in (("both right", "both"), (f"only {a}", "only_a"), (f"only {b}", "only_b"),
                       ("neither", "neither")):
        table.add_row(label, f"{f[key]:.3f}", f"{getattr(o, key):,}")
    return table


def print_report(report: Report, title: str) -> None:
    console.print(results_table(report, title))
    console.print("MRR and Recall@k with 95% bootstrap confidence intervals "
                  f"({report.params['n_boot']:,} resamples of the queries, seed {report.params['seed']}).",
                  highlight=False)
    if report.per_disease is not None:
        diseases = next(iter(report.per_disease.values())).diseases
        console.print(f"Per disease: the {diseases:,} diseases (queries grouped by their gold ids) weigh the same, "
                      "each one's queries averaged first; 95% CIs resample diseases.", highlight=False)
        console.print(per_disease_table(report))
    g = report.gold
    if g.unknown_ids:
        examples = ", ".join(f"query {e['index']}: {e['id']}" for e in g.examples)
        console.print(f"[yellow]{g.unknown_ids:,} gold id(s) are not in the corpus[/] "
                      f"({g.queries_with_unknown:,} queries; {g.queries_without_known:,} of them have no known gold "
                      f"id and count as misses). Examples: {examples}", highlight=False)
    if report.overlap is None:
        console.print(f"No overlap table: it needs two rankers and only {', '.join(report.rankers)} ran.",
                      highlight=False)
        return
    a, b = report.rankers[:2]
    console.print(f"Recall@{report.overlap.k} overlap: {a} (A) vs {b} (B)", highlight=False)
    console.print(overlap_table(report))
    p = report.paired
    console.print(f"Paired test, {report.rankers[0]} − {report.rankers[1]}: ΔMRR = {p.delta_mrr:+.3f} "
                  f"(95% CI {p.ci_low:+.3f} to {p.ci_high:+.3f}); Wilcoxon signed-rank on reciprocal ranks "
                  f"p = {p.p_wilcoxon:.3g}; exact McNemar on Recall@{p.k} p = {p.p_mcnemar:.3g}.", highlight=False)


def evaluate_command(
    queries: Annotated[Path, typer.Option("--queries", help="Query set (JSONL: {query, gold} per line).")],
    rankers: Annotated[Optional[str], typer.Option(help="Comma-separated rankers; default: every available one.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write per-query ranks to this CSV file.")] = None,
    k_max: Annotated[int, typer.Option("--k-max", min=1, max=1000, help="Deepest k of the Recall@k curve.")] = 50,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    unprofiled: Annotated[bool, typer.Option(
        help="Rank each published case as if its diseases had no published patients (their profiles left out), "
             "as a patient of one of the many diseases without them.")] = False,
) -> None:
    """Rank a query set with each ranker; print MRR and Recall@k with CIs and the overlap table."""
    from app.errors import UnknownRanker, ZebraError
    from app.leave_out import apart, left_out
    from app.service import SearchService
    from evaluation.profiles import LEAVE_OUT_FOLDS
    from evaluation.runner import GoldIndex, evaluate_groups, write_csv

    settings = cli_settings()
    try:
        items = read_queries(queries)
    except QuerySetError as exc:
        fail(str(exc))
    service = _service(settings)
    names = [r.strip() for r in (rankers or "").split(",") if r.strip()] or list(service.rankers)
    unknown = [r for r in names if r not in service.rankers]
    if unknown:
        fail(UnknownRanker(unknown[0], service.rankers).message)
    index = GoldIndex.of({d: [a.article_id for a in info.articles] for d, info in service.catalogue.diseases.items()})

    def ranking_of(apart_service: SearchService) -> Callable[[str, str], list[str]]:
        return lambda text, ranker: [r.disease_id for r in apart_service.rank(text, ranker)]

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn())
    try:
        with Progress(*columns, console=err, disable=not progress, transient=True) as bar:
            task = bar.add_task(f"ranking with {', '.join(names)}", total=len(items))
            groups = ((positions, ranking_of(apart_service))
                      for positions, apart_service in apart(service, items, unprofiled))
            outcomes, report = evaluate_groups(groups, names, index, items, k_max, lambda k: bar.advance(task, k))
    except ZebraError as exc:
        fail(exc.message)
    print_report(report, f"{queries.name}: {len(items):,} queries, HPO {service.catalogue.data_release}")
    if (published := left_out(service, items)) and unprofiled:
        console.print(f"{published:,} published cases ranked as if their diseases had no published patients: the "
                      "published patients' profiles left out every publication of their diseases.", highlight=False)
    elif published:
        console.print(f"{published:,} published cases ranked as new patients: the published patients' profiles left "
                      f"out their own publication (and the others of its fold, {LEAVE_OUT_FOLDS} folds).",
                      highlight=False)
    if out:
        write_csv(out, names, items, outcomes)
        console.print(f"per-query ranks written to {out}", highlight=False)
