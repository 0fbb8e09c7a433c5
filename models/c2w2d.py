"""Chars2Words2Doc BLSTM, the main neural ranker: characters -> word vectors (char
BLSTM) -> word states (word BLSTM) -> attention pooling -> logits over diseases.
Input is the word-level encoding (B, W, L) of `models.encoding`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from models.encoding import PAD
from models.layers import AttentionPool, DocModel, run_blstm


@dataclass
class C2W2DConfig:
    n_classes: int
    vocab_size: int
    char_embed: int = 32
    char_hidden: int = 64  # per direction; word vector = 2 * char_hidden
    word_hidden: int = 128  # per direction; h_t = 2 * word_hidden
    attn_dim: int = 128
    dropout: float = 0.3


class Chars2Words2Doc(DocModel):
    level: ClassVar[str] = "word"

    def __init__(self, config: C2W2DConfig) -> None:
        super().__init__()
        self.config = config
        self.char_embed = nn.Embedding(config.vocab_size, config.char_embed, padding_idx=PAD)
        self.char_lstm = nn.LSTM(config.char_embed, config.char_hidden,
                                 batch_first=True, bidirectional=True)
        self.word_lstm = nn.LSTM(2 * config.char_hidden, config.word_hidden,
                                 batch_first=True, bidirectional=True)
        self.attention = AttentionPool(2 * config.word_hidden, config.attn_dim)
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * config.word_hidden, config.n_classes)

    def embed_words(self, chars: torch.Tensor) -> torch.Tensor:
        """Word vectors (N, 2*char_hidden) for spelled words chars (N, L):
        last forward state || first backward state of the char BLSTM."""
        lengths = (chars != PAD).sum(-1).clamp(min=1)  # (N,)
        x = self.char_embed(chars)  # (N, L, E)
        _, h_n = run_blstm(self.char_lstm, x, lengths)  # h_n: (2, N, Hc)
        return torch.cat([h_n[0], h_n[1]], dim=-1)  # (N, 2Hc)

    def pool(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        b, w, _ = ids.shape  # ids (B, W, L), mask (B, W)
        words = ids[mask]  # (N, L) real words only
        # Spell each distinct word of the batch once ("the", "of", ... repeat a lot).
        distinct, inverse = torch.unique(words, dim=0, return_inverse=True)
        vectors = self.embed_words(distinct)[inverse]  # (N, 2Hc)
        x = vectors.new_zeros(b, w, vectors.size(-1))  # (B, W, 2Hc)
        x[mask] = vectors
        h, _ = run_blstm(self.word_lstm, self.dropout(x), mask.sum(-1))  # (B, W, 2Hw)
        return self.attention(h, mask)  # (B, 2Hw), (B, W)
