"""Findings a text names without stating them of the patient: a risk ("at risk of hearing loss"), what a test, a
watch, a plan or a treatment is for ("screen for scoliosis", "ultrasounds every 3 months to check for Wilms tumor",
"HIDA pending to rule out biliary atresia", "awaiting MODY panel", "consider PFAPA", "aspirin to prevent stroke") —
ConText's hypothetical, beside negation and the experiencer.

Owns the cues and their scope: from the cue to the end of its clause (a comma, "but", or the sentence's end). Not a
cue: a hedge ("possible autism", "? seizures"), which names a finding the writer suspects, and "if" ("if he goes
without food his blood sugar drops" states a finding under a condition). Knows nothing of findings; the recognizer
drops those whose words fall in a scope.
"""

from __future__ import annotations

import re
from functools import lru_cache

# not a cue: testing, evaluation, a work-up or a look "for" a finding ("genetic testing for her hypotonia", "looking for
# the cause of his seizures": for its cause)
_CUE = re.compile(r"\b(?:(?:at\s+(?:high\s+|increased\s+|higher\s+)?)?risk\s+(?:of|for)"
                  r"|(?:screen(?:ed|ing)?(?:\s+\w+)?|monitor(?:ed|ing)?|watch(?:ed|ing)?|surveillance"
                  r"|look(?:ed|ing)?\s+out|check(?:ed|ing)?)\s+for|in\s+case\s+of|prophylaxis\s+(?:of|for|against)"
                  r"|to\s+(?:prevent|rule\s+out|exclude)|awaiting|pending|consider(?:ing)?|planned|plan\s*:)\b", re.I)
_CUE_WORDS = ("risk", "screen", "monitor", "watch", "surveillance", "look", "case", "prophylaxis", "prevent", "check",
              "rule out", "exclude", "awaiting", "pending", "consider", "plan")
_CLAUSE_END = re.compile(r"[,;!?\n]|(?<!\bvs)\.|\b(?:but|however|although|whereas)\b", re.I)  # "A vs. B": one clause


@lru_cache(maxsize=32)
def hypothetical_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of `text` that name findings as a risk, a condition or a test's target."""
    spans: list[tuple[int, int]] = []
    lower = text.lower()
    if not any(w in lower for w in _CUE_WORDS):
        return ()  # most texts hold no cue: the pattern is not tried
    for m in _CUE.finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue
        stop = _CLAUSE_END.search(text, m.end())
        spans.append((m.start(), stop.start() if stop else len(text)))
    return tuple(spans)
