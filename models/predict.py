"""Scoring with a trained network: log-probabilities over diseases for texts (long
texts in windows, log-probabilities averaged), top-k predictions with the per-token
weights, and the `Predictor` that wraps a loaded checkpoint. CPU-first.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import torch

from models.checkpoint import LoadedCheckpoint, load_checkpoint
from models.encoding import Batch, Vocabulary, normalise, split_words
from models.layers import DocModel


@dataclass(frozen=True)
class Prediction:
    """Top-k label ids with their log-probabilities, and the weight of each token of
    the (normalised) query: words for c2w2d, characters for c2d-blstm, character
    saliency for c2d-cnn. Over all windows the weights sum to 1."""

    labels: list[str]
    log_probs: list[float]
    attention: list[tuple[str, float]]


@torch.inference_mode()
def score_windows(model: DocModel, vocab: Vocabulary, texts: Sequence[str],
                  device: str | torch.device = "cpu") -> tuple[torch.Tensor, torch.Tensor, Batch]:
    """Log-probabilities per text (N, C), averaged over its windows, plus the
    per-window token weights (N_windows, T) and the encoded batch."""
    batch = vocab.encode(texts, model.level).to(device)
    logits, weights = model(batch.ids, batch.mask)  # (N_win, C), (N_win, T)
    window_lp = torch.log_softmax(logits.float(), dim=-1)
    counts = torch.bincount(batch.owner, minlength=len(texts)).clamp(min=1)  # (N,)
    summed = window_lp.new_zeros(len(texts), window_lp.size(1)).index_add_(0, batch.owner, window_lp)
    return summed / counts[:, None], weights, batch


def score_texts(model: DocModel, vocab: Vocabulary, texts: Sequence[str],
                device: str | torch.device = "cpu", batch_size: int = 256) -> torch.Tensor:
    """Log-probabilities (N, C) for any number of texts, in chunks of `batch_size`."""
    chunks = [score_windows(model, vocab, texts[i: i + batch_size], device)[0].cpu()
              for i in range(0, len(texts), batch_size)]
    return torch.cat(chunks) if chunks else torch.empty(0, model.head.out_features)


class Predictor:
    """A loaded checkpoint ready to score queries."""

    def __init__(self, checkpoint: LoadedCheckpoint, device: str | torch.device = "cpu") -> None:
        self.checkpoint = checkpoint
        self.device = torch.device(device)
        self.model = checkpoint.model.to(self.device).freeze_for_inference()
        self.vocab = checkpoint.vocab
        self.labels = checkpoint.labels

    @classmethod
    def load(cls, path: str | Path, expected_labels: list[str] | None = None,
             expected_release: str | None = None, device: str | torch.device = "cpu") -> "Predictor":
        return cls(load_checkpoint(path, expected_labels, expected_release), device)

    @property
    def arch(self) -> str:
        return self.checkpoint.arch

    @torch.inference_mode()
    def predict(self, texts: Sequence[str], k: int = 10, batch_size: int = 256) -> list[Prediction]:
        """Top-k diseases for each text, with its token weights."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        return [p for i in range(0, len(texts), batch_size) for p in self._predict(texts[i: i + batch_size], k)]

    def _predict(self, texts: Sequence[str], k: int) -> list[Prediction]:
        log_probs, weights, batch = score_windows(self.model, self.vocab, texts, self.device)
        top_lp, top_ix = log_probs.topk(min(k, log_probs.size(1)), dim=-1)  # (N, k)
        attention = _token_weights(weights.float().cpu(), batch, len(texts))
        return [Prediction(labels=[self.labels[j] for j in ix.tolist()], log_probs=lp.tolist(),
                           attention=attention[i])
                for i, (lp, ix) in enumerate(zip(top_lp.cpu(), top_ix.cpu()))]

    @torch.inference_mode()
    def scores(self, text: str) -> np.ndarray:
        """Log-probabilities over all classes (C,), in label-map order, for fusion."""
        return score_windows(self.model, self.vocab, [text], self.device)[0][0].cpu().numpy()

    @torch.inference_mode()
    def read(self, text: str) -> tuple[np.ndarray, list[tuple[str, float]]]:
        """`scores` and the token weights of `predict`, from one pass of the network."""
        log_probs, weights, batch = score_windows(self.model, self.vocab, [text], self.device)
        scores = log_probs[0].cpu().numpy()
        scores.setflags(write=False)  # callers may share it (a ranker remembers recent readings)
        return scores, _token_weights(weights.float().cpu(), batch, 1)[0]

    @torch.inference_mode()
    def scores_many(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        """Log-probabilities (N, C) for many texts (batch evaluation)."""
        return score_texts(self.model, self.vocab, texts, self.device, batch_size).numpy()

    @torch.inference_mode()
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Pooled document vectors (N, D), averaged over windows (for a dual encoder)."""
        batch = self.vocab.encode(texts, self.model.level).to(self.device)
        pooled = self.model.encode(batch.ids, batch.mask)  # (N_win, D)
        counts = torch.bincount(batch.owner, minlength=len(texts)).clamp(min=1)
        summed = pooled.new_zeros(len(texts), pooled.size(1)).index_add_(0, batch.owner, pooled)
        return (summed / counts[:, None]).cpu().numpy()

    def spell_ahead(self, texts: Iterable[str], words_per_text: int = 2_000) -> int:
        """Spell now the words of `texts` (e.g. every label and synonym of the HPO release), so that queries made
        of them skip the char BLSTM (the same vectors as when spelled then); how many words were new. 0 for an
        architecture that does not spell words (c2d-cnn, c2d-blstm)."""
        if not hasattr(self.model, "spell_ahead"):
            return 0
        words = sorted({w for text in texts for w in split_words(normalise(text))})
        chunks = [" ".join(words[i:i + words_per_text]) for i in range(0, len(words), words_per_text)]
        new = 0
        for chunk in chunks:
            batch = self.vocab.encode_words([chunk], normalised=True)
            new += self.model.spell_ahead(batch.ids[batch.mask].to(self.device))
        return new

    @torch.inference_mode()
    def word_vectors(self, words: Sequence[str]) -> np.ndarray:
        """Spelled-word vectors (N, 2*char_hidden) of the c2w2d char BLSTM, e.g. for
        a 2-D embedding plot. Each word is normalised; it should be a single word."""
        if not hasattr(self.model, "embed_words"):
            raise ValueError(f"word vectors need the c2w2d architecture, this checkpoint is {self.arch}")
        batch = self.vocab.encode_words([w or " " for w in words], first_window_only=True)
        chars = batch.ids[:, 0, :].to(self.device)  # (N, L): the first word of each text
        return self.model.embed_words(chars).cpu().numpy()


def _token_weights(weights: torch.Tensor, batch: Batch, n_texts: int) -> list[list[tuple[str, float]]]:
    """Per text, (token, weight) over all its windows; each window's weights are
    scaled by 1/windows, matching the averaged log-probabilities."""
    owner = batch.owner.tolist()
    n_windows = np.bincount(owner, minlength=n_texts)
    out: list[list[tuple[str, float]]] = [[] for _ in range(n_texts)]
    for row, (text_ix, tokens) in enumerate(zip(owner, batch.tokens)):
        share = weights[row, : len(tokens)].tolist()
        scale = 1.0 / float(n_windows[text_ix])
        out[text_ix].extend((tok, w * scale) for tok, w in zip(tokens, share))
    return out
