"""Pieces shared by the architectures: the `DocModel` interface (ids -> logits over
diseases + per-token weights), attention pooling and a padded-batch BLSTM runner.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class DocModel(nn.Module, ABC):
    """A text classifier over diseases. Subclasses set `level` ("word" or "char",
    which encoder feeds them), build `self.head` / `self.dropout`, and implement `pool`."""

    level: ClassVar[str]
    config: Any
    head: nn.Linear
    dropout: nn.Dropout

    @abstractmethod
    def pool(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(pooled vector (B, D), per-token weights (B, T) summing to 1 over the mask)."""

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        c, weights = self.pool(ids, mask)  # (B, D), (B, T)
        return self.head(self.dropout(c)), weights  # (B, n_classes), (B, T)

    def encode(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The pooled document vector (B, D) that the softmax layer reads."""
        return self.pool(ids, mask)[0]

    def n_params(self) -> int:
        return sum(p.numel() for p in self.parameters())


class AttentionPool(nn.Module):
    """a_t = softmax_t(v . tanh(W h_t)) over unmasked t;  c = sum_t a_t h_t."""

    def __init__(self, dim: int, attn_dim: int) -> None:
        super().__init__()
        self.proj = nn.Linear(dim, attn_dim)
        self.v = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        scores = self.v(torch.tanh(self.proj(h))).squeeze(-1)  # (B, T)
        scores = scores.masked_fill(~mask, float("-inf"))
        a = torch.softmax(scores, dim=-1)  # (B, T), zero on padding
        c = torch.bmm(a.unsqueeze(1), h).squeeze(1)  # (B, D)
        return c, a


def run_blstm(lstm: nn.LSTM, x: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Run a batch-first bidirectional LSTM over padded x (B, T, E) with true lengths (B,).

    Packing keeps padding out of the recurrence, so the backward direction starts
    at each sequence's real last step. Returns outputs (B, T, 2H) and the final
    states h_n (2, B, H): h_n[0] forward at the last step, h_n[1] backward at step 0.
    """
    packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    out, (h_n, _) = lstm(packed)
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
    return out, h_n
