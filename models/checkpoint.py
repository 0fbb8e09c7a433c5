"""Checkpoints: one file holding the weights (float16 by default) beside everything
needed to rebuild and trust them (arch, config, vocabulary, label map, data release,
format version, training metrics, extras). Loading checks all of it and fails with a
`CheckpointError` subclass whose message names the values and the fix.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from models.encoding import Vocabulary
from models.layers import DocModel
from models.registry import build_model, config_to_dict, make_config

FORMAT_VERSION = 1
_RETRAIN = "retrain with `zebra train`"


class CheckpointError(Exception):
    """A checkpoint cannot be used."""


class CheckpointMissing(CheckpointError):
    """No file at the checkpoint path."""


class CheckpointCorrupt(CheckpointError):
    """The file is not a readable checkpoint of this project."""


class CheckpointMismatch(CheckpointError):
    """A readable checkpoint made for another format, label map or data release."""


@dataclass
class LoadedCheckpoint:
    path: Path
    model: DocModel  # in eval mode, float32
    arch: str
    config: Any  # the arch's config dataclass
    vocab: Vocabulary
    labels: list[str]  # position = class index
    data_release: str
    format_version: int
    metrics: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def labels_digest(labels: list[str]) -> str:
    """A short stable fingerprint of a label map (order matters)."""
    return hashlib.sha256("\n".join(labels).encode()).hexdigest()[:12]


def save_checkpoint(path: str | Path, model: DocModel, arch: str, config: Any, vocab: Vocabulary,
                    labels: list[str], data_release: str, metrics: dict[str, Any] | None = None,
                    extra: dict[str, Any] | None = None, *, half: bool = True) -> Path:
    """Write the checkpoint atomically; `metrics` and `extra` must be JSON-able."""
    config = make_config(arch, config)
    if config.n_classes != len(labels):
        raise ValueError(f"config has {config.n_classes} classes but the label map has {len(labels)}")
    meta = {"arch": arch, "config": config_to_dict(config), "vocab": vocab.to_dict(),
            "labels": list(labels), "data_release": data_release,
            "metrics": metrics or {}, "extra": extra or {}}
    state = {k: v.detach().to("cpu", torch.float16 if half and v.is_floating_point() else v.dtype)
             for k, v in model.state_dict().items()}
    payload = {"format_version": FORMAT_VERSION, "meta": json.dumps(meta), "state_dict": state}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(payload, tmp)
    os.replace(tmp, path)
    return path


def load_checkpoint(path: str | Path, expected_labels: list[str] | None = None,
                    expected_release: str | None = None, device: str | torch.device = "cpu") -> LoadedCheckpoint:
    """Rebuild the saved network (float32, eval mode) after checking format version,
    and, where given, the label map and data release the caller serves."""
    path = Path(path)
    payload = _read(path)
    version = payload.get("format_version")
    if version != FORMAT_VERSION:
        raise CheckpointMismatch(f"checkpoint {path} has format version {version}, but this code reads "
                                 f"format version {FORMAT_VERSION}; {_RETRAIN}")
    meta = _meta(path, payload)
    if expected_release is not None and meta["data_release"] != expected_release:
        raise CheckpointMismatch(f"checkpoint data release {meta['data_release']} does not match corpus "
                                 f"data release {expected_release}; {_RETRAIN}")
    if expected_labels is not None:
        _check_labels(meta["labels"], list(expected_labels))
    model, config = _rebuild(path, meta, payload["state_dict"])
    return LoadedCheckpoint(path=path, model=model.to(device).eval(), arch=meta["arch"], config=config,
                            vocab=Vocabulary.from_dict(meta["vocab"]), labels=meta["labels"],
                            data_release=meta["data_release"], format_version=version,
                            metrics=meta["metrics"], extra=meta["extra"])


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise CheckpointMissing(f"no checkpoint at {path}; train one with `zebra train`")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    # Bytes that are no checkpoint fail inside torch's unpickler in many ways (IndexError on an empty
    # stack, KeyError on an unknown opcode …): every one of them means the same to the user.
    except (RuntimeError, EOFError, OSError, ValueError, IndexError, KeyError, TypeError, AttributeError,
            MemoryError, pickle.UnpicklingError, zipfile.BadZipFile) as exc:
        raise CheckpointCorrupt(f"checkpoint {path} is corrupt or not a checkpoint ({exc.__class__.__name__}); "
                                f"{_RETRAIN}") from exc
    if not isinstance(payload, dict) or not {"format_version", "meta", "state_dict"} <= payload.keys():
        raise CheckpointCorrupt(f"checkpoint {path} is not a Zebra search checkpoint; {_RETRAIN}")
    return payload


def _meta(path: Path, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(payload["meta"])
        missing = {"arch", "config", "vocab", "labels", "data_release", "metrics", "extra"} - meta.keys()
    except (TypeError, ValueError, AttributeError) as exc:
        raise CheckpointCorrupt(f"checkpoint {path} has unreadable metadata; {_RETRAIN}") from exc
    if missing:
        raise CheckpointCorrupt(f"checkpoint {path} lacks metadata {sorted(missing)}; {_RETRAIN}")
    return meta


def _check_labels(saved: list[str], expected: list[str]) -> None:
    if saved == expected:
        return
    first = next((i for i, (a, b) in enumerate(zip(saved, expected)) if a != b), min(len(saved), len(expected)))
    raise CheckpointMismatch(
        f"checkpoint label map ({len(saved)} labels, digest {labels_digest(saved)}) does not match corpus "
        f"label map ({len(expected)} labels, digest {labels_digest(expected)}); first difference at class "
        f"{first}: {_label_at(saved, first)} vs {_label_at(expected, first)}; {_RETRAIN}")


def _label_at(labels: list[str], i: int) -> str:
    return labels[i] if i < len(labels) else "<end>"


def _rebuild(path: Path, meta: dict[str, Any], state: dict[str, torch.Tensor]) -> tuple[DocModel, Any]:
    try:
        config = make_config(meta["arch"], meta["config"])
        model = build_model(meta["arch"], config)
        model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()})
    except (ValueError, TypeError, RuntimeError, AttributeError) as exc:
        raise CheckpointCorrupt(f"checkpoint {path} does not rebuild its network: {exc}; {_RETRAIN}") from exc
    return model, config
