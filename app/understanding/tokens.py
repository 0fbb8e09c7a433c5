"""Tokens of clinical free text and of HPO labels, normalised the same way on both sides.

Owns tokenisation with character offsets, folding (accents, case, UK/US spelling, a few
modifier words such as elevated → increased) and stemming (Snowball English, PyStemmer).
It knows nothing of HPO terms or negation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import Stemmer

# Words that carry no meaning for matching a finding; dropped on both sides.
STOPWORDS = frozenset(
    "a an the of in on at to for by from as is are was were be been being his her their its this "
    "that these those which s any some".split())
COMMA = ","  # commas and colons are kept: a label such as "Thin, sparse hair" needs them
CONJ = "&"  # and / or / with / slash: a match spans one only where its label has one ("Absent/small cerebrum")
_CONJ_WORDS = frozenset({"and", "or", "nor", "with", "&", "/"})
BOUNDARY = ".;!?\n"  # hard breaks: no match and no negation scope crosses them

# Modifier words written many ways for one meaning; folded before stemming on both sides.
CANONICAL = {
    **dict.fromkeys(["elevated", "raised", "high", "increase", "increased", "elevation", "elevations"], "increased"),
    **dict.fromkeys(["reduced", "decreased", "decrease", "low", "diminished", "reduction", "lowered"], "decreased"),
    **dict.fromkeys(["dilatation", "dilation", "dilated", "widening", "widened", "ectasia"], "dilatation"),
    **dict.fromkeys(["tumour", "tumours", "tumor", "tumors", "neoplasm", "neoplasms"], "neoplasm"),
    # plain words for size, swelling and recurrence ("big tongue" is "Large tongue", "repeated fractures"
    # "Recurrent fractures"); swollen and enlarged stay apart: the HPO tells "Joint swelling" from "Enlarged joints"
    **dict.fromkeys(["enlarged", "enlargement", "enlargements", "large", "larger", "big", "bigger", "huge", "massive",
                     "enormous"], "enlarged"),
    "tiny": "small",
    # clinical shorthand for a word ("tonic sz" is Tonic seizure, "resp insufficiency" Respiratory insufficiency)
    "sz": "seizure", "szs": "seizures", "resp": "respiratory",
    # ordinals as the release writes them ("short 4th metatarsals" is Short fourth metatarsal)
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
    # a colour's "-ish" is the colour ("bluish sclerae" are Blue sclerae, "yellowish eyes" yellow)
    "bluish": "blue", "yellowish": "yellow", "reddish": "red", "whitish": "white", "brownish": "brown",
    "greyish": "gray", "grayish": "gray", "purplish": "purple",
    **dict.fromkeys(["swollen", "swelling", "swellings", "swelled", "swell"], "swelling"),
    **dict.fromkeys(["recurrent", "recurring", "repeated", "repetitive", "frequent", "recurrently", "repeatedly",
                      "frequently"], "recurrent"),
    # plain words for difficulty and inability ("trouble swallowing" is "Difficulty swallowing", "problems
    # climbing stairs" "Difficulty climbing stairs", "unable to walk" and "cannot walk" "Inability to walk")
    **dict.fromkeys(["difficulty", "difficulties", "difficult", "trouble", "troubles", "problem", "problems",
                     "struggle", "struggles", "struggling"], "difficulty"),
    **dict.fromkeys(["inability", "unable", "cannot"], "inability"),
    # what a patient lost is a loss ("lost her speech" is "Loss of speech", "losing hair" "Hair loss")
    **dict.fromkeys(["lost", "losing", "loses"], "loss"),
    # an organ's noun and its adjective ("widening of the aorta" is "aortic dilatation"), plain words for the
    # belly; eye/ocular, nose/nasal, skin/cutaneous, teeth/tooth and brain/cerebral stay apart: folded, they
    # made terms the HPO tells apart share a key (Brain atrophy and Cerebral atrophy, Short nose and Aplasia/
    # Hypoplasia involving the nose)
    "aorta": "aortic", "kidney": "renal", "kidneys": "renal", "liver": "hepatic", "heart": "cardiac",
    "lung": "pulmonary", "lungs": "pulmonary", "spleen": "splenic",
    "abdomen": "abdominal", "belly": "abdominal", "tummy": "abdominal", "mouth": "oral", "chest": "thoracic",
    # what brings a finding on, before or after it ("Exercise-induced myalgia" is "muscle pain after exercise",
    # "Exertional dyspnea" "dyspnea on exertion")
    **dict.fromkeys(["exertion", "exertional", "exercise", "exercising", "exercises", "exertions"], "exercise"),
    **dict.fromkeys(["induced", "after", "during", "upon"], "induced"),
    # a finding whose stem is its organ's: "meningism" is no word for the meninges
    "meningism": "meningismus",
    # irregular plurals the stemmer leaves apart
    "feet": "foot", "calves": "calf",
}
# Word pairs that name one thing, whose first word keeps its own meaning: "low-density lipoprotein"
# is no decreased density (folded, it met "high-density" and "Decreased HDL" read as "Increased LDL").
FIXED_COMPOUNDS = frozenset({("low", "density"), ("high", "density")})
# Stems Snowball leaves apart that mean the same thing here.
STEM_FIX = {"len": "lens", "lense": "lens", "hypoton": "hypotonia", "atax": "ataxia", "dystroph": "dystrophi"}
UNSTEMMED = frozenset({"several"})  # words the stemmer would make another ("several" and "severe" are both "sever")
_UK_US = [(re.compile(p), r) for p, r in [
    (r"^oe(?=[a-z]{3})", "e"), (r"(?<=[a-z])ae(?=[a-z])", "e"), (r"(?<=[a-z])oe(?=[a-z]{2})", "e"),
    (r"(?<=[a-z]{3})our$", "or"), (r"(?<=[a-z]{2})([bt])re$", r"\1er"), (r"(?<=[a-z]{4})is(ed|ing|ation)$", r"iz\1"),
    (r"(?<=[a-z])yse$", "yze")]]
# An HPO id written in a text (HP:0001166, or HP_0001166 as in OBO PURLs): read as a finding by id,
# never as words.
HPO_ID = re.compile(r"(?<![\w:])HP[:_](\d{7})(?!\w)", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+")  # a word: letters and digits
ITEM_ENDS = r"(?=\s*(?:[,;.)\n]|$))"  # a lookahead: a list item ends here ("…, ", "…)", the text's end)
# a plus standing after a word at the end of a list item is a positive result ("Gowers +, calf hypertrophy"); one
# between words is "and" ("ribboning + caudate"), one joined to a word a name ("K+ 6.3")
_PLUS = rf"(?<=\s)\+{ITEM_ENDS}"
# shorthand written with a slash, read as the word it stands for ("b/l SNHL" is bilateral)
_SLASHED = {"b/l": "bilateral"}
_TOKEN = re.compile(rf"(?<![\w/])(?i:b/l)(?![\w/])|{WORD.pattern}|{_PLUS}|[,:&/]|[.;!?\n]")


@dataclass(frozen=True)
class Token:
    surface: str  # as written
    start: int  # character offsets into the text
    end: int
    norm: str  # normalised stem; "," for a comma or colon, the character itself for a boundary
    hyphen_before: bool = False  # joined to the previous word by a hyphen ("X-linked")
    stop: bool = False  # a stopword: skipped by matching, read by negation
    corrected: str = ""  # the vocabulary word a misspelt word was read as
    bracket_before: bool = False  # a bracket opens or closes between it and the previous word ("cholangitis (fever")

    @property
    def is_boundary(self) -> bool:
        return self.norm in BOUNDARY

    @property
    def is_comma(self) -> bool:
        return self.norm == COMMA

    @property
    def is_separator(self) -> bool:
        return self.norm in (COMMA, CONJ)


@lru_cache(maxsize=20_000)
def fold(word: str) -> str:
    """Lowercase ASCII with accents dropped ("Ménière" → "meniere"). Remembered for the most recent words
    (bounded: a query of long made-up words cannot grow it past a few tens of MB): recognising one query
    folds its words a few hundred times."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def normalise(word: str, canonical: bool = True) -> str:
    """The matching key of one word: folded, spelling-unified, canonical modifier (unless told not), stemmed."""
    w = fold(word)
    for pattern, repl in _UK_US:
        w = pattern.sub(repl, w)
    w = CANONICAL.get(w, w) if canonical else w
    if w.endswith("itis"):  # Snowball strips "itis": "thyroiditis" would be "thyroid", "hepatitis" "hepatic" (liver)
        return w[:-1]
    if w in UNSTEMMED:
        return w
    stem = _stemmer().stemWord(w) if w.isalpha() else w
    stem = stem[:-2] + "bil" if stem.endswith("bl") else stem  # "hypermobility" and "hypermobile" alike
    return STEM_FIX.get(stem, stem)


# clinical shorthand for a test's result, whose sign the tokens would drop: "-ve for seizures", "Gowers +ve"
_SIGNED = {"-": "negative", "+": "positive"}


def tokenize(text: str) -> list[Token]:
    """Words, commas/colons and boundaries of `text`, with offsets; other punctuation is dropped ("-ve", "+ve" and a
    "+" closing a list item are read as the words they stand for)."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        s = m.group()
        if fold(s) == "ve" and m.start() and text[m.start() - 1] in _SIGNED:
            s = _SIGNED[text[m.start() - 1]]
        elif s == "+":
            s = _SIGNED[s]
        if s in ",:":
            norm = COMMA
        elif fold(s) in _CONJ_WORDS:
            norm = CONJ
        elif s in BOUNDARY:
            norm = s
        else:
            norm = normalise(_SLASHED.get(fold(s), s))
        hyphen = bool(out) and not out[-1].is_boundary and text[out[-1].end:m.start()] == "-"
        # "A" inside a phrase is a name ("hemoglobin A", "vitamin A"), not the article
        stop = fold(s) in STOPWORDS and not (s == "A" and out and not out[-1].is_boundary)
        bracket = bool(out) and any(c in "()[]" for c in text[out[-1].end:m.start()])
        out.append(Token(s, m.start(), m.end(), norm, hyphen, stop, bracket_before=bracket))
    for i in range(len(out) - 1):
        if (fold(out[i].surface), fold(out[i + 1].surface)) in FIXED_COMPOUNDS:
            out[i] = replace(out[i], norm=normalise(out[i].surface, canonical=False))
    return out


def content(tokens: list[Token]) -> list[Token]:
    """The tokens that take part in matching: stopwords dropped, separators and boundaries kept."""
    out: list[Token] = []
    for t in tokens:
        if not t.stop and not (t.norm == CONJ and out and out[-1].norm == CONJ):
            out.append(t)
    return out


def sentence_from(tokens: list[Token], start: int) -> str:
    """The folded words from `start` to the end of their sentence, space-separated."""
    words = []
    for t in tokens[start:]:
        if t.is_boundary:
            break
        words.append(fold(t.surface))
    return " ".join(words)


def phrase_key(norms: list[str]) -> tuple[str, ...]:
    """The key under which word order does not count: stems sorted within each comma-separated part."""
    if COMMA not in norms:  # one part (most windows)
        return tuple(sorted(norms))
    key: list[str] = []
    part: list[str] = []
    for n in norms + [COMMA]:
        if n == COMMA:
            key += sorted(part) + [COMMA]
            part = []
        else:
            part.append(n)
    return tuple(key[:-1])
