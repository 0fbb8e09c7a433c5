"""Pictures of what the neural model learned: character embeddings and spelled-word vectors in 2-D.

Owns the PCA projections (scikit-learn) and their rendering to PNG (matplotlib, no
display). Characters are coloured by kind (letter, vowel, digit, punctuation) so the
groups the network formed can be seen; words are a fixed sample of clinical words.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402

from models.predict import Predictor  # noqa: E402

SAMPLE_WORDS = (
    "fingers finger fingernails toes toe hands hand feet foot arm arms leg legs "
    "heart cardiac cardiomyopathy aorta aortic artery arterial valve "
    "eye eyes ocular lens retina retinal vision blindness myopia "
    "seizure seizures epilepsy epileptic convulsions tremor ataxia dystonia "
    "kidney renal nephropathy liver hepatic hepatomegaly spleen splenomegaly "
    "skin cutaneous rash eczema hair alopecia nails "
    "short tall small large long thin broad narrow "
    "delay delayed disability intellectual developmental growth "
    "deafness hearing ear ears cleft palate lip teeth dental"
).split()


def _kind(ch: str) -> str:
    if ch in "aeiou":
        return "vowel"
    if ch.isalpha():
        return "consonant"
    if ch.isdigit():
        return "digit"
    return "punctuation / space"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def char_embedding_png(predictor: Predictor) -> bytes:
    """The character embedding table projected by PCA, one point per character."""
    vocab = predictor.vocab
    chars = [c for c in vocab.to_dict()["chars"]]
    table = predictor.model.char_embed.weight.detach().float().cpu().numpy()  # (V, E)
    ids = [vocab.char_ids(c)[0] for c in chars]
    xy = PCA(n_components=2, random_state=0).fit_transform(table[ids])
    fig, ax = plt.subplots(figsize=(7, 6))
    kinds = [_kind(c) for c in chars]
    for kind, colour in zip(("vowel", "consonant", "digit", "punctuation / space"),
                            ("#c2410c", "#1f5fbf", "#15803d", "#7e22ce")):
        pts = np.array([p for p, k in zip(xy, kinds) if k == kind])
        if len(pts):
            ax.scatter(pts[:, 0], pts[:, 1], s=12, c=colour, label=kind)
    for (x, y), c in zip(xy, chars):
        ax.annotate(repr(c)[1:-1] if c == " " else c, (x, y), fontsize=9, xytext=(3, 3), textcoords="offset points")
    ax.set_title("Character embeddings (PCA)")
    ax.legend(loc="best", fontsize=8)
    return _png(fig)


def word_vectors_png(predictor: Predictor, words: tuple[str, ...] = SAMPLE_WORDS) -> bytes:
    """Vectors the character-level word encoder spells for sample words, projected by PCA."""
    vectors = predictor.word_vectors(list(words))
    xy = PCA(n_components=2, random_state=0).fit_transform(vectors)
    fig, ax = plt.subplots(figsize=(9, 7))
    ax.scatter(xy[:, 0], xy[:, 1], s=8, c="#1f5fbf")
    for (x, y), w in zip(xy, words):
        ax.annotate(w, (x, y), fontsize=8, xytext=(2, 2), textcoords="offset points")
    ax.set_title("Spelled-word vectors of the Chars2Words2Doc word encoder (PCA)")
    return _png(fig)
