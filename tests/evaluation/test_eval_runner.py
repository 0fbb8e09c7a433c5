"""The runner: ranks, unknown gold, the report and the CSV — on hand rankings and on the real lexical ranker."""

import csv

import pytest

from app.loading import load_service
from evaluation.queryset import EvalQuery
from evaluation.runner import GoldIndex, build_report, check_gold, evaluate, write_csv
from indexer.store import make_engine

from tests.conftest import MARFAN_QUERY

INDEX = GoldIndex.of({"OMIM:154700": ["OMIM:154700", "ORPHA:558"], "OMIM:1": ["OMIM:1"], "OMIM:2": ["OMIM:2"]})
RANKINGS = {  # ranker → query → disease ids, best first
    "a": {"q1": ["OMIM:154700", "OMIM:1"], "q2": ["OMIM:1", "OMIM:2"], "q3": ["OMIM:2"]},
    "b": {"q1": ["OMIM:1", "OMIM:154700"], "q2": ["OMIM:2"], "q3": []},
}
QUERIES = [EvalQuery(query="q1", gold=["ORPHA:558"]), EvalQuery(query="q2", gold=["OMIM:2"]),
           EvalQuery(query="q3", gold=["OMIM:404", "OMIM:405"])]


def _rank(text: str, ranker: str) -> list[str]:
    return RANKINGS[ranker][text]


def test_evaluate_hand_rankings_two_rankers():
    ticks = []
    outcomes, report = evaluate(_rank, ["a", "b"], INDEX, QUERIES, k_max=5, progress=ticks.append)
    assert [o.ranks for o in outcomes] == [{"a": 1, "b": 2}, {"a": 2, "b": 1}, {"a": 0, "b": 0}]
    assert outcomes[0].top == {"a": ["OMIM:154700", "OMIM:1"], "b": ["OMIM:1", "OMIM:154700"]}
    assert ticks == [1, 1, 1]
    a, b = report.summaries["a"], report.summaries["b"]
    assert a.mrr == pytest.approx(0.5) and b.mrr == pytest.approx(0.5)
    assert a.recall[1] == pytest.approx(1 / 3) and a.curve == pytest.approx([1 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3])
    assert (report.overlap.both, report.overlap.only_a, report.overlap.only_b, report.overlap.neither) == (2, 0, 0, 1)
    assert report.paired.delta_mrr == 0.0
    d = report.to_dict()
    assert d["overlap"]["a"] == "a" and d["metrics"]["b"]["recall"]["1"] == pytest.approx(1 / 3)
    assert d["gold"] == {"unknown_ids": 2, "queries_with_unknown": 1, "queries_without_known": 1,
                         "examples": [{"index": 3, "id": "OMIM:404"}, {"index": 3, "id": "OMIM:405"}]}


def test_one_ranker_has_no_overlap():
    _, report = evaluate(_rank, ["a"], INDEX, QUERIES)
    assert report.overlap is None and report.to_dict()["overlap"] is None
    assert build_report(["a"], [], check_gold([], INDEX)).summaries["a"].n == 0


def test_unknown_gold_counts_and_examples():
    check = check_gold([["OMIM:1"], ["OMIM:1", "X:1"], ["X:1"], ["Y:2"]], INDEX)
    assert (check.unknown_ids, check.queries_with_unknown, check.queries_without_known) == (2, 3, 2)
    assert check.examples == [{"index": 2, "id": "X:1"}, {"index": 4, "id": "Y:2"}]


def test_csv_has_a_row_per_query(tmp_path):
    outcomes, _ = evaluate(_rank, ["a", "b"], INDEX, QUERIES)
    write_csv(tmp_path / "out" / "q.csv", ["a", "b"], QUERIES, outcomes)
    rows = list(csv.DictReader((tmp_path / "out" / "q.csv").open()))
    assert list(rows[0]) == ["index", "id", "query", "gold", "a_rank", "a_rr", "a_top5", "b_rank", "b_rr", "b_top5"]
    assert rows[0]["a_rank"] == "1" and rows[0]["b_rr"] == "0.500000" and rows[0]["gold"] == "ORPHA:558"
    assert rows[2]["a_rank"] == "" and rows[2]["a_rr"] == "0"  # not found


def test_real_lexical_ranker_finds_marfan(settings):
    service, _ = load_service(settings, make_engine(settings.sql_url))
    index = GoldIndex.of({d: [a.article_id for a in i.articles] for d, i in service.catalogue.diseases.items()})
    queries = [EvalQuery(query=MARFAN_QUERY, gold=["ORPHA:558"]), EvalQuery(query="zzzz qqqq", gold=["OMIM:154700"])]
    outcomes, report = evaluate(lambda q, r: [x.disease_id for x in service.rank(q, r)], service.rankers, index, queries)
    assert 1 <= outcomes[0].ranks["lexical"] <= 3 and outcomes[1].ranks["lexical"] == 0
    assert report.gold.unknown_ids == 0 and report.n == 2
