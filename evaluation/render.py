"""Writing a simulated patient as a clinician or a parent would: each finding in words
(a synonym or layperson synonym of its HPO term, sometimes the label), age and sex
from the disease's onset, and a short narrative with excluded findings ("no X").

Owns wording only; which findings a patient has is `evaluation.queries`' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from indexer.hpo import Synonym, Term

# Onset term → (unit, low, high, sex). Prenatal and congenital onsets present as a newborn.
ONSET_AGES: dict[str, tuple[str, int, int, str | None]] = {
    "HP:0030674": ("newborn", 0, 0, None), "HP:0011461": ("newborn", 0, 0, None),
    "HP:0011460": ("newborn", 0, 0, None), "HP:0034199": ("newborn", 0, 0, None),
    "HP:0034198": ("newborn", 0, 0, None), "HP:0034197": ("newborn", 0, 0, None),
    "HP:0003577": ("newborn", 0, 0, None), "HP:0003623": ("days", 2, 27, None),
    "HP:0003593": ("months", 1, 11, None), "HP:0011463": ("years", 1, 5, None),
    "HP:0003621": ("years", 5, 15, None), "HP:0410280": ("years", 1, 15, None),
    "HP:0003581": ("years", 18, 60, None), "HP:0011462": ("years", 16, 40, None),
    "HP:0025708": ("years", 16, 19, None), "HP:0025709": ("years", 19, 25, None),
    "HP:0025710": ("years", 25, 40, None), "HP:0003596": ("years", 40, 60, None),
    "HP:0003584": ("years", 60, 80, None), "HP:4000040": ("years", 20, 40, "female"),
    "HP:6000314": ("years", 45, 55, "female"), "HP:6000315": ("years", 52, 70, "female"),
}
MALE_INHERITANCE = {"HP:0001419", "HP:0001450"}  # X-linked recessive, Y-linked
_FEMALE = re.compile(r"\b(female|uter\w*|ovar\w*|vagin\w*|vulv\w*|menstru\w*|menarche|amenorrh\w*|"
                     r"labia\w*|clitor\w*|pregnan\w*|miscarriage\w*|breast)\b", re.I)
_MALE = re.compile(r"\b(male|testi\w*|testes|scrot\w*|penis|penile|micropenis|prostat\w*|"
                   r"cryptorchidism|hypospadias|spermat\w*|azoospermia)\b", re.I)
# A synonym's kind → how readily a writer reaches for it; NARROW synonyms name something
# more specific than the term and are never used.
_KIND_WEIGHT = {"": 1.0, "abbreviation": 0.3, "uk_spelling": 0.2, "plural_form": 0.2}
VARIANT_KINDS = {"uk_spelling", "plural_form"}
_INVERTED = re.compile(r"^([^,]+), ([A-Za-z-]+)$")


@dataclass(frozen=True)
class Wording:
    text: str
    form: str  # label, synonym, layperson, variant (a plural or UK spelling of the label)


def tidy(text: str) -> str:
    """Lowercase capitalised words (not acronyms), 'a/b' → 'a or b', 'Hearing loss, sensorineural'
    → 'sensorineural hearing loss' (catalogue word order), no trailing full stop."""
    text = re.sub(r"(?<=[A-Za-z])\s*/\s*(?=[A-Za-z])", " or ", text.strip().rstrip("."))
    if m := _INVERTED.match(text):
        text = f"{m.group(2)} {m.group(1)[:1].lower()}{m.group(1)[1:]}"
    words = [w.lower() if len(w) > 1 and w[0].isupper() and w[1:].islower() else w for w in text.split()]
    return " ".join(words)


def _candidates(term: Term) -> list[Synonym]:
    """Synonyms worth writing: not NARROW, and not the label once tidied ('Distress, neonatal')."""
    label = tidy(term.name).lower()
    return [s for s in term.usable_synonyms() if s.scope != "NARROW" and tidy(s.text).lower() not in ("", label)]


def has_synonym(term: Term) -> bool:
    """Whether the term can be written other than by its label (or a spelling variant of it)."""
    return any(s.kind not in VARIANT_KINDS for s in _candidates(term))


def write_term(term: Term, rng: np.random.Generator, p_synonym: float, p_layperson: float,
               force_synonym: bool = False) -> Wording:
    """One finding in words: usually a synonym (a layperson one when there is one), else the label."""
    syns = _candidates(term)
    lay = [s for s in syns if s.kind == "layperson"]
    other = [s for s in syns if s.kind != "layperson" and _KIND_WEIGHT.get(s.kind, 0) > 0]
    if force_synonym:
        other = [s for s in other if s.kind not in VARIANT_KINDS]
    if not (lay or other) or not (force_synonym or rng.random() < p_synonym):
        return Wording(tidy(term.name), "label")
    if lay and (not other or rng.random() < p_layperson):
        return Wording(tidy(lay[int(rng.integers(len(lay)))].text), "layperson")
    w = np.array([_KIND_WEIGHT[s.kind] for s in other])
    pick = other[int(rng.choice(len(other), p=w / w.sum()))]
    return Wording(tidy(pick.text), "variant" if pick.kind in VARIANT_KINDS else "synonym")


@dataclass(frozen=True)
class Person:
    age: str | None  # "8-month-old", "newborn", "34-year-old"; None when onset does not tell
    sex: str | None  # male, female
    adult: bool = False

    def noun(self) -> str | None:
        if self.sex is None:
            return None if self.age is None else f"{self.age} patient" if self.age != "newborn" else "newborn"
        word = ("man" if self.sex == "male" else "woman") if self.adult else ("boy" if self.sex == "male" else "girl")
        return f"{self.age} {word}" if self.age else f"{self.sex} patient"


def age_from_onset(onset: str, rng: np.random.Generator) -> tuple[str, bool, str | None]:
    """(age words, adult?, sex the onset implies) for an onset term of ONSET_AGES."""
    unit, lo, hi, sex = ONSET_AGES[onset]
    if unit == "newborn":
        return "newborn", False, sex
    value = int(rng.integers(lo, hi + 1))
    if unit == "days":
        return (f"{value}-day-old" if value < 14 else f"{value // 7}-week-old"), False, sex
    if unit == "months":
        return f"{value}-month-old", False, sex
    return f"{value}-year-old", value >= 18, sex


def sex_of(texts: list[str], inheritance: list[str], implied: str | None, rng: np.random.Generator) -> str:
    """Female or male: from sex-specific findings or onset, X-/Y-linked inheritance, else a coin."""
    joined = " ".join(texts)
    if implied:
        return implied
    if _FEMALE.search(joined):
        return "female"
    if _MALE.search(joined):
        return "male"
    if MALE_INHERITANCE & set(inheritance):
        return "male" if rng.random() < 0.9 else "female"
    return "male" if rng.random() < 0.5 else "female"


def with_article(phrase: str) -> str:
    lead = phrase.split("-")[0]
    vowel = phrase[:1].lower() in "aeiou" or lead in ("8", "11", "18") or (lead.isdigit() and lead.startswith("8"))
    return ("an " if vowel else "a ") + phrase


def join_words(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


TEMPLATES = ("with", "presenting", "in", "list", "patient")


def narrate(features: list[str], excluded: list[str], person: Person | None, rng: np.random.Generator) -> tuple[str, str]:
    """The query text and the name of the template used."""
    noun = person.noun() if person else None
    names = ["with", "presenting", "in", "list"] if noun else ["patient", "list"]
    weights = np.array([0.4, 0.2, 0.15, 0.25] if noun else [0.5, 0.5])
    template = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    found = join_words(features)
    negated = "no " + join_words(excluded, "or") if excluded else ""
    if template == "list":
        return ", ".join(features + ([negated] if negated else [])), template
    sentence = negated[:1].upper() + negated[1:]
    if template == "with":
        text = f"{with_article(noun)} with {found}" + (f"; {negated}." if negated else ".")
    elif template == "presenting":
        text = f"{with_article(noun)} presenting with {found}." + (f" {sentence}." if negated else "")
    elif template == "in":
        text = f"{found} in {with_article(noun)}." + (f" {sentence}." if negated else "")
    else:
        text = f"patient with {found}" + (f"; {negated}." if negated else ".")
    return text[:1].upper() + text[1:], template
