"""What published patients of a disease show: the profile file the ontology ranker adds to the HPO annotations.

Owns the profile file (`data/profiles/published-cases.tsv`): which published cases it counts, its columns, writing it
and reading it back with a clear error per bad line. A row is one disease and one finding: how many of the disease's
counted patients show the finding, of how many. Only cases from publications that no clean case of the query sets
comes from are counted (so a case the evaluation scores never informs the profile its disease is ranked by): the
publications the HPO annotations already cite.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evaluation.queryset import ID_PATTERN

if TYPE_CHECKING:
    from evaluation.cases import PublishedCase

COLUMNS = ("disease_id", "hpo_id", "shown_by", "patients")
LICENCE_FILE = "LICENSE-published-cases-profiles"  # beside the profile file, apart from the query sets' licence
_DISEASE = re.compile(ID_PATTERN)
_HPO = re.compile(r"HP:[0-9]{7}")
_COUNT = re.compile(r"[0-9]{1,9}")


class ProfileFileError(ValueError):
    """A profile file that cannot be read; the message names the file, the line, the value and the fix."""


@dataclass(frozen=True)
class ProfileRow:
    disease_id: str
    hpo_id: str
    shown_by: int  # patients showing the finding
    patients: int  # the disease's patients counted

    @property
    def frequency(self) -> str:
        """As the annotations write a count ('3/7')."""
        return f"{self.shown_by}/{self.patients}"


def counted(cases: Iterable[PublishedCase]) -> list[PublishedCase]:
    """The cases a profile counts: those none of whose publications a clean case comes from."""
    cases = list(cases)
    clean = {pmid for c in cases if c.clean for pmid in c.pmids}
    return [c for c in cases if not c.clean and not clean.intersection(c.pmids)]


def profile_rows(cases: Iterable[PublishedCase]) -> list[ProfileRow]:
    """Per disease, each finding its counted patients show, with how many show it; sorted by disease and finding."""
    seen: dict[str, list[set[str]]] = defaultdict(list)
    for case in counted(cases):
        seen[case.disease_id].append({hpo_id for hpo_id, _ in case.observed})
    rows = []
    for disease, patients in seen.items():
        for hpo_id, k in Counter(h for shown in patients for h in shown).items():
            rows.append(ProfileRow(disease, hpo_id, k, len(patients)))
    return sorted(rows, key=lambda r: (r.disease_id, r.hpo_id))


def write_profiles(path: Path, rows: list[ProfileRow]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        out.writerow(COLUMNS)
        out.writerows((r.disease_id, r.hpo_id, r.shown_by, r.patients) for r in rows)
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
                                       f"{', '.join(COLUMNS)} separated by tabs")
            return [_row(values, f"{path} line {lines.line_num}") for values in lines]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ProfileFileError(f"{path} cannot be read ({exc}); write it again with `zebra queries cases`") from None


def _row(values: list[str], where: str) -> ProfileRow:
    if len(values) != len(COLUMNS):
        raise ProfileFileError(f"{where}: {len(values)} values; a line has {len(COLUMNS)} ({', '.join(COLUMNS)}), "
                               "separated by tabs")
    disease, hpo_id, shown_by, patients = values
    if not _DISEASE.match(disease):
        raise ProfileFileError(f"{where}: disease_id {disease!r} is no disease id; write it as OMIM:154700 or "
                               "ORPHA:558")
    if not _HPO.fullmatch(hpo_id):
        raise ProfileFileError(f"{where}: hpo_id {hpo_id!r} is no HPO id; write it as HP:0001166")
    if not (_COUNT.fullmatch(shown_by) and _COUNT.fullmatch(patients) and 0 < int(shown_by) <= int(patients)):
        raise ProfileFileError(f"{where}: shown_by {shown_by!r} of patients {patients!r}; give whole numbers with "
                               "1 <= shown_by <= patients")
    return ProfileRow(disease, hpo_id, int(shown_by), int(patients))
