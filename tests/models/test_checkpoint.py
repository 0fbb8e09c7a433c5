"""Checkpoints: round trips, and the errors for mismatched, corrupt and missing files."""
import random

import pytest
import torch

from models.checkpoint import (FORMAT_VERSION, CheckpointCorrupt, CheckpointError, CheckpointMismatch,
                               CheckpointMissing, labels_digest, load_checkpoint, save_checkpoint)

QUERIES = ["tall with long thin fingers and a dislocated lens", "chronic cough, salty skin", "chorea"]


def _outputs(model, vocab, texts=QUERIES):
    batch = vocab.encode(texts, model.level)
    with torch.inference_mode():
        return model.eval()(batch.ids, batch.mask)


def _save(path, result, labels, release, **kwargs):
    return save_checkpoint(path, result.model, result.arch, result.config, result.vocab, labels, release,
                           result.metrics(), {"fusion": {"neural": 0.4, "lexical": 0.6}}, **kwargs)


@pytest.mark.parametrize("arch", ["c2w2d", "c2d-blstm", "c2d-cnn"])
def test_float32_round_trip_gives_identical_outputs(arch, trained, labels, release, tmp_path):
    result = trained[arch]
    loaded = load_checkpoint(_save(tmp_path / "m.pt", result, labels, release, half=False), labels, release)
    for before, after in zip(_outputs(result.model, result.vocab), _outputs(loaded.model, loaded.vocab)):
        assert torch.equal(before, after)


@pytest.mark.parametrize("arch", ["c2w2d", "c2d-blstm", "c2d-cnn"])
def test_half_precision_round_trip_is_stable(arch, trained, labels, release, tmp_path):
    result = trained[arch]
    first = load_checkpoint(_save(tmp_path / "a.pt", result, labels, release))
    second = load_checkpoint(save_checkpoint(tmp_path / "b.pt", first.model, first.arch, first.config, first.vocab,
                                             first.labels, first.data_release, first.metrics, first.extra))
    logits_original = _outputs(result.model, result.vocab)[0]
    logits_first, attention_first = _outputs(first.model, first.vocab)
    logits_second, attention_second = _outputs(second.model, second.vocab)
    assert torch.equal(logits_first, logits_second) and torch.equal(attention_first, attention_second)
    assert torch.allclose(logits_first, logits_original, atol=0.05, rtol=0.01)
    assert logits_first.argmax(-1).tolist() == logits_original.argmax(-1).tolist()


def test_everything_beside_the_weights_round_trips(trained, labels, release, tmp_path):
    result = trained["c2w2d"]
    loaded = load_checkpoint(_save(tmp_path / "m.pt", result, labels, release))
    assert (loaded.arch, loaded.config, loaded.labels, loaded.data_release) == ("c2w2d", result.config, labels, release)
    assert loaded.vocab == result.vocab and loaded.format_version == FORMAT_VERSION
    assert loaded.extra == {"fusion": {"neural": 0.4, "lexical": 0.6}}
    assert loaded.metrics["best_epoch"] == result.best_epoch and len(loaded.metrics["history"]) == len(result.history)
    assert not loaded.model.training


def test_other_data_release_is_a_mismatch_naming_both(trained, labels, tmp_path):
    path = _save(tmp_path / "m.pt", trained["c2d-cnn"], labels, "2024-04-26")
    with pytest.raises(CheckpointMismatch) as error:
        load_checkpoint(path, labels, "2025-01-16")
    assert str(error.value) == ("checkpoint data release 2024-04-26 does not match corpus data release 2025-01-16; "
                                "retrain with `zebra train`")


def test_other_label_map_is_a_mismatch_naming_both(trained, labels, release, tmp_path):
    path = _save(tmp_path / "m.pt", trained["c2d-cnn"], labels, release)
    corpus_labels = labels[:2] + ["ORPHA:558"] + labels[3:] + ["OMIM:999999"]
    with pytest.raises(CheckpointMismatch) as error:
        load_checkpoint(path, corpus_labels, release)
    assert str(error.value) == (
        f"checkpoint label map (5 labels, digest {labels_digest(labels)}) does not match corpus label map "
        f"(6 labels, digest {labels_digest(corpus_labels)}); first difference at class 2: {labels[2]} vs ORPHA:558; "
        "retrain with `zebra train`")


def test_other_format_version_is_a_mismatch(tmp_path):
    path = tmp_path / "old.pt"
    torch.save({"format_version": 0, "meta": "{}", "state_dict": {}}, path)
    with pytest.raises(CheckpointMismatch, match=f"format version 0, but this code reads format version {FORMAT_VERSION}"):
        load_checkpoint(path)


@pytest.mark.parametrize("content", [b"", b"not a checkpoint at all", b"PK\x03\x04 truncated zip"])
def test_corrupt_file_names_the_path(content, tmp_path):
    path = tmp_path / "broken.pt"
    path.write_bytes(content)
    with pytest.raises(CheckpointCorrupt, match=str(path)):
        load_checkpoint(path)


def test_random_bytes_are_always_refused_as_corrupt(tmp_path):
    """Whatever way torch's unpickler fails on bytes that are no checkpoint (IndexError, KeyError …),
    the user gets CheckpointCorrupt naming the file (200 random files, fixed seeds)."""
    path = tmp_path / "random.pt"
    for seed in range(200):
        path.write_bytes(random.Random(seed).randbytes(random.Random(seed).randint(1, 4096)))
        with pytest.raises(CheckpointCorrupt, match=str(path)):
            load_checkpoint(path)


def test_truncated_checkpoint_is_corrupt(trained, labels, release, tmp_path):
    path = _save(tmp_path / "m.pt", trained["c2d-cnn"], labels, release)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CheckpointCorrupt, match=str(path)):
        load_checkpoint(path)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(CheckpointMissing, match=f"no checkpoint at {tmp_path / 'none.pt'}"):
        load_checkpoint(tmp_path / "none.pt")
    assert issubclass(CheckpointMissing, CheckpointError) and issubclass(CheckpointCorrupt, CheckpointError)


def test_label_map_must_fit_the_network(trained, labels, release, tmp_path):
    with pytest.raises(ValueError, match="config has 5 classes but the label map has 4"):
        _save(tmp_path / "m.pt", trained["c2d-cnn"], labels[:4], release)
