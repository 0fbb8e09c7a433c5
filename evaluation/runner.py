"""Running rankers over a query set and summarising: per-query ranks, the unknown-gold
check, the report (metrics per ranker, overlap and paired test of the first two
rankers) and the per-query CSV.

Takes a ranking function, not a service: the CLI and the app's background runs pass
`SearchService.rank`; tests may pass anything. It neither stores nor prints.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evaluation.metrics import (
    CI_LEVEL, N_BOOT, NOT_FOUND, Overlap, PairedTest, PerDisease, Summary, first_correct_rank, overlap, paired_test,
    per_disease, summarise,
)
from evaluation.queryset import EvalQuery

RankFn = Callable[[str, str], Sequence[str]]  # (query text, ranker) → disease ids, best first
TOP_N = 5
OVERLAP_K = 20
EXAMPLES = 10


@dataclass(frozen=True)
class GoldIndex:
    """The corpus's ids as evaluation sees them: each disease's article ids."""

    articles_of: Mapping[str, Sequence[str]]
    articles: frozenset[str] = frozenset()

    @classmethod
    def of(cls, articles_of: Mapping[str, Sequence[str]]) -> GoldIndex:
        return cls(articles_of, frozenset(a for ids in articles_of.values() for a in ids))

    def knows(self, some_id: str) -> bool:
        return some_id in self.articles_of or some_id in self.articles


@dataclass(frozen=True)
class GoldCheck:
    """Gold ids the corpus does not hold. Their queries stay in the set (and count as misses
    when no gold id of theirs is known), so the numbers describe the whole file."""

    unknown_ids: int = 0
    queries_with_unknown: int = 0
    queries_without_known: int = 0
    examples: list[dict] = field(default_factory=list)  # [{"index": 3, "id": "OMIM:999999"}], 1-based


def check_gold(golds: Iterable[Sequence[str]], index: GoldIndex) -> GoldCheck:
    unknown: set[str] = set()
    with_unknown = without_known = 0
    examples: list[dict] = []
    for i, gold in enumerate(golds, start=1):
        missing = [g for g in gold if not index.knows(g)]
        if missing:
            with_unknown += 1
            without_known += len(missing) == len(gold)
            for g in missing:
                if g not in unknown and len(examples) < EXAMPLES:
                    examples.append({"index": i, "id": g})
                unknown.add(g)
    return GoldCheck(len(unknown), with_unknown, without_known, examples)


@dataclass
class Outcome:
    """One query's result: each ranker's rank of the first correct disease, and its top diseases."""

    ranks: dict[str, int]
    top: dict[str, list[str]]


def evaluate_query(rank: RankFn, rankers: Sequence[str], index: GoldIndex, query: str,
                   gold: Sequence[str]) -> Outcome:
    wanted = set(gold)
    ranks, top = {}, {}
    for name in rankers:
        ranking = list(rank(query, name))
        ranks[name] = first_correct_rank(ranking, wanted, index.articles_of)
        top[name] = ranking[:TOP_N]
    return Outcome(ranks, top)


@dataclass
class Report:
    rankers: list[str]
    n: int
    summaries: dict[str, Summary]
    gold: GoldCheck
    overlap: Overlap | None = None  # of the first two rankers, at OVERLAP_K
    paired: PairedTest | None = None  # first ranker minus second
    params: dict = field(default_factory=dict)
    # each disease weighing the same (queries grouped by their gold ids); None when no disease has two queries
    per_disease: dict[str, PerDisease] | None = None

    def to_dict(self) -> dict:
        """JSON-able: what the store keeps and the API returns."""
        metrics = {name: {"n": s.n, "mrr": s.mrr, "mrr_ci": list(s.mrr_ci),
                          "recall": {str(k): v for k, v in s.recall.items()},
                          "recall_ci": {str(k): list(v) for k, v in s.recall_ci.items()}, "curve": s.curve}
                   for name, s in self.summaries.items()}
        out = {"rankers": self.rankers, "n": self.n, "metrics": metrics, "gold": asdict(self.gold),
               "overlap": None, "paired": None, "params": self.params}
        if self.overlap is not None:
            a, b = self.rankers[:2]
            out["overlap"] = {"a": a, "b": b, **asdict(self.overlap), "fractions": self.overlap.fractions()}
            out["paired"] = {"a": a, "b": b, **asdict(self.paired)}
        if self.per_disease is not None:
            out["per_disease"] = {name: asdict(p) for name, p in self.per_disease.items()}
        return out


def disease_labels(golds: Iterable[Sequence[str]]) -> list[str]:
    """One label per query for per-disease figures: its distinct gold ids, sorted and joined."""
    return [" ".join(sorted(set(gold))) for gold in golds]


def build_report(rankers: Sequence[str], outcomes: Sequence[Outcome], gold: GoldCheck, k_max: int = 50,
                 n_boot: int = N_BOOT, seed: int = 0, diseases: Sequence[str] | None = None) -> Report:
    """The report of a run; `diseases` (one label per query, `disease_labels`) adds the per-disease figures
    when some disease has more than one query."""
    ranks = {name: [o.ranks.get(name, NOT_FOUND) for o in outcomes] for name in rankers}
    report = Report(list(rankers), len(outcomes),
                    {name: summarise(ranks[name], k_max, n_boot, seed) for name in rankers}, gold,
                    params={"k_max": k_max, "n_boot": n_boot, "seed": seed, "ci_level": CI_LEVEL,
                            "overlap_k": OVERLAP_K})
    if len(rankers) >= 2:
        a, b = rankers[0], rankers[1]
        report.overlap = overlap(ranks[a], ranks[b], OVERLAP_K)
        report.paired = paired_test(ranks[a], ranks[b], OVERLAP_K, n_boot, seed)
    if diseases is not None and len(set(diseases)) < len(diseases):
        report.per_disease = {name: per_disease(ranks[name], diseases, n_boot, seed) for name in rankers}
    return report


Groups = Iterable[tuple[Sequence[int], RankFn]]  # the queries at these positions, ranked by this function


def evaluate(rank: RankFn, rankers: Sequence[str], index: GoldIndex, queries: Sequence[EvalQuery],
             k_max: int = 50, progress: Callable[[int], None] | None = None) -> tuple[list[Outcome], Report]:
    """Rank every query with every ranker; `progress(1)` after each query."""
    return evaluate_groups([(range(len(queries)), rank)], rankers, index, queries, k_max, progress)


def evaluate_groups(groups: Groups, rankers: Sequence[str], index: GoldIndex, queries: Sequence[EvalQuery],
                    k_max: int = 50, progress: Callable[[int], None] | None = None) -> tuple[list[Outcome], Report]:
    """`evaluate`, each group of queries ranked by its own function (e.g. published cases by rankers that leave
    their own publications out); every query must be in one group. Outcomes and report keep the queries' order."""
    outcomes: list[Outcome | None] = [None] * len(queries)
    for positions, rank in groups:
        for i in positions:
            outcomes[i] = evaluate_query(rank, rankers, index, queries[i].query, queries[i].gold)
            if progress:
                progress(1)
    missing = [i + 1 for i, o in enumerate(outcomes) if o is None]
    if missing:
        raise ValueError(f"queries {missing[:5]} are in no group; every query must be ranked")
    return outcomes, build_report(rankers, outcomes, check_gold((q.gold for q in queries), index), k_max,
                                  diseases=disease_labels(q.gold for q in queries))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula


def neutralised(cell: object) -> object:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a leading apostrophe
    (OWASP's advice for CSV injection); numbers are left as they are."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def csv_header(rankers: Sequence[str]) -> list[str]:
    return ["index", "id", "query", "gold"] + [c for r in rankers for c in (f"{r}_rank", f"{r}_rr", f"{r}_top{TOP_N}")]


def csv_row(i: int, label: str | None, query: str, gold: Sequence[str], rankers: Sequence[str],
            outcome: Outcome | None) -> list:
    """One CSV row (`label`: the query's own id, e.g. a phenopacket's); an empty rank means not found
    (or not ranked yet)."""
    row: list = [i, label or "", query, " ".join(gold)]
    for r in rankers:
        rank = outcome.ranks.get(r, NOT_FOUND) if outcome else NOT_FOUND
        row += [rank or "", f"{1 / rank:.6f}" if rank else "0",
                " ".join(outcome.top.get(r, [])) if outcome else ""]
    return row


def write_csv(path: Path, rankers: Sequence[str], queries: Sequence[EvalQuery], outcomes: Sequence[Outcome]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(csv_header(rankers))
        for i, (q, o) in enumerate(zip(queries, outcomes), start=1):
            w.writerow([neutralised(cell) for cell in csv_row(i, q.id, q.query, q.gold, rankers, o)])
