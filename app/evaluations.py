"""Batch evaluation runs: kept in the SQL store, ranked by one background thread.

Owns a run's life: created `queued` with its queries, ranked in batches (`running`,
with progress), summarised by `evaluation.runner` (`done`, so the API and `zebra eval`
give the same numbers) or `failed` with a reason. Runs that a stopping app leaves queued
or running are resumed at the next start from the first unranked query — unless the data
release or the rankers changed meanwhile; then they are marked failed, saying why.
"""

from __future__ import annotations

import csv
import io
import logging
import queue
import threading
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import desc, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.errors import BackendUnavailable, EvaluationNotFound, UnknownRanker, ZebraError
from app.leave_out import left_out
from app.service import SearchService
from evaluation.queryset import EvalQuery
from evaluation.runner import (GoldCheck, GoldIndex, Outcome, build_report, check_gold, csv_header, csv_row,
                               disease_labels, evaluate_query, neutralised)
from indexer.store import EvalQueryRow, EvalRunRow

log = logging.getLogger(__name__)
QUERY_SETS = Path(__file__).resolve().parents[1] / "data" / "queries"
BATCH = 25  # queries ranked between two commits (and progress updates)
PENDING = ("queued", "running")


class EvaluationPublic(BaseModel):
    id: int
    name: str
    status: str = Field(description="queued, running, done or failed")
    rankers: list[str]
    data_release: str
    n_queries: int
    done: int = Field(description="Queries ranked so far.")
    progress: float = Field(description="done / n_queries, 0 to 1.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    unknown_gold: dict = Field(description="Gold ids not in the corpus: count, queries affected, examples.")
    report: dict | None = Field(description="Metrics per ranker with 95% CIs, Recall@k curves, the overlap "
                                            "table and paired test of the first two rankers, and `per_disease` "
                                            "(macro MRR and Recall@10, CIs resampling diseases) when a disease "
                                            "has several queries; null until done.")
    error: str | None = None
    notes: list[str] = Field(default_factory=list)
    links: dict[str, str]


def shipped_sets() -> dict[str, Path]:
    """The query sets shipped under data/queries to evaluate on, by name (dev, test, real-tune, real-test,
    real-test-typos); `*-leaky` sets are training data (cases the annotations were written from), never a
    yardstick."""
    return {p.stem: p for p in sorted(QUERY_SETS.glob("*.jsonl"), key=lambda p: p.stem)
            if not p.stem.endswith("-leaky")}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=timezone.utc) if t is not None and t.tzinfo is None else t  # SQLite drops the zone


def to_public(run: EvalRunRow) -> EvaluationPublic:
    return EvaluationPublic(
        id=run.id, name=run.name, status=run.status, rankers=run.rankers, data_release=run.data_release,
        n_queries=run.n_queries, done=run.done, progress=run.done / run.n_queries if run.n_queries else 1.0,
        created_at=_utc(run.created_at), started_at=_utc(run.started_at), finished_at=_utc(run.finished_at),
        unknown_gold=run.gold_check, report=run.report, error=run.error, notes=list(run.notes or []),
        links={"self": f"/api/evaluations/{run.id}", "queries_csv": f"/api/evaluations/{run.id}/queries.csv",
               "page": f"/evaluations/{run.id}"})


class EvaluationManager:
    """Creates runs and ranks them, one at a time, on a background thread."""

    def __init__(self, engine: Engine, service: SearchService, k_max: int = 50):
        self.engine, self.service, self.k_max = engine, service, k_max
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._index: tuple[int, GoldIndex] | None = None

    def use_service(self, service: SearchService) -> None:
        """Rank runs queued from now on with `service` (the corpus was rebuilt or imported)."""
        self.service, self._index = service, None

    # -- life -------------------------------------------------------------
    def start(self) -> None:
        """Resume (or fail, saying why) the runs a previous app left unfinished; start the worker."""
        for run_id in self._recover():
            self._queue.put(run_id)
        self._thread = threading.Thread(target=self._work, name="evaluations", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current query; an unfinished run stays `running` and resumes at the next start."""
        self._stop.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout)

    def _recover(self) -> list[int]:
        resumed = []
        with Session(self.engine) as s, s.begin():
            for run in s.scalars(select(EvalRunRow).where(EvalRunRow.status.in_(PENDING)).order_by(EvalRunRow.id)):
                reason = self._stale(run)
                if reason:
                    run.status, run.error, run.finished_at = "failed", reason, _now()
                    continue
                if run.done >= run.n_queries:
                    run.notes = [*(run.notes or []), "summarised after a restart (every query had been ranked)"]
                elif run.status == "running" or run.done:
                    run.notes = [*(run.notes or []), f"resumed after a restart at query {run.done + 1:,} of "
                                                      f"{run.n_queries:,}"]
                run.status = "queued"
                resumed.append(run.id)
        return resumed

    def _stale(self, run: EvalRunRow) -> str | None:
        current = self.service.catalogue.data_release
        if run.data_release != current:
            return (f"interrupted by a restart, and the corpus changed meanwhile (HPO release {run.data_release} "
                    f"→ {current or 'none'}); ranks from two corpora cannot be mixed. Start a new run")
        missing = [r for r in run.rankers if r not in self.service.rankers]
        if missing:
            return (f"interrupted by a restart, and ranker(s) {', '.join(missing)} are no longer available "
                    f"(available: {', '.join(self.service.rankers)}). Start a new run")
        return None

    # -- creating and reading ---------------------------------------------
    def gold_index(self) -> GoldIndex:
        catalogue = self.service.catalogue
        if self._index is None or self._index[0] != id(catalogue):
            self._index = (id(catalogue), GoldIndex.of(
                {d: [a.article_id for a in info.articles] for d, info in catalogue.diseases.items()}))
        return self._index[1]

    def submit(self, name: str, queries: Sequence[EvalQuery], rankers: Sequence[str] | None = None) -> EvaluationPublic:
        """Store a new run with its queries and queue it; returns it (status `queued`)."""
        if not self.service.catalogue.diseases:
            raise BackendUnavailable("the corpus is not built, so nothing can be evaluated; run `zebra build`")
        names = list(rankers or self.service.rankers)
        for r in names:
            if r not in self.service.rankers:
                raise UnknownRanker(r, self.service.rankers)
        check = check_gold((q.gold for q in queries), self.gold_index())
        published = left_out(self.service, queries)
        notes: list[str] = []
        if published:
            notes.append(f"{published} queries come from publications whose patients the rankers' profiles count, so "
                         "their figures are optimistic; `zebra eval` ranks each without its own publication")
        with Session(self.engine) as s, s.begin():
            run = EvalRunRow(name=name, status="queued", rankers=names, n_queries=len(queries), done=0,
                             data_release=self.service.catalogue.data_release, created_at=_now(),
                             gold_check=asdict(check), notes=notes)
            s.add(run)
            s.flush()
            run_id = run.id
            s.execute(insert(EvalQueryRow), [{"run_id": run_id, "position": i, "query": q.query, "gold": q.gold,
                                              "label": q.id} for i, q in enumerate(queries, start=1)])
        self._queue.put(run_id)
        return self.get(run_id)

    def get(self, run_id: int) -> EvaluationPublic:
        with Session(self.engine) as s:
            run = s.get(EvalRunRow, run_id)
            if run is None:
                raise EvaluationNotFound(run_id)
            return to_public(run)

    def list(self, limit: int = 50) -> list[EvaluationPublic]:
        with Session(self.engine) as s:
            return [to_public(r) for r in s.scalars(select(EvalRunRow).order_by(desc(EvalRunRow.id)).limit(limit))]

    def queries_csv(self, run_id: int) -> str:
        """Per-query ranks as CSV (the same columns as `zebra eval --out`); unranked rows have empty ranks."""
        with Session(self.engine) as s:
            run = s.get(EvalRunRow, run_id)
            if run is None:
                raise EvaluationNotFound(run_id)
            out = io.StringIO()
            w = csv.writer(out)
            w.writerow(csv_header(run.rankers))
            rows = s.scalars(select(EvalQueryRow).where(EvalQueryRow.run_id == run_id).order_by(EvalQueryRow.position))
            for r in rows:
                outcome = Outcome(r.ranks, r.top or {}) if r.ranks is not None else None
                w.writerow([neutralised(cell) for cell in csv_row(r.position, r.label, r.query, r.gold, run.rankers, outcome)])
            return out.getvalue()

    # -- the worker --------------------------------------------------------
    def _work(self) -> None:
        while not self._stop.is_set():
            run_id = self._queue.get()
            if run_id is None or self._stop.is_set():
                return
            try:
                self._run(run_id)
            except ZebraError as exc:
                self._fail(run_id, exc.message)
            except Exception as exc:  # noqa: BLE001 — the run records it; the worker lives on
                log.exception("evaluation run %s failed", run_id)
                self._fail(run_id, f"unexpected error ({type(exc).__name__}: {exc}); see the server log")

    def _fail(self, run_id: int, reason: str) -> None:
        with Session(self.engine) as s, s.begin():
            run = s.get(EvalRunRow, run_id)
            run.status, run.error, run.finished_at = "failed", reason, _now()

    def _rank(self, text: str, ranker: str) -> list[str]:
        return [r.disease_id for r in self.service.rank(text, ranker)]

    def _run(self, run_id: int) -> None:
        with Session(self.engine) as s, s.begin():
            run = s.get(EvalRunRow, run_id)
            run.status, run.started_at = "running", run.started_at or _now()
            rankers = list(run.rankers)
        index = self.gold_index()
        while True:
            with Session(self.engine) as s, s.begin():
                batch = s.scalars(select(EvalQueryRow).where(EvalQueryRow.run_id == run_id, EvalQueryRow.ranks.is_(None))
                                  .order_by(EvalQueryRow.position).limit(BATCH)).all()
                if not batch:
                    break
                if self._stop.is_set():
                    return  # stays `running`; the next start resumes it
                for row in batch:
                    if self._stop.is_set():
                        break
                    outcome = evaluate_query(self._rank, rankers, index, row.query, row.gold)
                    row.ranks, row.top = outcome.ranks, outcome.top
                s.flush()
                s.get(EvalRunRow, run_id).done = s.scalar(select(func.count()).select_from(EvalQueryRow).where(
                    EvalQueryRow.run_id == run_id, EvalQueryRow.ranks.is_not(None)))
        self._finish(run_id, rankers)

    def _finish(self, run_id: int, rankers: list[str]) -> None:
        with Session(self.engine) as s, s.begin():
            run = s.get(EvalRunRow, run_id)
            rows = list(s.scalars(select(EvalQueryRow).where(EvalQueryRow.run_id == run_id)
                                  .order_by(EvalQueryRow.position)))
            outcomes = [Outcome(r.ranks, r.top or {}) for r in rows]
            report = build_report(rankers, outcomes, GoldCheck(**run.gold_check), self.k_max,
                                  diseases=disease_labels(r.gold for r in rows))
            run.report, run.status, run.finished_at = report.to_dict(), "done", _now()
            log.info("evaluation run %s done: %d queries, rankers %s", run_id, len(outcomes), ", ".join(rankers))
