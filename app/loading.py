"""Loading the search service from settings: catalogue, lexical index, neural model, fusion.

An entry point's helper (the app lifespan, the CLI, benchmarks): it reads `Settings`
and hands explicit objects down. A ranker that cannot load is left out with a notice
naming the reason; the lexical ranker is always there.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import torch
from sqlalchemy.engine import Engine

from app.catalogue import Catalogue, load_catalogue
from app.config import Settings, open_lexical_index
from app.fusion import FusionConfig
from app.rankers.base import Ranker
from app.rankers.lexical import LexicalRanker
from app.rankers.neural import NeuralRanker
from app.rankers.ontology import PhenotypeRanker
from app.understanding.ontology_ranker import load_ontology_ranker
from app.understanding.recognizer import load_recognizer
from app.service import SearchService
from models.checkpoint import CheckpointError, CheckpointMismatch, labels_digest
from models.predict import Predictor

log = logging.getLogger(__name__)
DEFAULT_FUSION = FusionConfig(method="rrf", weights={"lexical": 1.0, "neural": 0.3, "ontology": 0.5})
FUSION_FORMAT = 1


def load_neural(path: Path, catalogue: Catalogue) -> NeuralRanker:
    """The checkpoint at `path` as a ranker; refuses one of another data release or label map."""
    predictor = Predictor.load(path, expected_release=catalogue.data_release or None)
    unknown = [label for label in predictor.labels if label not in catalogue.diseases]
    if unknown:
        raise CheckpointMismatch(
            f"checkpoint {path} ranks {len(unknown):,} diseases the corpus does not hold (e.g. {unknown[0]}; "
            f"checkpoint label map {labels_digest(predictor.labels)}, {len(predictor.labels):,} classes, corpus "
            f"{len(catalogue.diseases):,} diseases); retrain with `zebra train`")
    return NeuralRanker(predictor)


def load_fusion(path: Path | None, rankers: list[str], neural: NeuralRanker | None) -> tuple[FusionConfig, str]:
    """The tuned fusion if it fits the loaded rankers and model, else the default, with a note why."""
    if path is None or not path.is_file():
        return DEFAULT_FUSION, "default fusion weights (not tuned: run `zebra tune-fusion`)"
    data = json.loads(path.read_text())
    digest = labels_digest(neural.predictor.labels) if neural else None
    if data.get("format_version") != FUSION_FORMAT:
        return DEFAULT_FUSION, f"{path} has format {data.get('format_version')}, expected {FUSION_FORMAT}; default used"
    if sorted(data.get("rankers", [])) != sorted(rankers) or data.get("checkpoint_labels") != digest:
        return DEFAULT_FUSION, (f"{path} was tuned for rankers {data.get('rankers')} and another model; "
                                "default weights used until `zebra tune-fusion` is run again")
    return FusionConfig(method=data["method"], weights=data["weights"], k=data.get("k", 60)), f"tuned on {data.get('queries')}"


def load_phenotype_ranker(settings: Settings, engine: Engine) -> PhenotypeRanker:
    """Concept recognition over the HPO release and the ontology ranker over the store's annotations."""
    return PhenotypeRanker(load_recognizer(settings.hpo_dir), load_ontology_ranker(engine))


def load_service(settings: Settings, engine: Engine) -> tuple[SearchService, list[str]]:
    """The service and the notices to show (rankers that could not load, and why)."""
    catalogue = load_catalogue(engine)
    notices: list[str] = []
    if not catalogue.diseases:
        notices.append("the corpus is not built; run `zebra build`")
    rankers: list[Ranker] = [LexicalRanker(open_lexical_index(settings), settings.candidate_hits)]
    neural = None
    if settings.model_path is None:
        notices.append("no neural model configured (ZEBRA_MODEL_PATH is empty); lexical ranking only")
    elif catalogue.diseases:
        torch.set_num_threads(settings.torch_threads)
        try:
            neural = load_neural(settings.model_path, catalogue)
            rankers.append(neural)
        except CheckpointError as exc:
            notices.append(f"neural model not loaded: {exc}")
    if settings.ontology and catalogue.diseases:
        rankers.append(load_phenotype_ranker(settings, engine))
    fusion, note = load_fusion(settings.fusion_path, [r.name for r in rankers], neural)
    log.info("fusion: %s", note)
    return SearchService(catalogue, rankers, fusion, log_queries=settings.log_queries), notices
