"""Training: snippets, noise, MRR, the schedule, and tiny real runs of each architecture."""
import random

import pytest
import torch

from models.predict import score_texts
from models.train import add_noise, lr_factor, make_snippets, train
from training.data import dev_mrr

ARCHS = ["c2w2d", "c2d-blstm", "c2d-cnn"]


def test_snippets_are_word_aligned_bounded_and_cover_the_text():
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    snippets = make_snippets([text, "short one"], [3, 4], length=20, stride=10)
    assert snippets[-1] == ("short one", 4)
    words = text.split()
    covered = set()
    for snippet, label in snippets[:-1]:
        assert label == 3 and len(snippet) <= 20
        assert f" {snippet} " in f" {text} "  # whole words only
        covered.update(snippet.split())
    assert covered == set(words)
    assert [s for s, _ in snippets[:3]] == ["alpha beta gamma", "gamma delta epsilon", "epsilon zeta eta"]


def test_snippet_arguments_are_checked():
    with pytest.raises(ValueError, match="2 texts but 1 labels"):
        make_snippets(["a", "b"], [0])


def test_noise_applies_the_requested_number_of_typos():
    text = "progressive proximal muscle weakness"
    assert add_noise(text, 0, random.Random(0)) == text
    noisy = add_noise(text, 3, random.Random(1))
    assert noisy != text and len(text) - 3 <= len(noisy) <= len(text)
    assert noisy == add_noise(text, 3, random.Random(1))


def test_mean_reciprocal_rank_by_hand():
    scores = torch.tensor([[0.9, 0.5, 0.1], [0.2, 0.3, 0.8], [0.1, 0.2, 0.3]])
    # ranks of the best gold class: 1, 2 (class 1 beats class 0), none -> (1 + 1/2 + 0) / 3
    assert dev_mrr(scores, [{0}, {1, 0}, set()]) == pytest.approx(0.5)


def test_learning_rate_warms_up_then_decays_to_zero():
    assert lr_factor(0.0, 0.1) == pytest.approx(0.01)
    assert lr_factor(0.1, 0.1) == pytest.approx(1.0)
    assert lr_factor(0.55, 0.1) == pytest.approx(0.5)
    assert lr_factor(1.0, 0.1) == pytest.approx(0.0)


@pytest.mark.parametrize("arch", ARCHS)
def test_tiny_model_learns_the_corpus(arch, trained, snippets, labels):
    result = trained[arch]
    losses = [epoch.loss for epoch in result.history]
    assert len(losses) == result.best_epoch and result.stopped == "max_epochs"
    assert losses[-1] < 0.25 * losses[0]
    first_of_each = {}
    for text, label in snippets:
        first_of_each.setdefault(label, text)
    scores = score_texts(result.model, result.vocab, list(first_of_each.values()))
    assert scores.argmax(-1).tolist() == list(first_of_each)


def test_same_seed_gives_the_same_model(snippets, labels):
    runs = [train(snippets, None, len(labels), "c2d-cnn", {"filters": 8}, max_epochs=2, seed=3,
                  batch_size=8, progress=False) for _ in range(2)]
    for a, b in zip(runs[0].model.state_dict().values(), runs[1].model.state_dict().values()):
        assert torch.equal(a, b)


def test_early_stopping_keeps_the_best_dev_state(snippets, labels, disease_texts):
    dev = [(text[:60], {i}) for i, text in enumerate(disease_texts)]
    result = train(snippets, dev, len(labels), "c2d-cnn", {"filters": 16}, max_epochs=30, seed=0,
                   batch_size=8, lr=1e-2, progress=False, patience=2, balanced=True, dev_metric=dev_mrr)
    mrrs = [epoch.dev_mrr for epoch in result.history]
    assert result.best_dev_mrr == max(mrrs) and mrrs[result.best_epoch - 1] == max(mrrs)
    assert result.stopped == "early_stopping" and result.best_epoch < len(mrrs)  # later epochs were worse
    again = dev_mrr(score_texts(result.model, result.vocab, [q for q, _ in dev]), [g for _, g in dev])
    assert again == pytest.approx(result.best_dev_mrr)


def test_labels_outside_the_class_range_are_refused(snippets):
    with pytest.raises(ValueError, match=r"label 4 is outside 0..3 \(n_classes=4\)"):
        train(snippets, None, 4, "c2d-cnn", progress=False)


def test_time_budget_stops_training(snippets, labels):
    result = train(snippets, None, len(labels), "c2d-cnn", {"filters": 8}, minutes=0.002, max_epochs=10_000,
                   batch_size=4, progress=True)
    assert result.stopped == "time" and len(result.history) < 10_000
    assert result.snippets_per_s > 0
