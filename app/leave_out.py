"""Published cases ranked as new patients: each case by rankers that count no patient of its own publication.

Owns the grouping of an evaluation or tuning set for that: queries naming publications (`meta.pmids`, as `zebra
queries cases` writes them) that the service's rankers count (the published patients' profiles) are ranked in folds of
publications (`evaluation.profiles.LEAVE_OUT_FOLDS`), each fold by a service that leaves the fold's publications out;
every other query by the service as it is. The served product counts every publication.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.service import SearchService
from evaluation.profiles import leave_out_folds, publications
from evaluation.queryset import EvalQuery


def apart(service: SearchService, queries: Sequence[EvalQuery]) -> Iterator[tuple[list[int], SearchService]]:
    """(positions of queries, the service to rank them with), every query once; one variant service at a time
    (each builds the similarity again, seconds of work)."""
    counted = service.publications()
    for leave_out, positions in leave_out_folds([publications(q.meta) for q in queries], counted):
        yield positions, service.leaving_out(leave_out)


def left_out(service: SearchService, queries: Sequence[EvalQuery]) -> int:
    """How many of `queries` come from a publication the service's rankers count (ranked apart by `apart`)."""
    counted = service.publications()
    return sum(bool(publications(q.meta) & counted) for q in queries)
