"""Prediction from a saved checkpoint: top-k, token weights, windows, scores for fusion."""
import numpy as np
import pytest

from models.checkpoint import save_checkpoint
from models.encoding import normalise, split_words
from models.predict import Predictor


@pytest.fixture(scope="module")
def predictors(trained, labels, release, tmp_path_factory) -> dict[str, Predictor]:
    out = {}
    for arch, result in trained.items():
        path = save_checkpoint(tmp_path_factory.mktemp(arch) / "model.pt", result.model, arch, result.config,
                               result.vocab, labels, release, result.metrics(), {})
        out[arch] = Predictor.load(path, labels, release)
    return out


@pytest.mark.parametrize("arch", ["c2w2d", "c2d-blstm", "c2d-cnn"])
def test_training_snippet_predicts_its_disease_first(arch, predictors, snippets, labels):
    text, label = snippets[0]
    [prediction] = predictors[arch].predict([text], k=3)
    assert prediction.labels[0] == labels[label] and len(prediction.labels) == 3
    assert prediction.log_probs == sorted(prediction.log_probs, reverse=True) and prediction.log_probs[0] < 0


def test_c2w2d_attention_has_one_weight_per_query_word(predictors):
    query = "Tall, with very long fingers (arachnodactyly) and a dislocated lens"
    [prediction] = predictors["c2w2d"].predict([query], k=1)
    assert [word for word, _ in prediction.attention] == split_words(normalise(query))
    assert sum(weight for _, weight in prediction.attention) == pytest.approx(1.0, abs=1e-5)
    assert all(weight > 0 for _, weight in prediction.attention)


@pytest.mark.parametrize("arch", ["c2d-blstm", "c2d-cnn"])
def test_char_models_weigh_each_character(arch, predictors):
    query = "Chronic cough and salty skin"
    [prediction] = predictors[arch].predict([query], k=1)
    assert "".join(ch for ch, _ in prediction.attention) == normalise(query)
    assert sum(weight for _, weight in prediction.attention) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("arch", ["c2w2d", "c2d-blstm", "c2d-cnn"])
def test_long_query_is_scored_as_the_mean_of_its_windows(arch, predictors, disease_texts):
    predictor = predictors[arch]
    query = " ".join(disease_texts[:3])  # ~ 75 words, 550 characters: several windows
    vocab = predictor.vocab
    windows = ([" ".join(w) for w in vocab.word_windows(normalise(query))] if arch == "c2w2d"
               else vocab.char_windows(normalise(query)))
    assert len(windows) > 1
    expected = np.mean([predictor.scores(window) for window in windows], axis=0)
    np.testing.assert_allclose(predictor.scores(query), expected, atol=1e-5)
    [prediction] = predictor.predict([query], k=5)
    assert len(prediction.labels) == 5
    assert sum(weight for _, weight in prediction.attention) == pytest.approx(1.0, abs=1e-5)


def test_scores_are_log_probabilities_in_label_order(predictors, snippets, labels):
    predictor = predictors["c2w2d"]
    text, label = snippets[-1]
    scores = predictor.scores(text)
    assert scores.shape == (len(labels),)
    assert np.exp(scores).sum() == pytest.approx(1.0, abs=1e-5)
    assert labels[int(scores.argmax())] == labels[label] == predictor.predict([text], k=1)[0].labels[0]
    np.testing.assert_allclose(predictor.scores_many([text, "cough"])[0], scores, atol=1e-5)


@pytest.mark.parametrize("arch", ["c2w2d", "c2d-blstm", "c2d-cnn"])
def test_queries_without_words_still_get_a_prediction(arch, predictors):
    predictions = predictors[arch].predict(["", "!!!", "x"], k=2)
    assert [len(p.labels) for p in predictions] == [2, 2, 2]


def test_vectors_for_a_dual_encoder_and_an_embedding_plot(predictors):
    c2w2d = predictors["c2w2d"]
    assert c2w2d.encode(["cough", "tall stature"]).shape == (2, 2 * c2w2d.checkpoint.config.word_hidden)
    vectors = c2w2d.word_vectors(["cough", "Cough", "seizures"])
    assert vectors.shape == (3, 2 * c2w2d.checkpoint.config.char_hidden)
    np.testing.assert_allclose(vectors[0], vectors[1])
    with pytest.raises(ValueError, match="word vectors need the c2w2d architecture, this checkpoint is c2d-cnn"):
        predictors["c2d-cnn"].word_vectors(["cough"])


def test_k_must_be_positive(predictors):
    with pytest.raises(ValueError, match="k must be at least 1, got 0"):
        predictors["c2d-cnn"].predict(["cough"], k=0)


def test_many_texts_are_predicted_in_chunks(predictors, snippets):
    texts = [text for text, _ in snippets]
    chunked = predictors["c2w2d"].predict(texts, k=2, batch_size=4)
    whole = predictors["c2w2d"].predict(texts, k=2)
    assert [p.labels for p in chunked] == [p.labels for p in whole]
    assert predictors["c2w2d"].predict([], k=2) == []
