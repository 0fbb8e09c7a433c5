"""Chars2Doc BLSTM: one BLSTM over the raw characters of a window, attention pooled,
then a softmax layer over diseases. Input is the char-level encoding (B, T).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from models.encoding import PAD
from models.layers import AttentionPool, BiLSTM, DocModel


@dataclass
class C2DBLSTMConfig:
    n_classes: int
    vocab_size: int
    char_embed: int = 32
    hidden: int = 128  # per direction; h_t = 2 * hidden
    layers: int = 1
    attn_dim: int = 128
    dropout: float = 0.3


class Chars2DocBLSTM(DocModel):
    level: ClassVar[str] = "char"

    def __init__(self, config: C2DBLSTMConfig) -> None:
        super().__init__()
        self.config = config
        self.char_embed = nn.Embedding(config.vocab_size, config.char_embed, padding_idx=PAD)
        self.lstm = BiLSTM(config.char_embed, config.hidden, config.layers, config.dropout)
        self.attention = AttentionPool(2 * config.hidden, config.attn_dim)
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * config.hidden, config.n_classes)

    def pool(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.dropout(self.char_embed(ids))  # (B, T, E)
        h, _ = self.lstm(x, mask.sum(-1))  # (B, T, 2H)
        return self.attention(h, mask)  # (B, 2H), (B, T)
