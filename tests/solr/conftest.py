"""Real Solr for the Solr tests: the project's own launcher (`zebra solr start`), standalone and 2-shard cloud.

A Solr already healthy on the standard ports (8983, cloud 8984; e.g. started by `.ci/run`) is
reused and left running; otherwise the fixtures start one in a temporary folder and stop it at
the end. With CI=true a Solr that cannot start fails these tests; elsewhere they are skipped.
The tests only ever write cores/collections named `zebra_test*`, never `zebra`.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from indexer.build import build
from indexer.corpus import Article
from indexer.lexical.solr_index import SolrIndex
from indexer.lexical.tantivy_index import TantivyIndex
from cli.solr import PORTS, Node, SolrLaunchError, problem, start, stop
from indexer.store import load_articles, make_engine

from tests.conftest import HPO_SLICE
from tests.shared_servers import hold

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"Solr tests must run in CI (CI=true), but {reason}", pytrace=False)
    pytest.skip(f"no Solr: {reason} (set CI=true to make this a failure)")


def _serve(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, cloud: bool) -> str:
    hold()
    node = Node(state=tmp_path_factory.mktemp("solr-cloud" if cloud else "solr"), cloud=cloud, port=PORTS[cloud])
    if problem(node) is None:
        return node.base_url
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        unavailable(f"{' and '.join(missing)} not found on PATH (Java 17 and Maven build the local Solr)")
    try:
        start(node, timeout=300)
    except SolrLaunchError as exc:
        unavailable(f"`zebra solr start{' --cloud' if cloud else ''}` failed: {exc}")
    request.addfinalizer(lambda: stop(node))
    return node.base_url


@pytest.fixture(scope="session")
def solr_base(request, tmp_path_factory) -> str:
    """Base URL of a standalone Solr node (…/solr)."""
    return _serve(request, tmp_path_factory, cloud=False)


@pytest.fixture(scope="session")
def solr_cloud_base(request, tmp_path_factory) -> str:
    """Base URL of a 2-node SolrCloud (…/solr)."""
    return _serve(request, tmp_path_factory, cloud=True)


@dataclass
class Corpus:
    articles: list[Article]
    release: str
    tantivy: TantivyIndex
    db_url: str


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    """The fixture HPO slice built into SQLite + tantivy; its stored articles carry their disease ids."""
    folder: Path = tmp_path_factory.mktemp("corpus")
    engine, tantivy = make_engine(f"sqlite:///{folder / 'zebra.db'}"), TantivyIndex(folder / "index")
    report = build(engine, tantivy, HPO_SLICE)
    with Session(engine) as session:
        articles = load_articles(session)
    return Corpus(articles, report.data_release, tantivy, str(engine.url))


@pytest.fixture(scope="session")
def solr_index(solr_base: str, corpus: Corpus) -> SolrIndex:
    """The fixture corpus in the standalone core `zebra_test` (rebuilt once per session; read-only in tests)."""
    index = SolrIndex(f"{solr_base}/zebra_test", timeout=30)
    index.rebuild(corpus.articles, corpus.release)
    return index


@pytest.fixture(scope="session")
def cloud_index(solr_cloud_base: str, corpus: Corpus) -> SolrIndex:
    """The fixture corpus in the 2-shard collection `zebra_test` (alias over a fresh collection)."""
    index = SolrIndex(f"{solr_cloud_base}/zebra_test", timeout=30)
    index.rebuild(corpus.articles, corpus.release)
    return index
