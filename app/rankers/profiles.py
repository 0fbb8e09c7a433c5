"""The published patients' profiles as the rankers count them.

Owns loading the profile file (`Settings.profiles_path`, written by `zebra queries cases`) once per load, with the
catalogue's disease for each row, and what the rankers ask of it: the publications counted, and each disease's
findings with their counts, some publications left out (a published case is evaluated as a new patient, without its
own publication). The ontology ranker matches these findings beside the annotations; the neural ranker matches the
query's phrases to them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Engine

from app.rankers.base import LoadContext, RankerNotLoaded
from app.understanding.similarity import AnnotationFact
from evaluation.profiles import ProfileFileError, ProfileRow, disease_profiles, read_profiles


PROFILES = "profiles"  # the key of the profiles in `LoadContext.read`


@dataclass(frozen=True)
class PublishedProfiles:
    """The published patients' profile file as the rankers match it: a row naming an article counts for the disease
    that article belongs to."""

    path: Path
    rows: tuple[ProfileRow, ...]
    disease_of: Mapping[str, str]
    engine: Engine  # the store the ontology's similarity is built over, again for each set of publications left out

    @cached_property
    def publications(self) -> frozenset[str]:
        return frozenset(r.publication for r in self.rows)

    def publications_of(self, diseases: Collection[str] | None) -> frozenset[str]:
        """The publications with patients of `diseases` (the catalogue's disease ids); all of them for None."""
        if diseases is None:
            return self.publications
        return frozenset(r.publication for r in self.rows
                         if self.disease_of.get(r.disease_id, r.disease_id) in diseases)

    def facts(self, leave_out: Collection[str] = ()) -> list[AnnotationFact]:
        """The profiles as annotations with their counts, without the patients of `leave_out`."""
        return [AnnotationFact(self.disease_of.get(p.disease_id, p.disease_id), p.hpo_id, p.frequency)
                for p in disease_profiles(self.rows, leave_out)]

    @cached_property
    def _counts(self) -> dict:
        return {"findings": len(disease_profiles(self.rows)), "diseases": len({r.disease_id for r in self.rows}),
                "publications": len(self.publications)}

    def describe(self) -> dict:
        return {"path": str(self.path), **self._counts}


def published_profiles(context: LoadContext, ranker: str) -> PublishedProfiles | None:
    """What published patients of each disease show (`Settings.profiles_path`), read once per load and shared by the
    rankers that match it; for `ranker` (named in the error of a file that cannot be read); None when switched off."""
    path = context.settings.profiles_path
    if path is None:
        return None
    if PROFILES not in context.read:
        try:
            rows = read_profiles(path)
        except ProfileFileError as exc:
            raise RankerNotLoaded(f"{ranker} ranker not loaded: {exc}") from None
        context.read[PROFILES] = PublishedProfiles(path, tuple(rows), context.catalogue.article_to_disease,
                                                   context.engine)
    return context.read[PROFILES]
