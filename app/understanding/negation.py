"""Negation and exclusion: which recognised findings a text rules out (NegEx-style cues and scope).

Owns the cue lists and the scope rule: a cue before findings ("no", "without", "denies",
"absence of", "negative for", "free of" …) reaches to the end of its clause or comma-list
item, and over a whole comma list that ends in an "or"/"nor" item; a cue after findings
("absent", "ruled out" …) reaches back over the findings joined to it by "and"/"or".
Cue words inside a recognised finding ("Absent speech") are part of it, not cues.
"""

from __future__ import annotations

import re

from app.understanding.tokens import Token, fold, sentence_from

PRE = {tuple(c.split()) for c in [
    "no", "not", "without", "denies", "denied", "deny", "absence of", "negative for", "free of", "never",
    "neither", "nor", "no evidence of", "no sign of", "no signs of", "no history of", "not have", "does not have",
    "did not have", "do not have", "rules out", "ruled out", "rule out", "not any", "nothing suggesting",
    # contractions are split at the apostrophe: "doesn't" → "doesn t"
    "doesn t", "don t", "didn t", "isn t", "aren t", "wasn t", "weren t", "hasn t", "haven t", "hadn t",
    "doesn t have", "don t have", "didn t have", "never had",
    # "had" ends a cue's reach ("no fever, had seizures"), so the perfect tense with "any" is a cue of its own
    "hasn t had any", "haven t had any", "hadn t had any", "has not had any", "have not had any", "had not had any",
    # clinical shorthand: "w/o" (without) is read as "w", "/", "o"
    "w / o", "w / out", "neg for", "no reason to suspect", "no reason to think", "no reason to believe"]}
POST = {tuple(c.split()) for c in [
    "absent", "not present", "ruled out", "excluded", "denied", "negative", "not seen", "not observed",
    "not found", "not detected", "none", "not noted"]}
# a checklist's answer after its finding and a colon or question mark: "hypotonia: no", "seizures: none",
# "Hypotonia? No" (an answer only as a whole item: in "history: no seizures" the "no" is a cue before)
ANSWERS = frozenset({"no", "none", "nil", "absent", "negative", "neg"})
_ASKED = frozenset({":", "?"})
CUE_WORDS = frozenset(w for cue in PRE | POST for w in cue)  # the words of the cues, e.g. "no", "without"
PSEUDO = {tuple(c.split()) for c in [
    "with or without", "no change", "not only", "no increase", "no longer", "not certain", "without difficulty",
    "no further", "not necessarily", "gram negative", "not ruled out", "cannot be ruled out", "not excluded",
    "no doubt", "cannot rule out", "can t rule out", "could not rule out", "couldn t rule out", "unable to rule out",
    "no improvement", "not improved", "no better",
    # "laughs for no reason and flaps her hands": no cause, not no finding
    "no reason", "no apparent reason", "no obvious reason", "no known reason", "no cause", "no obvious cause",
    "no apparent cause", "no known cause", "no trigger", "no obvious trigger", "no apparent trigger"]}
TERMINATORS = frozenset(
    "but however although though yet except apart aside whereas while with which who has have had presenting "
    "presents presented shows showed reports reported exhibits developed plus besides than gets got appeared "
    "appears began started "
    # a new subject starts a new clause: "isn't talking in sentences and he flaps his hands"
    "he she they we".split())
# "and" or "but" then another owner starts a new clause: "no wet diapers for a day and his feet are swollen"
_NEW_OWNER = frozenset({"his", "her", "their", "my", "our"})
LIST_OR = frozenset({"or", "nor"})
# Cues that announce a list: their scope also runs over a comma list that ends in an "and" item
# ("negative for fever, rash and joint pain"). After a bare "no" it does not: in "no seizures,
# long fingers and lens dislocation" the later items are findings.
LIST_CUES = {tuple(c.split()) for c in [
    "without", "denies", "denied", "negative for", "neg for", "free of", "no evidence of", "no signs of",
    "no history of", "absence of"]}
# after a review of systems' cue, a comma list also runs to its clause's end without any "and" or "or" ("neg for
# fever, rash, arthralgia", "denies fever, rash, arthralgia"); a word that starts a new clause still ends it. Not
# after "without" or "absence of" ("absence of body fat, hepatomegaly, acanthosis nigricans": a finding, then others)
REVIEW_CUES = {tuple(c.split()) for c in ["denies", "denied", "deny", "negative for", "neg for"]}
_CLAUSE_END = "<clause end>"
_COPULA = frozenset({"is", "was", "were", "are", "be", "been", "being", "all", "both"})
_PERFECT = {c for c in PRE if c[-2:] == ("had", "any")}
# what makes "has not had any X" a time without X, not a life without it
_SINCE = re.compile(r"\b(?:since|anymore|lately|recently|(?:for|in)\s+(?:the\s+)?(?:a|an|\d+|two|three|four|five|six"
                    r"|several|many|last|past)\b)")
_MAX_CUE = max(len(c) for c in PRE | POST | PSEUDO)


def find_cues(tokens: list[Token], spans: list[tuple[int, int]]) -> list[str]:
    """The negation cue of each finding span (token index ranges, end exclusive), "" when none."""
    inside = {k: n for n, (a, b) in enumerate(spans) for k in range(a, b)}
    words = [fold(t.surface) for t in tokens]
    cues = [""] * len(spans)
    j = 0
    while j < len(tokens):
        if j in inside or tokens[j].is_boundary or tokens[j].is_comma:
            j += 1
            continue
        if _answer_at(tokens, words, inside, j):
            _mark_before(tokens, words, inside, spans, j - 1, cues, tokens[j].surface)
            j += 1
            continue
        kind, length = _cue_at(words, j, inside)
        if kind and tuple(words[j:j + length]) in _PERFECT and _SINCE.search(sentence_from(tokens, j)):
            kind = ""  # "has not had any seizures since surgery": seizures before, none lately
        if kind:
            cue = " ".join(t.surface for t in tokens[j:j + length])
            if kind in ("post", "both") and _mark_before(tokens, words, inside, spans, j, cues, cue):
                pass
            elif kind in ("pre", "both"):
                said = tuple(words[j:j + length])
                ends = LIST_OR | ({"and"} if said in LIST_CUES else set()) | (
                    {_CLAUSE_END} if said in REVIEW_CUES else set())
                _mark_after(tokens, words, inside, j + length, cues, cue, ends)
        j += max(length, 1)
    return cues


def _answer_at(tokens: list[Token], words: list[str], inside: dict[int, int], j: int) -> bool:
    """Is the word at `j` a checklist's "no" to the finding just before its colon or question mark ("hypotonia: no")?"""
    return (words[j] in ANSWERS and j >= 2 and tokens[j - 1].surface in _ASKED and j - 2 in inside
            and (j + 1 == len(tokens) or tokens[j + 1].is_comma or tokens[j + 1].is_boundary))


def _cue_at(words: list[str], j: int, inside: dict[int, int]) -> tuple[str, int]:
    for n in range(_MAX_CUE, 0, -1):
        phrase = tuple(words[j:j + n])
        if len(phrase) < n or any(k in inside for k in range(j, j + n)):
            continue
        if phrase in PSEUDO:
            return "pseudo", n
        pre, post = phrase in PRE, phrase in POST
        if pre or post:
            return ("both" if pre and post else "pre" if pre else "post"), n
    return "", 1


def _mark_after(tokens: list[Token], words: list[str], inside: dict[int, int], j: int,
                cues: list[str], cue: str, ends: set[str]) -> None:
    while j < len(tokens):
        t = tokens[j]
        if j in inside:
            n = inside[j]
            cues[n] = cues[n] or cue
            while j in inside and inside[j] == n:
                j += 1
            continue
        if (t.is_boundary or words[j] in TERMINATORS or (t.is_comma and not _list_ahead(tokens, words, inside, j, ends))
                or (words[j] in ("and", "but") and j + 1 < len(words) and words[j + 1] in _NEW_OWNER)):
            return
        j += 1


def _list_ahead(tokens: list[Token], words: list[str], inside: dict[int, int], j: int, ends: set[str]) -> bool:
    """Does the comma list at `j` end, within its clause, in an item joined by one of `ends` ("no A, B or C"), or
    run to the clause's end where `ends` allows it ("denies A, B, C")?"""
    for k in range(j + 1, len(tokens)):
        if k in inside:
            continue
        if words[k] in TERMINATORS:
            return False
        if tokens[k].is_boundary:
            return _CLAUSE_END in ends
        if words[k] in ends:
            return True
    return _CLAUSE_END in ends


def _mark_before(tokens: list[Token], words: list[str], inside: dict[int, int], spans: list[tuple[int, int]],
                 j: int, cues: list[str], cue: str) -> bool:
    """Mark the findings just before a trailing cue ("seizures and ataxia absent"); False if none."""
    k, marked = j - 1, False
    while k >= 0:
        if k in inside:
            n = inside[k]
            cues[n] = cues[n] or cue
            marked = True
            k = spans[n][0] - 1
        elif words[k] in _COPULA or (marked and words[k] in ("and", "or", "nor")):
            k -= 1
        else:
            break
    return marked
