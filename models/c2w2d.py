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
from models.layers import AttentionPool, BiLSTM, DocModel

WORD_CACHE_SIZE = 20_000  # spelled words a frozen model remembers (under 20 MB), besides those spelled ahead
SPELL_AHEAD_BATCH = 2_048  # words spelled in one pass of the char BLSTM by `spell_ahead`


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
        self.char_lstm = BiLSTM(config.char_embed, config.char_hidden)
        self.word_lstm = BiLSTM(2 * config.char_hidden, config.word_hidden)
        self.attention = AttentionPool(2 * config.word_hidden, config.attn_dim)
        self.dropout = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * config.word_hidden, config.n_classes)
        self._word_cache: dict[bytes, torch.Tensor] | None = None  # see `freeze_for_inference`
        self._spelled_ahead: dict[bytes, torch.Tensor] = {}  # see `spell_ahead`: never forgotten

    def embed_words(self, chars: torch.Tensor) -> torch.Tensor:
        """Word vectors (N, 2*char_hidden) for spelled words chars (N, L):
        last forward state || first backward state of the char BLSTM."""
        lengths = (chars != PAD).sum(-1).clamp(min=1)  # (N,)
        order = lengths.argsort()
        # Words sorted by length in up to 4 groups, each trimmed to its longest word:
        # most words are short, so this runs ~2.5x fewer LSTM steps than padding to L.
        parts = []
        for group in order.tensor_split(min(4, max(1, len(order) // 64))):
            group_lengths = lengths[group]
            x = self.char_embed(chars[group, : int(group_lengths.max())])  # (n, l, E)
            parts.append(self.char_lstm(x, group_lengths)[1])  # (n, 2Hc)
        return torch.cat(parts)[order.argsort()]  # (N, 2Hc), input order

    def freeze_for_inference(self) -> "Chars2Words2Doc":
        """Also remember each word's vector once spelled: a word's vector depends on its
        characters only, and queries reuse a small medical vocabulary (measured on the real
        test cases after the tuning cases: 7% of words missed), so most words skip the char BLSTM."""
        super().freeze_for_inference()
        self._word_cache, self._spelled_ahead = {}, {}
        return self

    @torch.inference_mode()
    def spell_ahead(self, chars: torch.Tensor) -> int:
        """Spell words (N, L) now, for a frozen model to remember for good (the words queries are mostly made
        of: a word's vector is the same whenever it is spelled); returns how many were new."""
        if self._word_cache is None or self.training:
            raise ValueError("spelling ahead needs a model frozen for inference (freeze_for_inference)")
        distinct = torch.unique(chars, dim=0)
        keys = _keys(distinct)
        new = [i for i, k in enumerate(keys) if k not in self._spelled_ahead]
        for start in range(0, len(new), SPELL_AHEAD_BATCH):
            part = new[start:start + SPELL_AHEAD_BATCH]
            for i, v in zip(part, self.embed_words(distinct[part])):
                self._spelled_ahead[keys[i]] = v.clone()
        return len(new)

    def _spell(self, distinct: torch.Tensor) -> torch.Tensor:
        """embed_words, through the words spelled ahead and the word cache of a frozen model (exact: the same
        vectors)."""
        cache, ahead = self._word_cache, self._spelled_ahead
        if cache is None or self.training:
            return self.embed_words(distinct)
        keys = _keys(distinct)
        vectors = [ahead.get(k) if k in ahead else cache.get(k) for k in keys]
        missing = [i for i, v in enumerate(vectors) if v is None]
        if missing:
            if len(cache) + len(missing) > WORD_CACHE_SIZE:
                cache.clear()  # rare (a vocabulary this large); a clear is safe under concurrent reads
            for i, v in zip(missing, self.embed_words(distinct[missing])):
                vectors[i] = cache[keys[i]] = v.clone()
        return torch.stack(vectors)

    def pool(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        b, w, _ = ids.shape  # ids (B, W, L), mask (B, W)
        words = ids[mask]  # (N, L) real words only
        # Spell each distinct word of the batch once ("the", "of", ... repeat a lot).
        distinct, inverse = torch.unique(words, dim=0, return_inverse=True)
        vectors = self._spell(distinct)[inverse]  # (N, 2Hc)
        x = vectors.new_zeros(b, w, vectors.size(-1))  # (B, W, 2Hc)
        x[mask] = vectors
        h, _ = self.word_lstm(self.dropout(x), mask.sum(-1))  # (B, W, 2Hw)
        return self.attention(h, mask)  # (B, 2Hw), (B, W)


def _keys(distinct: torch.Tensor) -> list[bytes]:
    """Each spelled word's key: its characters' ids. From one numpy copy: a torch op per word would hand the
    interpreter lock back and forth with the search's other thread on every word."""
    rows = distinct.cpu().numpy()
    lengths = (rows != PAD).sum(axis=1).tolist()  # padding only trails a word
    return [row[:n].tobytes() for row, n in zip(rows, lengths)]
