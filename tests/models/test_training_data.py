"""Training data from the fixture store (real SQLite, real HPO slice), the typo perturbation,
and `zebra train` end to end on the fixture corpus."""
import dataclasses
import random
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import torch
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from evaluation.queries import PUBLISHED_NOISE_WEIGHTS, simulate_each
from evaluation.queryset import write_queries
from indexer.build import build
from cli.main import app
from indexer.corpus import load_release
from indexer.lexical.tantivy_index import TantivyIndex
from indexer.store import load_articles, make_engine
from training.data import (DataOptions, _pairs, balanced_subset, drop_findings, load_saved_training_data,
                           load_training_data, misspell, neural_ranks, real_examples)
from evaluation.typos import typo_copy
from models.checkpoint import save_checkpoint
from models.encoding import Vocabulary
from models.predict import Predictor
from models.registry import build_model, make_config

from tests.conftest import HPO_SLICE

DEV = Path(__file__).parents[2] / "data" / "queries" / "dev.jsonl"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    engine = make_engine(f"sqlite:///{folder / 'zebra.db'}")
    build(engine, TantivyIndex(folder / "index"), HPO_SLICE)
    return engine


@pytest.fixture(scope="module")
def data(store):
    return load_training_data(store, DataOptions(per_disease=4, snippet_share=0.3, dev_queries=None),
                              HPO_SLICE, progress=False)


def test_every_disease_is_a_class_and_has_examples(store, data):
    with Session(store) as s:
        articles = load_articles(s)
    diseases = sorted({a.disease_id for a in articles})
    assert data.labels == diseases and len(diseases) == 48
    assert set(np.bincount([y for _, y in data.train], minlength=48).nonzero()[0]) == set(range(48))
    assert data.counts["patients"] > 0 and data.counts["snippets"] > 0
    assert data.counts["snippets"] == pytest.approx(0.3 * data.counts["train"], abs=1)
    assert data.data_release == "2025-01-16"


def test_merged_articles_share_their_disease_label(store, data):
    with Session(store) as s:
        articles = load_articles(s)
    merged = [a for a in articles if a.article_id != a.disease_id]
    assert merged  # the slice holds merged groups (5)
    for a in merged:
        assert data.gold_labels([a.article_id]) == {data.labels.index(a.disease_id)}


def test_snippets_are_short_and_patients_are_not_article_text(store, data):
    with Session(store) as s:
        bodies = " ".join(" ".join(a.body().split()) for a in load_articles(s)).casefold()  # snippets join lines
    patients = data.train[: data.counts["patients"]]
    snippets = data.train[data.counts["patients"]:]
    assert all(len(t) <= 100 for t, _ in snippets)
    assert all(t.casefold() in bodies for t, _ in snippets[:50])
    verbatim = [t for t, _ in patients if t.casefold() in bodies]  # a one-finding patient may say a label
    assert len(verbatim) <= 0.02 * len(patients)
    assert len({t for t, _ in patients}) > 0.9 * len(patients)


def test_simulated_patients_are_balanced_and_seeded():
    release = load_release(HPO_SLICE)
    rows = simulate_each(release, 3, seed=7)
    per = {d: sum(1 for _, g in rows if g == d) for _, d in rows}
    assert set(per.values()) == {3}
    assert rows == simulate_each(release, 3, seed=7)
    assert rows[:3] == simulate_each(release, 5, seed=7)[:3]  # more patients keep the first ones
    assert rows != simulate_each(release, 3, seed=8)


def test_zebra_train_draws_patients_as_noisy_as_published_ones_when_asked(tmp_path, store):
    options = DataOptions(per_disease=3, snippet_share=0.0, dev_queries=None, real_cases=())
    few = load_training_data(store, options, HPO_SLICE, progress=False, cache_dir=tmp_path)
    noisy = load_training_data(store, dataclasses.replace(options, noise_weights=PUBLISHED_NOISE_WEIGHTS), HPO_SLICE,
                               progress=False, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("patients-*.json.gz"))) == 2  # cached apart: one never stands in for the other
    assert [y for _, y in noisy.train] == [y for _, y in few.train]
    assert sum(t.count(",") for t, _ in noisy.train) > 1.2 * sum(t.count(",") for t, _ in few.train)  # more findings
    again = load_training_data(store, dataclasses.replace(options, noise_weights=PUBLISHED_NOISE_WEIGHTS), HPO_SLICE,
                               progress=False, cache_dir=tmp_path)
    assert again.train == noisy.train
    assert dataclasses.replace(options, noise_weights=[1, 2]).noise_weights == (1.0, 2.0)  # a list keys as a tuple
    with pytest.raises(ValueError, match="noise_weights must be non-negative with a positive sum"):
        dataclasses.replace(options, noise_weights=(0.0, 0.0))
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}
    runner = CliRunner()
    r = runner.invoke(app, ["train", "--unrelated-findings", "many", "--minutes", "0.1"], env=env)
    assert r.exit_code == 1
    assert "unknown --unrelated-findings 'many'; choose one of few, published" in " ".join(r.output.split())
    # the option reaches the saved training data, and a file's data is not drawn again with another one
    assert runner.invoke(app, ["build", "--no-progress"], env=env).exit_code == 0
    saved = tmp_path / "noisy.json.gz"
    r = runner.invoke(app, ["train", "--save-data", str(saved), "--no-progress", "--unrelated-findings", "published",
                            "--per-disease", "2", "--no-real-cases", "--dev-queries", str(DEV), "--dev-n", "5"],
                      env=env)
    assert r.exit_code == 0, r.output
    assert load_saved_training_data(saved)[1]["noise_weights"] == list(PUBLISHED_NOISE_WEIGHTS)
    r = runner.invoke(app, ["train", "--data", str(saved), "--unrelated-findings", "few", "--minutes", "0.1"], env=env)
    assert r.exit_code == 1 and "--unrelated-findings with --data" in " ".join(r.output.split())


def test_balanced_subset_spreads_over_classes():
    examples = [(f"a{i}", 0) for i in range(50)] + [("b", 1), ("c0", 2), ("c1", 2)]
    picked = balanced_subset(examples, 6, 3, np.random.default_rng(0))
    assert sorted(y for _, y in picked) == [0, 0, 0, 1, 2, 2]


def test_misspell_touches_each_long_word_once():
    text = "Arachnodactyly, tall stature and ectopia lentis"
    noisy = misspell(text, random.Random(0))
    assert noisy != text and misspell(text, random.Random(0)) == noisy
    for before, after in zip(text.split(), noisy.split()):
        core = before.strip(",")
        if len(core) >= 5:
            assert after.strip(",") != core and abs(len(after) - len(before)) <= 1 and after[0] == before[0]
        else:
            assert after == before


def test_misspell_share_touches_about_that_share_of_long_words():
    text = " ".join(["arachnodactyly", "ectopia", "lentis", "aortic", "aneurysm"] * 200)
    noisy = misspell(text, random.Random(3), share=0.3)
    changed = sum(a != b for a, b in zip(text.split(), noisy.split())) / len(text.split())
    assert 0.25 < changed < 0.35


def test_typo_copy_keeps_gold_and_names_its_source(tmp_path):
    source = tmp_path / "cases.jsonl"
    write_queries(source, [{"query": "arachnodactyly, ectopia lentis, aortic root aneurysm, tall stature",
                            "gold": ["OMIM:154700"], "meta": {"case_id": f"c{i}"}} for i in range(40)])
    meta = typo_copy(source, tmp_path / "typos.jsonl", share=0.3, seed=7)
    rows = [__import__("json").loads(line) for line in (tmp_path / "typos.jsonl").read_text().splitlines()]
    assert len(rows) == 40 and all(r["gold"] == ["OMIM:154700"] and r["meta"]["typo_of"] == "cases.jsonl" for r in rows)
    assert 0.2 < meta["long_words_edited"] / meta["long_words"] < 0.4
    assert sum(r["query"] != "arachnodactyly, ectopia lentis, aortic root aneurysm, tall stature" for r in rows) > 30
    again = typo_copy(source, tmp_path / "again.jsonl", share=0.3, seed=7)
    assert (tmp_path / "again.jsonl").read_text() == (tmp_path / "typos.jsonl").read_text() and again == meta
    with pytest.raises(ValueError, match="typo share must be in"):
        typo_copy(source, tmp_path / "bad.jsonl", share=0.0)


def test_real_examples_leave_out_the_early_stopping_diseases(tmp_path, data):
    cases = tmp_path / "cases.jsonl"
    first, second = data.labels[0], data.labels[1]
    write_queries(cases, [{"query": "tall, long fingers", "gold": [first]},
                          {"query": "short, small jaw", "gold": [second]},
                          {"query": "not in the corpus", "gold": ["OMIM:999999"]}])
    index = {d: i for i, d in enumerate(data.labels)}
    assert real_examples([cases], data.disease_of, index) == [("tall, long fingers", 0), ("short, small jaw", 1)]
    # a disease the early stopping measures has no published patient to learn from, like a test disease
    assert real_examples([cases], data.disease_of, index, exclude={1}) == [("tall, long fingers", 0)]


def test_training_data_keeps_the_dev_diseases_published_patients_out(tmp_path, store, data):
    """Every published patient of a dev query's disease is left out of training, not only the
    dev query itself: early stopping then measures diseases the network learnt from simulated
    patients only, as it will meet the test part's diseases."""
    first, second, third = data.labels[:3]
    dev, cases = tmp_path / "dev.jsonl", tmp_path / "cases.jsonl"
    write_queries(dev, [{"query": "tall, long fingers, lens dislocation", "gold": [first]}])
    write_queries(cases, [{"query": "tall, long fingers", "gold": [first]},
                          {"query": "short, small jaw", "gold": [second]},
                          {"query": "deaf, white forelock", "gold": [third]}])
    loaded = load_training_data(store, DataOptions(per_disease=2, dev_queries=dev, real_cases=(cases,)),
                                HPO_SLICE, progress=False)
    assert [g for _, g in loaded.dev] == [{0}]
    assert loaded.real == [("short, small jaw", 1), ("deaf, white forelock", 2)]
    assert loaded.counts["real_cases"] == 2 and loaded.counts["real_diseases"] == 2


def test_pairs_put_published_patients_against_simulated_ones_of_their_disease():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 4)  # 40 simulated examples, 4 per class
    by_class = [np.flatnonzero(labels == c) for c in range(10)]
    real_by_class = {2: np.array([40, 41]), 5: np.array([42])}  # indices after the simulated examples
    for _ in range(20):
        anchors, positives = _pairs(by_class, 6, rng, real_by_class, n_real=2)
        assert len(anchors) == len(positives) == 6
        classes = [5 if a == 42 else 2 if a in (40, 41) else int(labels[a]) for a in anchors]
        assert len(set(classes)) == 6  # distinct classes: the other pairs are true negatives
        assert sorted(a for a in anchors if a >= 40) and sum(a >= 40 for a in anchors) == 2
        for a, p, c in zip(anchors, positives, classes):
            assert p < 40 and labels[p] == c and a != p


def test_prototypes_leave_the_snippets_out_when_asked(store):
    """By default each disease's prototype is the mean of all its examples; without snippets, of
    its simulated patients only (the snippets still train the encoder)."""
    options = DataOptions(per_disease=3, snippet_share=0.25, dev_queries=None, real_cases=())
    both = load_training_data(store, options, HPO_SLICE, progress=False)
    assert both.prototype_examples() == both.train
    patients_only = load_training_data(store, dataclasses.replace(options, prototype_snippets=False), HPO_SLICE,
                                       progress=False)
    n = patients_only.counts["patients"]
    assert patients_only.prototype_examples() == patients_only.train[:n] and len(patients_only.train) > n
    assert {y for _, y in patients_only.prototype_examples()} == set(range(len(patients_only.labels)))
    snippets_only = load_training_data(store, dataclasses.replace(options, per_disease=0, prototype_snippets=False),
                                       HPO_SLICE, progress=False)
    assert snippets_only.prototype_examples() == snippets_only.train  # nothing else to make them of


def test_drop_findings_keeps_the_first_and_only_drops_whole_findings():
    text = "tall stature, arachnodactyly, ectopia lentis, aortic root aneurysm, myopia"
    dropped = [drop_findings(text, random.Random(s), p=0.5) for s in range(30)]
    parts = text.split(", ")
    assert all(d.split(", ")[0] == parts[0] and set(d.split(", ")) <= set(parts) for d in dropped)
    assert any(d != text for d in dropped)
    assert drop_findings("tall, thin", random.Random(0), p=1.0) == "tall, thin"  # too short to drop from


def test_neural_ranks_count_classes_scored_higher():
    scores = np.array([[0.1, 0.9, 0.5], [0.3, 0.2, 0.1]])
    assert neural_ranks(scores, [{2}, {0, 1}]).tolist() == [2, 1]
    assert neural_ranks(scores, [set(), {2}]).tolist() == [0, 3]


def test_zebra_train_refuses_the_dev_and_test_seeds_and_an_empty_budget(tmp_path):
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}
    r = CliRunner().invoke(app, ["train", "--data-seed", "1", "--minutes", "0.1"], env=env)
    assert r.exit_code == 1
    assert "--data-seed 1 is the seed of the shipped dev (1) or test (2) queries" in " ".join(r.output.split())
    # a zero budget without a network to start from would save an untrained one (by default over the shipped one)
    r = CliRunner().invoke(app, ["train", "--minutes", "0"], env=env)
    assert r.exit_code == 1 and "--minutes 0 trains nothing: give --init CHECKPOINT" in " ".join(r.output.split())


def test_zebra_train_from_a_checkpoint_never_overwrites_it_unasked(tmp_path):
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}
    shipped = Path(__file__).resolve().parents[2] / "models" / "checkpoints" / "c2w2d.pt"
    before = shipped.read_bytes()
    r = CliRunner().invoke(app, ["train", "--init", str(shipped), "--minutes", "0"], env=env)
    assert r.exit_code == 1 and "without --out would overwrite that checkpoint" in " ".join(r.output.split())
    assert shipped.read_bytes() == before


def test_zebra_train_prototype_head_ranks_a_simulated_patient(tmp_path):
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--no-progress"], env=env).exit_code == 0
    out = tmp_path / "proto.pt"
    # One epoch (200 contrastive steps), not minutes, bounds the run: a busy machine cannot change it.
    r = runner.invoke(app, ["train", "--minutes", "10", "--epochs", "1", "--out", str(out), "--no-progress",
                            "--per-disease", "6",
                            "--batch-size", "16", "--dev-queries", str(DEV), "--dev-n", "0", "--config",
                            '{"char_embed": 16, "char_hidden": 32, "word_hidden": 48, "attn_dim": 32}'], env=env)
    assert r.exit_code == 0, r.output
    predictor = Predictor.load(out, expected_release="2025-01-16")
    assert predictor.checkpoint.metrics["objective"] == "prototype"
    assert predictor.checkpoint.metrics["stopped"] == "max_epochs"
    rows = simulate_each(load_release(HPO_SLICE), 6, seed=100)  # the training patients (default data seed)
    texts, diseases = [t for t, _ in rows], [d for _, d in rows]
    top = [p.labels for p in predictor.predict(texts, k=5)]
    hits = sum(d in t for d, t in zip(diseases, top)) / len(rows)
    assert hits > 0.5  # 48 diseases: chance is ~0.1

    # Continue that checkpoint on a file of patients written apart from the simulated ones (the
    # published-cases format): the run says what it learnt from and what it started from.
    cases = tmp_path / "cases.jsonl"
    write_queries(cases, [{"query": text, "gold": [disease]}
                          for text, disease in simulate_each(load_release(HPO_SLICE), 2, seed=11)])
    more = tmp_path / "more.pt"
    r = runner.invoke(app, ["train", "--minutes", "10", "--epochs", "1", "--out", str(more), "--no-progress",
                            "--per-disease", "6", "--batch-size", "16", "--dev-queries", str(DEV), "--dev-n", "0",
                            "--init", str(out), "--real-cases", str(cases), "--real-share", "0.5"], env=env)
    assert r.exit_code == 0, r.output
    # 2 per disease, less those of the 3 diseases the dev queries measure
    assert "90 published patients of 45 diseases, 3 dev queries" in " ".join(r.output.split())
    continued = Predictor.load(more, expected_release="2025-01-16")
    assert continued.checkpoint.extra["data"]["real_cases"] == 90
    assert continued.checkpoint.metrics["init"]["path"] == "proto.pt"
    assert continued.checkpoint.config == predictor.checkpoint.config  # the starting network's shape is kept
    assert "--real-cases" in continued.checkpoint.metrics["command"]
    top = [p.labels for p in continued.predict(texts, k=5)]
    assert sum(d in t for d, t in zip(diseases, top)) / len(rows) > 0.5

    # --minutes 0 with --init keeps the network and only remakes its prototype head (here of the
    # simulated patients only): same encoder, another head, the start recorded.
    reheaded = tmp_path / "reheaded.pt"
    r = runner.invoke(app, ["train", "--minutes", "0", "--out", str(reheaded), "--no-progress", "--per-disease", "6",
                            "--dev-queries", str(DEV), "--init", str(out), "--no-prototype-snippets"], env=env)
    assert r.exit_code == 0, r.output
    again = Predictor.load(reheaded, expected_release="2025-01-16")
    before, after = predictor.model.state_dict(), again.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before if not k.startswith("head."))
    assert not torch.allclose(before["head.weight"], after["head.weight"])
    assert again.checkpoint.metrics["init"]["path"] == "proto.pt" and not again.checkpoint.extra["options"]["prototype_snippets"]
    assert sum(d in t for d, t in zip(diseases, (p.labels for p in again.predict(texts, k=5)))) / len(rows) > 0.5

    # a network of another label map (a corpus grouped otherwise: one class more) gets a head over this corpus's
    # diseases, its encoder kept
    wider = torch.nn.Linear(predictor.model.head.in_features, len(predictor.labels) + 1)
    grouped = predictor.checkpoint
    grouped.model.head = wider
    other = save_checkpoint(tmp_path / "other.pt", grouped.model, grouped.arch,
                            dataclasses.replace(grouped.config, n_classes=len(predictor.labels) + 1), grouped.vocab,
                            [*predictor.labels, "ORPHA:999999"], grouped.data_release)
    r = runner.invoke(app, ["train", "--minutes", "0", "--out", str(tmp_path / "regrouped.pt"), "--no-progress",
                            "--per-disease", "6", "--dev-queries", str(DEV), "--init", str(other)], env=env)
    assert r.exit_code == 0, r.output
    regrouped = Predictor.load(tmp_path / "regrouped.pt", expected_release="2025-01-16")
    assert regrouped.labels == predictor.labels and regrouped.checkpoint.config.n_classes == len(predictor.labels)
    after = regrouped.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before if not k.startswith("head."))
    assert sum(d in t for d, t in zip(diseases, (p.labels for p in regrouped.predict(texts, k=5)))) / len(rows) > 0.5

    r = runner.invoke(app, ["train", "--minutes", "1", "--epochs", "1", "--out", str(tmp_path / "x.pt"),
                            "--no-progress", "--arch", "c2d-cnn", "--init", str(out), "--dev-queries", str(DEV)], env=env)
    assert r.exit_code == 1 and "is a c2w2d checkpoint but --arch is c2d-cnn" in " ".join(r.output.split())
    r = runner.invoke(app, ["train", "--minutes", "1", "--real-cases", str(tmp_path / "none.jsonl")], env=env)
    assert r.exit_code == 1 and "does not exist" in r.output


def test_zebra_train_softmax_objective_learns_its_training_patients(tmp_path):
    """The cross-entropy path of `zebra train` end to end: it trains, saves a loadable checkpoint
    with its metrics, and the model has learnt something about its own training patients."""
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--no-progress"], env=env).exit_code == 0
    out = tmp_path / "softmax.pt"
    # Early stopping on held-out simulated patients of this corpus (the shipped dev set has only 3 of
    # its diseases: on 3 queries the first epoch can win by chance and the best state is the untrained one).
    dev = tmp_path / "dev.jsonl"
    write_queries(dev, [{"query": text, "gold": [disease]}
                        for text, disease in simulate_each(load_release(HPO_SLICE), 1, seed=7)])
    r = runner.invoke(app, ["train", "--objective", "softmax", "--minutes", "10", "--epochs", "30", "--patience", "30", "--out", str(out),
                            "--no-progress", "--per-disease", "6", "--snippet-share", "0", "--batch-size", "16",
                            "--lr", "0.005", "--dev-queries", str(dev), "--dev-n", "0", "--noise", "0",
                            "--config", '{"char_embed": 16, "char_hidden": 32, "word_hidden": 48, "attn_dim": 32}'],
                      env=env)
    assert r.exit_code == 0, r.output
    predictor = Predictor.load(out, expected_release="2025-01-16")
    assert predictor.checkpoint.metrics["objective"] == "softmax"
    assert predictor.checkpoint.metrics["stopped"] == "max_epochs"
    rows = simulate_each(load_release(HPO_SLICE), 6, seed=100)
    texts, diseases = [t for t, _ in rows], [d for _, d in rows]
    top = [p.labels for p in predictor.predict(texts, k=5)]
    hits = sum(d in t for d, t in zip(diseases, top)) / len(rows)
    assert hits > 0.8, hits  # 48 diseases: chance is ~0.1


def test_training_reads_patients_and_queries_as_the_app_reads_a_query(tmp_path, store):
    """`zebra train` learns from what the network will read in a search: "…, no seizures" without
    "seizures" (the app's network never reads an excluded finding), in simulated patients, published
    patients and early-stopping queries alike; article snippets are no queries and stay as written."""
    from cli.train import _app_reading
    from core.config import Settings

    reading = _app_reading(Settings(database_url=store.url.render_as_string(hide_password=False),
                                    hpo_dir=HPO_SLICE))
    assert reading("tall stature, long fingers, no seizures").split() == ["tall", "stature,", "long", "fingers,", "no"]
    first, second = load_training_data(store, DataOptions(per_disease=1, dev_queries=None, real_cases=()),
                                       HPO_SLICE, progress=False).labels[:2]
    dev, cases = tmp_path / "dev.jsonl", tmp_path / "cases.jsonl"
    write_queries(dev, [{"query": "long fingers, no seizures", "gold": [first]}])
    write_queries(cases, [{"query": "short stature, no seizures", "gold": [second]}])
    options = DataOptions(per_disease=3, snippet_share=0.25, dev_queries=dev, real_cases=(cases,))
    as_written = load_training_data(store, options, HPO_SLICE, progress=False)
    read = load_training_data(store, options, HPO_SLICE, progress=False, reader=reading)
    assert [t for t, _ in read.dev] == [reading("long fingers, no seizures")]
    assert [t for t, _ in read.real] == [reading("short stature, no seizures")]
    assert all("seizure" not in t.lower() for t, _ in read.dev + read.real)
    n = read.counts["patients"]
    assert read.train[:n] == [(reading(t), y) for t, y in as_written.train[:n]]
    assert read.train[n:] == as_written.train[n:]  # snippets as written
    denied = [t for t, _ in as_written.train[:n] if " no " in f" {t.lower()}"]
    assert denied and all(reading(t) != t for t in denied)  # simulated patients that state "no X" lose X


def test_hard_negatives_put_a_disease_with_its_most_alike_ones_in_one_batch():
    """With neighbours, half of the batch's classes come in groups of a class and the classes whose
    prototypes are nearest to it; every class of a batch is still distinct (the others are negatives)."""
    from training.data import nearest_classes

    angles = torch.linspace(0, 3.0, 40)
    protos = torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)  # 40 unit vectors on an arc
    protos[7] = 0  # a class without examples is nobody's neighbour
    near = nearest_classes(protos, 3)
    assert near.shape == (40, 3)
    assert set(near[20].tolist()) == {19, 21, 18} or set(near[20].tolist()) == {19, 21, 22}
    assert 7 not in near and all(c not in row for c, row in enumerate(near))
    labels = np.repeat(np.arange(40), 3)
    by_class = [np.flatnonzero(labels == c) for c in range(40)]
    rng = np.random.default_rng(0)
    for _ in range(20):
        anchors, positives = _pairs(by_class, 16, rng, neighbours=near, hard_share=0.5)
        classes = [int(labels[a]) for a in anchors]
        assert len(classes) == 16 and len(set(classes)) == 16 and [int(labels[p]) for p in positives] == classes
        groups = classes[:8]  # the hard half: each class after a seed is one of that seed's neighbours
        seed = groups[0]
        assert groups[1] in near[seed]


def test_lexical_hard_negatives_are_the_diseases_the_index_ranks_for_a_diseases_patients(tmp_path):
    """`lexical_classes`: each disease's neighbours are the other diseases that the lexical index ranks highest
    for its simulated patients (their reciprocal ranks summed), never the disease itself."""
    from training.data import lexical_classes

    index = TantivyIndex(tmp_path / "index")
    build(make_engine(f"sqlite:///{tmp_path / 'zebra.db'}"), index, HPO_SLICE)
    rows = simulate_each(load_release(HPO_SLICE), 2, seed=7)
    labels = sorted({d for _, d in rows})
    examples = [(text, labels.index(d)) for text, d in rows]
    near = lexical_classes(index, examples, labels, 3, progress=False)
    assert near.shape == (len(labels), 3) and all(c not in row for c, row in enumerate(near))
    for c in (0, len(labels) // 2, len(labels) - 1):
        score: dict[str, float] = {}
        for text in [t for t, y in examples if y == c]:
            ranked = [d for d in dict.fromkeys(h.disease_id for h in index.search(text, 300)) if d != labels[c]]
            for place, d in enumerate(ranked, start=1):
                score[d] = score.get(d, 0.0) + 1.0 / place
        assert [labels[y] for y in near[c]] == sorted(score, key=lambda d: (-score[d], d))[:3]


def test_zebra_train_takes_hard_negatives_from_the_lexical_index(tmp_path):
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}
    runner = CliRunner()
    tiny = '{"char_embed": 16, "char_hidden": 16, "word_hidden": 16, "attn_dim": 16}'
    common = ["--minutes", "10", "--epochs", "1", "--no-progress", "--per-disease", "4", "--batch-size", "16",
              "--dev-queries", str(DEV), "--config", tiny]
    r = runner.invoke(app, ["train", "--hard-from", "lexical", *common], env=env)
    assert r.exit_code == 1 and "give --hard-negatives N (N > 0) too" in " ".join(r.output.split())
    r = runner.invoke(app, ["train", "--hard-negatives", "2", "--hard-from", "bm25", *common], env=env)
    assert r.exit_code == 1 and "unknown --hard-from 'bm25'; choose network or lexical" in " ".join(r.output.split())
    assert runner.invoke(app, ["build", "--no-progress"], env=env).exit_code == 0
    out = tmp_path / "lexical-hard.pt"
    r = runner.invoke(app, ["train", "--hard-negatives", "2", "--hard-from", "lexical", "--out", str(out), *common],
                      env=env)
    assert r.exit_code == 0, r.output
    metrics = Predictor.load(out, expected_release="2025-01-16").checkpoint.metrics
    assert metrics["hard_negatives"] == 2 and metrics["hard_from"] == "lexical"

    # saved with the training data where the index is, the neighbours train on a machine without it
    saved = tmp_path / "data.json.gz"
    r = runner.invoke(app, ["train", "--hard-negatives", "2", "--hard-from", "lexical", "--save-data", str(saved),
                            *common], env=env)
    assert r.exit_code == 0, r.output
    data = load_saved_training_data(saved)[0]
    assert len(data.lexical_neighbours) == len(data.labels) and all(len(row) == 2 for row in data.lexical_neighbours)
    bare = {**env, "ZEBRA_DATA_DIR": str(tmp_path / "bare")}  # no store, no index
    tiny_run = ["--minutes", "10", "--epochs", "1", "--no-progress", "--batch-size", "16", "--config", tiny]
    r = runner.invoke(app, ["train", "--data", str(saved), "--hard-negatives", "1", "--hard-from", "lexical",
                            "--out", str(tmp_path / "from-file.pt"), *tiny_run], env=bare)
    assert r.exit_code == 0, r.output
    metrics = Predictor.load(tmp_path / "from-file.pt").checkpoint.metrics
    assert metrics["hard_negatives"] == 1 and metrics["hard_from"] == "lexical"
    r = runner.invoke(app, ["train", "--data", str(saved), "--hard-negatives", "3", "--hard-from", "lexical",
                            "--out", str(tmp_path / "more.pt"), *tiny_run], env=bare)
    assert r.exit_code == 1 and "--save-data FILE --hard-negatives 3 --hard-from lexical" in " ".join(r.output.split())


def test_training_data_saved_on_one_machine_is_the_data_another_trains_on(tmp_path):
    """`zebra train --save-data` writes the examples as the network reads them, and the file reads
    back as the very data the store gives (same examples in the same order, dev gold sets, label
    map); `--data` trains from that file alone (a GPU machine holds no store, HPO files or
    recogniser). The trained weights are not compared with a store run's: torch's CPU kernels on
    several threads need not add up in one order, so even two runs on one data and seed differ in
    their last bits."""
    env = {"ZEBRA_DATA_DIR": str(tmp_path / "var"), "ZEBRA_HPO_DIR": str(HPO_SLICE), "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--no-progress"], env=env).exit_code == 0
    saved = tmp_path / "data.json.gz"
    options = ["--per-disease", "4", "--dev-queries", str(DEV), "--dev-n", "0"]
    r = runner.invoke(app, ["train", "--save-data", str(saved), "--no-progress", *options], env=env)
    assert r.exit_code == 0, r.output
    assert f"training data saved to {saved}" in " ".join(r.output.split()) and saved.is_file()
    assert not (tmp_path / "models").exists()  # nothing trained

    from cli.train import _app_reading
    from core.config import REPO, Settings

    settings = Settings(database_url=f"sqlite:///{(tmp_path / 'var' / 'zebra.db').resolve()}", hpo_dir=HPO_SLICE)
    made = DataOptions(per_disease=4, dev_queries=DEV, dev_n=0,
                       real_cases=(REPO / "data/queries/real-tune-leaky.jsonl",))  # the CLI's defaults
    built = load_training_data(make_engine(settings.sql_url), made, HPO_SLICE, progress=False,
                               reader=_app_reading(settings))
    loaded, saved_options, reads = load_saved_training_data(saved)
    assert loaded == built and built.dev and built.real  # every field, (text, class) tuples and all
    assert saved_options == {**dataclasses.asdict(made), "dev_queries": str(DEV),
                             "real_cases": [str(p) for p in made.real_cases]}
    assert reads == "as the app reads a query"

    tiny = ["--minutes", "10", "--epochs", "1", "--no-progress", "--batch-size", "16", "--config",
            '{"char_embed": 16, "char_hidden": 32, "word_hidden": 48, "attn_dim": 32}']
    elsewhere = {**env, "ZEBRA_DATA_DIR": str(tmp_path / "empty"), "ZEBRA_HPO_DIR": str(tmp_path / "no-hpo")}
    out = tmp_path / "file.pt"
    r = runner.invoke(app, ["train", *tiny, "--data", str(saved), "--out", str(out)], env=elsewhere)
    assert r.exit_code == 0, r.output
    predictor = Predictor.load(out, expected_labels=built.labels, expected_release=built.data_release)
    extra, metrics = predictor.checkpoint.extra, predictor.checkpoint.metrics
    assert extra["data"] == built.counts and extra["options"] == saved_options and extra["data_file"] == saved.name
    assert extra["reads"] == "as the app reads a query"
    assert metrics["dev"]["n"] == len(built.dev) and metrics["dev"]["queries"] == str(DEV)
    patients = built.train[: built.counts["patients"]]
    top = predictor.predict([t for t, _ in patients], k=5)
    hits = sum(built.labels[y] in p.labels for (_, y), p in zip(patients, top)) / len(patients)
    assert hits > 0.5, hits  # 48 diseases: chance is ~0.1

    # Which examples make the prototypes is a training choice, also with --data: the file's unless given.
    patients_only = tmp_path / "patients-only.pt"
    r = runner.invoke(app, ["train", "--data", str(saved), "--init", str(out), "--minutes", "0", "--no-progress",
                            "--no-prototype-snippets", "--out", str(patients_only)], env=elsewhere)
    assert r.exit_code == 0, r.output
    remade = Predictor.load(patients_only, expected_labels=built.labels, expected_release=built.data_release)
    assert remade.checkpoint.extra["options"] == {**saved_options, "prototype_snippets": False}
    assert saved_options["prototype_snippets"] is True
    assert not torch.allclose(remade.model.head.weight, predictor.model.head.weight)

    # The data options are the file's: giving one as well is refused, and so is a file that is not saved data.
    r = runner.invoke(app, ["train", *tiny, "--data", str(saved), "--per-disease", "8", "--out", str(tmp_path / "x.pt")],
                      env=elsewhere)
    assert r.exit_code == 1 and "--per-disease with --data" in " ".join(r.output.split())
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(saved.read_bytes()[:1000])
    r = runner.invoke(app, ["train", *tiny, "--data", str(broken), "--out", str(tmp_path / "x.pt")], env=elsewhere)
    assert r.exit_code == 1 and f"--data {broken} is not saved training data" in " ".join(r.output.split())
    assert not (tmp_path / "x.pt").exists()
    r = runner.invoke(app, ["train", *tiny, "--data", str(tmp_path / "none.json.gz"), "--out", str(tmp_path / "x.pt")],
                      env=elsewhere)
    assert r.exit_code == 1 and "does not exist; make it with `zebra train --save-data FILE`" in " ".join(r.output.split())
    r = runner.invoke(app, ["train", "--save-data", str(tmp_path), "--no-progress", *options], env=env)
    assert r.exit_code == 1 and f"--save-data {tmp_path} cannot be written" in " ".join(r.output.split())
    assert tmp_path.is_dir() and saved.is_file()  # nothing lost


def _tiny_c2w2d(n_classes: int, vocab: Vocabulary, **sizes):
    return build_model("c2w2d", make_config("c2w2d", {"n_classes": n_classes, "vocab_size": vocab.size, **sizes}))


def test_early_stopping_can_rank_with_the_final_prototypes(data):
    """`--probe-per-class 0`: after each epoch the dev queries are ranked against prototypes of all
    the examples, the ones the saved classifier is made of, not of a cheap sample of three."""
    from training.data import _prototype_dev_mrr, prototypes, train_contrastive

    vocab = Vocabulary()
    dev = [(t, {y}) for t, y in data.train[:: max(1, len(data.train) // 40)]]
    measured = {}
    for per_class in (0, 1):
        torch.manual_seed(0)
        model = _tiny_c2w2d(len(data.labels), vocab, char_embed=8, char_hidden=8, word_hidden=8, attn_dim=8)
        history = train_contrastive(model, vocab, data.train, dev, len(data.labels), minutes=5, batch_size=8,
                                    steps_per_epoch=3, max_epochs=1, progress=False, proto_per_class=per_class)
        final = _prototype_dev_mrr(model, vocab, prototypes(model, vocab, data.train, len(data.labels)), dev, "cpu")
        measured[per_class] = (history[-1].dev_mrr, final)
    assert measured[0][0] == pytest.approx(measured[0][1])  # early stopping saw what the saved head will rank
    assert measured[1][0] != pytest.approx(measured[1][1])  # one example a disease is another ranking


def test_bfloat16_training_steps_learn_the_diseases_and_keep_float32_weights(data):
    """`--bf16`: the encoder's steps run under bfloat16 autocast; the network still learns (its dev
    ranking rises well above chance) and its weights, hence the saved checkpoint, stay float32. On a CPU
    without bfloat16 kernels for the LSTM (no AVX-512 BF16 nor AMX) it is refused with the reason and the fix,
    before any step, and the weights are left as they were."""
    from training.data import bf16_unsupported, train_contrastive

    vocab = Vocabulary()
    dev = [(t, {y}) for t, y in data.train[:: max(1, len(data.train) // 60)]]
    torch.manual_seed(0)
    model = _tiny_c2w2d(len(data.labels), vocab, char_embed=16, char_hidden=16, word_hidden=24, attn_dim=16)
    train = partial(train_contrastive, model, vocab, data.train, dev, len(data.labels), minutes=5, batch_size=16,
                    steps_per_epoch=40, max_epochs=4, progress=False, proto_per_class=0, bf16=True)
    if (why := bf16_unsupported("cpu")) is not None:
        before = [p.detach().clone() for p in model.parameters()]
        with pytest.raises(ValueError, match="AVX-512 BF16 or AMX.*drop --bf16"):
            train()
        assert "--device cuda" in why
        assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
        return
    history = train()
    assert history[-1].loss < history[0].loss
    assert max(h.dev_mrr for h in history) > 0.3  # 48 diseases: chance is ~0.09
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_bf16_is_refused_with_the_softmax_objective(tmp_path):
    r = CliRunner().invoke(app, ["train", "--objective", "softmax", "--bf16", "--out", str(tmp_path / "x.pt")],
                           env={"ZEBRA_DATA_DIR": str(tmp_path), "COLUMNS": "200"})
    assert r.exit_code == 1 and "--bf16 runs the prototype objective" in " ".join(r.output.split())
    assert not (tmp_path / "x.pt").exists()
