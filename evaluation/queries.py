"""Simulated patients from the HPO annotations, by the Phenomizer protocol (Köhler et al.,
AJHG 2009): per sampled disease record, k findings drawn by annotated frequency, some
made imprecise (an is_a ancestor), unrelated noise findings added, sometimes an excluded
finding stated ("no X"), all written in words by `evaluation.render`.

Owns which records are sampled (stratified by source × annotation count) and what each
patient has; deterministic for a seed. Gold = [article_id, disease_id of its group].
"""

from __future__ import annotations

import json
import re
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from evaluation.queryset import write_queries
from evaluation.render import ONSET_AGES, Person, age_from_onset, has_synonym, narrate, sex_of, write_term
from indexer.corpus import SOURCES, HpoRelease, build_articles
from indexer.grouping import group_articles
from indexer.hpo import Ontology

GENERATOR = "phenomizer-simulated-patients"
GENERATOR_VERSION = 1
ROOT, PHENOTYPIC_ABNORMALITY = "HP:0000001", "HP:0000118"
FREQUENCY_VALUES = {"HP:0040280": 1.0, "HP:0040281": 0.895, "HP:0040282": 0.545, "HP:0040283": 0.17,
                    "HP:0040284": 0.025, "HP:0040285": 0.0}
_FRACTION, _PERCENT = re.compile(r"^(\d+)/(\d+)$"), re.compile(r"^(\d+(?:\.\d+)?)%$")


# How many findings unrelated to their disease's annotations (neither an annotation nor an ancestor or a
# descendant of one) the clean published patients of the real-case tuning part show: 439 cases of 41
# diseases, 0, 1, … 9 and 10 or more of them (122, 85, 81, 47, 24, 23, 17, 8, 10, 8, 14 cases; a mean of
# 2.5 of 9.4 findings, 26%). Training patients drawn with these weights are as noisy as real ones; the
# default (0–2, a mean of 0.7) keeps the shipped query sets as they were made.
PUBLISHED_NOISE_WEIGHTS = (122.0, 85.0, 81.0, 47.0, 24.0, 23.0, 17.0, 8.0, 10.0, 8.0, 14.0)


class GenerationError(ValueError):
    """The release cannot give the query set asked for (e.g. too few eligible diseases)."""


@dataclass(frozen=True)
class GeneratorParams:
    min_features: int = 3          # records with fewer positive findings are never sampled
    max_features: int = 10
    p_imprecise: float = 0.25      # per finding: replaced by an is_a ancestor
    p_two_levels: float = 0.3      # an imprecise finding climbs two levels instead of one
    noise_weights: tuple[float, ...] = (0.5, 0.3, 0.2)  # P(0, 1, 2, … unrelated findings)
    p_excluded: float = 0.3        # the query states an excluded finding ("no X")
    p_second_excluded: float = 0.2
    p_not_annotated: float = 0.7   # the excluded finding is one annotated NOT, when the disease has one
    p_synonym: float = 0.85        # a finding with synonyms is written with one
    p_layperson: float = 0.5       # … a layperson synonym, when there is one
    p_age: float = 0.85            # age and sex stated when the onset tells the age
    unknown_frequency: float = 0.5
    count_bins: tuple[int, ...] = (3, 6, 12, 25)  # strata: [3, 6), [6, 12), [12, 25), [25, ∞) findings
    popular_terms: int = 300       # excluded findings absent from the disease come from the most annotated


def frequency_value(code: str, unknown: float = 0.5) -> float:
    """An annotation's frequency as a probability: HP:004028x codes, 'n/m', 'x%', '' → unknown."""
    if code in FREQUENCY_VALUES:
        return FREQUENCY_VALUES[code]
    if m := _FRACTION.match(code):
        return int(m.group(1)) / int(m.group(2)) if int(m.group(2)) else unknown
    if m := _PERCENT.match(code):
        return min(float(m.group(1)) / 100, 1.0)
    return unknown


@dataclass
class Record:
    """What the release says about one disease record (article)."""

    article_id: str
    disease_id: str
    features: list[tuple[str, float]] = field(default_factory=list)  # (hpo_id, frequency > 0)
    excluded: list[str] = field(default_factory=list)  # NOT, 0% or 0/m
    onsets: list[str] = field(default_factory=list)
    inheritance: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.article_id.split(":")[0]


def _records(release: HpoRelease, unknown: float) -> list[Record]:
    """One `Record` per OMIM/ORPHA/DECIPHER record, in the file's order, with its disease group."""
    group_of = {aid: d.disease_id for d in group_articles(build_articles(release)) for aid in d.article_ids}
    out: dict[str, Record] = {}
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    for a in release.annotations:
        term = release.ontology.get(a.hpo_id)
        if a.disease_id.split(":")[0] not in SOURCES or term is None or term.obsolete:
            continue
        rec = out.get(a.disease_id)
        if rec is None:
            rec = out[a.disease_id] = Record(a.disease_id, group_of.get(a.disease_id, a.disease_id))
        if a.aspect == "C" and term.hpo_id not in rec.onsets:
            rec.onsets.append(term.hpo_id)
        elif a.aspect == "I" and term.hpo_id not in rec.inheritance:
            rec.inheritance.append(term.hpo_id)
        elif a.aspect == "P":
            value = 0.0 if a.negated else frequency_value(a.frequency, unknown)
            if value > 0:
                weights[a.disease_id][term.hpo_id] = max(value, weights[a.disease_id].get(term.hpo_id, 0.0))
            elif term.hpo_id not in rec.excluded:
                rec.excluded.append(term.hpo_id)
        if a.onset in ONSET_AGES and a.onset not in rec.onsets:
            rec.onsets.append(a.onset)
    for rec in out.values():  # a finding annotated both present and absent counts as present
        rec.features = list(weights[rec.article_id].items())
        rec.excluded = [t for t in rec.excluded if t not in weights[rec.article_id]]
    return list(out.values())


class _Terms:
    """Memoised ontology lookups: ancestors-or-self, the too-general terms, climbing is_a."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self._up: dict[str, frozenset[str]] = {}
        top = {ROOT, PHENOTYPIC_ABNORMALITY}
        self.too_general = top | {t.hpo_id for t in ontology.terms.values() if top & set(t.parents)}

    def up(self, hpo_id: str) -> frozenset[str]:
        if hpo_id not in self._up:
            self._up[hpo_id] = frozenset(self.ontology.ancestors(hpo_id) | {hpo_id})
        return self._up[hpo_id]

    def climb(self, hpo_id: str, levels: int, rng: np.random.Generator) -> str:
        """An is_a ancestor `levels` up (a random parent each step), never a too-general term."""
        current = hpo_id
        for _ in range(levels):
            parents = [p for p in self.ontology.terms[current].parents
                       if p in self.ontology.terms and p not in self.too_general]
            if not parents:
                break
            current = parents[int(rng.integers(len(parents)))]
        return current


class _Context:
    """Everything one simulation reads: the records, their groups, and the popular findings."""

    def __init__(self, release: HpoRelease, records: list[Record], params: GeneratorParams):
        self.params, self.terms = params, _Terms(release.ontology)
        self.records = [r for r in records if r.features]
        self.by_group: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            self.by_group[r.disease_id].append(r)
        counts: dict[str, int] = defaultdict(int)
        for r in self.records:
            for t, _ in r.features:
                counts[t] += 1
        ranked = sorted((t for t in counts if t not in self.terms.too_general), key=lambda t: (-counts[t], t))
        self.popular = ranked[:params.popular_terms]
        w = np.array([counts[t] for t in self.popular], dtype=float)
        self.popular_p = w / w.sum()
        self._positive: dict[str, frozenset[str]] = {}
        self._closure: dict[str, frozenset[str]] = {}

    def positive(self, group: str) -> frozenset[str]:
        """The findings any article of the disease is annotated with."""
        if group not in self._positive:
            self._positive[group] = frozenset(t for r in self.by_group[group] for t, _ in r.features)
        return self._positive[group]

    def closure(self, group: str) -> frozenset[str]:
        """The disease's findings and all their ancestors: what a patient of it may be said to have."""
        if group not in self._closure:
            self._closure[group] = frozenset().union(*(self.terms.up(t) for t in self.positive(group)))
        return self._closure[group]

    def term(self, hpo_id: str):
        return self.terms.ontology.terms[hpo_id]


def _imprecise(picked: list[str], ctx: _Context, rng: np.random.Generator) -> list[str]:
    p = ctx.params
    shown = [ctx.terms.climb(t, 2 if rng.random() < p.p_two_levels else 1, rng) if rng.random() < p.p_imprecise
             else t for t in picked]
    for i, s in enumerate(shown):  # a general term that repeats or subsumes another finding says nothing
        if s != picked[i] and any(s in ctx.terms.up(o) for j, o in enumerate(shown) if j != i):
            shown[i] = picked[i]
    return shown


def _noise(rec: Record, used: set[str], ctx: _Context, rng: np.random.Generator) -> list[str]:
    weights = np.array(ctx.params.noise_weights, dtype=float)
    n = int(rng.choice(len(weights), p=weights / weights.sum()))
    closure, positive, out = ctx.closure(rec.disease_id), ctx.positive(rec.disease_id), []
    for _ in range(30 * n):
        if len(out) == n:
            break
        other = ctx.records[int(rng.integers(len(ctx.records)))]
        t = other.features[int(rng.integers(len(other.features)))][0]
        if (other.disease_id == rec.disease_id or t in closure or ctx.terms.up(t) & positive or t in used
                or t in out or t in ctx.terms.too_general):
            continue
        out.append(t)
    return out


def _excluded(rec: Record, mentioned: list[str], ctx: _Context,
              rng: np.random.Generator) -> list[tuple[str, str]]:
    """Findings stated absent: annotated NOT for the disease, or common findings it lacks."""
    p = ctx.params
    if rng.random() >= p.p_excluded:
        return []
    n = 2 if rng.random() < p.p_second_excluded else 1
    closure, positive = ctx.closure(rec.disease_id), ctx.positive(rec.disease_id)
    said = frozenset().union(*(ctx.terms.up(m) for m in mentioned))
    not_annotated = list(dict.fromkeys(t for r in ctx.by_group[rec.disease_id] for t in r.excluded))
    out: list[tuple[str, str]] = []
    for _ in range(n):
        taken = {t for t, _ in out}
        # "no X" must not deny the disease's findings (X or a descendant of X) nor a finding stated
        cands = [t for t in not_annotated if t not in closure and t not in said and t not in taken]
        if cands and rng.random() < p.p_not_annotated:
            out.append((cands[int(rng.integers(len(cands)))], "not_annotated"))
            continue
        for _ in range(30):
            t = ctx.popular[int(rng.choice(len(ctx.popular), p=ctx.popular_p))]
            if t not in closure and not ctx.terms.up(t) & positive and t not in said and t not in taken:
                out.append((t, "absent"))
                break
    return out


def _person(rec: Record, labels: list[str], ctx: _Context, rng: np.random.Generator) -> tuple[Person | None, str | None]:
    onsets = [o for o in rec.onsets if o in ONSET_AGES]
    if onsets and rng.random() < ctx.params.p_age:
        onset = onsets[int(rng.integers(len(onsets)))]
        age, adult, implied = age_from_onset(onset, rng)
        return Person(age, sex_of(labels, rec.inheritance, implied, rng), adult), onset
    if rng.random() < 0.5:
        return Person(None, sex_of(labels, rec.inheritance, None, rng)), None
    return None, None


def _words(terms: list[str], ctx: _Context, rng: np.random.Generator, ensure_synonym: bool = False) -> list:
    p = ctx.params
    words = [write_term(ctx.term(t), rng, p.p_synonym, p.p_layperson) for t in terms]
    if ensure_synonym and not any(w.form in ("synonym", "layperson") for w in words):
        # never only labels: the first finding that has a synonym is written with one
        i = next((i for i, t in enumerate(terms) if has_synonym(ctx.term(t))), None)
        if i is not None:
            words[i] = write_term(ctx.term(terms[i]), rng, p.p_synonym, p.p_layperson, force_synonym=True)
    return words


def simulate(rec: Record, stratum: str, ctx: _Context, rng: np.random.Generator) -> dict:
    """One simulated patient of `rec` as a query-set row {query, gold, meta}."""
    p = ctx.params
    k = int(rng.integers(p.min_features, min(p.max_features, len(rec.features)) + 1))
    w = np.array([f for _, f in rec.features])
    picked = [rec.features[i][0] for i in rng.choice(len(rec.features), size=k, replace=False, p=w / w.sum())]
    shown = _imprecise(picked, ctx, rng)
    noise = _noise(rec, set(shown) | set(picked), ctx, rng)
    excluded = _excluded(rec, shown + noise, ctx, rng)
    person, onset = _person(rec, [ctx.term(t).name for t in shown + noise], ctx, rng)
    found = _words(shown, ctx, rng, ensure_synonym=True)
    extra = _words(noise, ctx, rng)
    denied = _words([t for t, _ in excluded], ctx, rng)
    order = rng.permutation(len(found) + len(extra))
    said = found + extra
    text, template = narrate([said[i].text for i in order], [d.text for d in denied], person, rng)
    meta = {
        "article_id": rec.article_id, "disease_id": rec.disease_id, "stratum": stratum,
        "features": [{"hpo_id": t, "shown": s, "text": f.text, "form": f.form}
                     for t, s, f in zip(picked, shown, found)],
        "noise": [{"hpo_id": t, "text": f.text, "form": f.form} for t, f in zip(noise, extra)],
        "excluded": [{"hpo_id": t, "reason": why, "text": d.text, "form": d.form}
                     for (t, why), d in zip(excluded, denied)],
        "onset": onset, "age": person.age if person else None, "sex": person.sex if person else None,
        "template": template,
    }
    return {"query": text, "gold": list(dict.fromkeys([rec.article_id, rec.disease_id])), "meta": meta}


def stratum_of(rec: Record, bins: tuple[int, ...]) -> str:
    n = len(rec.features)
    lo = max(b for b in bins if b <= n)
    hi = next((b for b in bins if b > n), None)
    return f"{rec.source} {lo}-{hi - 1}" if hi else f"{rec.source} {lo}+"


def _quotas(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation, remainders to the largest fractional parts (ties: stratum order)."""
    total = sum(sizes.values())
    exact = {k: n * s / total for k, s in sizes.items()}
    quota = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - quota[k]), k))[:n - sum(quota.values())]:
        quota[k] += 1
    return quota


def sample_records(eligible: list[Record], n: int, bins: tuple[int, ...],
                   rng: np.random.Generator) -> list[tuple[Record, str]]:
    """`n` records stratified by source × finding count, at most one per disease, shuffled."""
    strata: dict[str, list[Record]] = defaultdict(list)
    for r in eligible:
        strata[stratum_of(r, bins)].append(r)
    groups = len({r.disease_id for r in eligible})
    if groups < n:
        raise GenerationError(f"only {groups:,} diseases have {bins[0]} or more findings (after exclusions); "
                              f"ask for at most {groups:,} queries")
    quota = _quotas({k: len(v) for k, v in strata.items()}, n)
    chosen: list[tuple[Record, str]] = []
    used: set[str] = set()
    spare: list[tuple[Record, str]] = []
    for key in sorted(strata):
        members, taken = strata[key], 0
        for i in rng.permutation(len(members)):
            r = members[int(i)]
            if taken < quota[key] and r.disease_id not in used:
                chosen.append((r, key))
                used.add(r.disease_id)
                taken += 1
            else:
                spare.append((r, key))
    for i in rng.permutation(len(spare)):  # strata cut short by shared diseases are topped up at random
        if len(chosen) == n:
            break
        r, key = spare[int(i)]
        if r.disease_id not in used:
            chosen.append((r, key))
            used.add(r.disease_id)
    return [chosen[int(i)] for i in rng.permutation(len(chosen))]


@dataclass
class QuerySet:
    rows: list[dict]
    meta: dict


TRAINING_SEED = 100  # simulated training patients; the shipped dev and test sets use seeds 1 and 2


def generate(release: HpoRelease, n: int, seed: int, params: GeneratorParams | None = None,
             exclude: set[str] | frozenset[str] = frozenset()) -> QuerySet:
    """`n` simulated patients; `exclude` holds disease or article ids whose diseases are left out."""
    params = params or GeneratorParams()
    records = _records(release, params.unknown_frequency)
    group_of = {r.article_id: r.disease_id for r in records}
    banned = {group_of.get(i, i) for i in exclude}
    eligible = [r for r in records if len(r.features) >= params.min_features and r.disease_id not in banned]
    seeds = np.random.SeedSequence(seed).spawn(n + 1)  # one stream per query: rows do not shift each other
    picked = sample_records(eligible, n, params.count_bins, np.random.default_rng(seeds[0]))
    ctx = _Context(release, records, params)
    rows = [simulate(r, key, ctx, np.random.default_rng(s)) for (r, key), s in zip(picked, seeds[1:])]
    strata: dict[str, int] = defaultdict(int)
    for _, key in picked:
        strata[key] += 1
    meta = {"format": "zebra-queries", "format_version": 1, "generator": GENERATOR,
            "generator_version": GENERATOR_VERSION, "seed": seed, "n": len(rows), "data_release": release.release,
            "params": asdict(params), "strata": dict(sorted(strata.items())),
            "eligible_records": len(eligible), "excluded_diseases": len(banned)}
    return QuerySet(rows, meta)


def simulate_each(release: HpoRelease, per_disease: int, seed: int, params: GeneratorParams | None = None,
                  progress: bool = False) -> list[tuple[str, str]]:
    """`per_disease` simulated patients of every disease with annotated findings (its records in turn),
    as (text, disease_id), diseases in id order: class-balanced training text for the neural rankers.
    Records with fewer than `min_features` findings give patients with what they have. Each patient
    has its own stream (seed, disease, j), so changing `per_disease` keeps the earlier patients."""
    from tqdm.auto import tqdm  # only this batch job shows progress

    params = params or GeneratorParams()
    records = _records(release, params.unknown_frequency)
    ctx = _Context(release, records, params)
    few = _Context(release, records, replace(params, min_features=1))
    by_group: dict[str, list[Record]] = defaultdict(list)
    for r in ctx.records:
        by_group[r.disease_id].append(r)
    out: list[tuple[str, str]] = []
    for group in tqdm(sorted(by_group), desc="simulated patients", unit="disease", disable=not progress):
        members = by_group[group]
        for j in range(per_disease):
            rec = members[j % len(members)]
            rng = np.random.default_rng([seed, zlib.crc32(group.encode()), j])
            use = ctx if len(rec.features) >= params.min_features else few
            out.append((simulate(rec, "training", use, rng)["query"], group))
    return out


def meta_path(path: Path) -> Path:
    """The sidecar of a query file: dev.jsonl → dev.meta.json."""
    return path.with_name(path.stem + ".meta.json")


def write_query_set(path: Path, query_set: QuerySet) -> Path:
    """Write the JSONL file and its sidecar; returns the sidecar's path."""
    write_queries(path, query_set.rows)
    sidecar = meta_path(path)
    sidecar.write_text(json.dumps(query_set.meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return sidecar
