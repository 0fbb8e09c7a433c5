"""Text encoding for the neural rankers: normalisation, the character vocabulary,
word splitting, windows, and padded id tensors.

Owns how text becomes ids; knows nothing of labels, models or training.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import torch

PAD = 0  # padding id; every embedding keeps it at zero
UNK = 1  # any character outside the vocabulary

DEFAULT_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?'\"-()/[]%+=<>&*#_"

# Words are maximal runs of letters or digits (any script); everything else
# (space, hyphen, punctuation) separates words: "X-linked" -> ["x", "linked"].
_WORD = re.compile(r"[^\W_]+")
_CACHE_LIMIT = 200_000  # word-id cache entries; noise in training creates many rare words


def normalise(text: str) -> str:
    """NFKD-fold accents away, casefold, collapse whitespace: "Ménière's  Disease" -> "meniere's disease"."""
    if text.isascii():  # nothing to decompose (most queries): the same result at a sixth of the cost
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(folded.split())


def split_words(normalised: str) -> list[str]:
    """The words of an already normalised text (runs of letters/digits)."""
    return _WORD.findall(normalised)


@dataclass
class Batch:
    """Padded ids for a batch of texts, one row per window.

    ids:   (N, W, L) word level or (N, T) char level, int64, PAD-padded
    mask:  (N, W) or (N, T) bool, True on real words / characters
    owner: (N,) int64, index of the input text each window came from
    tokens: per window, the words (word level) or characters (char level) it holds
    """

    ids: torch.Tensor
    mask: torch.Tensor
    owner: torch.Tensor
    tokens: list[list[str]]

    def to(self, device: torch.device | str) -> "Batch":
        return Batch(self.ids.to(device), self.mask.to(device), self.owner.to(device), self.tokens)


@dataclass
class Vocabulary:
    """The character table (id 0 = PAD, 1 = UNK, then `chars` in order) and the
    window limits; stored in every checkpoint so encoding is reproduced exactly."""

    chars: str = DEFAULT_CHARS
    max_word_len: int = 20  # longer words are truncated to their first 20 characters
    max_words: int = 32  # words per window (word-level model)
    max_chars: int = 200  # characters per window (char-level models)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _word_cache: dict[str, np.ndarray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("vocabulary characters must be unique")
        self._index = {ch: i + 2 for i, ch in enumerate(self.chars)}
        self._word_cache = {}

    @property
    def size(self) -> int:
        return len(self.chars) + 2

    def to_dict(self) -> dict[str, Any]:
        return {"chars": self.chars, "max_word_len": self.max_word_len,
                "max_words": self.max_words, "max_chars": self.max_chars}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Vocabulary":
        return cls(**data)

    def char_ids(self, text: str) -> list[int]:
        get = self._index.get
        return [get(ch, UNK) for ch in text]

    def _word_row(self, word: str) -> np.ndarray:
        row = self._word_cache.get(word)
        if row is None:
            if len(self._word_cache) >= _CACHE_LIMIT:
                self._word_cache.clear()
            ids = self.char_ids(word[: self.max_word_len]) or [UNK]  # "" = empty text
            row = np.zeros(self.max_word_len, dtype=np.int64)
            row[: len(ids)] = ids
            self._word_cache[word] = row
        return row

    # ---- windows -------------------------------------------------------

    def word_windows(self, normalised: str) -> list[list[str]]:
        """Consecutive windows of at most `max_words` words; an empty text gives one
        window holding an empty word (encoded as a single UNK) so it still scores."""
        words = split_words(normalised)
        if not words:
            return [[""]]
        n = self.max_words
        return [words[i: i + n] for i in range(0, len(words), n)]

    def char_windows(self, normalised: str) -> list[str]:
        """Word-aligned windows of at most `max_chars` characters (split at spaces;
        a single longer run is cut hard). An empty text gives one window " "."""
        if not normalised:
            return [" "]
        windows: list[str] = []
        current = ""
        for piece in normalised.split(" "):
            while len(piece) > self.max_chars:
                if current:
                    windows.append(current)
                    current = ""
                windows.append(piece[: self.max_chars])
                piece = piece[self.max_chars:]
            candidate = f"{current} {piece}" if current else piece
            if len(candidate) <= self.max_chars:
                current = candidate
            else:
                windows.append(current)
                current = piece
        if current or not windows:
            windows.append(current or " ")
        return windows

    # ---- batches -------------------------------------------------------

    def encode_words(self, texts: Sequence[str], *, first_window_only: bool = False,
                     normalised: bool = False) -> Batch:
        """Encode texts for the word-level model: ids (N, W, L), mask (N, W)."""
        windows, owner = self._collect(texts, self.word_windows, first_window_only, normalised)
        n, w = len(windows), max(len(win) for win in windows)
        mask = np.zeros((n, w), dtype=bool)
        for i, win in enumerate(windows):
            mask[i, : len(win)] = True
        ids = np.zeros((n, w, self.max_word_len), dtype=np.int64)
        rows = [self._word_row(word) for win in windows for word in win]
        ids[mask] = np.stack(rows)  # row-major order of mask matches the word order
        return Batch(torch.from_numpy(ids), torch.from_numpy(mask), owner, windows)

    def encode_chars(self, texts: Sequence[str], *, first_window_only: bool = False,
                     normalised: bool = False) -> Batch:
        """Encode texts for the char-level models: ids (N, T), mask (N, T)."""
        windows, owner = self._collect(texts, self.char_windows, first_window_only, normalised)
        t = max(len(win) for win in windows)
        ids = np.zeros((len(windows), t), dtype=np.int64)
        for i, win in enumerate(windows):
            ids[i, : len(win)] = self.char_ids(win)
        lengths = np.array([len(win) for win in windows])
        mask = np.arange(t)[None, :] < lengths[:, None]
        return Batch(torch.from_numpy(ids), torch.from_numpy(mask), owner,
                     [list(win) for win in windows])

    def encode(self, texts: Sequence[str], level: str, **kwargs: bool) -> Batch:
        """Dispatch on the model's input level: "word" or "char"."""
        if level == "word":
            return self.encode_words(texts, **kwargs)
        if level == "char":
            return self.encode_chars(texts, **kwargs)
        raise ValueError(f"unknown input level {level!r}; expected 'word' or 'char'")

    @staticmethod
    def _collect(texts: Sequence[str], split: Callable[[str], list], first_only: bool,
                 already_normalised: bool) -> tuple[list, torch.Tensor]:
        """All windows of all texts, and the index of the text each came from."""
        if not texts:
            raise ValueError("cannot encode an empty list of texts")
        windows: list = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            wins = split(text if already_normalised else normalise(text))
            if first_only:
                wins = wins[:1]
            windows.extend(wins)
            owner.extend([i] * len(wins))
        return windows, torch.tensor(owner, dtype=torch.long)

