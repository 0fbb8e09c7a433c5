"""What published patients of a disease show: the profile file the ontology and neural rankers add to the annotations.

Owns the profile file (`data/profiles/published-cases.tsv`): its columns, writing it and reading it back with a clear
error per bad line, and adding its rows up per disease, with or without some publications. A row is one disease, one
publication and one finding: how many of the publication's patients of the disease show the finding, of how many.
Every published case with a publication counts; keeping the publications apart lets an evaluation rank each case
with profiles that leave its own publication out (`leave_out_folds`), as a new patient's publication would be.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluation.queryset import ID_PATTERN

if TYPE_CHECKING:
    from evaluation.cases import PublishedCase

COLUMNS = ("disease_id", "publication", "hpo_id", "shown_by", "patients")
LICENCE_FILE = "LICENSE-published-cases-profiles"  # beside the profile file, apart from the query sets' licence
# Publications are left out of the profiles in this many folds (by a hash of the publication id) when a query set
# of published cases is evaluated: each case is ranked with the patients of about 90% of the other publications.
LEAVE_OUT_FOLDS = 10
_ID = re.compile(ID_PATTERN)
_HPO = re.compile(r"HP:[0-9]{7}")
_COUNT = re.compile(r"[0-9]{1,9}")


class ProfileFileError(ValueError):
    """A profile file that cannot be read; the message names the file, the line, the value and the fix."""


@dataclass(frozen=True)
class ProfileRow:
    disease_id: str
    publication: str  # e.g. PMID:10662742
    hpo_id: str
    shown_by: int  # the publication's patients of the disease showing the finding
    patients: int  # the publication's patients of the disease


@dataclass(frozen=True)
class Profile:
    """One disease's finding over every counted publication."""

    disease_id: str
    hpo_id: str
    shown_by: int
    patients: int

    @property
    def frequency(self) -> str:
        """As the annotations write a count ('3/7')."""
        return f"{self.shown_by}/{self.patients}"


def profile_rows(cases: Iterable[PublishedCase]) -> list[ProfileRow]:
    """Per disease and publication, each finding its patients show, with how many show it; sorted. A case without a
    publication is not counted (no evaluation could leave it out)."""
    seen: dict[tuple[str, str], list[set[str]]] = defaultdict(list)
    for case in cases:
        if case.pmids:
            if not _ID.match(case.pmids[0]):
                raise ProfileFileError(f"case {case.case_id}: publication {case.pmids[0]!r} is no publication id, so "
                                       "the profiles could not be read back; write it as PMID:10662742 in the cases")
            seen[case.disease_id, case.pmids[0]].append({hpo_id for hpo_id, _ in case.observed})
    rows = [ProfileRow(disease, publication, hpo_id, k, len(patients))
            for (disease, publication), patients in seen.items()
            for hpo_id, k in Counter(h for shown in patients for h in shown).items()]
    return sorted(rows, key=lambda r: (r.disease_id, r.publication, r.hpo_id))


def disease_profiles(rows: Iterable[ProfileRow], leave_out: Collection[str] = ()) -> list[Profile]:
    """Each disease's findings added up over its publications, except those in `leave_out`: shown by k of the n
    patients of the publications kept; sorted by disease and finding."""
    patients: dict[str, dict[str, int]] = defaultdict(dict)
    shown: Counter[tuple[str, str]] = Counter()
    for r in rows:
        if r.publication not in leave_out:
            patients[r.disease_id][r.publication] = r.patients
            shown[r.disease_id, r.hpo_id] += r.shown_by
    return [Profile(d, h, k, sum(patients[d].values())) for (d, h), k in sorted(shown.items())]


def publications(meta: Mapping[str, Any] | None) -> frozenset[str]:
    """The publications a query's `meta` names (`pmids`, as `zebra queries cases` writes them)."""
    pmids = (meta or {}).get("pmids")
    return frozenset(p for p in pmids if isinstance(p, str)) if isinstance(pmids, list) else frozenset()


def fold_of(publication: str, folds: int = LEAVE_OUT_FOLDS) -> int:
    return int.from_bytes(hashlib.sha256(publication.encode()).digest()[:8], "big") % folds


def leave_out_folds(cases: Iterable[frozenset[str]], counted: Collection[str],
                    folds: int = LEAVE_OUT_FOLDS) -> list[tuple[frozenset[str], list[int]]]:
    """The cases (each given by its publications) grouped so that each group is ranked with profiles that leave out
    a fold of publications holding all of the group's own: (the publications to leave out, the cases' positions).
    Cases whose publications the profiles do not count come first, with nothing left out."""
    by_fold: dict[int, list[int]] = defaultdict(list)
    own: dict[int, set[str]] = defaultdict(set)  # a case's publications beyond its fold's are left out too
    for i, pubs in enumerate(cases):
        mine = sorted(p for p in pubs if p in counted)
        f = fold_of(mine[0], folds) if mine else -1
        by_fold[f].append(i)
        own[f].update(mine)
    return [(frozenset(p for p in counted if fold_of(p, folds) == f) | own[f] if f >= 0 else frozenset(), by_fold[f])
            for f in sorted(by_fold)]


def write_profiles(path: Path, rows: list[ProfileRow]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        out.writerow(COLUMNS)
        out.writerows((r.disease_id, r.publication, r.hpo_id, r.shown_by, r.patients) for r in rows)
    return path


def read_profiles(path: Path) -> list[ProfileRow]:
    """Every row of the file; the first bad line is refused, naming what is wrong and how to write it."""
    try:
        if not path.is_file():
            raise ProfileFileError(f"the profile file {path} does not exist or is no file; write it with `zebra "
                                   "queries cases`, or set ZEBRA_PROFILES_PATH= (empty) to rank by the HPO annotations "
                                   "alone")
        with path.open(encoding="utf-8", newline="") as fh:
            lines = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(lines, None)
            if header is None or tuple(header) != COLUMNS:
                raise ProfileFileError(f"{path} line 1: the header is {header!r}; expected the columns "
                                       f"{', '.join(COLUMNS)} separated by tabs (write the file again with `zebra "
                                       "queries cases`)")
            rows: list[ProfileRow] = []
            patients: dict[tuple[str, str], int] = {}
            for values in lines:
                row = _row(values, f"{path} line {lines.line_num}")
                if patients.setdefault((row.disease_id, row.publication), row.patients) != row.patients:
                    raise ProfileFileError(
                        f"{path} line {lines.line_num}: patients {row.patients} for {row.disease_id} in "
                        f"{row.publication}, where an earlier line says {patients[row.disease_id, row.publication]}; "
                        "every line of one disease and publication gives the same number of patients (write the "
                        "file again with `zebra queries cases`)")
                rows.append(row)
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ProfileFileError(f"{path} cannot be read ({exc}); write it again with `zebra queries cases`") from None


def _row(values: list[str], where: str) -> ProfileRow:
    if len(values) != len(COLUMNS):
        raise ProfileFileError(f"{where}: {len(values)} values; a line has {len(COLUMNS)} ({', '.join(COLUMNS)}), "
                               "separated by tabs")
    disease, publication, hpo_id, shown_by, patients = values
    if not _ID.match(disease):
        raise ProfileFileError(f"{where}: disease_id {disease!r} is no disease id; write it as OMIM:154700 or "
                               "ORPHA:558")
    if not _ID.match(publication):
        raise ProfileFileError(f"{where}: publication {publication!r} is no publication id; write it as "
                               "PMID:10662742")
    if not _HPO.fullmatch(hpo_id):
        raise ProfileFileError(f"{where}: hpo_id {hpo_id!r} is no HPO id; write it as HP:0001166")
    if not (_COUNT.fullmatch(shown_by) and _COUNT.fullmatch(patients) and 0 < int(shown_by) <= int(patients)):
        raise ProfileFileError(f"{where}: shown_by {shown_by!r} of patients {patients!r}; give whole numbers with "
                               "1 <= shown_by <= patients")
    return ProfileRow(disease, publication, hpo_id, int(shown_by), int(patients))
