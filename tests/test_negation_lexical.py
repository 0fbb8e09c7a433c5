"""A finding written as absent ("no seizures") is never matched by word: it neither moves the lexical
ranking nor is highlighted in a snippet; the ontology ranker still weighs it as excluded."""

from __future__ import annotations

from tests.conftest import MARFAN_QUERY


def _search(client, q: str, **params) -> dict:
    r = client.get("/api/search", params={"q": q, "k": 20, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_excluded_finding_does_not_move_the_lexical_ranking(client):
    alone = _search(client, "seizures", ranker="lexical")
    assert alone["total"] > 0  # the word matches articles of this corpus when it is a finding
    negated = _search(client, f"{MARFAN_QUERY}, no seizures", ranker="lexical")
    assert [f["hpo_id"] for f in negated["findings"] if f["status"] == "excluded"] == ["HP:0001250"]
    plain = _search(client, MARFAN_QUERY, ranker="lexical")
    assert [r["disease_id"] for r in negated["results"]] == [r["disease_id"] for r in plain["results"]]
    assert [r["score"] for r in negated["results"]] == [r["score"] for r in plain["results"]]


def test_excluded_finding_is_never_highlighted(client):
    answer = _search(client, f"{MARFAN_QUERY}, no seizures")
    snippets = [a["snippet"] or "" for r in answer["results"] for a in r["articles"]]
    assert any("<b>" in s for s in snippets)
    assert not any("<b>seizure" in s.lower() for s in snippets)
