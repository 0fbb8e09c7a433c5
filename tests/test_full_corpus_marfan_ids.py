"""The three Marfan HPO ids on the whole shipped HPO release (built end to end once, about 20 s)."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.test_full_corpus import full  # noqa: F401  (the module-scoped full-corpus build)

pytestmark = pytest.mark.slow

MARFAN_IDS = "HP:0001166, HP:0001083, HP:0002616"  # arachnodactyly, ectopia lentis, aortic root aneurysm


def test_the_three_marfan_ids_put_marfan_first_in_ontology_and_fused_ranking(full):  # noqa: F811
    """Neonatal Marfan, Marfan lipodystrophy and Loeys-Dietz syndromes match these ids too; Marfan
    syndrome shows all three often, and Loeys-Dietz's '0/44' ectopia lentis is no match."""
    settings, _ = full
    with TestClient(create_app(settings)) as client:
        for ranker in ("ontology", "fused"):
            body = client.get("/api/search", params={"q": MARFAN_IDS, "k": 5, "ranker": ranker}).json()
            assert body["ranker"] == ranker
            assert [(f["hpo_id"], f["status"]) for f in body["findings"]] == [
                ("HP:0001166", "observed"), ("HP:0001083", "observed"), ("HP:0002616", "observed")]
            top = body["results"][0]
            assert top["disease_id"] == "OMIM:154700", [r["name"] for r in body["results"]]
            assert {f["hpo_id"] for f in top["matched_findings"]} == {"HP:0001166", "HP:0001083", "HP:0002616"}
