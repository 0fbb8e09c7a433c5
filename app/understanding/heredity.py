"""How the condition runs in the family, as a query tells it: parents who are cousins, an affected parent,
sibling, child or maternal uncle, several generations, male-to-male transmission, or the mode named outright
("autosomal recessive"). A clinician weighs these first when a story points to a heritable disease.

Owns the cues, their negation ("non-consanguineous", "no male-to-male transmission", "family history of
seizures: none") and what each says about the modes of inheritance: for each mode (the release's inheritance
terms, `MODES`), how well a disease of that mode fits the story (`Heredity.fit`, 1 = as well as any). Who is
affected is read relative by relative, each with what the text says of them (in the experiencer's relative
scopes): said to share the condition ("the same", "similarly affected"), or with a finding of their own
(`Read.findings`: the ontology ranker keeps such a cue only where one of the diseases the patient's findings
point to shows it, so "his father has asthma" says nothing); a relative named as healthy, unaffected or a
carrier is no cue. Knows nothing of diseases; the ontology ranker weighs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.understanding.experiencer import denied_relative, relatives_spans

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
GENERATIONS = Cue("several generations", ((AD, 1.0), (XLD, 0.8), (XL, 0.8), (MT, 0.7), (XLR, 0.6)), 0.25)
AFFECTED_RELATIVE = Cue("affected relative", ((AD, 1.0), (XLD, 0.9), (XL, 0.9), (XLR, 0.8), (MT, 0.8)), 0.6)
MALE_TO_MALE = Cue("male-to-male transmission", ((AD, 1.0), (YL, 1.0)), 0.1)
NO_MALE_TO_MALE = Cue("no male-to-male transmission", ((XL, 1.0), (XLD, 1.0), (XLR, 0.8), (MT, 1.0)), 0.5)
# a mode named outright; several named are alternatives ("autosomal dominant or recessive"): any of them fits
_NAMED = {AR: "autosomal recessive", AD: "autosomal dominant", XL: "X-linked", XLR: "X-linked recessive",
          XLD: "X-linked dominant", MT: "mitochondrial"}
_NAMED_ALSO = {XL: (XLR, XLD), XLR: (XL,), XLD: (XL,)}  # an X-linked disease annotated with the narrower mode
NAMED_REST = 0.1

# a word that denies the cue, in its clause before it ("non-consanguineous", "no known consanguinity", "absence
# of male-to-male transmission", "?consanguinity") or after it ("consanguinity denied", "…: none")
_DENIAL_BEFORE = re.compile(r"(?:\b(?:no|not|non|without|denies|denied|deny|absence\s+of|absent|negative|nil|nothing"
                            r"|nobody|no\s+one|rule[sd]?\s+out|ruling\s+out|exclude[sd]?|unlikely|un-?affected"
                            r"|healthy)\b[^.;,:\n]*"
                            r"|\?\s*|\bnon-)$", re.I)
_DENIAL_AFTER = re.compile(r"[^.;,\n]{0,30}?(?:\b(?:denied|excluded|unknown|absent|unlikely|none|negative"
                           r"|not\s+(?:reported|known|present|seen|found)|ruled\s+out)\b"
                           r"|:\s*(?:no|none|nil|negative)\b)",
                           re.I)
_CLAUSE_START = re.compile(r"[.;,:\n!]")
_CONSANGUINITY = re.compile(
    r"\bconsanguin\w*|\bparents\s+(?:are|were)\s+(?:(?:double|first|second|1st|2nd|third|distant)[- ])?"
    r"cousins\b|\b(?:first|1st|second|2nd)[- ]cousin\s+(?:parents|marriage|union)\b|\bcousin\s+marriage\b"
    r"|\bparents\s+(?:are\s+)?(?:blood\s+)?related\b", re.I)
_MODE_WORDS = (r"\s+(?:inheritance|inherited|pattern|trait|transmission|pedigree|fashion|manner|mode|family"
               r"|segregation)\b")
_STATED = re.compile(
    rf"\b(?:(?P<AR>autosomal[- ]recessive|AR)|(?P<AD>autosomal[- ]dominant|AD)|(?P<XLR>x[- ]linked[- ]recessive|XLR)"
    rf"|(?P<XLD>x[- ]linked[- ]dominant|XLD)|(?P<XL>x[- ]linked)|(?P<MT>mitochondrial|maternal))(?={_MODE_WORDS})",
    re.I)
_STATED_OR = re.compile(r"\b(?:autosomal|x[- ]linked)[- ](?:dominant|recessive)\s+or\s+(?P<other>recessive|dominant)"
                        rf"(?={_MODE_WORDS})", re.I)  # "autosomal dominant or recessive inheritance"
# a mode after the word for inheritance: "inheritance could be AD or AR", "inheritance: X-linked", "inheritance
# pattern looks autosomal recessive" (not any pattern: "MRI pattern consistent with AD" is Alzheimer disease)
_MODE = (r"autosomal[- ]recessive|autosomal[- ]dominant|x[- ]linked[- ]recessive|x[- ]linked[- ]dominant|x[- ]linked"
         r"|mitochondrial|(?-i:AR|AD|XLR|XLD)")  # the letters in capitals only
_MODE_KIND = re.compile(  # which mode a written one is: its group's name
    rf"(?P<{AR}>autosomal[- ]recessive|AR)|(?P<{AD}>autosomal[- ]dominant|AD)|(?P<{XLR}>x[- ]linked[- ]recessive|XLR)"
    rf"|(?P<{XLD}>x[- ]linked[- ]dominant|XLD)|(?P<{XL}>x[- ]linked)|(?P<{MT}>mitochondrial)", re.I)
_STATED_AFTER = re.compile(
    r"\b(?:inheritance(?:\s+pattern)?|inherited|pattern\s+of\s+inheritance)(?:\s*:|\s+(?:is|was|looks|seems|appears"
    r"|suggests|could be|may be|might be"
    r"|likely|probably|consistent with|in keeping with|compatible with|favou?rs))(?:\s+(?:to be|likely|probably|an?))*"
    rf"\s*(?P<first>{_MODE})\b(?:\s*(?:or|/)\s*(?P<second>{_MODE})\b)?", re.I)
_MALE_TO_MALE = re.compile(r"\b(?:male[- ]to[- ]male|father[- ]to[- ]son)\s+(?:transmission|inheritance)", re.I)
_GENERATIONS = re.compile(r"\b(?:(?:in|over|across|spanning|through|for)\s+(?:three|four|five|3|4|5|several|multiple"
                          r"|successive|consecutive)\s+generations|(?:three|four|five|3|4|5|several|multiple|successive"
                          r"|consecutive)\s+generations\s+(?:affected|of\s+affected)|(?:every|each)\s+generation"
                          r"|runs\s+in\s+(?:the|his|her|their|our)\s+family)\b", re.I)
# what a relative's clause says of them: shares the patient's condition, or does not
_AFFECTED = re.compile(r"\b(?:(?:the\s+)?same|similar(?:ly)?|likewise|identical|affected|too|as\s+well"
                       r"|died\s+(?:suddenly|unexpectedly|young|early|in\s+(?:infancy|childhood|the\s+neonatal\s+period"
                       r"|(?:his|her)\s+sleep|utero)|as\s+(?:a\s+baby|an\s+infant|a\s+neonate|a\s+newborn|a\s+child"
                       r"|a\s+toddler)|on\s+day|within|aged?\s+\d|at\s+(?:age\s+)?\d"
                       r"|of\s+(?:the\s+same|it|similar)))\b",
                       re.I)
_UNAFFECTED = re.compile(r"\b(?:un-?affected|healthy|(?<!as\s)well|normal|fine|carriers?|none|neither|nor|negative"
                         r"|not\s+(?:affected|similarly|the\s+same)|no\s+(?:symptoms|problems|similar|such))\b", re.I)
_HISTORY_DENIED = re.compile(r"\b(?:denied|none|unknown|negative|unremarkable|non-?contributory|adopted)\b", re.I)
_SIDES = r"maternal|paternal|mother['’]?s|father['’]?s|mum['’]?s|mom['’]?s|dad['’]?s"
_KIN_WORD = re.compile(
    rf"(?<![\w'’-])(?P<side>(?:{_SIDES})\s+)?"
    r"(?P<who>half[- ]brothers?|half[- ]sisters?|father|mother|dad|daddy|mum|mom|mummy|mommy|brothers?|sisters?"
    r"|siblings?|sibs?|sons?|daughters?|child|children|kids?|uncles?|aunts?|cousins?|grandfathers?|grandmothers?"
    r"|grandparents?|grandpa|grandma|nephews?|nieces?|parents|relatives)\b(?![-'’]in[- ]law)", re.I)
_HISTORY_START = re.compile(r"family|FHx|FH\b|positive\s+family", re.I)
_SIDE_BEFORE = re.compile(rf"(?:{_SIDES})\s+$", re.I)
_PARENTS_BEFORE = re.compile(r"\bparents\b[^.;]*$", re.I)
_NOT_KIN = re.compile(r"(?:step[- ]?|adoptive\s+|foster\s+|god)$", re.I)  # no blood relative
# between relatives who share one predicate: "his father and grandfather were similarly affected"
_JOINED = re.compile(r"^[\s,]*(?:(?:and|&|or|as\s+well\s+as)\s+)?(?:(?:his|her|their|my|our|the|a|an|one|two|both"
                     r"|older|younger|elder|half)\s+)*$", re.I)
# a parent writing about their child, from the text's first words ("My son …", "Our 3-year-old daughter …"): their
# brother is the patient's uncle; "I get blisters … my mum and my son too" is the patient writing
_PARENT_VOICE = re.compile(r"^\W*(?:(?:my|our)\s+(?:\w+[- ]?){0,4}?(?:son|daughter|child|baby|boy|girl|kid|toddler)"
                           r"|(?:my|our)\s+(?:\d+[- ]?(?:year|month|week)s?[- ]old|little|newborn)\b)", re.I)
_FATHER = {"father", "dad", "daddy"}
_MOTHER = {"mother", "mum", "mom", "mummy", "mommy"}
_PARENT_OF = {**dict.fromkeys(_FATHER, "father"), **dict.fromkeys(_MOTHER, "mother")}
_SIBLING = {"brother", "sister", "sibling", "sib", "half-brother", "half-sister", "half brother", "half sister"}
_CHILD = {"son", "daughter", "child", "children", "kid"}
_GRANDPARENT = {"grandfather", "grandmother", "grandparent", "grandpa", "grandma"}
# a maternal male relative beside the line of descent (X-linked: through carrier women); a grandfather is up the line
_MALE_RELATIVE = {"uncle", "cousin", "brother", "nephew", "half-brother", "half brother"}
_MATERNAL = {"maternal", "mother's", "mothers", "mum's", "mums", "mom's", "moms"}


@dataclass(frozen=True)
class Read:
    """One cue as read: what it says, and where it rests only on a relative's findings, their HPO ids."""

    cue: Cue
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heredity:
    """The cues a query gives (in text order, each once) and the fit of each mode they leave."""

    reads: tuple[Read, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.reads)

    @property
    def cues(self) -> tuple[Cue, ...]:
        return tuple(dict.fromkeys(r.cue for r in self.reads))

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

    @property
    def evidence(self) -> set[str]:
        """The relatives' findings some cue rests on."""
        return {h for r in self.reads for h in r.findings}

    def keeping(self, findings: set[str]) -> Heredity:
        """Without the cues that rest only on relatives' findings none of which is in `findings`."""
        return Heredity(tuple(r for r in self.reads if not r.findings or set(r.findings) & findings))


def read_heredity(text: str, relatives: Sequence[tuple[int, int, str]] = ()) -> Heredity:
    """The inheritance cues of `text`. `relatives` are the relatives' findings the recognizer marked (family
    history: start, end, HPO id): a relative with one of them in their clause is affected, as is one said to have
    "the same"."""
    reads: list[Read] = []
    if any(not _denied(text, m) for m in _CONSANGUINITY.finditer(text)):
        reads.append(Read(CONSANGUINITY))
    named = _named(text)
    if named is not None:
        reads.append(Read(named))
    for m in _MALE_TO_MALE.finditer(text):
        reads.append(Read(NO_MALE_TO_MALE if _denied(text, m) else MALE_TO_MALE))
    if any(not _denied(text, m) for m in _GENERATIONS.finditer(text)):
        reads.append(Read(GENERATIONS))
    reads += _affected_relatives(text, relatives)
    return Heredity(tuple(dict.fromkeys(reads)))


def _denied(text: str, m: re.Match) -> bool:
    """Whether the clause around the match denies it."""
    cut = max((c.end() for c in _CLAUSE_START.finditer(text, max(0, m.start() - 60), m.start())), default=0)
    before = text[max(cut, m.start() - 60):m.start()]
    return bool(_DENIAL_BEFORE.search(before) or _DENIAL_AFTER.match(text, m.end()))


def _named(text: str) -> Cue | None:
    """The modes named outright and not denied, as one cue: each fits, the rest hardly."""
    written: list[str] = []
    for m in _STATED.finditer(text):
        if not _denied(text, m):
            written.append(next(k for k, v in m.groupdict().items() if v))
    for m in _STATED_OR.finditer(text):
        if not _denied(text, m):
            autosomal = m.group(0).lower().startswith("autosomal")
            written += [AD, AR] if autosomal else [XLD, XLR]
    for m in _STATED_AFTER.finditer(text):
        if not _denied(text, m):
            written += [_MODE_KIND.fullmatch(mode).lastgroup for mode in (m["first"], m["second"]) if mode]
    if not written:
        return None
    written = list(dict.fromkeys(written))
    modes = sorted({k for w in written for k in (w, *_NAMED_ALSO.get(w, ()))})
    return Cue(" or ".join(_NAMED[w] for w in written), tuple((k, 1.0) for k in modes), NAMED_REST)


def _affected_relatives(text: str, findings: Sequence[tuple[int, int, str]]) -> list[Read]:
    """A cue for each affected relative, read clause by clause: "mother is healthy, father has seizures" is an
    affected father; relatives joined by "and" share what follows them ("his brother and a maternal uncle have the
    same")."""
    out: list[Read] = []
    parent_voice = bool(_PARENT_VOICE.search(text))
    for start, end in relatives_spans(text):
        if denied_relative(text, start):  # "none of his brothers has the same"
            continue
        side = _SIDE_BEFORE.search(text, max(0, start - 12), start)  # "maternal uncle": the scope opens on "uncle"
        start = side.start() if side else start
        if _HISTORY_START.match(text, start):  # "family history of seizures in his father": the whole scope is its
            if _DENIAL_BEFORE.search(text[max(0, start - 30):start]) or _HISTORY_DENIED.search(text, start, end):
                continue
            kin = _KIN_WORD.search(text, start, end)
            groups = [([kin] if kin else [], text[start:end], start, end)]
        else:
            groups = _groups(text, start, end)
        for kins, said, a, b in groups:
            ids = tuple(h for s, _, h in findings if a <= s < b)
            said_so = bool(_AFFECTED.search(said))
            if _UNAFFECTED.search(said) or not (ids or said_so):
                continue
            rests_on = () if said_so else ids
            if kins:
                cues = [_kin_cue(text, k, parent_voice, kins[0], kins[i - 1] if i else None)
                        for i, k in enumerate(kins)]
            elif _HISTORY_START.match(text, start) or _PARENTS_BEFORE.search(text, max(0, start - 60), start):
                cues = [AFFECTED_RELATIVE]  # "family history of deafness"; "parents, both with hearing loss"
            else:
                continue  # no blood relative named ("step-father", "his adoptive mother")
            out += [Read(c, rests_on) for c in cues]
            who = {_who(k) for k in kins}
            if who & _GRANDPARENT and who & (_FATHER | _MOTHER):
                out.append(Read(GENERATIONS, rests_on))  # "his father and grandfather were similarly affected"
    return out


def _groups(text: str, start: int, end: int) -> list[tuple[list[re.Match], str, int, int]]:
    """The relatives named in a scope, grouped where they share a predicate, each group with what is said of it
    (from its last relative to the next group) and that stretch's span."""
    kins = [k for k in _KIN_WORD.finditer(text, start, end)
            if not _NOT_KIN.search(text, max(0, k.start() - 9), k.start())]
    groups: list[tuple[list[re.Match], str, int, int]] = []
    current: list[re.Match] = []
    for i, k in enumerate(kins):
        current.append(k)
        stop = kins[i + 1].start() if i + 1 < len(kins) else end
        said = text[k.end():stop]
        if i + 1 < len(kins) and _JOINED.match(said):
            continue
        groups.append((current, said, k.end(), stop))
        current = []
    if not kins:
        groups.append(([], text[start:end], start, end))
    return groups


def _who(kin: re.Match) -> str:
    who = kin["who"].lower().replace("’", "'")
    return who if who in ("children", "parents", "relatives") or who.endswith("ss") else who.rstrip("s")


def _kin_cue(text: str, kin: re.Match, parent_voice: bool, first: re.Match, before: re.Match | None) -> Cue:
    """The cue of one affected relative, by kinship and side ("maternal uncle", "mother's brother", "his mother and
    her brother", "maternal grandfather and uncle"); in a parent's words ("my son …; my brother had the same") the
    writer's relatives are the patient's one generation up."""
    side = (kin["side"] or (before["side"] if before is not None else "") or "").strip().lower().replace("’", "'")
    who = _who(kin)
    after_parent = re.search(r"\b(?:her|his)\s+$", text[max(0, kin.start() - 5):kin.start()], re.I)
    if not side and kin is not first and after_parent:
        side = {"mother": "maternal", "father": "paternal"}.get(_PARENT_OF.get(_who(first), ""), "")
    if who in ("parents", "relatives"):
        return AFFECTED_RELATIVE
    mine = parent_voice and re.search(r"\bmy\s+$", text[max(0, kin.start() - 4):kin.start()], re.I)
    if mine and who in _SIBLING | _FATHER | _MOTHER:
        return AFFECTED_RELATIVE  # the writer's brother is the patient's uncle, their father a grandfather
    if side in _MATERNAL and who in _MALE_RELATIVE:
        return AFFECTED_MATERNAL_MALE
    if side:
        return AFFECTED_RELATIVE
    if who in _FATHER:
        return AFFECTED_FATHER
    if who in _MOTHER:
        return AFFECTED_MOTHER
    if who in _SIBLING:
        return AFFECTED_SIBLING
    if who in _CHILD:
        return AFFECTED_CHILD
    return AFFECTED_RELATIVE
