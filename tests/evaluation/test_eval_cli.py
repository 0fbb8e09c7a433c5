"""`zebra queries generate` and `zebra eval`: exit codes, messages, the table — and the API's same numbers."""

import csv
import json
import re

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.main import create_app
from cli.main import app

from tests.conftest import HPO_SLICE
from tests.evaluation.helpers import wait

runner = CliRunner()


def _env(settings) -> dict[str, str]:
    return {"ZEBRA_DATA_DIR": str(settings.data_dir), "ZEBRA_DATABASE_URL": settings.sql_url,
            "ZEBRA_HPO_DIR": str(HPO_SLICE), "ZEBRA_MODEL_PATH": "", "COLUMNS": "200"}


def test_generate_then_eval_gives_the_apis_numbers(settings, tmp_path):
    env = _env(settings)
    queries, per_query = tmp_path / "sets" / "q.jsonl", tmp_path / "out" / "q.csv"
    r = runner.invoke(app, ["queries", "generate", "--n", "12", "--seed", "4", "--out", str(queries)], env=env)
    assert r.exit_code == 0, r.output
    assert f"wrote 12 queries to {queries} (HPO 2025-01-16, seed 4)" in " ".join(r.output.split())
    assert json.loads((tmp_path / "sets" / "q.meta.json").read_text())["seed"] == 4
    assert len(queries.read_text().splitlines()) == 12

    r = runner.invoke(app, ["eval", "--queries", str(queries), "--rankers", "lexical", "--out", str(per_query),
                            "--no-progress"], env=env)
    assert r.exit_code == 0, r.output
    assert "q.jsonl: 12 queries, HPO 2025-01-16" in r.output
    assert re.search(r"ranker\s+┃\s+MRR\s+┃\s+R@1\s+┃\s+R@10\s+┃\s+R@20\s+┃\s+n", r.output)
    row = re.search(r"lexical\s+│\s+([\d.]+) \(([\d.]+)–([\d.]+)\)\s+│.*│\s+12\s+│", r.output)
    assert row, r.output
    assert "No overlap table: it needs two rankers and only lexical ran." in r.output
    assert len(list(csv.DictReader(per_query.open()))) == 12

    with TestClient(create_app(settings)) as c:
        run = wait(c, c.post("/api/evaluations", files={"file": ("q.jsonl", queries.read_bytes())},
                             params={"rankers": "lexical"}).json()["id"])
        api_csv = c.get(run["links"]["queries_csv"]).text
    m = run["report"]["metrics"]["lexical"]
    assert row.groups() == (f"{m['mrr']:.3f}", f"{m['mrr_ci'][0]:.3f}", f"{m['mrr_ci'][1]:.3f}")
    assert api_csv.replace("\r\n", "\n") == per_query.read_text().replace("\r\n", "\n")  # the same per-query ranks


def test_eval_reports_unknown_gold(settings, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"query": "long fingers", "gold": ["OMIM:999999"]}) + "\n")
    r = runner.invoke(app, ["eval", "--queries", str(queries), "--no-progress"], env=_env(settings))
    assert r.exit_code == 0, r.output
    assert ("1 gold id(s) are not in the corpus (1 queries; 1 of them have no known gold id and count as misses). "
            "Examples: query 1: OMIM:999999") in " ".join(r.output.split())


def test_eval_errors_exit_1_with_one_line(settings, tmp_path):
    env = _env(settings)
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"query": "fever", "gold": ["OMIM:1"]}) + "\n{}\n")
    r = runner.invoke(app, ["eval", "--queries", str(queries)], env=env)
    assert r.exit_code == 1 and "q.jsonl: line 2: query is required; gold is required" in " ".join(r.output.split())
    queries.write_text(json.dumps({"query": "fever", "gold": ["OMIM:1"]}) + "\n")
    r = runner.invoke(app, ["eval", "--queries", str(queries), "--rankers", "lexical,neural"], env=env)
    assert r.exit_code == 1 and "ranker 'neural' is not available; choose one of lexical, ontology, fused" in r.output
    r = runner.invoke(app, ["eval", "--queries", str(queries)], env={**env, "ZEBRA_DATA_DIR": str(tmp_path / "empty"),
                                                                    "ZEBRA_DATABASE_URL": ""})
    assert r.exit_code == 1 and "holds no diseases; run `zebra build` first" in " ".join(r.output.split())
    r = runner.invoke(app, ["queries", "generate", "--n", "500", "--seed", "1", "--out", str(tmp_path / "x.jsonl")],
                      env=env)
    assert r.exit_code == 1 and "only 44 diseases have 3 or more findings" in " ".join(r.output.split())
    assert runner.invoke(app, ["queries", "generate", "--n", "0", "--seed", "1", "--out", "x"], env=env).exit_code == 2


def test_two_rankers_print_the_overlap_table_and_paired_test():
    from cli import evaluate as cli
    from evaluation.queryset import EvalQuery
    from evaluation.runner import GoldIndex, evaluate

    rankings = {"lexical": [["OMIM:1"], ["OMIM:2"], [], ["OMIM:9"]], "neural": [["OMIM:1"], [], ["OMIM:3"], []]}
    queries = [EvalQuery(query=str(i), gold=[f"OMIM:{i + 1}"]) for i in range(4)]
    index = GoldIndex.of({f"OMIM:{i}": [f"OMIM:{i}"] for i in range(1, 10)})
    _, report = evaluate(lambda q, r: rankings[r][int(q)], ["lexical", "neural"], index, queries)
    with cli.console.capture() as captured:
        cli.print_report(report, "hand")
    out = " ".join(captured.get().split())
    assert "Recall@20 overlap: lexical (A) vs neural (B)" in out
    for row in ("both right │ 0.250 │ 1", "only lexical │ 0.250 │ 1", "only neural │ 0.250 │ 1", "neither │ 0.250 │ 1"):
        assert row in out, out
    assert "Paired test, lexical − neural: ΔMRR = +0.000" in out and "exact McNemar on Recall@20 p = 1." in out
    assert "Per disease" not in out  # every query has a disease of its own: the per-query table says it all


def test_a_set_with_several_queries_per_disease_prints_the_per_disease_table():
    from cli import evaluate as cli
    from evaluation.queryset import EvalQuery
    from evaluation.runner import GoldIndex, evaluate

    # OMIM:1 has three queries (found at 1, 1, 1), OMIM:2 one (missed): per query MRR 0.75, per disease 0.5
    rankings = {"lexical": [["OMIM:1"], ["OMIM:1"], ["OMIM:1"], ["OMIM:9"]]}
    queries = [EvalQuery(query=str(i), gold=[g]) for i, g in enumerate(["OMIM:1"] * 3 + ["OMIM:2"])]
    index = GoldIndex.of({f"OMIM:{i}": [f"OMIM:{i}"] for i in range(1, 10)})
    _, report = evaluate(lambda q, r: rankings[r][int(q)], ["lexical"], index, queries)
    assert report.summaries["lexical"].mrr == 0.75 and report.per_disease["lexical"].mrr == 0.5
    assert report.to_dict()["per_disease"]["lexical"]["diseases"] == 2
    with cli.console.capture() as captured:
        cli.print_report(report, "hand")
    out = " ".join(captured.get().split())
    assert "Per disease: the 2 diseases (queries grouped by their gold ids) weigh the same" in out
    assert re.search(r"lexical │ 0\.500 \([\d.]+–[\d.]+\) │ 0\.500 \([\d.]+–[\d.]+\) │ 2 │", out), out
