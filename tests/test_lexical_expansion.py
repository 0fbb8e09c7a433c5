"""A finding recognised in plain words is also matched by word under the names the HPO release gives
it (its label and first synonym): "spider fingers" finds the articles that say "Arachnodactyly"."""

from __future__ import annotations

from app.rankers.base import Findings, lexical_text


def _lexical(client, q: str) -> dict:
    r = client.get("/api/search", params={"q": q, "k": 20, "ranker": "lexical"})
    assert r.status_code == 200, r.text
    return r.json()


def test_lexical_text_names_the_observed_findings_only():
    findings = Findings(observed=("HP:0001166",), excluded=("HP:0001250",), rewrites=((30, 41, ""),),
                        expansion=("Arachnodactyly", "Long slender fingers"))
    text = lexical_text("spider fingers, tall stature, no seizures", findings)
    assert "Arachnodactyly" in text and "Long slender fingers" in text
    assert "seizures" not in text


def test_a_plain_word_finding_matches_the_articles_naming_it_by_label(client):
    answer = _lexical(client, "spider fingers")
    assert [f["hpo_id"] for f in answer["findings"]] == ["HP:0001166"]
    top = answer["results"][0]
    assert any("<b>arachnodactyly</b>" in (a["snippet"] or "").lower() for a in top["articles"])
    snippets = [a["snippet"] or "" for r in answer["results"] for a in r["articles"]]
    assert any("<b>arachnodactyly</b>" in s.lower() for s in snippets)


def test_the_expansion_follows_the_users_corrections(client):
    ignored = client.get("/api/search", params={"q": "spider fingers", "k": 20, "ranker": "lexical",
                                                "ignore": "HP:0001166"}).json()
    snippets = [a["snippet"] or "" for r in ignored["results"] for a in r["articles"]]
    assert not any("<b>arachnodactyly</b>" in s.lower() for s in snippets)
