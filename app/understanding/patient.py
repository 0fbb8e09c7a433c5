"""The patient a query describes: sex and age as clinicians and parents write them ("4 yo M", "34F",
"8 month old boy", "a 10-day-old girl", "adult woman").

Owns reading them from free text into what a GA4GH phenopacket's subject holds: sex MALE or FEMALE,
and the age as an ISO 8601 duration (P4Y, P8M, P2W, P10D), in digits or words ("a two-year-old"), after "aged"
or a leading "Age:". An age of an event ("since age 8", "onset at 12 years", "at 4 yo") or of a relative ("father is
35", "his 14 yo son") is not the patient's. A text that names both sexes, or two different ages of the patient,
gives none of that one (the query may describe relatives). No ranker uses them; the recognizer reads an adult's lab
values against an adult's limits (`is_adult`) and an infant's filtration rate apart (`is_under_two`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Literal

from app.understanding.tokens import WORD

Sex = Literal["MALE", "FEMALE"]

_UNIT = {"y": "Y", "m": "M", "w": "W", "d": "D"}
_WHO = r"(?=\s*(?:[MF]\b|(?i:boy|girl|male|female|man|woman|infant|baby|child)\b))"  # "4y boy", "8mo F"
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
         "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# A number as digits or in words ("a two-year-old", "thirty-four-year-old"), up to ninety-nine in words
_NUMBER = (r"(?P<n>\d{1,3}|(?i:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_ONES[:9]) + r"))?|"
           + "|".join(sorted(_ONES, key=len, reverse=True)) + r"))")  # "twenty one", "twenty-one"
# An age, not a duration ("fever for 3 days"): "old", the shorthand (yo, y/o, m/o) or the patient right after.
_AGE = re.compile(
    rf"(?<![\w.-]){_NUMBER}\s*+-?\s*+(?:"  # possessive: a number then 2,000 spaces is no longer quadratic
    rf"(?P<y>(?i:yo|y/o|y\.o\.|(?:y|yrs?|years?)[- ]old)|(?i:y|yrs?|years?){_WHO})"
    rf"|(?P<m>(?i:m/o|(?:mo|mos|months?)[- ]old)|(?i:mo|mos|months?){_WHO})"
    rf"|(?P<w>(?i:(?:wks?|weeks?)[- ]old)|(?i:wks?|weeks?){_WHO})"
    rf"|(?P<d>(?i:d/o|(?:d|days?)[- ]old)|(?i:days?){_WHO})"
    r")(?![\w/])")
# A clinical note's heading before the patient ("HPI: 34 M, …", "CC - 45 F with …"; HPI and CC also without their
# colon, "HPI 34 M with …", never a word that may number patients or cases, "Patient 2 F", "Pt 1 M", "Case 3 M")
# and what may follow a leading "34 M" ("with", "presents with", "c/o")
_HEADING = r"(?:(?i:HPI|CC|ID|Pt|Patient|Hx|History|Presentation|Case|Summary)\s*+[:\-]\s*+|(?i:HPI|CC)\s++)?"
_PRESENTS = r"(?i:with|w/|c/o|p/w|presents?|presenting|presented|complains?|complaining)\b"
# "34F", "14M": an age in years with the sex's capital letter, not a temperature ("temp 102F", "fever to 104F")
# (nor a catheter's size in French: "Foley 18F")
_AGE_SEX = re.compile(r"(?<![\w.°])(?<!(?i:temp) )(?<!(?i:emp:) )(?<!\bT )(?<!\bto )(?<!\bof )(?<!(?i:catheter) )"
                      r"(?<!(?i:foley) )(?<!(?i:tube) )(?<!(?i:size) )(?P<n>\d{1,3})(?P<sex>[MF])(?![\w/°])"
                      # or leading the text, after a note's heading if any: "34 M, …", "F, 22y: …", "M 45, …",
                      # "HPI: 34 M presents with …" (not "6 M history of cough": six months)
                      rf"|^\W*+{_HEADING}(?P<n2>\d{{1,3}})\s++(?P<sex2>[MF])"
                      rf"(?=\s*+[,:;]|\.(?!\w)|\s*+$|\s++{_PRESENTS})"
                      rf"|^\W*+{_HEADING}(?P<sex3>[MF])\s*+[,/]?\s*+(?P<n3>\d{{1,3}})(?:\s*+(?i:y|yo|yrs?|years?)\b)?"
                      rf"(?=\s*+[,:;]|\s++{_PRESENTS})")
# An age said without its unit by the one it is ("I'm 34 and …", "my daughter is almost 4 and …", "Our son is 5. He
# …"): years, unless a unit or a height follows ("I'm 34 weeks pregnant", "I'm 5'4", "my son is 3 months old" is
# read by `_AGE`)
_SAID_AGE = re.compile(r"\b(?:I'?m|I am|(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|boy|girl|child|kid|baby|dad|father|mum"
                       r"|mom|mother|husband|wife|partner|brother|sister)\s+is)\s+"
                       r"(?:(?:almost|nearly|about|around|just)\s+)?(?P<n>\d{1,3})(?![\d,/%'’\"-]|\.\d|\s*"
                       r"(?:weeks?|wks?|months?|mos?|days?|years?|yrs?|y|yo|kg|lbs?|cm|mm|ft|feet|foot|inches|kilos?"
                       r"|pounds?|stone|times?|hours?|hrs?|minutes?|am|pm|o'?clock|%|percent)\b)", re.I)
# "Age: 34", "aged 6 months", "a man aged 34", "Patient age 12y": years unless a unit follows; only leading the text or
# right after the patient, where it is the patient's age ("arterial dissection age 28", "brother died aged 30" are not)
_AGED = re.compile(r"\b(?i:aged?)\s*+:?\s*+(?P<n>\d{1,3})(?:\s*+(?:(?P<y>(?i:y|yrs?|years?))"
                   r"|(?P<m>(?i:mo|mos|months?))|(?P<w>(?i:wks?|weeks?))|(?P<d>(?i:d|days?))))?(?![\w/.,]\d|[\w/%])")
_AGED_AFTER = re.compile(r"(?:^\W*|\b(?:patient|pt|man|woman|boy|girl|male|female|gentleman|lady|child|infant|baby"
                         r"|son|daughter|now|currently|presently|is)\b,?\s*)$", re.I)
# Before an age, what makes it the age of an event, not the patient's now ("since age 8", "onset at 12 years",
# "at 4 yo", "since he was about 2 months old", "by age 2", "seizures began at age 2")
_EVENT = re.compile(r"\b(?:since|(?<!\bnow )(?<!presented )(?<!presenting )(?<!presents )(?<!seen )(?<!referred )"
                    r"(?<!admitted )(?<!evaluated )(?<!assessed )(?<!today )at|by|from|until|till|before|after|onset"
                    r"|began|begun|started|starting|beginning|diagnosed|died|death|when)(?:\s*+:\s*+|\s++)"
                    r"(?:(?:he|she|they|it|I|we|you)\s+(?:was|were)\s+)?(?:the\s+)?"
                    r"(?:age[sd]?\s*+:?\s*+(?:of\s+)?)?(?:about|around|approximately|approx\.?|roughly|~)?\s*+$", re.I)
# A relative's age: a relative named just before it, not by the one who writes ("father is 35 years old",
# "sister 5 yo", "his 14 yo son"; "my mother is 70 and …" describes the patient)
_RELATIVES = (r"mother|father|mum|mom|dad|parents?|sisters?|brothers?|siblings?|aunts?|uncles?|grand\w+|cousins?"
              r"|wife|husband|partner|sons?|daughters?|nieces?|nephews?|twins?")
# a child ("son 5 yo with seizures" in a parent's note is the patient) is a relative only as someone's ("his son")
_CHILDREN = r"sons?|daughters?|twins?|grand(?:son|daughter|child)s?|child(?:ren)?"
_RELATIVE_BEFORE = re.compile(rf"(?:(?P<my>\b(?:my|our)\s+(?:\w+\s+)?)"
                              rf"|(?P<whose>\b(?:his|her|their|whose)\s+(?:\w+\s+)?))?"
                              rf"\b(?P<who>{_RELATIVES})\b(?:'s)?(?:\s+(?:is|was|aged?))?\s*+[,(:]?\s*+$", re.I)
_CHILD = re.compile(rf"(?:{_CHILDREN})$", re.I)
_RELATIVE_AFTER_BEFORE = re.compile(r"\b(?:his|her|their|whose)\s+$", re.I)
_RELATIVE_AFTER = re.compile(rf"^\s*(?:{_RELATIVES})\b", re.I)
_MALE = re.compile(r"\b(?:boys?|male|man|gentleman|son)\b", re.I)
_FEMALE = re.compile(r"\b(?:girls?|female|woman|lady|daughter)\b", re.I)
# "4 yo M", "adult F": the sex's capital letter after an age or "adult"
_PATIENT_SEX = re.compile(r"(?:\b(?:yo|y/o|old|adult|teen|teenage|infant|child)|\d\s*(?:y|yo|y/o|yrs?|mo|wks?))\s+(?P<sex>[MF])\b")


@dataclass(frozen=True)
class Patient:
    sex: Sex | None = None
    age: str | None = None  # ISO 8601 duration

    def __bool__(self) -> bool:
        return bool(self.sex or self.age)


def read_patient(text: str) -> Patient:
    """The sex and age `text` states of its patient; None for what it does not state, or states twice apart. An age
    of an event ("since age 8", "onset at 12 years") or of a relative ("father is 35", "his 14 yo son") is not the
    patient's."""
    stated = _ages(text)
    ages = {age for _, age, _ in stated}
    sexes = {sex for _, _, sex in stated if sex}
    for m in _PATIENT_SEX.finditer(text):
        sexes.add("MALE" if m.group("sex") == "M" else "FEMALE")
    if _MALE.search(text):
        sexes.add("MALE")
    if _FEMALE.search(text):
        sexes.add("FEMALE")
    return Patient(sex=sexes.pop() if len(sexes) == 1 else None, age=ages.pop() if len(ages) == 1 else None)


def _ages(text: str) -> list[tuple[int, str, Sex | None]]:
    """Where `text` states its patient's age, the age as an ISO 8601 duration and the sex stated with it ("34F"), in
    the order written."""
    found: list[tuple[re.Match[str], str, Sex | None]] = []
    for m in _AGE_SEX.finditer(text):
        if sex := _leading_sex(m):
            found.append((m, f"P{int(m.group(_number_group(m)))}Y", sex))
    for m in itertools.chain(_AGE.finditer(text), (m for m in _AGED.finditer(text)
                                                   if _AGED_AFTER.search(text, max(0, m.start() - 20), m.start()))):
        unit = next((k for k in _UNIT if m.group(k)), "y")
        found.append((m, f"P{_number(m.group('n'))}{_UNIT[unit]}", None))
    for m in _SAID_AGE.finditer(text):
        if int(m.group("n")) <= 110:
            found.append((m, f"P{int(m.group('n'))}Y", None))
    return sorted((m.start(), age, sex) for m, age, sex in found if _the_patients(text, m))


def _leading_sex(m: re.Match[str]) -> Sex | None:
    """The sex of an age-and-sex match ("34F", "34 M, …"); None where it is no age ("fever 103F", in °F)."""
    n, sex = int(m.group(_number_group(m))), m.group("sex") or m.group("sex2") or m.group("sex3")
    if n > 110 or (sex == "F" and n >= 95):
        return None
    return "MALE" if sex == "M" else "FEMALE"


def _the_patients(text: str, m: re.Match[str]) -> bool:
    """Whether the age matched is the patient's now: not an event's, not a relative's."""
    at = m.start(_number_group(m))
    before = text[max(0, at - 40):at]
    if _EVENT.search(before):
        return False
    relative = _RELATIVE_BEFORE.search(before)
    if relative and not relative.group("my") and (relative.group("whose") or not _CHILD.match(relative.group("who"))):
        return False
    return not (_RELATIVE_AFTER_BEFORE.search(text[max(0, m.start() - 12):m.start()])
                and _RELATIVE_AFTER.match(text[m.end():m.end() + 20]))


def _number_group(m: re.Match[str]) -> str:
    """The group holding the number of an age's match: "n", or one of `_AGE_SEX`'s leading forms."""
    return next(g for g in ("n", "n2", "n3") if g in m.re.groupindex and m.group(g))


def _number(n: str) -> int:
    """ "34", "two", "thirty-four", "twenty one" as an int."""
    if n.isdigit():
        return int(n)
    tens, _, ones = re.sub(r"\s+", "-", n.lower()).partition("-")
    if tens in _TENS:
        return 10 * (_TENS.index(tens) + 2) + (_ONES.index(ones) + 1 if ones else 0)
    return _ONES.index(tens) + 1


# A child named as the patient: the one age stated may be a relative's ("boy, K 5.6; father 35 years old", "my son
# has ALP 600, I am 35 years old"; not a time of life: "splenectomy as a teenager", "infant-onset")
_A_CHILD = re.compile(r"(?<!\bas a )(?<!\bas an )\b(?:boys?|girls?|infants?|bab(?:y|ies)|toddlers?|newborns?"
                      r"|neonates?|NICU|preterm|[\w-]*weeker|teen(?:ager)?s?|adolescents?|school(?:boy|girl)s?"
                      r"|p(?:a|ae|e)diatric|grand(?:son|daughter)s?|(?:my|our)\s+(?:\w+\s+)?(?:sons?|daughters?"
                      r"|child(?:ren)?|kids?))\b(?![-\s]onset)", re.I)
# Before the age, a child ("daughter K 5.6, mother 35 yo"); just before it, a relative ("mother is 35")
_CHILD_FIRST = re.compile(r"(?<!\bas a )\b(?:child(?:ren)?|kids?|sons?|daughters?)\b(?![-\s]onset)", re.I)
_SOMEONE_ELSE = re.compile(r"\b(?:mother|father|mum|mom|dad|parents?|sister|brother|sibling|aunt|uncle|grand\w+"
                           r"|cousin|wife|husband|partner)\b[^.;,]{0,12}$", re.I)
# A pregnancy shifts an adult's reference intervals (ALP, white cells, haemoglobin, bicarbonate, heart rate)
_PREGNANT = re.compile(r"\b(?:pregnan\w*|trimester|gestation\w*|in labou?r|f(?:o?e)tal|antenatal|postpartum)\b"
                       r"|\b[1-4]\d/40\b", re.I)


def is_adult(text: str, patient: Patient | None = None) -> bool:
    """Whether `text` states its patient's age as 18 years or more, where an adult's reference intervals hold: the
    one age of the text (none with two), written near its start, as clinicians lead with the patient ("34F …",
    "a 19-year-old man …"), and no one else's; not where a child is named or a pregnancy. `patient`: what
    `read_patient(text)` gives, where the caller has it."""
    age = (patient if patient is not None else read_patient(text)).age
    if age is None or not age.endswith("Y") or int(age[1:-1]) < 18:
        return False
    near = _ages(text[:48])  # the same one age near the start
    if {a for _, a, _ in near} != {age}:
        return False
    before = text[:near[0][0]]
    return not (_CHILD_FIRST.search(before) or _SOMEONE_ELSE.search(before) or _A_CHILD.search(text)
                or _PREGNANT.search(text))


def is_under_two(text: str, patient: Patient | None = None) -> bool:
    """Whether `text` states its patient's one age as under two years ("2 mo boy", "6 wk old", "18 months old");
    `patient`: what `read_patient(text)` gives, where the caller has it."""
    age = (patient if patient is not None else read_patient(text)).age
    if age is None:
        return False
    n, unit = int(age[1:-1]), age[-1]
    return unit in "DW" or (unit == "M" and n < 24) or (unit == "Y" and n < 2)


# Words that say who the patient is and how old, not what they have ("4 yo M", "y/o", "a 6-month-old boy")
PATIENT_WORDS = frozenset(
    "a an the of old aged age year years yr yrs yo y month months mo week weeks wk wks day days d h hours "
    "boy girl man woman male female infant newborn neonate baby child toddler adult teen teenager adolescent "
    "patient he she his her son daughter presents presenting presented history m f o".split())


def about_the_patient(text: str) -> bool:
    """Whether `text` only says who the patient is and how old ("34 yo M", "a 6-month-old boy"): no finding."""
    words = [w.lower() for w in WORD.findall(text)]
    return all(w.isdigit() or w in PATIENT_WORDS or re.fullmatch(r"\d+[a-z]{1,6}", w) for w in words)
