"""The app with a real small neural model, trained here on the fixture corpus."""

from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from models.checkpoint import save_checkpoint

from tests.conftest import HPO_SLICE, MARFAN_QUERY, make_settings


def _client(data_dir: Path, **overrides) -> TestClient:
    return TestClient(create_app(make_settings(data_dir, **overrides)))


def test_fused_search_carries_every_rankers_rank(trained):
    data_dir, model = trained
    with _client(data_dir, model_path=model) as c:
        body = c.get("/api/search", params={"q": MARFAN_QUERY, "k": 10}).json()
        assert body["ranker"] == "fused"
        top = body["results"][0]
        assert set(top["ranks"]) <= {"lexical", "neural", "ontology"} and top["ranks"]
        assert any(set(r["ranks"]) == {"lexical", "neural", "ontology"} for r in body["results"])
        assert any(set(r["scores"]) == {"lexical", "neural", "ontology"} for r in body["results"])
        for name in ("lexical", "neural", "ontology"):
            one = c.get("/api/search", params={"q": MARFAN_QUERY, "ranker": name}).json()
            assert one["ranker"] == name
            assert [r["ranks"] for r in one["results"]] == [{name: i} for i in range(1, len(one["results"]) + 1)]
        health = c.get("/health").json()
        assert health["model"]["loaded"] is True and health["model"]["arch"] == "c2w2d"


def test_neural_ranker_ranks_a_training_text_disease_first(trained):
    data_dir, model = trained
    with _client(data_dir, model_path=model) as c:
        q = "Arachnodactyly. Ectopia lentis. Aortic root aneurysm. Marfanoid habitus"
        body = c.get("/api/search", params={"q": q, "ranker": "neural", "k": 5}).json()
        assert "OMIM:154700" in [r["disease_id"] for r in body["results"][:3]]


def test_mismatched_checkpoint_is_refused_and_lexical_still_serves(trained, tmp_path):
    data_dir, model = trained
    from models.checkpoint import load_checkpoint

    ck = load_checkpoint(model)
    other = save_checkpoint(tmp_path / "old.pt", ck.model, ck.arch, ck.config, ck.vocab, ck.labels, "2024-04-26")
    with _client(data_dir, model_path=other) as c:
        health = c.get("/health").json()
        assert health["model"]["loaded"] is False
        assert ("checkpoint data release 2024-04-26 does not match corpus data release 2025-01-16"
                in health["model"]["detail"])
        body = c.get("/api/search", params={"q": MARFAN_QUERY}).json()
        assert body["results"] and all("neural" not in r["ranks"] for r in body["results"])
        page = c.get("/", params={"q": MARFAN_QUERY}).text
        assert "neural model not loaded" in page
    with _client(data_dir, model_path=tmp_path / "missing.pt") as c:
        assert "no checkpoint at" in c.get("/health").json()["model"]["detail"]


def test_tune_fusion_never_worse_than_best_single_ranker(trained, tmp_path):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    data_dir, model = trained
    dev = tmp_path / "dev.jsonl"
    dev.write_text("\n".join(json.dumps(q) for q in [
        {"query": MARFAN_QUERY, "gold": ["ORPHA:558"]},
        {"query": "salt wasting, low potassium, low magnesium", "gold": ["OMIM:263800"]},
        {"query": "chorea, dementia, personality change", "gold": ["OMIM:143100"]},
        {"query": "salty sweat, recurrent chest infections, failure to thrive", "gold": ["OMIM:219700"]},
    ]) + "\n")
    out = tmp_path / "fusion.json"
    env = {"ZEBRA_DATA_DIR": str(data_dir), "ZEBRA_HPO_DIR": str(HPO_SLICE), "ZEBRA_MODEL_PATH": str(model),
           "COLUMNS": "200"}
    tune = ["tune-fusion", "--queries", str(dev), "--out", str(out), "--no-progress"]
    # by default only the tuning half of diseases is tuned on (of these four, the cystic fibrosis query)
    r = CliRunner().invoke(app, tune, env=env)
    assert r.exit_code == 0, r.output
    assert "dev.jsonl: 1 of 4 queries tuned on" in r.output
    tuned = json.loads(out.read_text())
    assert tuned["tuned_on"] == {str(dev): 1} and tuned["held_out"] == ["data/queries/real-test.jsonl"]
    # a held-out set's diseases are never tuned on
    test = tmp_path / "test.jsonl"
    test.write_text(json.dumps({"query": "meconium ileus", "gold": ["OMIM:219700"]}) + "\n")
    r = CliRunner().invoke(app, [*tune, "--held-out", str(test)], env=env)
    assert r.exit_code == 1 and "no query is left to tune on: every one is of a held-out disease" in r.output

    again = tmp_path / "again" / "dev.jsonl"
    again.parent.mkdir()
    again.write_text(dev.read_text())
    r = CliRunner().invoke(app, [*tune, "--queries", str(again)], env=env)
    assert r.exit_code == 1 and "--queries names one file name twice" in " ".join(r.output.split())

    r = CliRunner().invoke(app, [*tune, "--no-split-half", "--held-out", str(test)], env=env)
    assert r.exit_code == 0, r.output
    assert "dev.jsonl: 3 of 4 queries tuned on" in r.output
    tuned = json.loads(out.read_text())
    assert tuned["rankers"] == ["lexical", "neural", "ontology"]
    assert tuned["dev_mrr"] >= max(tuned["single_dev_mrr"].values())
    assert tuned["dev_mrr_per_set"] == {"dev.jsonl": tuned["dev_mrr"]}
    with _client(data_dir, model_path=model, fusion_path=out) as c:
        assert c.get("/api/search", params={"q": MARFAN_QUERY}).json()["ranker"] == "fused"


def test_fusion_tuned_with_and_without_the_neural_ranker_compares_on_the_same_rankings(trained):
    """What `bench.bench_neural_fusion` reports: one ranking per ranker and query, two tunings (with
    and without the neural ranker), each applied to the same rankings."""
    from app.loading import load_service
    from app.tuning import articles_of, fused_ranks, rank_all, tune_runs
    from evaluation.metrics import first_correct_rank, mrr
    from evaluation.queryset import EvalQuery
    from indexer.store import make_engine

    data_dir, model = trained
    settings = make_settings(data_dir, model_path=model)
    service, _ = load_service(settings, make_engine(settings.sql_url))
    queries = [EvalQuery(query=MARFAN_QUERY, gold=["ORPHA:558"]),
               EvalQuery(query="salt wasting, low potassium, low magnesium", gold=["OMIM:263800"]),
               EvalQuery(query="chorea, dementia, personality change", gold=["OMIM:143100"])]
    golds, articles = [set(q.gold) for q in queries], articles_of(service)
    runs = rank_all(service, queries, ["lexical", "ontology", "neural"], progress=False)
    with_neural = tune_runs(runs, golds, articles, ["lexical", "ontology", "neural"], progress=False)
    without = tune_runs(runs, golds, articles, ["lexical", "ontology"], progress=False)
    assert "neural" not in without.config.weights and set(with_neural.config.weights) <= {"lexical", "ontology", "neural"}
    assert with_neural.dev_mrr >= without.dev_mrr  # a superset of weights can only do as well on its own set
    assert mrr(fused_ranks(without.config, runs, golds, articles)) == without.dev_mrr
    alone = fused_ranks(type(without.config)(method="rrf", weights={"neural": 1.0}), runs, golds, articles)
    assert alone == [first_correct_rank([d for d, _ in run["neural"]], g, articles) for run, g in zip(runs, golds)]


def test_model_page_plots_and_attention(trained):
    data_dir, model = trained
    with _client(data_dir, model_path=model) as c:
        page = c.get("/model", params={"q": "long fingers"}).text
        assert "c2w2d" in page and 'class="att att-' in page and "long" in page
        for kind in ("chars", "words"):
            r = c.get(f"/model/{kind}.png")
            assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"
        body = c.get("/api/attention", params={"q": "long fingers and a dislocated lens"}).json()
        assert [t["token"] for t in body["tokens"]] == ["long", "fingers", "and", "a", "dislocated", "lens"]
        assert abs(sum(t["weight"] for t in body["tokens"]) - 1) < 1e-4
        search = c.get("/", params={"q": MARFAN_QUERY}).text
        assert "Where the network looked" in search and "neural #" in search and "combined #1" in search
    with _client(data_dir) as c:
        r = c.get("/api/attention", params={"q": "x"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "model_not_loaded"


def test_the_network_does_not_read_the_findings_a_query_rules_out(trained):
    """It cannot read negation: "no seizures" would count as seizures. It reads the query without them, as the
    lexical ranker does; its attention shows what it read, and a query of excluded findings alone gets no ranking."""
    data_dir, model = trained
    with _client(data_dir, model_path=model) as c:
        q = "Arachnodactyly, ectopia lentis, no seizures"
        findings = c.get("/api/analyze", params={"q": q}).json()["findings"]
        assert [f["status"] for f in findings if f["name"] == "Seizure"] == ["excluded"]
        tokens = [t["token"] for t in c.get("/api/attention", params={"q": q}).json()["tokens"]]
        assert "arachnodactyly" in tokens and not any(t.startswith("seizure") for t in tokens)
        with_exclusion = c.get("/api/search", params={"q": q, "ranker": "neural", "k": 20}).json()["results"]
        without = c.get("/api/search", params={"q": "Arachnodactyly, ectopia lentis, no", "ranker": "neural",
                                               "k": 20}).json()["results"]
        assert [r["disease_id"] for r in with_exclusion] == [r["disease_id"] for r in without]
        alone = c.get("/api/search", params={"q": "no seizures", "ranker": "neural"}).json()
        assert alone["results"] == [] and alone["total"] == 0
        page = c.get("/", params={"q": q})
        assert page.status_code == 200 and "Where the network looked" in page.text
        assert "The network reads nothing of this query" in c.get("/model", params={"q": "no seizures"}).text
        assert "The network reads nothing" not in c.get("/model", params={"q": q}).text


def test_a_result_page_reads_its_query_once(trained, monkeypatch):
    """A result page ranks the query and shows where the network looked: one pass of the network and one
    reading of the findings serve both, and the page shows the attention `/api/attention` gives."""
    import models.predict
    from app.understanding import recognizer as recognizer_module

    data_dir, model = trained
    passes, readings = [], []  # of these two queries only: an evaluation the app resumed may run meanwhile
    ours = ("tall, long fingers, dislocated lens, no seizures", "short stature, hearing loss")
    network, reading = models.predict.score_windows, recognizer_module.Recognizer._recognize

    def counted(model, vocab, texts, *args, **kwargs):
        passes.extend(t for t in texts if t.startswith((ours[0][:20], ours[1][:13])))
        return network(model, vocab, texts, *args, **kwargs)

    monkeypatch.setattr(models.predict, "score_windows", counted)
    monkeypatch.setattr(recognizer_module.Recognizer, "_recognize",
                        lambda self, text: (text in ours and readings.append(text)) or reading(self, text))
    with _client(data_dir, model_path=model) as c:
        q = ours[0]
        page = c.get("/", params={"q": q}).text
        assert "Where the network looked" in page and "neural #" in page
        assert len(passes) == 1 and readings == [q]
        tokens = c.get("/api/attention", params={"q": q}).json()["tokens"]
        assert len(passes) == 1 and tokens and all(t["token"] in page for t in tokens)
        other = c.get("/", params={"q": ours[1]}).text
        assert "Where the network looked" in other and len(passes) == 2


def test_a_network_that_tells_two_articles_of_one_disease_apart_ranks_the_disease_once(trained, tmp_path):
    """A class may be an article the corpus groups with another into one disease (ORPHA:558 is Marfan syndrome,
    OMIM:154700): the disease is ranked once, with its best class's score; a class the corpus does not hold at
    all is still refused."""
    import torch

    from app.rankers.neural import NeuralRanker
    from models.checkpoint import load_checkpoint
    from models.predict import Predictor

    data_dir, model = trained
    ck = load_checkpoint(model)
    marfan = ck.labels.index("OMIM:154700")
    head = ck.model.head
    wider = torch.nn.Linear(head.in_features, head.out_features + 1)
    with torch.no_grad():
        wider.weight[:-1], wider.bias[:-1] = head.weight, head.bias
        wider.weight[-1], wider.bias[-1] = 1.5 * head.weight[marfan], head.bias[marfan] + 1.0  # the surer class
    ck.model.head = wider
    config = type(ck.config)(**{**vars(ck.config), "n_classes": len(ck.labels) + 1})
    split = save_checkpoint(tmp_path / "split.pt", ck.model, ck.arch, config, ck.vocab, [*ck.labels, "ORPHA:558"],
                            ck.data_release)
    q = "Arachnodactyly. Ectopia lentis. Aortic root aneurysm. Marfanoid habitus"
    scores = Predictor.load(split).scores(q)
    with _client(data_dir, model_path=split) as c:
        assert c.get("/health").json()["model"]["loaded"] is True
        results = c.get("/api/search", params={"q": q, "ranker": "neural", "k": 100}).json()["results"]
        ids = [r["disease_id"] for r in results]
        assert "ORPHA:558" not in ids and ids.count("OMIM:154700") == 1
    # before the phrases are matched to findings, a disease's score is its best class's log-probability
    alone = NeuralRanker(Predictor.load(split), diseases={"ORPHA:558": "OMIM:154700"}).rank(q, depth=100)
    shown = next(r.score for r in alone if r.disease_id == "OMIM:154700")
    assert abs(shown - max(scores[marfan], scores[-1])) < 1e-4 and scores[-1] > scores[marfan]
    assert [r.disease_id for r in alone].count("OMIM:154700") == 1
    unknown = save_checkpoint(tmp_path / "unknown.pt", ck.model, ck.arch, config, ck.vocab,
                              [*ck.labels, "ORPHA:999999"], ck.data_release)
    with _client(data_dir, model_path=unknown) as c:
        detail = c.get("/health").json()["model"]["detail"]
        assert "ranks 1 diseases the corpus does not hold (e.g. ORPHA:999999" in detail


def test_the_served_network_matches_the_querys_phrases_to_each_diseases_findings(trained):
    """A query written as findings of one disease (their labels, as published patients are written) ranks that
    disease first; the fingerprint a tuned fusion records says the phrases are matched."""
    from app.rankers.neural import finding_texts
    from indexer.store import make_engine

    data_dir, model = trained
    texts, annotations = finding_texts(make_engine(make_settings(data_dir).sql_url))
    owners: dict[str, set[str]] = {}
    for disease, findings in annotations.items():
        for f in findings:
            owners.setdefault(f, set()).add(disease)
    disease, own = next((d, [f for f in fs if owners[f] == {d}]) for d, fs in sorted(annotations.items())
                        if len([f for f in fs if owners[f] == {d}]) >= 3)
    q = ", ".join(texts[f][0] for f in own[:3])
    with _client(data_dir, model_path=model) as c:
        body = c.get("/api/search", params={"q": q, "ranker": "neural", "k": 5}).json()
        assert body["results"][0]["disease_id"] == disease
        ranker = next(r for r in c.app.state.live.service.ranker_objects if r.name == "neural")
        assert ranker.fingerprint().endswith("+phrases4") and ranker.findings.n_findings > 0


def test_what_an_excluded_finding_leaves_behind_is_not_matched(trained):
    """ "tall, absence of seizures": the network's phrases are "tall" only, and they score as "tall" alone."""
    from app.rankers.base import negation_free
    from models.phrases import phrases

    data_dir, model = trained
    with _client(data_dir, model_path=model) as c:
        rankers = {r.name: r for r in c.app.state.live.service.ranker_objects}
        ontology, neural = rankers["ontology"], rankers["neural"]
        for q in ("tall, absence of seizures", "tall, without seizures", "tall. Seizures: none",
                  "tall, no history of seizures"):
            recognition = ontology.recognize(q)
            text = negation_free(q, ontology.findings(recognition.mentions))
            assert phrases(text, neural.findings.empty_words) == ["tall"], q
            assert (neural.findings.scores(text) == neural.findings.scores("tall")).all(), q


def test_each_result_shows_the_phrases_the_network_matched_to_its_findings(trained):
    """The network's evidence for a disease, on the result page and from /api/attention: the query's phrases with
    the disease's findings nearest them; a ruled-out finding is not among them, and a lexical page shows none."""
    data_dir, model = trained
    q = "Arachnodactyly, ectopia lentis, no seizures"
    with _client(data_dir, model_path=model) as c:
        body = c.get("/api/attention", params={"q": q, "disease": ["OMIM:154700", "ORPHA:558", "OMIM:1"]}).json()
        matches = {d["disease_id"]: d["matches"] for d in body["matches"]}
        assert "OMIM:1" not in matches  # no such disease: nothing to show
        marfan = {m["phrase"]: m for m in matches["OMIM:154700"]}
        assert marfan["Arachnodactyly"]["hpo_id"] == "HP:0001166" and marfan["Arachnodactyly"]["similarity"] == 1.0
        assert marfan["Arachnodactyly"]["name"] == "Arachnodactyly" and "ectopia lentis" in marfan
        assert not any("seizure" in m["phrase"].lower() for found in matches.values() for m in found)
        assert c.get("/api/attention", params={"q": q}).json()["matches"] == []
        refused = c.get("/api/attention", params={"q": q, "disease": "Marfan syndrome"})
        assert refused.status_code == 422 and "Marfan syndrome" in refused.json()["error"]["message"]
        assert "such as OMIM:154700" in refused.json()["error"]["message"]
        lower = c.get("/api/attention", params={"q": q, "disease": "omim:154700"}).json()["matches"]
        assert [d["disease_id"] for d in lower] == ["OMIM:154700"]  # the source's name in any case
        page = c.get("/", params={"q": q}).text
        assert "The network read:" in page and "<q>Arachnodactyly</q> as" in page
        assert "The network read:" not in c.get("/", params={"q": q, "ranker": "lexical"}).text


def test_a_phrase_not_understood_is_offered_the_findings_the_network_reads_near_it(trained):
    """ "jerky movements" is not understood, and no term starting like it is Chorea; the network reads it near
    Chorea's "Choreic movements", offered with a link that adds it. Words sharing no start with a finding's text
    (or only "the") get no offer from the network."""
    data_dir, model = trained
    with _client(data_dir, model_path=model) as c:
        service = c.app.state.live.service
        assert "HP:0002072" not in [h for h, _, _ in service.phenotypes.recognizer.suggest("jerky movements", 3)]
        offered = service.term_suggestions(["jerky movements", "zzzz qqqq"])
        assert ("HP:0002072", "Chorea") in offered["jerky movements"] and len(offered["jerky movements"]) <= 3
        assert offered["zzzz qqqq"] == []
        assert all("the" not in text.lower().split() for _, text, _ in
                   service.explainer.nearest_findings(["the lens is dislocatd"], 3)[0])
        page = c.get("/", params={"q": "tall stature, jerky movements"}).text
        assert "add Chorea (HP:0002072) for <q>jerky movements</q></a>" in page and "add=HP%3A0002072" in page


def test_the_api_offers_the_same_terms_for_a_phrase_not_understood_as_the_page(trained):
    data_dir, model = trained
    with _client(data_dir, model_path=model) as c:
        q = "tall stature, jerky movements"
        body = c.get("/api/analyze", params={"q": q, "suggest": "true"}).json()
        assert [p["phrase"] for p in body["not_understood"]] == ["jerky movements"]
        offered = body["not_understood"][0]["terms"]
        assert {"hpo_id": "HP:0002072", "name": "Chorea"} in offered
        page = c.get("/", params={"q": q}).text
        assert all(f"add {t['name']} ({t['hpo_id']}) for <q>jerky movements</q></a>" in page for t in offered)


def test_no_network_evidence_where_the_fusion_leaves_the_network_out(trained):
    from app.fusion import FusionConfig

    data_dir, model = trained
    q = "Arachnodactyly, ectopia lentis"
    with _client(data_dir, model_path=model) as c:
        assert "The network read:" in c.get("/", params={"q": q}).text
        service = c.app.state.live.service
        service.fusion = FusionConfig(method="zscore", weights={"lexical": 1.0, "ontology": 1.0, "neural": 0.0})
        page = c.get("/", params={"q": "Ectopia lentis, arachnodactyly"}).text  # not a remembered search
        assert "neural #" not in page and "The network read:" not in page
