"""Whose findings a text states: a relative's ("father had an MI at 42", "family history of sudden death",
"my sister has had stones too") are not the patient's (the experiencer of ConText, beside NegEx's negation).

Owns the relative and family-history cues and their scope: from the cue to the end of its sentence (a plural
possessive's result, "parents' lipids nl, splenomegaly", to the end of its list item). Not a cue:
a relative who observes or reports ("mother noticed he stopped walking"), a possessive ("mother's pregnancy
was complicated by polyhydramnios", a finding of the child's disease), parents the patient is a child of
("son of consanguineous parents, with seizures") or named for their kinship or origin ("consanguineous parents,
poor feeding", "parents are first cousins", "Ashkenazi Jewish parents, massive hepatosplenomegaly"), and son or
daughter (in a parent's words, the patient; "his son", the patient's child, is a relative).
Knows nothing of findings; the recognizer marks those whose words fall in a scope as family history.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RELATIVES = (r"father|mother|dad|daddy|mum|mom|mummy|mommy|brothers?|sisters?|siblings?|sibs?|parents?|aunts?|uncles?"
              r"|cousins?|grandfathers?|grandmothers?|grandparents?|grandpa|grandma|relatives|half[- ]brothers?"
              r"|half[- ]sisters?|nephews?|nieces?|husband|wife|partner|spouse")  # a parent's husband or wife: no
# patient's finding; a relative's child: "my sister's son has autism"
_RELATIVES_CHILD = r"(?:sons?|daughters?|child|children|kids?|boys?|girls?|baby|babies)"
# a verb of observing, right after the relative or one word on ("mother noticed", "parents first saw")
_OBSERVING = (r"notic\w*|notes?|noted|reports?|reported|says?|said|describ\w*|observ\w*|saw|sees|seen|worr\w*|thinks?"
              r"|thought|feels?|felt|brought|brings?|mention\w*|complain\w*|found|finds|first|took|takes|is worried"
              r"|are worried|were worried|asks?|asked|wonders?|wondered")
# what plural relatives say rather than have ("parents' concerns: speech delay, hand flapping")
_REPORTING = r"concerns?|reports?|worr(?:y|ies)|observations?|descriptions?|account|words|view"
# not a relative's findings: a possessive, a relative who observes ("mother noticed", "his mother, who is a nurse,
# noticed") or one who reports with the writer ("his dad and I are worried because he falls")
_RELATIVE = re.compile(rf"(?<![\w'’])(?:{_RELATIVES})(?:['’]s\s+{_RELATIVES_CHILD})?\b"
                       rf"(?!['’]s\b|['’]\s+(?:main\s+)?(?:{_REPORTING})\b|\s+(?:\w+\s+)?(?:{_OBSERVING})\b"
                       rf"|\s*,\s*who\b[^,.;]{{0,40}},\s*(?:\w+\s+)?(?:{_OBSERVING})\b|\s+and\s+(?:I|me|we|myself)\b)",
                       re.I)
# the patient and a relative together ("pt and his brother both have ptosis"): the findings are the patient's too
_WITH_PATIENT = re.compile(r"\b(?:pt|patient|proband|he|she|I|child|boy|girl)\s+(?:and|&)\s+"
                           r"(?:(?:his|her|my|the)\s+)?$", re.I)
# "son of consanguineous parents": the patient's parents (not "none of her siblings", "one of his brothers")
_CHILD_OF = re.compile(r"\b(?:sons?|daughters?|child|children|boys?|girls?|baby|infants?|twins?|products?|offspring"
                       r"|patients?|males?|females?|man|woman|proband)\s+(?:\w+\s+)?of\s+"
                       r"(?:(?:non-?consanguineous|first[- ]cousin|\w+)\s+){0,2}$", re.I)
_HISTORY = re.compile(r"\b(?:family history|family hx|FHx|FH\s*:|FHx?\s+of\b|positive family history"
                      # the patient's own child, in a clinician's words ("his 14 yo son has seizures"); "my son" is
                      # a parent's words about the patient
                      r"|(?:his|her|their)\s+(?:\d+[- ]?(?:yo|y/o|years?[- ]old|yr[- ]old)\s+)?(?:grand)?(?:sons?"
                      rf"|daughters?|children|child|kids?)\b(?!\s+(?:\w+\s+)?(?:{_OBSERVING})\b)"
                      # a grandchild opening a list item ("66M tremor, grandson has autism"); "my grandson has
                      # seizures", "Grandson has seizures": a grandparent's words about the patient
                      r"|(?:(?<=[,;.])|(?<=[,;.]\s))grand(?:sons?|daughters?|child(?:ren)?)\b"
                      r"(?=\s+(?:also\s+)?(?:has|had|have|with|is|was|are|were)\b))", re.I)
_SENTENCE_END = re.compile(r"[.;!?\n]")
_APOSTROPHES = "'’"  # after a plural relative ("parents'", "brothers'"): a possessive
_ITEM_END = re.compile(r"[,;.!?\n]")
_RESULT = re.compile(r"\b(?:normal|nl|wnl|unremarkable|negative|neg|fine|clear)\b", re.I)
# a relative said to have the same, then a finding ruled out: the patient's ("apical blebs, father had same, no lens
# dislocation"); what follows "father affected," or "sister similar," otherwise is often the relative's
_SAME_ITEM = re.compile(r"\s*(?:(?:has|had|have|is|was|were|are)\s+)?(?:also\s+)?(?:the\s+)?(?:same|similar(?:ly)?"
                        r"(?:\s+affected)?|too)(?:\s+(?:findings|features|picture|problems?|condition|disease"
                        r"|symptoms))?\s*(?=,\s*(?:no|not|without|normal|absent|negative|but|and\s+(?:no|not))\b)",
                        re.I)
# the patient named again after a relative's findings ends their scope: "FH of cardiomyopathy, patient with syncope",
# "his sister walked at 10 months but he walked at 2 years", "mother has epilepsy, he has ataxia"
_PATIENT = (r"(?:the\s+)?(?:patient|pt|proband|index\s+case|child|boy|girl|baby|infant|he|she|now|currently|him"
            r"|himself|herself|our|my)\b")
_PATIENT_AGAIN = re.compile(rf"(?:[,:]\s*(?:and\s+|but\s+)?|\b(?:but|whereas|while)\s+){_PATIENT}", re.I)
# a relative named after the findings: "stroke in father at 45", "deafness runs in the family", "no seizures in the
# family" (their scope: back to the start of the clause or list item)
_IN_RELATIVE = re.compile(rf"\b(?:runs\s+)?in\s+(?:(?:the|his|her|their|my|our|a|an|both|two|several|many)\s+)?"
                          rf"(?:(?:maternal|paternal)\s+)?(?:family|{_RELATIVES})\b"
                          rf"(?:\s+(?:and|&|or)\s+(?:(?:his|her|their|the|a|my|our)\s+)?(?:{_RELATIVES})\b)*"
                          r"(?=\s*(?:[,;.:!?)\n]|$)|\s+(?:at|since|aged?|with|too|also|as\s+well)\b"
                          rf"|\s+(?:and|or)\s+(?!{_PATIENT}))", re.I)  # "in father and the baby": the patient too
_ITEM_START = re.compile(r"[,;.:!?(\n]|\b(?:and|with|but|has|have|had)\b", re.I)


_COMPARED = re.compile(r"\b(?:than|vs\.?|versus|compared (?:to|with)|unlike|like)\s+(?:(?:his|her|their|my|our|the)\s+)?$",
                       re.I)  # "skin lighter than his parents"
# parents named for their kinship or health, not for a finding: "consanguineous parents, poor feeding …",
# "parents are first cousins", "healthy non-consanguineous parents"
_KINSHIP = (r"(?:non-?|not\s+)?consanguineous|(?:un)?related|(?:first|1st|second|2nd)[- ]cousins?|healthy|well"
            r"|unaffected|cousins")
# what the parents themselves have, after their kinship: "consanguineous parents, both with hearing loss", "both
# deaf"; not "with" alone: "son of consanguineous parents, with seizures"
_PARENTS_HAVE = re.compile(r"\s*(?:,|and)?\s*(?:both\b|(?:also\s+)?(?:have|has|had|carry|suffer\w*)\b)", re.I)
_KINSHIP_BEFORE = re.compile(rf"\b(?:{_KINSHIP})(?:\s*(?:,|and)?\s*(?:{_KINSHIP}))*\s+$", re.I)
_KINSHIP_AFTER = re.compile(rf"\s+(?:(?:are|were|is)\s+)?(?:{_KINSHIP})\b(?:\s+(?:cousins?|to each other))?", re.I)
# parents named for their origin ("Ashkenazi Jewish parents, massive hepatosplenomegaly", "parents from Turkey"):
# capitalised words just before, or "from"/"of" a capitalised place or people just after
_ORIGIN_BEFORE = re.compile(r"(?<=[\w,(] )(?!(?:Both|The|His|Her|My|Our|Their|Two|Healthy|Well|Affected)\b)"
                            r"(?:[A-Z][a-z]+[- ]){0,2}[A-Z][a-z]+\s+$")  # not a sentence's first word ("Deaf parents")
_ORIGIN_AFTER = re.compile(r"\s+(?:(?:are|were)\s+)?(?:both\s+)?(?:from|of)\s+[A-Z][a-z]+"
                           r"(?:\s+(?:origin|descent|ancestry))?")
_PARENTS = re.compile(r"\bparents\b", re.I)
# a relative opening a note's line ("Mother: …", "Brother w/ HCM …"), or a text naming the patient apart, is family
# history
_NOTE_LINE = re.compile(r"\s*(?::|w/|-\s)", re.I)
_NAMED_PATIENT = re.compile(r"\b(?:pt|patient|proband|index case)\b", re.I)
# "his mother …", "her brother …" at the start name the patient's relative, not the one the text is about
_OPENING = re.compile(rf"^\W*(?:(?:my|our|the)\s+)?(?P<who>{_RELATIVES})\b", re.I)


@lru_cache(maxsize=32)  # a query's recognition and its inheritance cues both ask
def relatives_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of `text` that state a relative's findings, each from its cue to its sentence's end. A text
    that opens on a relative is about that relative ("Dad gets pounding headaches"): they are the patient; one that
    opens on "his" or "her" relative ("His mother had fatty liver in pregnancy; hypoglycaemia") is about the patient."""
    spans: list[tuple[int, int]] = []
    opening = _OPENING.match(text)
    if opening and (_NOTE_LINE.match(text, opening.end()) or _NAMED_PATIENT.search(text)):
        opening = None  # a family line of a note ("Mother: easy bruising. Pt: …", "Brother w/ HCM; pt echo nl")
    patient = _kin(opening["who"]) if opening else None
    kinship = _kinship_spans(text)
    after = [(_item_start(text, m.start()), m.end()) for m in _IN_RELATIVE.finditer(text)]
    cues = [(m.start(), m.end(), m.group(0)) for m in [*_RELATIVE.finditer(text), *_HISTORY.finditer(text)]
            if not any(a <= m.start() < b for a, b in after)]
    cues += [(b, have, "parents") for _, b, have in kinship if have]  # "…, both with hearing loss": theirs
    for start, end, word in sorted(cues):
        if (spans and start < spans[-1][1]) or _kin(word) == patient or any(a <= start < b for a, b, _ in kinship):
            continue
        before = text[max(0, start - 40):start]
        if _CHILD_OF.search(before) or _COMPARED.search(before) or _WITH_PATIENT.search(before):
            continue
        stops = [m.start() for m in (_SENTENCE_END.search(text, end), _PATIENT_AGAIN.search(text, end)) if m]
        stops += [m.end() for m in (_SAME_ITEM.match(text, end),) if m]
        if text[end:end + 1] in _APOSTROPHES:  # "parents' lipids nl, splenomegaly": their result is one item
            item = _ITEM_END.search(text, end)
            if item and _RESULT.search(text, end, item.start()):
                stops.append(item.start())
        spans.append((start, min(stops, default=len(text))))
    # a trailing relative's clause, unless a scope opened before it covers it ("family history of seizures in father")
    spans += [(a, b) for a, b in after if a < b and not any(x < b and a < y for x, y in spans)]
    return tuple(sorted(spans))


_NONE_OF = re.compile(r"\b(?:none|neither)\s+of\s+(?:(?:his|her|their|my|our|the)\s+)?$", re.I)


def denied_relative(text: str, start: int) -> bool:
    """Does the relative's scope at `start` deny the relatives have its findings ("none of her siblings have
    seizures")? Like a relative's absent finding, that says nothing of the patient."""
    return bool(_NONE_OF.search(text, max(0, start - 30), start))


def _item_start(text: str, cue: int) -> int:
    """Where the clause or list item that ends at a trailing relative (`cue`) begins."""
    at = max((m.end() for m in _ITEM_START.finditer(text, 0, cue)), default=0)
    return at + len(text[at:cue]) - len(text[at:cue].lstrip())


def _kinship_spans(text: str) -> list[tuple[int, int, int]]:
    """Where the patient's parents are named for their kinship or health ("consanguineous parents", "parents are
    first cousins"): (start, end, where what they have is said, or 0). No relative's findings in the span itself."""
    out = []
    for m in _PARENTS.finditer(text):
        after = _KINSHIP_AFTER.match(text, m.end()) or _ORIGIN_AFTER.match(text, m.end())
        if (after or _KINSHIP_BEFORE.search(text, max(0, m.start() - 40), m.start())
                or _ORIGIN_BEFORE.search(text, max(0, m.start() - 40), m.start())):
            end = after.end() if after else m.end()
            have = _PARENTS_HAVE.match(text, end)
            out.append((m.start(), end, have.end() if have else 0))
    return out


def _kin(word: str) -> str:
    """A relative's word in one spelling: "Mum", "mom" and "mother" are one; plurals are their singular."""
    w = word.lower().replace(" ", "-").rstrip("s")
    return {"dad": "father", "daddy": "father", "mum": "mother", "mom": "mother", "mummy": "mother", "mommy": "mother",
            "grandpa": "grandfather", "grandma": "grandmother", "sib": "sibling"}.get(w, w)
