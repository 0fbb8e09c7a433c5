"""Typo'd copies of query sets: one edit (a character dropped, or two swapped) in a share of the
long words, deterministic for a seed. Owns how a robustness set is made from a query set.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from evaluation.queryset import EvalQuery, read_queries, write_queries

_LONG_WORD = re.compile(r"[^\W\d_]{5,}")
MIN_LETTERS = 5


def misspell(text: str, rng: random.Random, share: float = 1.0) -> str:
    """One typo in each word of `MIN_LETTERS` or more letters with probability `share` (every
    such word by default): a character dropped or two neighbours swapped, never the first."""
    return misspell_counted(text, rng, share)[0]


def misspell_counted(text: str, rng: random.Random, share: float = 1.0) -> tuple[str, int]:
    """`misspell`, and the number of words it changed."""
    edited = 0

    def typo(m: re.Match) -> str:
        nonlocal edited
        w = m.group(0)
        if share < 1.0 and rng.random() >= share:
            return w
        edited += 1
        i = rng.randrange(1, len(w) - 1)  # keep the first letter, as most typos do
        if rng.random() < 0.5:
            return w[:i] + w[i + 1:]
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    return _LONG_WORD.sub(typo, text), edited


def typo_copy(source: Path, out: Path, share: float = 0.3, seed: int = 7) -> dict:
    """Write `source`'s queries with typos to `out` (gold and meta kept; `meta.typo_of` names the
    source) and the parameters to OUT.meta.json; returns the counts."""
    if not 0.0 < share <= 1.0:
        raise ValueError(f"the typo share must be in (0, 1], got {share}; e.g. 0.3 for one word in three")
    rng = random.Random(seed)
    rows, words, edited = [], 0, 0
    for q in read_queries(source):
        noisy, n = misspell_counted(q.query, rng, share)
        words, edited = words + len(_LONG_WORD.findall(q.query)), edited + n
        rows.append(EvalQuery(query=noisy, gold=q.gold, meta={**(q.meta or {}), "typo_of": source.name}))
    write_queries(out, rows)
    meta = {"format": "zebra-queries", "format_version": 1, "generator": "typos", "generator_version": 1,
            "source": source.name, "seed": seed, "share": share, "min_letters": MIN_LETTERS,
            "n": len(rows), "long_words": words, "long_words_edited": edited}
    source_meta = source.with_name(source.stem + ".meta.json")
    if source_meta.is_file():
        meta["source_meta"] = json.loads(source_meta.read_text())
    out.with_name(out.stem + ".meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta
