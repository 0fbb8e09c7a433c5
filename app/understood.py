"""How much of a query the search understood, for an honest answer on the page.

Owns splitting a query into phrases, finding the phrases that no recognised finding covers,
and the answer's confidence: `none` (no finding recognised and no word in any article: show
no ranking), `low` (words matched, no finding recognised) or `normal`; and the same honesty in
the API's answer (`honest`). It does not rank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.errors import BackendUnavailable
from app.rankers.base import Ranker
from app.rankers.ontology import Overrides
from app.schemas import FindingPublic, SearchResponse
from app.service import SearchService
from app.understanding.patient import about_the_patient

Confidence = Literal["none", "low", "normal"]
# Phrases end at punctuation, line breaks and the words that join findings ("… and …", "… with …").
_PHRASE_BREAK = re.compile(r"[,;.!?\n\r]+|\b(?:and|with|plus|also|but)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Understanding:
    confidence: Confidence
    not_understood: list[str] = field(default_factory=list)


def phrases(query: str) -> list[tuple[int, int]]:
    """Character spans of the query's phrases, trimmed, in order."""
    spans, start = [], 0
    for m in [*_PHRASE_BREAK.finditer(query), None]:
        end = m.start() if m else len(query)
        text = query[start:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            spans.append((start + lead, start + len(text.rstrip())))
        start = m.end() if m else end
    return spans


def not_understood(query: str, findings: Sequence[FindingPublic]) -> list[str]:
    """The phrases of `query` that no recognised finding covers (age and sex phrases left out)."""
    covered = [(f.start, f.end) for f in findings if f.start is not None and f.end is not None]
    out = []
    for start, end in phrases(query):
        if any(s < end and start < e for s, e in covered) or about_the_patient(query[start:end]):
            continue
        out.append(query[start:end])
    return out


def _words_match(lexical: Ranker | None, query: str, source: str | None) -> bool:
    """Whether any word of the query is found in an article; True when the index cannot say."""
    if lexical is None:
        return True
    try:
        return bool(lexical.rank(query, None, source, 1))
    except BackendUnavailable:
        return True


def understand(query: str, findings: Sequence[FindingPublic], lexical: Ranker | None,
               source: str | None = None) -> Understanding:
    """The confidence of the answer to `query` and the phrases it did not understand."""
    missed = not_understood(query, findings)
    if any(f.status != "family" for f in findings):  # a relative's findings alone say nothing of the patient
        return Understanding("normal", missed)
    return Understanding("low" if _words_match(lexical, query, source) else "none", missed)


def judge(service: SearchService, query: str, result: SearchResponse, source: str | None,
          fixes: Overrides) -> Understanding:
    """The answer's confidence and the phrases no finding covers (a finding the user chose to ignore
    was still understood, so coverage is judged without the overrides too)."""
    if service.phenotypes is None:  # query understanding is off: nothing is recognised by design
        return Understanding("normal")
    judged = understand(query, result.findings, service.lexical, source)
    if fixes.ignore or fixes.exclude:
        seen = [*result.findings, *service.analyze(query).findings]
        judged = Understanding(judged.confidence, not_understood(query, seen))
    return judged


def honest(result: SearchResponse, understanding: Understanding) -> SearchResponse:
    """The API's answer as the page gives it: with its confidence and the phrases not understood, and
    no ranking when nothing of the query was understood (a ranking of nonsense is no answer)."""
    update: dict = {"confidence": understanding.confidence, "not_understood": understanding.not_understood}
    if understanding.confidence == "none":
        update |= {"results": [], "total": 0, "ask_next": [], "genes": None if result.genes is None else []}
    return result.model_copy(update=update)
