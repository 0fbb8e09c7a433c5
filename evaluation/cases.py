"""Real patients from published case reports (the GA4GH Phenopacket Store) as query sets: reading
`cases.jsonl`, splitting its diseases into a tuning and a test part, and writing each case as a
clinician would type it (a terse list, a narrative, lay words, abbreviations, or with "no …").

Owns the case file's validation, the disease split, the leakage rule and the case styles. The words
for one finding come from `evaluation.render`; the file format from `evaluation.queryset`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StringConstraints, TypeAdapter, ValidationError
from pydantic.dataclasses import dataclass as validated_dataclass

from core.validation import describe
from evaluation.profiles import LICENCE_FILE as PROFILE_LICENCE_FILE, profile_rows, write_profiles
from evaluation.queries import QuerySet, write_query_set
from evaluation.queryset import ID_PATTERN, parse_items
from evaluation.render import Person, join_words, tidy, with_article, write_term
from indexer.hpo import Ontology, Term, check_folder, data_dir, read_ontology

log = logging.getLogger(__name__)

GENERATOR = "published-cases"
GENERATOR_VERSION = 1
SOURCE = {"name": "GA4GH Phenopacket Store", "repository": "monarch-initiative/phenopacket-store",
          "commit": "b694d17ec6fd3bccab8a69235f4e13b0b82b7ae5", "licence": "BSD-3-Clause",
          "citation": 'Danis D. et al., "A corpus of GA4GH phenopackets: case-level phenotyping for genomic '
                      'diagnostics and discovery", Human Genetics and Genomics Advances 6(1):100371 (2025)'}
PART_FILES = {"tune": "real-tune.jsonl", "tune-leaky": "real-tune-leaky.jsonl", "test": "real-test.jsonl"}
LICENCE_FILE = "LICENSE-published-cases"
LEAKAGE = {  # how each part handles cases whose publication the annotations cite
    "tune": "clean cases (pmid_in_hpoa_refs false) of tuning diseases only",
    "tune-leaky": "cases of tuning diseases whose publication the HPO annotations cite (pmid_in_hpoa_refs true): "
                  "too easy to measure with; for training only, never for testing",
    "test": "clean cases (pmid_in_hpoa_refs false) of test diseases only; leaky cases of test diseases are "
            "written into no query set, so no test disease reaches a tuning or training file (the diseases' profiles "
            "count them: evaluation.profiles)",
}

# Onsets recorded instead of an age (Phenopacket Store writes some ages as HPO onset labels).
ONSET_WORDS = {"Congenital onset": "newborn", "Neonatal onset": "newborn", "Infantile onset": "infant",
               "Antenatal onset": "fetus", "Embryonal onset": "fetus", "Fetal onset": "fetus",
               "First trimester onset": "fetus", "Second trimester onset": "fetus", "Third trimester onset": "fetus"}
_DURATION = re.compile(r"^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_GESTATION = re.compile(r"^GA \d+w\d+d$")

# Shorthand clinicians type for phrases of HPO labels; applied only where the phrase occurs.
ABBREVIATIONS = {
    "atrial septal defect": "ASD", "ventricular septal defect": "VSD", "patent ductus arteriosus": "PDA",
    "patent foramen ovale": "PFO", "tetralogy of fallot": "TOF", "congenital heart defect": "CHD",
    "hypertrophic cardiomyopathy": "HCM", "dilated cardiomyopathy": "DCM", "left ventricular hypertrophy": "LVH",
    "supraventricular tachycardia": "SVT", "atrial fibrillation": "AF", "pulmonary arterial hypertension": "PAH",
    "intellectual disability": "ID", "global developmental delay": "GDD", "developmental delay": "DD",
    "attention deficit hyperactivity disorder": "ADHD", "generalized tonic-clonic": "GTC",
    "failure to thrive": "FTT", "intrauterine growth retardation": "IUGR", "small for gestational age": "SGA",
    "gastroesophageal reflux": "GERD", "hepatosplenomegaly": "HSM", "inflammatory bowel disease": "IBD",
    "sensorineural hearing impairment": "SNHL", "sensorineural hearing loss": "SNHL",
    "conductive hearing impairment": "CHL", "circulating creatine kinase concentration": "CK",
    "creatine kinase": "CK", "magnetic resonance imaging": "MRI", "computed tomography": "CT",
    "electroencephalography": "EEG", "electroencephalogram": "EEG", "central nervous system": "CNS",
    "cerebrospinal fluid": "CSF", "obstructive sleep apnea": "OSA", "urinary tract infection": "UTI",
    "chronic kidney disease": "CKD", "end-stage renal disease": "ESRD", "renal tubular acidosis": "RTA",
    "retinitis pigmentosa": "RP",
}
# Longest phrase first, so that "global developmental delay" wins over "developmental delay".
_ABBREVIATION = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(ABBREVIATIONS, key=len, reverse=True))
                           + r")(s?)\b", re.I)

STYLES = ("terse", "narrative", "layperson", "abbreviation", "negation")


class CaseFileError(ValueError):
    """The case file is refused; the message names the file, the line and the field at fault."""


class CaseSetError(ValueError):
    """The split leaves a part without cases; the message names the part."""


def _check_age(value: str | None) -> str | None:
    if value is None or _DURATION.match(value) or _GESTATION.match(value) or value in ONSET_WORDS:
        return value
    raise ValueError(f"{value!r} is neither an ISO 8601 duration (P4Y6M), a gestational age (GA 32w0d) "
                     f"nor an onset of {sorted(ONSET_WORDS)}")


HpoId = Annotated[str, StringConstraints(pattern=r"^HP:\d{7}$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Finding = tuple[HpoId, Text]


@validated_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class PublishedCase:
    """One patient of cases.jsonl (see the README beside it)."""

    case_id: Text
    disease_id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    disease_label: Text
    observed: Annotated[tuple[Finding, ...], Field(min_length=1)]
    excluded: tuple[Finding, ...]
    sex: Literal["MALE", "FEMALE", "UNKNOWN_SEX", "OTHER_SEX"]
    age: Annotated[str | None, AfterValidator(_check_age)]
    genes: tuple[Text, ...]
    pmids: tuple[Text, ...]
    pmid_in_hpoa_refs: StrictBool  # the disease's annotations cite this case's publication (leakage)

    @property
    def clean(self) -> bool:
        return not self.pmid_in_hpoa_refs


_CASE = TypeAdapter(PublishedCase)


_WORDING = {"value_error": lambda name, value, ctx: f"{name}: {ctx['error']}",
            "literal_error": lambda name, value, ctx: f"{name} is {value!r}; give one of {ctx['expected']}"}


def _describe(err: dict) -> str:
    field = ".".join(str(p) for p in err.get("loc", ()))
    if err.get("type") == "json_invalid":
        return f"not valid JSON ({err['msg']})"
    if not field:
        return f"{err['msg']}; a line is one JSON object with the fields of the README"
    return describe(err, f"field {field}", _WORDING)


def parse_case(line: str, where: str) -> PublishedCase:
    """One line of cases.jsonl; `where` ('cases.jsonl line 3') prefixes the error message."""
    try:
        return _CASE.validate_json(line)
    except ValidationError as exc:
        raise CaseFileError(f"{where}: " + "; ".join(_describe(e) for e in exc.errors())) from None


def read_cases(path: Path) -> list[PublishedCase]:
    """Every case of the file, in its order; the first bad line (or repeated case_id) is refused."""
    if not path.is_file():
        raise CaseFileError(f"{path} does not exist or is not a file")
    cases: list[PublishedCase] = []
    first_line: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            case = parse_case(line, f"{path} line {number}")
            if case.case_id in first_line:
                raise CaseFileError(f"{path} line {number}: field case_id: {case.case_id!r} repeats line "
                                    f"{first_line[case.case_id]}; case ids must be unique")
            first_line[case.case_id] = number
            cases.append(case)
    if not cases:
        raise CaseFileError(f"{path} holds no cases")
    return cases


def _unit_hash(text: str) -> float:
    """A stable number in [0, 1) for `text`, the same on every machine and Python."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") / 2**64


def split_by_disease(cases: list[PublishedCase], test_fraction: float = 0.5,
                     seed: int = 0) -> tuple[frozenset[str], frozenset[str]]:
    """(tuning diseases, test diseases). A disease's side depends only on its id and the seed (SHA-256;
    crc32 is affine, so a new seed XORs every hash alike: at one half, the same split or its mirror)."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction is {test_fraction}; give a fraction strictly between 0 and 1")
    diseases = {c.disease_id for c in cases}
    test = frozenset(d for d in diseases if not in_tuning_half(d, test_fraction, seed))
    return frozenset(diseases - test), test


def in_tuning_half(disease_id: str, test_fraction: float = 0.5, seed: int = 0) -> bool:
    """Whether the split rule (`SPLIT_RULE`) puts a disease on the tuning side: the same for any query set."""
    return _unit_hash(f"{seed}:{disease_id}") >= test_fraction


def age_words(age: str | None) -> tuple[str | None, bool]:
    """(words for the age, adult?): P4Y6M → 4-year-old, P1Y6M → 18-month-old, P8M → 8-month-old,
    P10D → 10-day-old, P0D → newborn, GA 32w0d → fetus; None when the age is unknown."""
    if age is None:
        return None, False
    if age in ONSET_WORDS or _GESTATION.match(age):
        return ONSET_WORDS.get(age, "fetus"), False
    m = _DURATION.match(age)
    if m is None:
        raise ValueError(f"{age!r} is not an ISO 8601 duration such as P4Y6M")
    years, months, weeks, days = (int(g or 0) for g in m.groups())
    months, days = 12 * years + months + (7 * weeks + days) // 30, (7 * weeks + days) % 30
    if months == 0:
        return ("newborn" if days == 0 else f"{days}-day-old" if days < 14 else f"{days // 7}-week-old"), False
    if months < 12 or (months < 24 and months % 12):  # clinicians count toddlers in months: 18-month-old
        return f"{months}-month-old", False
    return f"{months // 12}-year-old", months >= 18 * 12


@dataclass(frozen=True)
class Fetus(Person):
    """A prenatal case: 'a male fetus'."""

    def noun(self) -> str:
        return f"{self.sex} fetus" if self.sex else "fetus"


def person_of(case: PublishedCase) -> Person | None:
    """Age and sex as recorded; None when neither is known."""
    age, adult = age_words(case.age)
    sex = {"MALE": "male", "FEMALE": "female"}.get(case.sex)
    if age == "fetus":
        return Fetus(None, sex)
    return Person(age, sex, adult) if age or sex else None


def abbreviate(text: str) -> str:
    """Clinical shorthand for the phrases of ABBREVIATIONS: 'atrial septal defect' → 'ASD'."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1).lower()] + m.group(2), text)


@dataclass(frozen=True)
class RenderParams:
    max_findings: int = 15   # observed findings written (a random subset when the case has more)
    max_excluded: int = 3    # excluded findings written in the negation style
    p_synonym: float = 0.3   # clinician styles: a finding written with a (clinical) synonym, not its label
    style_weights: tuple[float, ...] = (0.25, 0.25, 0.15, 0.15, 0.2)  # in STYLES order


@dataclass(frozen=True)
class Rendering:
    text: str
    style: str
    shown: int    # observed findings written
    negated: int  # excluded findings written as "no …"


def _term(ontology: Ontology, hpo_id: str) -> Term | None:
    term = ontology.get(hpo_id)
    return term if term is not None and not term.obsolete else None


def _label(term: Term | None, label: str) -> str:
    return tidy(term.name if term else label)


def _has_layperson(term: Term | None) -> bool:
    """Whether `write_term` can give a lay wording other than the label (its candidates' rule)."""
    if term is None:
        return False
    label = tidy(term.name).lower()
    return any(s.kind == "layperson" and s.scope != "NARROW" and tidy(s.text).lower() != label
               for s in term.usable_synonyms())


def _clinical(term: Term | None, label: str, rng: np.random.Generator, p_synonym: float) -> str:
    """A clinician's words: the label or a clinical synonym, never a lay one."""
    if term is None:
        return tidy(label)
    words = write_term(term, rng, p_synonym, 0.0)
    return _label(term, label) if words.form == "layperson" else words.text


def _lay(term: Term | None, label: str, rng: np.random.Generator) -> str:
    if not _has_layperson(term):
        return _label(term, label)
    words = write_term(term, rng, 1.0, 1.0)
    return words.text if words.form == "layperson" else _label(term, label)


def _narrative(findings: list[str], person: Person | None, rng: np.random.Generator) -> str:
    noun = person.noun() if person else None
    found = join_words(findings)
    if noun is None:
        return f"Patient with {found}."
    template = ("with", "presenting", "in")[int(rng.choice(3, p=[0.5, 0.25, 0.25]))]
    text = {"with": f"{with_article(noun)} with {found}.", "presenting": f"{with_article(noun)} presenting with {found}.",
            "in": f"{found} in {with_article(noun)}."}[template]
    return text[:1].upper() + text[1:]


def _implied(case: PublishedCase, ontology: Ontology) -> set[str]:
    """The observed findings and all their ancestors."""
    ids = {ontology.alt_to_id.get(h, h) for h, _ in case.observed}
    return ids.union(*(ontology.ancestors(h) for h in ids))


def _style(rng: np.random.Generator, params: RenderParams, possible: dict[str, bool]) -> str:
    w = np.array([wt if possible[s] else 0.0 for s, wt in zip(STYLES, params.style_weights)])
    return STYLES[int(rng.choice(len(STYLES), p=w / w.sum()))]


def render_case(case: PublishedCase, ontology: Ontology, seed: int, params: RenderParams = RenderParams(),
                style: str | None = None) -> Rendering:
    """The case as a clinician would type it, in `style` or one drawn for it. Deterministic: the
    draws come from a generator keyed by (seed, crc32 of case_id), whatever the other cases."""
    if style is not None and style not in STYLES:
        raise ValueError(f"style is {style!r}; choose one of {', '.join(STYLES)}")
    rng = np.random.default_rng([seed, zlib.crc32(case.case_id.encode())])
    observed = [case.observed[int(i)] for i in rng.permutation(len(case.observed))][:params.max_findings]
    has = _implied(case, ontology)  # "no X" must not deny what the patient has (X or a descendant of X)
    excluded = [case.excluded[int(i)] for i in rng.permutation(len(case.excluded))]
    excluded = [(h, label) for h, label in excluded if ontology.alt_to_id.get(h, h) not in has][:params.max_excluded]
    seen = [(_term(ontology, h), label) for h, label in observed]
    denied = [(_term(ontology, h), label) for h, label in excluded]
    labels = [_label(t, label) for t, label in seen]
    possible = {"terse": True, "narrative": True, "layperson": any(_has_layperson(t) for t, _ in seen),
                "abbreviation": any(abbreviate(x) != x for x in labels), "negation": bool(denied)}
    if style is not None and not possible[style]:
        raise ValueError(f"case {case.case_id} cannot be written in the {style} style (nothing to write so)")
    style = style or _style(rng, params, possible)
    if style == "layperson":
        return Rendering(", ".join(_lay(t, label, rng) for t, label in seen), style, len(seen), 0)
    if style == "abbreviation":
        return Rendering(", ".join(abbreviate(x) for x in labels), style, len(seen), 0)
    found = [_clinical(t, label, rng, params.p_synonym) for t, label in seen]
    if style == "narrative":
        return Rendering(_narrative(found, person_of(case), rng), style, len(seen), 0)
    if style == "terse":
        return Rendering(", ".join(found), style, len(seen), 0)
    nos = ", no ".join(_clinical(t, label, rng, params.p_synonym) for t, label in denied)
    return Rendering(f"{', '.join(found)}. No {nos}.", style, len(seen), len(denied))


def case_row(case: PublishedCase, rendering: Rendering) -> dict:
    """One query-set line: the text, the gold disease, and what the case was (no health detail)."""
    return {"query": rendering.text, "gold": [case.disease_id],
            "meta": {"case_id": case.case_id, "style": rendering.style, "clean": case.clean, "pmids": list(case.pmids),
                     "n_observed": len(case.observed), "n_excluded": len(case.excluded),
                     "n_shown": rendering.shown, "n_negated": rendering.negated}}


@dataclass
class CaseSets:
    tune: QuerySet
    tune_leaky: QuerySet
    test: QuerySet

    def parts(self) -> dict[str, QuerySet]:
        return {"tune": self.tune, "tune-leaky": self.tune_leaky, "test": self.test}


SPLIT_RULE = "test when the first 8 bytes of sha256('{seed}:{disease_id}') / 2**64 < test_fraction"


def _query_set(part: str, chosen: list[PublishedCase], ontology: Ontology, seed: int, params: RenderParams,
               split: dict) -> QuerySet:
    rows = [case_row(c, render_case(c, ontology, seed, params)) for c in chosen]
    parse_items(rows)  # the runner must be able to read every line
    diseases = sorted({c.disease_id for c in chosen})
    styles = Counter(r["meta"]["style"] for r in rows)
    meta = {"format": "zebra-queries", "format_version": 1, "generator": GENERATOR,
            "generator_version": GENERATOR_VERSION, "seed": seed, "part": part, "n": len(rows),
            "n_diseases": len(diseases), "source": SOURCE, "data_release": ontology.release, "split": split,
            "leakage": LEAKAGE[part], "params": asdict(params), "styles": {s: styles[s] for s in STYLES},
            "diseases": diseases}
    return QuerySet(rows, meta)


def build_case_sets(cases: list[PublishedCase], ontology: Ontology, seed: int = 0, test_fraction: float = 0.5,
                    params: RenderParams = RenderParams()) -> CaseSets:
    """Tuning (clean), tuning-leaky and test (clean) query sets, split by disease; the leaky cases of
    test diseases are dropped. Rows keep the file's order."""
    tune_d, test_d = split_by_disease(cases, test_fraction, seed)
    members = {"tune": [c for c in cases if c.disease_id in tune_d and c.clean],
               "tune-leaky": [c for c in cases if c.disease_id in tune_d and not c.clean],
               "test": [c for c in cases if c.disease_id in test_d and c.clean]}
    split = {"by": "disease", "rule": SPLIT_RULE, "test_fraction": test_fraction, "tune_diseases": len(tune_d),
             "test_diseases": len(test_d),
             "leaky_test_cases_dropped": sum(1 for c in cases if c.disease_id in test_d and not c.clean)}
    for part, chosen in members.items():
        if not chosen:
            raise CaseSetError(f"the {part} part holds no cases ({len(cases):,} cases, seed {seed}, test_fraction "
                               f"{test_fraction}); use more cases or another seed or fraction")
    sets = {part: _query_set(part, chosen, ontology, seed, params, split) for part, chosen in members.items()}
    return CaseSets(sets["tune"], sets["tune-leaky"], sets["test"])


def write_licence(source: Path, out_dir: Path, files: Iterable[str] = PART_FILES.values(),
                  name: str = LICENCE_FILE) -> Path:
    """The source's BSD-3 licence beside the files derived from the cases, headed by where the cases come from."""
    if not source.is_file():
        raise CaseFileError(f"the licence {source} is missing; the cases may not be copied without it")
    header = (f"The published cases in {', '.join(files)} are derived from "
              f"{SOURCE['repository']} commit {SOURCE['commit']}.\nCite: {SOURCE['citation']}.\n\n")
    path = out_dir / name
    path.write_text(header + source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def write_case_sets(sets: CaseSets, out_dir: Path, licence: Path) -> dict[str, Path]:
    """Each part as `PART_FILES` JSONL with its .meta.json sidecar, and the licence; their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for part, query_set in sets.parts().items():
        paths[part] = out_dir / PART_FILES[part]
        write_query_set(paths[part], query_set)
    paths["licence"] = write_licence(licence, out_dir)
    return paths


def main(cases_path: Path, out_dir: Path, seed: int = 0, hpo_dir: Path | None = None,
         test_fraction: float = 0.5, profiles: Path | None = None) -> dict:
    """Read the cases (and LICENSE beside them), write the three query sets and, when given a path, the diseases'
    profiles (`evaluation.profiles`) with the licence beside them; their counts."""
    cases = read_cases(cases_path)
    ontology = read_ontology((check_folder(hpo_dir) if hpo_dir else data_dir()) / "hp.obo")
    sets = build_case_sets(cases, ontology, seed, test_fraction)
    write_case_sets(sets, out_dir, cases_path.parent / "LICENSE")
    rows = profile_rows(cases) if profiles is not None else []
    if profiles is not None:
        write_profiles(profiles, rows)
        write_licence(cases_path.parent / "LICENSE", profiles.parent, [profiles.name], PROFILE_LICENCE_FILE)
    split = sets.test.meta["split"]
    counts = {"cases": len(cases),
              **{k: split[k] for k in ("tune_diseases", "test_diseases", "leaky_test_cases_dropped")},
              **{part: {"cases": q.meta["n"], "diseases": q.meta["n_diseases"], "styles": q.meta["styles"]}
                 for part, q in sets.parts().items()},
              "profiles": {"rows": len(rows), "diseases": len({r.disease_id for r in rows}),
                           "publications": len({r.publication for r in rows})}}
    log.info("published cases: %s", counts)
    return counts
