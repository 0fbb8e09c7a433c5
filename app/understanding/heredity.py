"""How the condition runs in the family, as a query tells it: parents who are cousins, an affected parent,
sibling, child or maternal uncle, several generations, male-to-male transmission, or the mode named outright
("autosomal recessive"). A clinician weighs these first when a story points to a heritable disease.

Owns the cues and what each says about the modes of inheritance: for each mode (the release's inheritance
terms, `MODES`), how well a disease of that mode fits the story (`Heredity.fit`, 1 = as well as any). Who
is affected comes from the experiencer's relative scopes and the findings recognised in them; a relative
named as healthy or unaffected is no cue. Knows nothing of diseases; the ontology ranker weighs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.understanding.experiencer import relatives_spans

AR, AD, XLR, XLD, XL, MT, YL = "AR", "AD", "XLR", "XLD", "XL", "MT", "YL"
# The release's inheritance terms (their labels, as articles carry them) and the mode each one is.
MODES: dict[str, str] = {
    "Autosomal recessive inheritance": AR,
    "Autosomal dominant inheritance": AD,
    "Autosomal dominant inheritance with maternal imprinting": AD,
    "Autosomal dominant inheritance with paternal imprinting": AD,
    "X-linked recessive inheritance": XLR,
    "X-linked dominant inheritance": XLD,
    "X-linked inheritance": XL,
    "Mitochondrial inheritance": MT,
    "Y-linked inheritance": YL,
}

# What each cue says: mode → fit (a mode not listed fits as `rest`). A fit below 1 is a mode the story makes
# less likely, never impossible (penetrance, new mutations, mosaic parents).
@dataclass(frozen=True)
class Cue:
    name: str
    fits: tuple[tuple[str, float], ...]
    rest: float

    def fit(self, mode: str) -> float:
        return dict(self.fits).get(mode, self.rest)


CONSANGUINITY = Cue("parents related", ((AR, 1.0),), 0.3)
AFFECTED_FATHER = Cue("affected father", ((AD, 1.0), (XLD, 0.8), (XL, 0.6), (YL, 0.6)), 0.25)
AFFECTED_MOTHER = Cue("affected mother", ((AD, 1.0), (XLD, 1.0), (MT, 1.0), (XL, 0.8), (XLR, 0.6)), 0.25)
AFFECTED_CHILD = Cue("affected child", ((AD, 1.0), (XLD, 0.8), (MT, 0.6), (XL, 0.6)), 0.25)
AFFECTED_SIBLING = Cue("affected sibling", ((AR, 1.0), (XLR, 0.8), (XL, 0.8)), 0.6)
AFFECTED_MATERNAL_MALE = Cue("affected maternal male relative", ((XLR, 1.0), (XL, 1.0), (XLD, 0.6), (MT, 0.6),
                                                                 (AD, 0.5)), 0.25)
GENERATIONS = Cue("several generations", ((AD, 1.0), (XLD, 0.8), (XL, 0.7), (MT, 0.7)), 0.25)
AFFECTED_RELATIVE = Cue("affected relative", ((AD, 1.0), (XLD, 0.9), (XL, 0.9), (XLR, 0.8), (MT, 0.8)), 0.6)
MALE_TO_MALE = Cue("male-to-male transmission", ((AD, 1.0), (YL, 1.0)), 0.1)
NO_MALE_TO_MALE = Cue("no male-to-male transmission", ((XL, 1.0), (XLD, 1.0), (XLR, 0.8), (MT, 1.0)), 0.5)
STATED = {AR: Cue("autosomal recessive", ((AR, 1.0),), 0.1),
          AD: Cue("autosomal dominant", ((AD, 1.0),), 0.1),
          XL: Cue("X-linked", ((XL, 1.0), (XLR, 1.0), (XLD, 1.0)), 0.1),
          XLR: Cue("X-linked recessive", ((XLR, 1.0), (XL, 1.0)), 0.1),
          XLD: Cue("X-linked dominant", ((XLD, 1.0), (XL, 1.0)), 0.1),
          MT: Cue("mitochondrial", ((MT, 1.0),), 0.1)}

_DENIED = r"(?<!\bno\s)(?<!\bnot\s)(?<!\bnon-)(?<!\bnon)(?<!\bdenies\s)(?<!\bwithout\s)"
_CONSANGUINITY = re.compile(
    rf"{_DENIED}\bconsanguin\w*|\bparents\s+(?:are|were)\s+(?:(?:double|first|second|1st|2nd|third|distant)[- ])?"
    r"cousins\b|\b(?:first|1st|second|2nd)[- ]cousin\s+(?:parents|marriage|union)\b|\bcousin\s+marriage\b"
    r"|\bparents\s+(?:are\s+)?(?:blood\s+)?related\b", re.I)
_STATED = re.compile(
    r"\b(?:(?P<ar>autosomal[- ]recessive|AR\s+(?=inheritance|pattern|family|trait))"
    r"|(?P<ad>autosomal[- ]dominant|AD\s+(?=inheritance|pattern|family|trait))"
    r"|(?P<xlr>x[- ]linked[- ]recessive|XLR\b)|(?P<xld>x[- ]linked[- ]dominant|XLD\b)"
    r"|(?P<xl>x[- ]linked\s+(?=inheritance|pattern|family|trait))"
    r"|(?P<mt>mitochondrial\s+inheritance|maternal(?:ly)?\s+(?:inherit\w*|transmi\w*)))", re.I)
_MALE_TO_MALE = re.compile(r"(?P<no>\bno\s+(?:evidence\s+of\s+)?)?\b(?:male[- ]to[- ]male|father[- ]to[- ]son)"
                           r"\s+(?:transmission|inheritance)", re.I)
_GENERATIONS = re.compile(r"\b(?:(?:three|four|five|3|4|5|several|multiple|successive|consecutive)\s+generations"
                          r"|(?:every|each)\s+generation|runs\s+in\s+(?:the|his|her|their|our)\s+family"
                          r"|(?:many|several|multiple)\s+(?:affected\s+)?(?:family\s+members|relatives))\b", re.I)
# words saying a relative shares the patient's condition, or does not
_AFFECTED = re.compile(r"\b(?:same|similar(?:ly)?|affected|also|too|likewise|as well|identical|died)\b", re.I)
_UNAFFECTED = re.compile(r"\b(?:un-?affected|healthy|well|normal|fine|no|not|none|neither|nor|negative)\b", re.I)
_KIN = re.compile(r"(?:(?P<side>maternal|paternal|mother['’]?s|father['’]?s|mum['’]?s|mom['’]?s|dad['’]?s)\s+)?"
                  r"(?P<who>half[- ]brothers?|half[- ]sisters?|\w+)", re.I)
_DENIED_BEFORE = re.compile(r"\b(?:no|denies|denied|without|negative\s+for|nil)\s+"
                            r"(?:significant\s+|known\s+|relevant\s+)?$", re.I)
_HISTORY_WORDS = re.compile(r"family|FHx|FH\b", re.I)
_KIN_WORD = re.compile(r"(?<![\w'’])(?:(?:maternal|paternal)\s+)?(?:father|mother|dad|mum|mom|brothers?|sisters?"
                       r"|siblings?|sons?|daughters?|uncles?|aunts?|cousins?|grandfathers?|grandmothers?)\b", re.I)
_GRANDPARENT = re.compile(r"\bgrand(?:father|mother|parent|pa|ma)", re.I)
_PARENT = re.compile(r"\b(?:father|mother|dad|mum|mom|parent)\b", re.I)
_FATHER = {"father", "dad", "daddy"}
_MOTHER = {"mother", "mum", "mom", "mummy", "mommy"}
_SIBLING = {"brother", "sister", "sibling", "sib", "half-brother", "half-sister"}
_CHILD = {"son", "daughter", "child", "children", "kid"}
_MALE_RELATIVE = {"uncle", "grandfather", "grandpa", "cousin", "brother", "nephew"}
_MATERNAL = {"maternal", "mother's", "mothers", "mum's", "mums", "mom's", "moms"}


@dataclass(frozen=True)
class Heredity:
    """The cues a query gives (in text order, each once) and the fit of each mode they leave."""

    cues: tuple[Cue, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.cues)

    def fit(self, mode: str) -> float:
        """How well a disease of this mode fits every cue together (their product), 1 when nothing is said."""
        out = 1.0
        for cue in self.cues:
            out *= cue.fit(mode)
        return out

    def fit_of(self, inheritance: Iterable[str]) -> float | None:
        """The best fit among a disease's inheritance terms (labels); None when none of them is a mode."""
        modes = {MODES[t] for t in inheritance if t in MODES}
        return max((self.fit(m) for m in modes), default=None)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.cues]


def read_heredity(text: str, relatives: Sequence[tuple[int, int]] = ()) -> Heredity:
    """The inheritance cues of `text`. `relatives` are the spans of the relatives' findings the recognizer
    marked (family history): a relative with one of them is affected, as is one said to have "the same"."""
    cues: list[Cue] = []
    if _CONSANGUINITY.search(text):
        cues.append(CONSANGUINITY)
    for m in _STATED.finditer(text):
        cues.append(STATED[next(k for k, v in m.groupdict().items() if v).upper()])
    for m in _MALE_TO_MALE.finditer(text):
        cues.append(NO_MALE_TO_MALE if m["no"] else MALE_TO_MALE)
    if _GENERATIONS.search(text):
        cues.append(GENERATIONS)
    cues += _affected_relatives(text, relatives)
    return Heredity(tuple(dict.fromkeys(cues)))


def _affected_relatives(text: str, findings: Sequence[tuple[int, int]]) -> list[Cue]:
    """A cue for each affected relative: one with a finding of its own in its scope, or said to share the patient's
    condition ("brother has the same", "similarly affected sister"), unless named as well ("mother is healthy")."""
    out: list[Cue] = []
    for start, end in relatives_spans(text):
        scope = text[start:end]
        if _DENIED_BEFORE.search(text, max(0, start - 24), start):
            continue  # "no family history of similar problems"
        if not any(start <= a < end for a, _ in findings) and (not _AFFECTED.search(scope) or _UNAFFECTED.search(scope)):
            continue
        named = _KIN_WORD.search(text, start, end) if _HISTORY_WORDS.match(text, start) else None
        cue = _kin_cue(text, named.start() if named else start)  # "family history of seizures in his father"
        if cue is not None:
            out.append(cue)
        if _GRANDPARENT.search(scope) and _PARENT.search(scope):
            out.append(GENERATIONS)  # "his father and grandfather were similarly affected"
    return out


def _kin_cue(text: str, start: int) -> Cue | None:
    """The cue of the relative named at `start` (with a side said just before: "maternal uncle", "mother's brother")."""
    before = re.search(r"(maternal|paternal|mother['’]?s|father['’]?s|mum['’]?s|mom['’]?s|dad['’]?s)\s+$",
                       text[max(0, start - 12):start], re.I)
    m = _KIN.match(text, start)
    if m is None:
        return None
    side = (m["side"] or (before[1] if before else "") or "").lower()
    who = m["who"].lower().rstrip("s") if m["who"].lower() not in ("children",) else "children"
    if side.replace("’", "'") in _MATERNAL and who in _MALE_RELATIVE:
        return AFFECTED_MATERNAL_MALE
    if side:
        return AFFECTED_RELATIVE
    if who in _FATHER:
        return AFFECTED_FATHER
    if who in _MOTHER:
        return AFFECTED_MOTHER
    if who in _SIBLING:
        return AFFECTED_SIBLING
    if who in _CHILD or who in ("his", "her", "their"):
        return AFFECTED_CHILD
    return AFFECTED_RELATIVE
