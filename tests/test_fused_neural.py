"""A fused search with the neural ranker gives the fusion of each ranker's own ranking, also when many
searches run at once (the network's word cache is shared by the worker's threads)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from app.fusion import FusionConfig, fuse, write_fusion
from app.main import create_app
from app.service import FUSION_DEPTH
from tests.conftest import MARFAN_QUERY, make_settings

QUERIES = [MARFAN_QUERY, "tall, long fingers, no seizures", "elevated CK, calf hypertrophy, Gowers sign, 4 yo boy",
           "short stature and hearing loss", "seizures, developmental delay, hypotonia"]
CONFIG = FusionConfig(method="zscore", weights={"lexical": 1.0, "neural": 1.0, "ontology": 2.0})


def _ids(body: dict) -> list[tuple[str, dict]]:
    return [(r["disease_id"], r["ranks"]) for r in body["results"]]


def test_fused_search_equals_the_rankers_run_one_after_another(trained, tmp_path):
    data_dir, model = trained
    path = tmp_path / "fusion.json"
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        service = client.app.state.live.service
        write_fusion(path, CONFIG, service.ranker_objects, {"queries": "hand-made"})
        expected = {q: fuse({n: [(r.disease_id, r.score) for r in service.rank(q, n)[:FUSION_DEPTH]]
                             for n in ("lexical", "neural", "ontology")}, CONFIG) for q in QUERIES}
    with TestClient(create_app(make_settings(data_dir, model_path=model, fusion_path=path))) as client:
        for q in QUERIES:
            body = client.get("/api/search", params={"q": q, "k": 30}).json()
            assert body["degraded"] is False
            assert [r["disease_id"] for r in body["results"]] == [f.disease_id for f in expected[q][:30]], q
            assert body["results"][0]["ranks"].get("neural") == expected[q][0].ranks.get("neural")


def test_concurrent_fused_searches_give_the_answers_of_single_ones(trained, tmp_path):
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        single = {q: _ids(client.get("/api/search", params={"q": q, "k": 20}).json()) for q in QUERIES}
        client.app.state.live.service.get_ranker("neural").predictor.model._word_cache.clear()
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda q: (q, client.get("/api/search", params={"q": q, "k": 20}).json()),
                                    QUERIES * 6))
    for q, body in answers:
        assert _ids(body) == single[q], q


def test_a_served_network_has_spelled_the_releases_words(trained):
    """The words of every label and synonym of the HPO release are spelled when the server loads, not during a
    search: spelling them again finds nothing new."""
    data_dir, model = trained
    with TestClient(create_app(make_settings(data_dir, model_path=model))) as client:
        predictor = client.app.state.live.service.get_ranker("neural").predictor
        assert len(predictor.model._spelled_ahead) > 1_000
        assert predictor.spell_ahead(["Generalized seizure", "Short stature", "Arachnodactyly"]) == 0
        assert predictor.spell_ahead(["zebraish"]) == 1  # a word of no label
