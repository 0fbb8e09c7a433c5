"""Golden rankings on the full corpus: every ranker's top 20 for the shipped query sets.

Owns choosing the queries (all real-case test and tuning cases, a fixed sample of the simulated
test set), computing each ranker's top 20 (disease ids and scores; for fused results each ranker's
own score too), the file format of `tests/golden/full_corpus_rankings.json` and the comparison, in
which diseases with equal scores may swap places (two builds of the index order them differently).
It does not build the corpus: `tests/test_full_corpus.py` compares a fresh build with the file, and
`python -m tests.golden_rankings` compares (or, with `--write`, records) the built data dir.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from app.service import SearchService

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "full_corpus_rankings.json"
QUERY_SETS = {"real-test.jsonl": None, "real-tune.jsonl": None, "test.jsonl": 100}  # file → sample size (None: all)
TOP = 20


def golden_queries() -> dict[str, str]:
    """`file:line` → query text, for every query the golden file covers."""
    out = {}
    for name, sample in QUERY_SETS.items():
        lines = (ROOT / "data" / "queries" / name).read_text().splitlines()
        numbers = [i for i, line in enumerate(lines, start=1) if line.strip()]
        if sample is not None:
            numbers = sorted(random.Random(0).sample(numbers, sample))
        out |= {f"{name}:{i}": json.loads(lines[i - 1])["query"] for i in numbers}
    return out


def rankings(service: SearchService) -> dict[str, dict]:
    """`file:line` → {ranker: top 20, "<ranker> total": ranking length}: each single ranker's top 20 as
    [disease_id, score] pairs, the fused top 20 as [disease_id, fused score, {ranker: its own score}]."""
    out = {}
    for key, query in golden_queries().items():
        entry = {}
        for ranker in service.rankers:
            ranking = service.rank(query, ranker)
            entry[ranker] = [[r.disease_id, _sig(r.score)] + ([{n: _sig(s) for n, s in r.scores.items()}]
                                                               if ranker == "fused" else [])
                             for r in ranking[:TOP]]
            entry[f"{ranker} total"] = len(ranking)
        out[key] = entry
    return out


def _sig(score: float) -> float:
    return float(f"{score:.7g}")


# Relative differences allowed: two builds of the same corpus move tantivy's f32 BM25 scores in the
# 7th significant digit, two CPUs the network's floating-point sums in the 6th or 7th; the fused
# score divides each ranker's scores by their spread over its list, which enlarges such a difference
# (measured between two x86_64 CPUs: 1.2e-5 of a fused score).
TOLERANCE = 1e-5
FUSED_TOLERANCE = 1e-4
# The fused total is the union of each ranker's top FUSION_DEPTH; on another CPU a disease the network
# scores within its float noise of the cut can enter or leave it (measured: 396 instead of 397).
FUSED_TOTAL_SLACK = 0.005


def _close(a: float, b: float, tolerance: float = TOLERANCE) -> bool:
    """Equal up to what differs between two builds of the same corpus or two CPUs (`TOLERANCE`)."""
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def same_ranking(expected: list[list], got: list[list], tolerance: float = TOLERANCE) -> bool:
    """The same diseases with the same scores in the same order, where diseases whose scores are equal
    (within `_close`) may come in either order: the order of equal scores is the index's, which two
    builds may lay out differently. Fused entries must also agree on which rankers scored them, and how
    (each ranker's own score within `TOLERANCE`)."""
    if len(expected) != len(got):
        return False
    for (e_id, e_score, *e_parts), (g_id, g_score, *g_parts) in zip(expected, got):
        if not _close(e_score, g_score, tolerance):
            return False
        if g_id != e_id:  # a tie: g_id must score the same in the golden ranking (or tie at the cut)
            mate = next((row for row in expected if row[0] == g_id), None)
            if not (_close(mate[1], g_score, tolerance) if mate is not None
                    else _close(expected[-1][1], g_score, tolerance)):
                return False
            e_parts = mate[2:] if mate is not None else g_parts
        for e_scores, g_scores in zip(e_parts, g_parts):
            if e_scores.keys() != g_scores.keys() or not all(_close(e_scores[n], g_scores[n]) for n in e_scores):
                return False
    return True


def write(answers: dict[str, dict], path: Path = GOLDEN) -> None:
    """One query per line, so a change shows as a readable diff."""
    lines = [f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in answers.items()]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")


def differences(golden: dict[str, dict], answers: dict[str, dict]) -> list[str]:
    """Each query whose rankings differ from the golden ones, with the rankers that differ."""
    out = [f"{key}: not in the golden file" for key in answers if key not in golden]
    out += [f"{key}: no longer asked" for key in golden if key not in answers]
    for key, expected in golden.items():
        got = answers.get(key)
        if got is None:
            continue
        changed = sorted(r for r in expected.keys() | got.keys()
                         if r not in expected or r not in got or not _same(r, expected[r], got[r]))
        if changed:
            out.append(f"{key}: {', '.join(changed)} changed")
    return out


def _same(name: str, expected, got) -> bool:
    if name == "fused total":
        return abs(expected - got) <= FUSED_TOTAL_SLACK * expected
    if name.endswith(" total"):
        return expected == got
    return same_ranking(expected, got, FUSED_TOLERANCE if name == "fused" else TOLERANCE)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Compare (or record) the golden rankings on the built data dir.")
    parser.add_argument("--write", action="store_true", help=f"record {GOLDEN.name} instead of comparing")
    args = parser.parse_args(argv)
    from app.loading import load_service
    from core.config import get_settings
    from indexer.store import make_engine

    settings = get_settings()
    answers = rankings(load_service(settings, make_engine(settings.sql_url))[0])
    if args.write:
        write(answers)
        print(f"{len(answers)} queries recorded in {GOLDEN}")
        return
    diff = differences(json.loads(GOLDEN.read_text()), answers)
    print("\n".join(diff) or f"all {len(answers)} queries: every ranker's top {TOP} unchanged")
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
