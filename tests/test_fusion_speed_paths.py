"""The fast paths of fused search give the answers of the plain definitions: the array fusion equals
fusion written out per disease, and a ranker the fusion weighs 0 is not run for a fused search yet still
answers when asked for by name (with the page's attention)."""

from __future__ import annotations

import random
import threading

import numpy as np

from fastapi.testclient import TestClient

from app.fusion import FusionConfig, Ranking, fuse, write_fusion
from app.main import create_app
from app.service import FUSION_DEPTH
from tests.conftest import MARFAN_QUERY, make_settings


def _by_definition(rankings: dict[str, Ranking], config: FusionConfig) -> list[tuple[str, float, dict, dict]]:
    """Fusion as the docs define it, one disease at a time (RRF, min-max or spread-scaled weighted scores; ties by
    the best single-ranker rank, then disease_id; a repeated id counts at its first place)."""
    ranks: dict[str, dict[str, int]] = {}
    scores: dict[str, dict[str, float]] = {}
    fused: dict[str, float] = {}
    for name, ranking in rankings.items():
        values = [s for _, s in ranking]
        low, span = (min(values), max(values) - min(values)) if values else (0.0, 0.0)
        if config.method == "zscore":
            span = float(np.std(values)) if values else 0.0
        for position, (disease_id, score) in enumerate(ranking, start=1):
            if name in ranks.setdefault(disease_id, {}):
                continue
            ranks[disease_id][name] = position
            scores.setdefault(disease_id, {})[name] = float(score)
            share = (config.weight(name) / (config.k + position) if config.method == "rrf"
                     else config.weight(name) * (1.0 if span == 0 else (score - low) / span))
            fused[disease_id] = fused.get(disease_id, 0.0) + share
    order = sorted(fused, key=lambda d: (-fused[d], min(ranks[d].values()), d))
    return [(d, fused[d], ranks[d], scores[d]) for d in order]


def test_array_fusion_equals_the_definition_on_random_rankings():
    rng = random.Random(0)
    for _ in range(500):
        pool = [f"OMIM:{i}" for i in range(rng.randint(1, 30))]
        rankings = {}
        for name in rng.sample(["lexical", "neural", "ontology"], rng.randint(1, 3)):
            n = rng.randint(0, len(pool))
            ids = [rng.choice(pool) for _ in range(n)] if rng.random() < 0.2 else rng.sample(pool, n)
            rankings[name] = list(zip(ids, sorted((rng.choice([rng.random(), 0.5, 1.0]) for _ in ids), reverse=True)))
        weights = {n: rng.choice([0.0, 0.3, 1.0, 1.5]) for n in rankings}
        for method in ("rrf", "score", "zscore"):
            config = FusionConfig(method=method, weights=weights)
            got = [(f.disease_id, f.score, f.ranks, f.scores) for f in fuse(rankings, config)]
            expected = _by_definition(rankings, config)
            assert [g[0] for g in got] == [e[0] for e in expected], (rankings, method, weights)
            assert got == expected


def test_fused_search_leaves_out_a_ranker_weighted_zero(trained, tmp_path):
    data_dir, model = trained
    config = FusionConfig(method="score", weights={"lexical": 1.0, "neural": 0.0, "ontology": 1.5})
    path = tmp_path / "fusion.json"
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        service = client.app.state.live.service
        write_fusion(path, config, service.ranker_objects, {"queries": "hand-made"})
        weighed = {n: [(r.disease_id, r.score) for r in service.rank(MARFAN_QUERY, n)[:FUSION_DEPTH]]
                   for n in ("lexical", "ontology")}
    expected = fuse(weighed, config)
    with TestClient(create_app(make_settings(data_dir, model_path=model, fusion_path=path))) as client:
        body = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 50}).json()
        assert [r["disease_id"] for r in body["results"]] == [f.disease_id for f in expected[:50]]
        assert body["total"] == len(expected)
        assert [r["ranks"] for r in body["results"]] == [f.ranks for f in expected[:50]]
        assert not any("neural" in r["ranks"] for r in body["results"])
        alone = client.get("/api/search", params={"q": MARFAN_QUERY, "ranker": "neural", "k": 5}).json()
        assert [r["ranks"] for r in alone["results"]] == [{"neural": i} for i in range(1, 6)]
        page = client.get("/", params={"q": MARFAN_QUERY})
        assert page.status_code == 200 and "Where the network looked" in page.text


def _threads_running(neural, monkeypatch, query: str = MARFAN_QUERY) -> list[str]:
    """The names of the threads the network ranks `query` on, from now on (an evaluation the app resumed
    from the shared data dir may rank other queries meanwhile): where it reads the query (`rank_later`), then,
    marked "finish:", where it finishes the ranking."""
    threads: list[str] = []
    later = neural.rank_later

    def spy(*args, **kwargs):
        finish = later(*args, **kwargs)
        if (args[0] if args else kwargs.get("query")) != query:
            return finish
        threads.append(threading.current_thread().name)

        def finished():
            threads.append("finish:" + threading.current_thread().name)
            return finish()
        return finished

    monkeypatch.setattr(neural, "rank_later", spy)
    return threads


def test_fused_search_runs_the_network_beside_the_other_rankers_with_the_same_answer(trained, monkeypatch):
    """The neural network's work is native code that releases the GIL, so a fused search runs it on a worker
    thread while the other rankers rank, and finishes its ranking (Python) on its own thread once they are done;
    the answer is the fusion of each ranker's own ranking."""
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        service = client.app.state.live.service
        neural = service.get_ranker("neural")
        threads = _threads_running(neural, monkeypatch)
        network: list[str] = []  # where the network itself reads this query, then its phrases (no one else's)
        for owner, name in ((neural, "_read"), (neural.findings, "_nearest")):
            def spy(*args, _call=getattr(owner, name), **kwargs):
                texts = [args[0]] if isinstance(args[0], str) else list(args[0])
                if texts and all(t.lower() in MARFAN_QUERY.lower() for t in texts):
                    network.append(threading.current_thread().name)
                return _call(*args, **kwargs)
            monkeypatch.setattr(owner, name, spy)
        body = client.get("/api/search", params={"q": MARFAN_QUERY, "k": 50}).json()
        assert len(threads) == 2 and threads[0].startswith("zebra-ranker")
        assert threads[1].startswith("finish:") and "zebra-ranker" not in threads[1]
        assert len(network) == 2 and all(t.startswith("zebra-ranker") for t in network)  # the query, its phrases
        own = {n: [(r.disease_id, r.score) for r in service.rank(MARFAN_QUERY, n)[:FUSION_DEPTH]]
               for n in ("lexical", "neural", "ontology")}
        expected = fuse(own, service.fusion)
        assert [r["disease_id"] for r in body["results"]] == [f.disease_id for f in expected[:50]]
        assert [r["ranks"] for r in body["results"]] == [f.ranks for f in expected[:50]]
        assert body["total"] == len(expected)



def test_while_another_search_is_in_flight_the_network_runs_on_the_searchs_own_thread(trained, monkeypatch):
    """With the cores busy with other searches a second thread only adds hand-offs of the interpreter lock:
    a fused search then runs the network itself, with the same answer."""
    from app import service as service_module

    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        service = client.app.state.live.service
        neural = service.get_ranker("neural")
        alone = service.search(MARFAN_QUERY, 50)
        threads = _threads_running(neural, monkeypatch)
        service.recent.clear()  # rank again rather than reuse the remembered ranking
        with service_module._IN_FLIGHT:  # another search of this process, still running
            busy = service.search(MARFAN_QUERY, 50)
        here = threading.current_thread().name
        assert threads == [here, "finish:" + here]
        assert [(r.disease_id, r.ranks) for r in busy.results] == [(r.disease_id, r.ranks) for r in alone.results]
        service.recent.clear()
        service.search(MARFAN_QUERY, 5)
        assert threads[-2].startswith("zebra-ranker") and threads[-1] == "finish:" + here  # alone again: beside


def test_lexical_grouping_at_a_depth_is_the_full_grouping_cut():
    """The lexical ranker builds entries only for the diseases it returns: the same as grouping every hit and
    cutting, each disease with all its hits (a disease's later article included); no diseases at depth 0 or less."""
    from app.rankers.lexical import group_hits
    from indexer.lexical.base import Hit

    rng = random.Random(3)
    hits = [Hit(f"a{i}", f"d{rng.randint(0, 14)}", "orphanet", "t", 100.0 - i) for i in range(40)]
    def seen(depth: int | None) -> list[tuple[str, float, list[str]]]:
        return [(r.disease_id, r.score, [h.article_id for h in r.hits]) for r in group_hits(hits, depth)]

    every = seen(None)
    assert len(every) == len({h.disease_id for h in hits}) and any(len(articles) > 1 for _, _, articles in every)
    for depth in (1, 5, len(every), len(every) + 7, 10**20):
        assert seen(depth) == every[:depth]
    assert group_hits(hits, 0) == [] and group_hits(hits, -1) == [] and group_hits([], 5) == []
