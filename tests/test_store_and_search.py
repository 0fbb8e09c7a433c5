import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.build import build
from indexer.lexical.base import Filters, query_terms
from indexer.lexical.tantivy_index import KEEP_PREVIOUS, TantivyIndex
from indexer.store import AnnotationRow, ArticleRow, DiseaseRow, make_engine, read_meta

from tests.conftest import HPO_SLICE, MARFAN_QUERY

HOSTILE = [
    '"unbalanced quote', "title:marfan", "(((", "a AND OR NOT b", "*", "~2", "fingers^10", "[1 TO 5}",
    "-", "+aorta -lens", "\\", "NOT", "{!lucene}fingers", "a:b:c", "?", "&&||!", "<script>alert(1)</script>",
    "۝ مرحبا", "\x00\x07 control", "long " * 400,
]


def _counts(engine):
    with Session(engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (ArticleRow, DiseaseRow, AnnotationRow))


def test_build_is_idempotent_and_records_release(settings):
    engine = make_engine(settings.sql_url)
    first = _counts(engine)
    report = build(engine, TantivyIndex(settings.tantivy_dir), HPO_SLICE)
    assert _counts(engine) == first
    assert (report.articles, report.merged_groups) == (53, first[0] - first[1])
    with Session(engine) as s:
        meta = read_meta(s)
        assert meta.data_release == "2025-01-16"
        assert meta.counts["articles"] == 53
    assert TantivyIndex(settings.tantivy_dir).count() == 53
    # after a switch the live version and the two before it stay (readers in other processes
    # may not have switched yet); older ones are removed
    for _ in range(3):
        build(engine, TantivyIndex(settings.tantivy_dir), HPO_SLICE)
    versions = list(settings.tantivy_dir.glob("v*"))
    assert len(versions) == 1 + KEEP_PREVIOUS == 3
    live = (settings.tantivy_dir / "CURRENT").read_text().strip()
    assert live == max(versions, key=lambda p: p.stat().st_mtime).name


def test_marfan_query_finds_marfan_articles(settings):
    index = TantivyIndex(settings.tantivy_dir)
    hits = index.search(MARFAN_QUERY, 10)
    top_diseases = list(dict.fromkeys(h.disease_id for h in hits))[:3]
    assert "OMIM:154700" in top_diseases
    marfan = [h for h in hits if h.disease_id == "OMIM:154700"]
    assert {h.article_id for h in marfan} == {"OMIM:154700", "ORPHA:558"}
    assert all(h.snippet == "" for h in hits)
    index.highlight(MARFAN_QUERY, marfan)
    assert all("<b>" in h.snippet for h in marfan)


def test_snippets_mark_the_words_highlighted_even_for_hits_another_query_found(settings):
    """Highlighting reuses the search's parsed query when the words are the same; hits that another
    query found are marked with the words asked for now, not those of their search."""
    index = TantivyIndex(settings.tantivy_dir)
    hits = [h for h in index.search(MARFAN_QUERY, 20) if h.disease_id == "OMIM:154700"]
    index.highlight("lens", hits)
    marked = {w.lower() for h in hits for w in re.findall(r"<b>(.*?)</b>", h.snippet)}
    assert marked and all(w.startswith("lens") for w in marked)
    filtered = index.search(MARFAN_QUERY, 20, Filters(source="ORPHA"))
    index.highlight(MARFAN_QUERY, filtered)  # the source filter is not part of what is marked
    assert filtered and all("<b>" in h.snippet for h in filtered if h.disease_id == "OMIM:154700")


def test_source_filter(settings):
    index = TantivyIndex(settings.tantivy_dir)
    hits = index.search(MARFAN_QUERY, 20, Filters(source="ORPHA"))
    assert hits and {h.source for h in hits} == {"ORPHA"}


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(settings, query):
    index = TantivyIndex(settings.tantivy_dir)
    hits = index.search(query, 10)
    index.highlight(query, hits)
    for h in hits:
        assert "<script>" not in h.snippet


def test_query_syntax_is_plain_text():
    assert query_terms('title:"Marfan" AND (aorta*)~2') == ["title", "marfan", "aorta", "2"]
    assert query_terms("((( ***") == []


def test_operator_words_are_searched_as_words(settings):
    index = TantivyIndex(settings.tantivy_dir)
    plain = [h.article_id for h in index.search("aorta lens", 10)]
    with_ops = [h.article_id for h in index.search('aorta AND "lens', 10)]
    assert plain[:3] == with_ops[:3]


def test_a_build_is_one_segment_and_two_builds_rank_alike(settings, tmp_path):
    """A fresh build writes one segment (searched faster than several, and the same articles always
    land in the same order), so building the same corpus again gives the same hits, ties included."""
    again = TantivyIndex(tmp_path / "index")
    build(make_engine(f"sqlite:///{tmp_path / 'zebra.db'}"), again, HPO_SLICE)
    index = TantivyIndex(settings.tantivy_dir)
    for live in (index, again):
        assert live._open().index.searcher().num_segments == 1
    for query in (MARFAN_QUERY, "seizures", "tall stature long fingers", "heart"):
        first = [(h.article_id, h.score) for h in index.search(query, 50)]
        assert first and first == [(h.article_id, h.score) for h in again.search(query, 50)]


def test_a_repeated_word_counts_once_per_repeat(settings):
    """A query that names its findings repeats words ("long fingers, …, Arachnodactyly, Long slender fingers");
    each repeat weighs as much as the word written again, as one boosted clause (fewer clauses to search). The
    index's own flat form of the query scores as tantivy's query parser reads the words over the weighted fields."""
    index = TantivyIndex(settings.tantivy_dir)
    live = index._open().index
    query = "long fingers fingers aortic dilatation fingers tall long"

    def plain(words: list[str]) -> list[tuple[str, float]]:
        parsed = live.parse_query(" ".join(words), list(index.weights), field_boosts=index.weights)
        hits = live.searcher().search(parsed, 20).hits
        return [(live.searcher().doc(a)["article_id"][0], s) for s, a in hits]

    expected = plain(query_terms(query))
    got = [(h.article_id, h.score) for h in index.search(query, 20)]
    assert len(got) == len(expected) > 3
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-5)
    assert {a for a, _ in got} == {a for a, _ in expected}
    assert [s for _, s in got] != pytest.approx([s for _, s in plain(list(dict.fromkeys(query_terms(query))))], rel=1e-3)
