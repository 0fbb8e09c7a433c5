"""The three networks: shapes, and answers that do not depend on the rest of the batch
(padding must never leak into a text's score)."""
import pytest
import torch

from models.encoding import Vocabulary
from models.registry import ARCHITECTURES, build_model

TEXTS = ["Tall stature and long fingers", "cough", "A progressive disorder with involuntary jerking movements, "
         "cognitive decline and depression in adult life, often with irritability", "!!", "eczema, seizures"]
SMALL = {"c2w2d": {"char_hidden": 8, "word_hidden": 8, "attn_dim": 8},
         "c2d-blstm": {"hidden": 8, "attn_dim": 8}, "c2d-cnn": {"filters": 8}}


@pytest.mark.parametrize("arch", sorted(ARCHITECTURES))
def test_scores_do_not_depend_on_the_batch(arch):
    torch.manual_seed(0)
    vocab = Vocabulary()
    model = build_model(arch, {**SMALL[arch], "n_classes": 7, "vocab_size": vocab.size}).eval()
    together = vocab.encode(TEXTS, model.level)
    with torch.inference_mode():
        logits, weights = model(together.ids, together.mask)  # (B, 7), (B, T)
        assert logits.shape == (len(TEXTS), 7) and weights.shape == together.mask.shape
        assert torch.allclose(weights.sum(-1), torch.ones(len(TEXTS)), atol=1e-6)
        assert torch.all(weights[~together.mask] == 0)
        for row, text in enumerate(TEXTS):
            alone = vocab.encode([text], model.level)
            logits_alone, weights_alone = model(alone.ids, alone.mask)
            assert torch.allclose(logits[row], logits_alone[0], atol=1e-5)
            assert torch.allclose(weights[row, : weights_alone.size(1)], weights_alone[0], atol=1e-5)


def test_word_vectors_do_not_depend_on_the_batch():
    torch.manual_seed(0)
    vocab = Vocabulary()
    model = build_model("c2w2d", {**SMALL["c2w2d"], "n_classes": 3, "vocab_size": vocab.size}).eval()
    words = [w for text in TEXTS for w in text.lower().replace(",", "").split()] * 8  # > 64: grouped by length
    chars = vocab.encode_words(words, first_window_only=True).ids[:, 0, :]  # (N, L)
    with torch.inference_mode():
        together = model.embed_words(chars)
        alone = torch.cat([model.embed_words(chars[i: i + 1]) for i in range(len(words))])
    assert together.shape == (len(words), 2 * SMALL["c2w2d"]["char_hidden"])
    assert torch.allclose(together, alone, atol=1e-5)



def _plain_and_frozen():
    """A vocabulary, a small c2w2d in eval mode and the same weights frozen for serving."""
    torch.manual_seed(0)
    vocab = Vocabulary()
    plain = build_model("c2w2d", {**SMALL["c2w2d"], "n_classes": 5, "vocab_size": vocab.size}).eval()
    frozen = build_model("c2w2d", {**SMALL["c2w2d"], "n_classes": 5, "vocab_size": vocab.size})
    frozen.load_state_dict(plain.state_dict())
    return vocab, plain, frozen.freeze_for_inference()


def test_a_frozen_c2w2d_remembers_words_without_changing_any_score():
    """The word cache of a model frozen for serving returns exactly the vectors it would spell: texts
    read one after another (words seen before, words that begin like others: "ab", "abc") score as
    the same weights read without the cache."""
    vocab, plain, frozen = _plain_and_frozen()
    texts = TEXTS + ["ab abc abcd", "abc ab", "seizures and eczema", "long fingers, tall stature"] + TEXTS[:2]
    with torch.inference_mode():
        for text in texts:
            batch = vocab.encode([text], "word")
            expected, _ = plain(batch.ids, batch.mask)
            got, _ = frozen(batch.ids, batch.mask)
            assert torch.allclose(got, expected, atol=1e-6), text
    assert frozen._word_cache and len(frozen._word_cache) == len(
        {w for t in texts for w in vocab.encode([t], "word").tokens[0]})

def test_words_spelled_ahead_give_the_same_scores_and_are_never_forgotten(monkeypatch):
    """A serving model spells the release's words at load: texts made of them score as the plain model
    scores them, and the bounded cache of other words never drops them."""
    import models.c2w2d as c2w2d
    vocab, plain, frozen = _plain_and_frozen()
    ahead = vocab.encode(["seizures and eczema, long fingers tall stature"], "word")
    assert frozen.spell_ahead(ahead.ids[ahead.mask]) == 7
    assert frozen.spell_ahead(ahead.ids[ahead.mask]) == 0  # known already
    monkeypatch.setattr(c2w2d, "WORD_CACHE_SIZE", 2)  # the cache of other words clears often
    with torch.inference_mode():
        for text in ["seizures and eczema", "tall stature with ab abc abcd", "long fingers, seizures"]:
            batch = vocab.encode([text], "word")
            assert torch.allclose(frozen(batch.ids, batch.mask)[0], plain(batch.ids, batch.mask)[0], atol=1e-6), text
    assert len(frozen._spelled_ahead) == 7 and len(frozen._word_cache) == 4  # with ab abc abcd, after a clear
    with pytest.raises(ValueError, match="frozen for inference"):
        plain.spell_ahead(ahead.ids[ahead.mask])


def test_unknown_architecture_names_the_choices():
    with pytest.raises(ValueError, match=r"unknown architecture 'bert'; expected one of \['c2d-blstm', 'c2d-cnn', 'c2w2d'\]"):
        build_model("bert", {"n_classes": 2, "vocab_size": 10})


def test_unknown_config_field_is_refused():
    with pytest.raises(ValueError, match=r"unknown c2w2d config fields \['hiden'\]"):
        build_model("c2w2d", {"n_classes": 2, "vocab_size": 10, "hiden": 3})


def test_the_cli_lists_every_registered_architecture():
    """`zebra train` names the architectures without importing torch; the list must match the registry."""
    from models import ARCHITECTURE_NAMES
    from models.registry import ARCHITECTURES as registered

    assert ARCHITECTURE_NAMES == tuple(registered)


def test_the_cli_starts_without_torch():
    import subprocess
    import sys

    code = "import sys, cli.main; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
