"""Chars2Doc CNN: character convolutions of several widths, ReLU, max-pooling over
time, then a softmax layer over diseases. Input is the char-level encoding (B, T).

Its per-character weights are a saliency, not attention: each filter's pooled
maximum is credited to the characters of the window that produced it; summed over
filters and normalised to 1 over the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import nn

from models.encoding import PAD
from models.layers import DocModel


@dataclass
class C2DCNNConfig:
    n_classes: int
    vocab_size: int
    char_embed: int = 32
    widths: tuple[int, ...] = (3, 4, 5, 6)
    filters: int = 64  # per width; pooled vector = filters * len(widths)
    dropout: float = 0.3

    def __post_init__(self) -> None:
        self.widths = tuple(self.widths)  # JSON round trips give a list


class Chars2DocCNN(DocModel):
    level: ClassVar[str] = "char"

    def __init__(self, config: C2DCNNConfig) -> None:
        super().__init__()
        self.config = config
        self.char_embed = nn.Embedding(config.vocab_size, config.char_embed, padding_idx=PAD)
        self.convs = nn.ModuleList(nn.Conv1d(config.char_embed, config.filters, k)
                                   for k in config.widths)
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.filters * len(config.widths), config.n_classes)

    def pool(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        t = ids.size(1)
        pad = max(self.config.widths) - t
        if pad > 0:  # texts shorter than the widest filter
            ids, mask = F.pad(ids, (0, pad), value=PAD), F.pad(mask, (0, pad), value=False)
        lengths = mask.sum(-1)  # (B,)
        x = self.dropout(self.char_embed(ids)).transpose(1, 2)  # (B, E, T')
        features, saliency = [], torch.zeros(mask.shape, device=ids.device)  # (B, T')
        for conv, k in zip(self.convs, self.config.widths):
            y = torch.relu(conv(x))  # (B, F, T'-k+1)
            starts = torch.arange(y.size(-1), device=ids.device)
            valid = starts[None, :] < (lengths - k + 1).clamp(min=1)[:, None]  # (B, T'-k+1)
            y = y.masked_fill(~valid[:, None, :], -1.0)  # ReLU >= 0, so padding never wins
            top, where = y.max(dim=-1)  # (B, F), (B, F)
            features.append(top)
            self._credit(saliency, top.detach(), where, k)
        saliency = saliency[:, :t] * mask[:, :t]
        total = saliency.sum(-1, keepdim=True)
        uniform = mask[:, :t] / lengths.clamp(min=1)[:, None]
        weights = torch.where(total > 0, saliency / total.clamp(min=1e-12), uniform)  # (B, T)
        return torch.cat(features, dim=-1), weights  # (B, F * n_widths), (B, T)

    @staticmethod
    def _credit(saliency: torch.Tensor, top: torch.Tensor, where: torch.Tensor, k: int) -> None:
        """Add each filter's maximum to the k characters of its winning window."""
        b, f = top.shape
        positions = where[..., None] + torch.arange(k, device=where.device)  # (B, F, k)
        positions = positions.clamp(max=saliency.size(1) - 1)
        saliency.scatter_add_(1, positions.view(b, -1), top[..., None].expand(b, f, k).reshape(b, -1))
