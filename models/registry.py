"""The architecture registry: arch name -> (config dataclass, module class), and
`build_model`, the one place a network is constructed from a name and a config.
"""
from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any, Mapping

from models.c2d_blstm import C2DBLSTMConfig, Chars2DocBLSTM
from models.c2d_cnn import C2DCNNConfig, Chars2DocCNN
from models.c2w2d import C2W2DConfig, Chars2Words2Doc
from models.layers import DocModel

ARCHITECTURES: Mapping[str, tuple[type, type[DocModel]]] = MappingProxyType({
    "c2w2d": (C2W2DConfig, Chars2Words2Doc),
    "c2d-blstm": (C2DBLSTMConfig, Chars2DocBLSTM),
    "c2d-cnn": (C2DCNNConfig, Chars2DocCNN),
})


def _lookup(arch: str) -> tuple[type, type[DocModel]]:
    try:
        return ARCHITECTURES[arch]
    except KeyError:
        raise ValueError(f"unknown architecture {arch!r}; expected one of {sorted(ARCHITECTURES)}") from None


def make_config(arch: str, config: Any) -> Any:
    """The arch's config dataclass from an instance of it or a mapping of its fields."""
    config_cls, _ = _lookup(arch)
    if isinstance(config, config_cls):
        return config
    if isinstance(config, Mapping):
        names = {f.name for f in dataclasses.fields(config_cls)}
        unknown = sorted(set(config) - names)
        if unknown:
            raise ValueError(f"unknown {arch} config fields {unknown}; expected some of {sorted(names)}")
        return config_cls(**config)
    raise TypeError(f"{arch} config must be a {config_cls.__name__} or a mapping, not {type(config).__name__}")


def config_to_dict(config: Any) -> dict[str, Any]:
    """A JSON-able dict of a config dataclass (tuples become lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(config).items()}


def build_model(arch: str, config: Any) -> DocModel:
    """Build the network for `arch` ("c2w2d", "c2d-blstm", "c2d-cnn") from its config."""
    _, model_cls = _lookup(arch)
    return model_cls(make_config(arch, config))
