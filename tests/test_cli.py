import json

from typer.testing import CliRunner

from cli.main import app

from tests.conftest import HPO_SLICE, MARFAN_QUERY

runner = CliRunner()


def _env(tmp_path):
    return {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}


def test_build_search_info_import(tmp_path):
    env = _env(tmp_path)
    r = runner.invoke(app, ["build", "--no-progress"], env=env)
    assert r.exit_code == 0, r.output
    assert "HPO data release 2025-01-16: 53 articles, 48 diseases, 5 merged groups" in " ".join(r.output.split())
    r = runner.invoke(app, ["build", "--if-missing"], env=env)
    assert r.exit_code == 0 and "already built" in r.output
    r = runner.invoke(app, ["search", MARFAN_QUERY, "-k", "3"], env=env)
    assert r.exit_code == 0 and "Marfan syndrome" in r.output and "OMIM:154700, ORPHA:558" in r.output
    r = runner.invoke(app, ["info"], env=env)
    assert r.exit_code == 0 and "2025-01-16" in r.output and "tantivy (53 documents)" in r.output
    assert "c2w2d.pt (c2w2d," in r.output and "HPO 2025-01-16" in r.output  # the checkpoint named
    r = runner.invoke(app, ["info"], env={**env, "ZEBRA_MODEL_PATH": ""})
    assert r.exit_code == 0 and "none (ZEBRA_MODEL_PATH is empty; no neural ranker)" in r.output
    r = runner.invoke(app, ["info"], env={**env, "ZEBRA_MODEL_PATH": str(tmp_path / "nope.pt")})
    assert r.exit_code == 0 and f"not loaded: no checkpoint at {tmp_path / 'nope.pt'}" in " ".join(r.output.split())
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"article_id": "X:1", "title": "T", "text": "words", "source": "X"}) + "\n")
    r = runner.invoke(app, ["import", str(good)], env=env)
    assert r.exit_code == 0 and "imported 1 articles" in r.output
    r = runner.invoke(app, ["info"], env=env)  # counts from the store and the index as they are now
    rows = {" ".join(line.strip("│ ").split("│")[0].split()): line for line in r.output.splitlines() if "│" in line}
    assert "54" in rows["articles"] and "1" in rows["imported articles"], r.output
    assert "tantivy (54 documents)" in r.output and "run `zebra build`" not in r.output


def test_errors_exit_non_zero_with_one_line(tmp_path):
    env = _env(tmp_path)
    r = runner.invoke(app, ["import", str(tmp_path / "missing.jsonl")], env=env)
    assert r.exit_code == 1
    assert "missing.jsonl does not exist or is not a file; nothing was imported" in " ".join(r.output.split())
    r = runner.invoke(app, ["search", "x" * 2001], env=env)
    assert r.exit_code == 1 and "the query has 2001 characters" in r.output
    assert runner.invoke(app, ["search", "fever", "-k", "0"], env=env).exit_code == 2
    r = runner.invoke(app, ["build"], env={**env, "ZEBRA_HPO_DIR": str(tmp_path)})
    assert r.exit_code == 1 and "hp.obo" in r.output
    r = runner.invoke(app, ["search", "fever"], env={**env, "ZEBRA_RECENT_SEARCHES": "5000"})
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "ZEBRA_RECENT_SEARCHES='5000': Input should be less than or equal to 1024" in " ".join(r.output.split())


def test_serve_with_two_workers_answers_from_both(tmp_path):
    """`zebra serve --workers 2` builds the app in each worker from the environment."""
    import os

    import httpx

    from tests.conftest import start_server

    env = {**os.environ, **_env(tmp_path), "ZEBRA_MODEL_PATH": "", "ZEBRA_FUSION_PATH": "", "ZEBRA_ONTOLOGY": "false"}
    assert runner.invoke(app, ["build", "--no-progress"], env=env).exit_code == 0
    server, base = start_server(env, "--workers", "2")
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            answers = [client.get("/api/search", params={"q": MARFAN_QUERY, "k": 3}) for _ in range(20)]
        assert all(r.status_code == 200 for r in answers)
        assert all("Marfan syndrome" in [x["name"] for x in r.json()["results"]] for r in answers)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert output.count("Application startup complete") == 2, output
