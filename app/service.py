"""The search service: free text → ranked diseases with their articles and evidence.

Owns running the rankers (a fused search runs the native work of the `threaded` ones, the neural network, on
a worker thread beside the others when no other search of the process is in flight), fusing them, the
source filter for every ranker, pagination, grouping by gene, the recognised findings (with the
user's overrides) and the questions to ask next, remembering the last few searches' rankings (a next page,
the gene view or the questions of a search just made skip the rankers), and assembling results from the
in-memory catalogue. It does not parse HTTP, and it never logs query text unless the settings ask for it.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from app.catalogue import Catalogue
from app.errors import BackendUnavailable, RankerUnavailable, UnknownRanker, ZebraError
from app.fusion import DEFAULT_FUSION, FusionConfig, fused_ranking
from app.rankers import RANKER_NAMES
from app.rankers.base import DEPTH, Findings, Ranked, Ranker
from app.rankers.ontology import Overrides
from app.schemas import (
    AnalysisPublic, ArticleRef, DiseaseResult, FindingPublic, FindingRef, GeneGroup, NetworkMatch, PatientPublic,
    QuestionPublic, SearchResponse, Unavailable,
)
from app.understanding.patient import read_patient
from app.understanding.recognizer import Mention

log = logging.getLogger(__name__)
FUSED = "fused"
RankerChoice = Literal[RANKER_NAMES + (FUSED,)]  # every ranker a server may run (from the registry)
FUSION_DEPTH = 200  # each ranker's ranking is cut here before fusion (and while tuning it)
# Threads that run `threaded` rankers beside a search's own thread; shared by every service of the
# process (a reload builds a new service, not new threads).
_BESIDE = ThreadPoolExecutor(max_workers=8, thread_name_prefix="zebra-ranker")
RECENT_SEARCHES = 32  # searches whose rankings a service remembers by default (`Settings.recent_searches`)


class _InFlight:
    """How many searches this process is running now. A second thread only pays when a core would
    otherwise idle: while other searches are in flight the cores are busy with them, and a ranker on its
    own thread adds interpreter-lock hand-offs (CPU) without shortening anything."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def __enter__(self) -> None:
        with self._lock:
            self.count += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.count -= 1


_IN_FLIGHT = _InFlight()


@dataclass(frozen=True)
class LazyRanking:
    """A full ranking whose `Ranked` entries are built only for the slice asked for (a page)."""

    size: int
    make: Callable[[int, int | None], list[Ranked]]

    def __len__(self) -> int:
        return self.size

    def entries(self, start: int = 0, stop: int | None = None) -> list[Ranked]:
        return self.make(start, stop)


@dataclass
class Searched:
    """A search's work that no page, view or question depends on: the query's reading, the ranking, each
    ranker's own, and the rankers that could not answer; the questions to ask next once asked for."""

    mentions: list[Mention]
    findings: Findings | None
    notices: list[str]
    ranking: LazyRanking
    runs: dict[str, list[Ranked]]
    unavailable: list[Unavailable]
    questions: list[QuestionPublic] | None = None


SearchKey = tuple[str, str, str | None, Overrides]  # query, ranker, source filter, the user's corrections


class RecentSearches:
    """The last `size` searches' work (`Searched`), newest last, keyed by the request as the service reads it
    (the query text exactly: findings are shown by their place in it; the ranker by name, the default
    resolved; page, page size, view and questions left out, as the ranking does not depend on them). It
    belongs to one service and goes with it, so a reindexed or imported corpus (a new service) is never
    answered from it; it holds query texts in memory only, like the rankers' own recent readings."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[SearchKey, Searched] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: SearchKey) -> Searched | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: SearchKey, searched: Searched) -> None:
        if self.size == 0:
            return
        with self._lock:
            self._items[key] = searched
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def _labelled(name: str, run: list[Ranked], start: int, stop: int | None) -> list[Ranked]:
    """A single ranker's entries in [start, stop), each carrying its own rank and score."""
    page = run[start:stop]
    for position, r in enumerate(page, start=start + 1):
        r.ranks, r.scores = {name: position}, {name: r.score}
    return page


class SearchService:
    def __init__(self, catalogue: Catalogue, rankers: list[Ranker], fusion: FusionConfig | None = None,
                 log_queries: bool = False, remembered: int = RECENT_SEARCHES):
        self.catalogue = catalogue
        self._rankers = {r.name: r for r in rankers}
        self.fusion = fusion or DEFAULT_FUSION
        self.log_queries = log_queries
        self.recent = RecentSearches(remembered)

    @property
    def rankers(self) -> list[str]:
        """Names of the rankers this service can run, in display order (fused last)."""
        names = list(self._rankers)
        return names + [FUSED] if len(names) > 1 else names

    def require_loaded(self, names: list[str]) -> None:
        """A ranker this product has but this server did not load (e.g. a refused checkpoint) is a 503."""
        for name in names:
            if name in RANKER_NAMES and name not in self.rankers:
                raise RankerUnavailable(name, self.rankers)

    @property
    def default_ranker(self) -> str:
        return self.rankers[-1]

    def get_ranker(self, name: str) -> Ranker | None:
        return self._rankers.get(name)

    @property
    def ranker_objects(self) -> list[Ranker]:
        return list(self._rankers.values())

    def _capable(self, flag: str) -> Ranker | None:
        return next((r for r in self._rankers.values() if getattr(r, flag)), None)

    @property
    def lexical(self) -> Ranker | None:
        """The ranker that highlights the matching passages (the lexical index's owner)."""
        return self._capable("highlights")

    @property
    def explainer(self) -> Ranker | None:
        """The ranker that weighs each query word (the neural model's attention)."""
        return self._capable("explains")

    @property
    def phenotypes(self) -> Ranker | None:
        """The ranker that recognises findings (observed, excluded) and matches them to diseases."""
        return self._capable("understands")

    def statuses(self) -> dict[str, dict]:
        return {name: r.status() for name, r in self._rankers.items()}

    def publications(self, diseases: Collection[str] | None = None) -> frozenset[str]:
        """The publications whose patients some ranker counts (the published patients' profiles), of `diseases`
        only when given."""
        return frozenset().union(*(r.publications(diseases) for r in self._rankers.values()))

    def leaving_out(self, publications: frozenset[str]) -> SearchService:
        """A service whose rankers count no patient of `publications`, to rank published cases of them as new
        patients (it remembers no searches); this service when no ranker counts any of them."""
        rankers = [r.leaving_out(publications) for r in self._rankers.values()]
        if all(a is b for a, b in zip(rankers, self._rankers.values())):
            return self
        return SearchService(self.catalogue, rankers, self.fusion, log_queries=self.log_queries, remembered=0)

    # -- ranking ----------------------------------------------------------------------------------
    def _run(self, name: str, query: str, source: str | None, findings: Findings | None,
             depth: int | None = None) -> list[Ranked]:
        """One ranker's diseases that the catalogue holds (and that have an article of `source`), cut at `depth`;
        each entry's own rank and score are filled in by `_labelled` for the entries shown."""
        return self._run_later(name, query, source, findings, depth)()

    def _run_later(self, name: str, query: str, source: str | None, findings: Findings | None,
                   depth: int | None = None) -> Callable[[], list[Ranked]]:
        """`_run` in two parts, as the ranker's `rank_later`: its work now, and a function that finishes it."""
        # With a source filter some diseases drop out, so the ranker is asked for its full depth.
        asked = depth if depth is not None and source is None else DEPTH
        finish = self._rankers[name].rank_later(query, findings, source, asked)
        return lambda: self._kept(finish(), source, depth)

    def _kept(self, ranked: list[Ranked], source: str | None, depth: int | None) -> list[Ranked]:
        """The entries of a ranking whose disease the catalogue holds (with an article of `source`), cut at `depth`."""
        diseases = self.catalogue.diseases
        kept: list[Ranked] = []
        for r in ranked:
            info = diseases.get(r.disease_id)
            if info is None or (source is not None and not any(a.source == source for a in info.articles)):
                continue
            kept.append(r)
            if len(kept) == depth:
                break
        return kept

    def _fusing(self) -> list[str]:
        """The rankers a fused ranking asks: those the fusion gives a weight (one with weight 0 adds nothing
        to any fused score, so it is not run); all of them when the fusion weighs none."""
        return [n for n in self._rankers if self.fusion.weight(n) != 0] or list(self._rankers)

    def _rank_all(self, query: str, ranker: str, source: str | None, findings: Findings | None,
                  unavailable: list[Unavailable] | None = None) -> tuple[LazyRanking, dict[str, list[Ranked]]]:
        """The ranking asked for, and each ranker's own. Fused: the `threaded` rankers do their `rank_later`
        part on worker threads beside the others and finish here once the others are done (all of it here while
        other searches are in flight); a ranker that cannot answer is left out (noted in `unavailable`); only when
        none answers is it an error."""
        if ranker not in self.rankers:
            raise UnknownRanker(ranker, self.rankers)
        if ranker != FUSED:
            run = self._run(ranker, query, source, findings)
            return LazyRanking(len(run), lambda start, stop: _labelled(ranker, run, start, stop)), {ranker: run}
        names, alone = self._fusing(), _IN_FLIGHT.count <= 1
        # a threaded ranker's native work runs beside; what it leaves (Python) runs here once the others are done
        beside: dict[str, Future] = {name: _BESIDE.submit(self._run_later, name, query, source, findings, FUSION_DEPTH)
                                     for name in names if alone and self._rankers[name].threaded}
        outcome: dict[str, list[Ranked] | Unavailable] = {}
        for name in [n for n in names if n not in beside] + list(beside):  # this thread's rankers, then the others'
            try:
                outcome[name] = (beside[name].result()() if name in beside
                                 else self._run(name, query, source, findings, FUSION_DEPTH))
            except ZebraError as exc:
                if exc.status != 503:
                    raise
                outcome[name] = Unavailable(ranker=name, message=exc.message)
        # in the fusion's order: fused scores are sums over the rankers, and float sums depend on their order
        runs = {n: outcome[n] for n in names if not isinstance(outcome[n], Unavailable)}
        failed = [outcome[n] for n in names if isinstance(outcome[n], Unavailable)]
        if not runs:
            raise BackendUnavailable("no ranker can answer: " + "; ".join(f"{u.ranker}: {u.message}" for u in failed))
        if unavailable is not None:
            unavailable.extend(failed)
        hits = {r.disease_id: r.hits for run in runs.values() for r in run if r.hits}
        fused = fused_ranking({name: [(r.disease_id, r.score) for r in run] for name, run in runs.items()},
                              self.fusion)

        def entries(start: int, stop: int | None) -> list[Ranked]:
            return [Ranked(f.disease_id, f.score, hits.get(f.disease_id, []), f.ranks, f.scores)
                    for f in fused.entries(start, stop)]
        return LazyRanking(len(fused), entries), runs

    def rank(self, query: str, ranker: str | None = None, source: str | None = None,
             findings: Findings | None = None) -> list[Ranked]:
        """One ranker's (or the fusion's) full disease ranking for a query, best first; the findings
        are recognised in the query when not given."""
        if findings is None:
            findings = self._findings(query, Overrides())[1]
        return self._rank_all(query, ranker or self.default_ranker, source, findings)[0].entries()

    # -- understanding ----------------------------------------------------------------------------
    def _findings(self, query: str, overrides: Overrides) -> tuple[list[Mention], Findings | None, list[str]]:
        """The mentions recognised in the query, the findings after the user's overrides, and a notice
        for each HPO id that names no current finding (unknown, obsolete)."""
        phenotypes = self.phenotypes
        if phenotypes is None:
            return [], None, []
        recognition = phenotypes.recognize(query)
        notices = [n.message for n in recognition.notices]
        findings = phenotypes.findings(recognition.mentions, overrides, recognition.heredity)
        return recognition.mentions, findings, notices

    def _finding_list(self, mentions: list[Mention], findings: Findings | None) -> list[FindingPublic]:
        if findings is None:
            return []
        status = ({h: "family" for h in findings.family} | {h: "observed" for h in findings.observed}
                  | {h: "excluded" for h in findings.excluded})
        out, shown = [], set()
        for m in mentions:
            if m.hpo_id in status and m.relative == (status[m.hpo_id] == "family"):
                shown.add(m.hpo_id)
                out.append(FindingPublic(hpo_id=m.hpo_id, name=m.name, status=status[m.hpo_id], text=m.text,
                                         start=m.start, end=m.end, cue=m.cue if status[m.hpo_id] == "excluded" else "",
                                         reading=m.matched if m.measured else ""))
        name = self.phenotypes.name_of
        out += [FindingPublic(hpo_id=h, name=name(h), status=s, origin="added")
                for h, s in status.items() if h not in shown]
        return out

    def explain(self, query: str, overrides: Overrides = Overrides()) -> list[tuple[str, float]] | None:
        """The neural network's weight of each word it read of the query (its excluded findings left
        out, as when it ranks); None without a network."""
        neural = self.explainer
        if neural is None:
            return None
        return neural.explain(query, self._findings(query, overrides)[1])

    def network_matches(self, query: str, disease_ids: list[str],
                        overrides: Overrides = Overrides()) -> dict[str, list[NetworkMatch]]:
        """For each of `disease_ids`, the query's phrases the network matched to the disease's findings (its
        excluded findings left out, as when it ranks), best first; empty without a network."""
        neural = self.explainer
        if neural is None:
            return {}
        name = self.phenotypes.name_of if self.phenotypes is not None else None
        return {d: [NetworkMatch(hpo_id=m.finding, name=name(m.finding) if name else m.text, phrase=m.phrase,
                                 text=m.text, similarity=round(m.similarity, 4)) for m in found]
                for d, found in neural.matches(query, self._findings(query, overrides)[1], disease_ids).items()}

    def term_suggestions(self, phrases: list[str], n: int = 3) -> dict[str, list[tuple[str, str]]]:
        """For each phrase the recognizer did not understand, up to `n` HPO terms as (id, label): the first term
        whose label or synonym starts like the phrase (`Recognizer.suggest`), then the findings the network reads
        nearest it (what the phrase means where its first words name no term: "a triangle-shaped face" →
        Triangular face), then the other terms that start like it."""
        if self.phenotypes is None:
            return {}
        recognizer, neural = self.phenotypes.recognizer, self.explainer
        nearest = neural.nearest_findings(phrases, n) if neural is not None else [[] for _ in phrases]
        out = {}
        for phrase, near in zip(phrases, nearest):
            starts = [h for h, _, _ in recognizer.suggest(phrase, n)]
            ids = list(dict.fromkeys([*starts[:1], *(h for h, _, _ in near), *starts[1:]]))[:n]
            out[phrase] = [(h, self.phenotypes.name_of(h)) for h in ids]
        return out

    def analyze(self, query: str, overrides: Overrides = Overrides()) -> AnalysisPublic:
        mentions, findings, notices = self._findings(query, overrides)
        patient = read_patient(query)
        return AnalysisPublic(query=query, data_release=self.catalogue.data_release,
                              findings=self._finding_list(mentions, findings), notices=notices,
                              inheritance=findings.heredity.names if findings else [],
                              patient=PatientPublic(sex=patient.sex, age=patient.age) if patient else None)

    # -- search -----------------------------------------------------------------------------------
    def search(self, query: str, k: int = 20, source: str | None = None, ranker: str | None = None,
               offset: int = 0, group_by: str = "disease", overrides: Overrides = Overrides(),
               ask_next: bool = False) -> SearchResponse:
        """The page of diseases for `query`; the findings to ask about next (`ask_next`, a sixth of a
        search's time) only when asked for."""
        if self.log_queries:
            log.info("search q=%r k=%d source=%s ranker=%s", query, k, source, ranker)
        with _IN_FLIGHT:
            return self._search(query, k, source, ranker or self.default_ranker, offset, group_by, overrides,
                                ask_next)

    def _search(self, query: str, k: int, source: str | None, ranker: str, offset: int, group_by: str,
                overrides: Overrides, ask_next: bool) -> SearchResponse:
        searched = self._searched(query, ranker, source, overrides)
        findings, unavailable = searched.findings, list(searched.unavailable)
        page = searched.ranking.entries(offset, offset + k)
        if self.lexical is not None and self.lexical.name in searched.runs:
            try:
                self.lexical.highlight(query, [h for r in page for h in r.hits if not h.snippet], findings)
            except BackendUnavailable as exc:
                unavailable.append(Unavailable(ranker="snippets", message=exc.message))
        shown = self._matched([r.disease_id for r in page], findings)
        results = [self._result(offset + i + 1, r, source, m) for i, (r, m) in enumerate(zip(page, shown))]
        if ask_next and searched.questions is None:
            searched.questions = self._questions(query, source, findings, searched.runs)
        return SearchResponse(query=query, data_release=self.catalogue.data_release, ranker=ranker,
                              total=len(searched.ranking), offset=offset, results=results,
                              genes=group_by_gene(results) if group_by == "gene" else None,
                              findings=self._finding_list(searched.mentions, findings), notices=searched.notices,
                              ask_next=list(searched.questions or []) if ask_next else [],
                              inheritance=findings.heredity.names if findings else [],
                              degraded=bool(unavailable), unavailable=unavailable)

    def _searched(self, query: str, ranker: str, source: str | None, overrides: Overrides) -> Searched:
        """The search's page-independent work: remembered from a recent search of the same request, or done now
        (and remembered unless a ranker could not answer: it may answer the next time)."""
        key = (query, ranker, source, overrides)
        searched = self.recent.get(key)
        if searched is None:
            mentions, findings, notices = self._findings(query, overrides)
            unavailable: list[Unavailable] = []
            ranking, runs = self._rank_all(query, ranker, source, findings, unavailable)
            searched = Searched(mentions, findings, notices, ranking, runs, unavailable)
            if not unavailable:
                self.recent.put(key, searched)
        return searched

    def _questions(self, query: str, source: str | None, findings: Findings | None,
                   runs: dict[str, list[Ranked]]) -> list[QuestionPublic]:
        """The findings to ask about next, from the ontology ranking (run here when the search did not)."""
        if findings is None or not findings.observed:
            return []
        phenotypes = self.phenotypes
        # a search of another ranker asks the ontology ranking only for the diseases the questions weigh
        ontology_run = runs.get(phenotypes.name) or self._run(phenotypes.name, query, source, findings,
                                                             phenotypes.asks_among)
        return [QuestionPublic(hpo_id=q.hpo_id, name=q.name, gain_bits=round(q.gain, 4), candidates_with=q.candidates_with)
                for q in phenotypes.questions(findings, ontology_run)]

    def _matched(self, disease_ids: list[str], findings: Findings | None) -> list[list[FindingRef]]:
        """For each disease, the observed findings it shows (none without the ontology ranker)."""
        if findings is None:
            return [[] for _ in disease_ids]
        name = self.phenotypes.name_of
        return [[FindingRef(hpo_id=h, name=name(h)) for h in shown]
                for shown in self.phenotypes.matched_each(disease_ids, findings.observed)]

    def _result(self, rank: int, r: Ranked, source: str | None, matched: list[FindingRef]) -> DiseaseResult:
        info = self.catalogue.diseases[r.disease_id]
        snippets = {h.article_id: h.snippet for h in r.hits}
        articles = [a for a in info.articles if source is None or a.source == source]
        articles.sort(key=lambda a: (a.article_id not in snippets, a.article_id))
        return DiseaseResult(
            rank=rank, disease_id=info.disease_id, name=info.name, score=round(r.score, 6),
            articles=[ArticleRef(article_id=a.article_id, source=a.source, title=a.title, url=a.url,
                                 snippet=snippets.get(a.article_id)) for a in articles],
            genes=info.genes, ranks=r.ranks, scores={n: round(s, 6) for n, s in r.scores.items()},
            matched_findings=matched,
        )


def group_by_gene(results: list[DiseaseResult]) -> list[GeneGroup]:
    """Genes ranked by their best disease in `results`, each listing its diseases' ranks."""
    groups: dict[str, GeneGroup] = {}
    for r in results:
        for g in r.genes:
            group = groups.setdefault(g, GeneGroup(symbol=g, rank=0, best_disease_rank=r.rank, diseases=[]))
            group.diseases.append(r.rank)
    ordered = sorted(groups.values(), key=lambda x: (x.best_disease_rank, -len(x.diseases), x.symbol))
    for i, group in enumerate(ordered, start=1):
        group.rank = i
    return ordered
