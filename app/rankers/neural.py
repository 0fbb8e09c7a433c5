"""The neural ranker: a character-level network's probabilities over diseases, with attention.

Owns turning a `models.predict.Predictor` into a disease ranking and an explanation
(the weight of each query word). Loading and checking the checkpoint is
`app.loading`'s job.
"""

from __future__ import annotations

import numpy as np

from app.rankers.base import DEPTH, Findings, Ranked, Ranker
from models.predict import Predictor



class NeuralRanker(Ranker):
    name = "neural"

    def __init__(self, predictor: Predictor, depth: int = DEPTH):
        self.predictor = predictor
        self.depth = min(depth, len(predictor.labels))

    def rank(self, query: str, findings: Findings | None = None, source: str | None = None,
             depth: int = DEPTH) -> list[Ranked]:
        scores = self.predictor.scores(query)  # (C,) log-probabilities
        depth = min(depth, self.depth)
        top = np.argpartition(-scores, depth - 1)[:depth]
        top = top[np.lexsort((top, -scores[top]))]  # best first; ties by class index
        labels = self.predictor.labels
        return [Ranked(labels[i], score) for i, score in zip(top.tolist(), scores[top].tolist())]

    def explain(self, query: str) -> list[tuple[str, float]]:
        """Each (normalised) query word or character with its attention weight; they sum to 1."""
        return self.predictor.predict([query], k=1)[0].attention

    def status(self) -> dict:
        ck = self.predictor.checkpoint
        return {"loaded": True, "arch": ck.arch, "path": str(ck.path), "data_release": ck.data_release,
                "classes": len(ck.labels), "metrics": {k: v for k, v in ck.metrics.items()
                                                      if isinstance(v, (int, float, str))}}
