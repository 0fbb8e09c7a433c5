"""Published cases ranked as new patients: each case by rankers that count no patient of its own publication.

Owns the grouping of an evaluation or tuning set for that: queries naming publications (`meta.pmids`, as `zebra
queries cases` writes them) that the service's rankers count (the published patients' profiles) are ranked in folds of
publications (`evaluation.profiles.LEAVE_OUT_FOLDS`), each fold by a service that leaves the fold's publications out;
every other query by the service as it is. For tuning, a set of published cases can also be ranked as if their
diseases had no published patients (`unprofiled`). The served product counts every publication.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from app.service import SearchService
from evaluation.profiles import leave_out_folds, publications
from evaluation.queryset import EvalQuery


def apart(service: SearchService, queries: Sequence[EvalQuery],
          unprofiled: bool = False) -> Iterator[tuple[list[int], SearchService]]:
    """(positions of queries, the service to rank them with), every query once; one variant service at a time
    (each builds the similarity again, seconds of work). With `unprofiled`, a query of published cases is ranked
    without any patient of its gold diseases (the publications of the diseases, not only its own, left out)."""
    if unprofiled:
        yield from _unprofiled(service, queries)
        return
    counted = service.publications()
    for leave_out, positions in leave_out_folds([publications(q.meta) for q in queries], counted):
        yield positions, service.leaving_out(leave_out)


def _unprofiled(service: SearchService, queries: Sequence[EvalQuery]) -> Iterator[tuple[list[int], SearchService]]:
    disease_of, counted = service.catalogue.article_to_disease, service.publications()
    by_diseases: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, q in enumerate(queries):
        own = publications(q.meta) & counted
        by_diseases[frozenset(disease_of.get(g, g) for g in q.gold) if own else frozenset()].append(i)
    for diseases, positions in by_diseases.items():  # no diseases: nothing left out, the service itself
        yield positions, service.leaving_out(service.publications(diseases))


def left_out(service: SearchService, queries: Sequence[EvalQuery]) -> int:
    """How many of `queries` come from a publication the service's rankers count (ranked apart by `apart`)."""
    counted = service.publications()
    return sum(bool(publications(q.meta) & counted) for q in queries)
