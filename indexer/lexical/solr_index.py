"""The production lexical backend: a Solr core (standalone) or collection (SolrCloud), through pysolr.

Owns the documents sent to Solr, the edismax query built from `query_terms` words only
(weights from DEFAULT_WEIGHTS as `qf`), highlighting, the source filter, and atomic
rebuilds: a new core (swapped in with CoreAdmin SWAP) or a new collection (switched to
with an alias). The schema and analysis live in the configset `solr/configsets/zebra`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pysolr
import requests
from tqdm import tqdm

from indexer.corpus import Article
from indexer.lexical.base import (
    DEFAULT_WEIGHTS, Filters, Hit, IndexHealth, IndexMismatch, IndexNotBuilt, LexicalIndex, LexicalIndexError,
    LexicalIndexUnavailable, StagedIndex, query_terms, repeats_as_boosts,
)

log = logging.getLogger(__name__)
# pysolr logs every request URL (the query text included) at INFO and ERROR; query text is health
# information, so its records go to a logger of ours that stays silent. Our exceptions say what failed.
_PYSOLR_LOG = logging.getLogger(f"{__name__}.pysolr")
_PYSOLR_LOG.disabled = True

FORMAT_VERSION = 1
SCHEMA_NAME = f"zebra-{FORMAT_VERSION}"  # the `name` of managed-schema.xml
META_ID = "_zebra_meta"
SNIPPET_FIELDS = ("features", "synonyms", "definitions")
SNIPPET_CHARS = 180
MAX_TERMS = 1024  # distinct words per query; 5 fields each stay under maxBooleanClauses (8192)
FIELDS = "article_id,disease_id,source,title_str,score"  # docValues only: no stored-field reads


def _document(a: Article) -> dict[str, str]:
    return {"article_id": a.article_id, "disease_id": a.disease_id or a.article_id, "source": a.source,
            **a.index_fields()}


def edismax_query(words: list[str]) -> str:
    """Words → an edismax query of bare terms; a repeated word counts once per repeat (as in tantivy).

    Only `\\w+` words reach this point (see `query_terms`), so nothing here is query syntax
    except the `^n` boosts added for repeats.
    """
    return " ".join(repeats_as_boosts(words)[:MAX_TERMS])


@dataclass(frozen=True)
class _Target:
    """Where a name points now: a core, a collection, or an alias over a collection."""

    exists: bool
    collection: str | None = None  # the collection behind an alias (cloud)
    real: bool = False  # a real core or collection carries the name itself
    shards: int = 0
    config: str = "zebra"


class _StagedSolr(StagedIndex):
    def __init__(self, owner: SolrIndex, name: str):
        self.owner, self.name = owner, name

    def activate(self) -> None:
        self.owner._switch(self.name)

    def discard(self) -> None:
        self.owner._drop(self.name)


class SolrIndex(LexicalIndex):
    backend = "solr"

    def __init__(self, url: str, timeout: float = 5.0, weights: dict[str, float] | None = None,
                 progress: bool = False, batch_size: int = 1000, build_timeout: float = 300.0,
                 configset: str = "zebra"):
        base, _, name = url.rstrip("/").rpartition("/")
        if not base.startswith(("http://", "https://")) or not name:
            raise ValueError(f"Solr URL {url!r} must name a core or collection, like http://127.0.0.1:8983/solr/zebra")
        self.url, self.base, self.name = f"{base}/{name}", base, name
        self.timeout, self.build_timeout = timeout, build_timeout
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self.progress, self.batch_size, self.configset = progress, batch_size, configset
        self._http = requests.Session()
        self._solr = self._client(name, timeout)
        self._meta: dict | None = None
        self._cloud: bool | None = None

    def _client(self, name: str, timeout: float) -> pysolr.Solr:
        client = pysolr.Solr(f"{self.base}/{name}", timeout=timeout, session=self._http)
        client.log = _PYSOLR_LOG
        return client

    # -- errors -----------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self, action: str, timeout: float | None = None) -> Iterator[None]:
        """Map pysolr/requests failures to LexicalIndexError subclasses with a message that names the fix."""
        try:
            yield
        except (pysolr.SolrError, requests.RequestException) as exc:
            cause = exc if isinstance(exc, requests.RequestException) else exc.__context__
            if isinstance(cause, requests.Timeout):
                raise LexicalIndexUnavailable(f"Solr at {self.base} did not answer ({action}) within "
                                              f"{timeout or self.timeout:g} s; raise ZEBRA_SOLR_TIMEOUT or check "
                                              f"the server") from None
            if isinstance(cause, requests.ConnectionError):
                raise LexicalIndexUnavailable(f"cannot reach Solr at {self.base} ({action}); start it with "
                                              f"`zebra solr start` or fix ZEBRA_SOLR_URL") from None
            message = str(exc)
            if "(HTTP 404)" in message:
                raise IndexNotBuilt(f"no Solr core or collection {self.name!r} at {self.base}; "
                                    f"run `zebra build` with ZEBRA_SEARCH_BACKEND=solr") from None
            raise LexicalIndexError(f"Solr {action} failed: {message[:500]}") from None

    def _admin(self, path: str, **params) -> dict:
        """One CoreAdmin / Collections API call; Solr's own error message becomes the exception."""
        with self._errors(path, self.build_timeout):
            resp = self._http.get(f"{self.base}/{path}", params={**params, "wt": "json"}, timeout=self.build_timeout)
            body = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
            if resp.status_code != 200 or body.get("failure") or body.get("exception"):
                detail = (body.get("error") or {}).get("msg") or body.get("failure") or resp.text[:300]
                raise LexicalIndexError(f"Solr {path} {params.get('action', '')} failed "
                                        f"(HTTP {resp.status_code}): {detail}")
            return body

    # -- where the live index is ------------------------------------------
    def is_cloud(self) -> bool:
        if self._cloud is None:
            self._cloud = self._admin("admin/info/system").get("mode") == "solrcloud"
        return self._cloud

    def _target(self) -> _Target:
        if not self.is_cloud():
            status = self._admin("admin/cores", action="STATUS", core=self.name, indexInfo="false")
            failure = status.get("initFailures", {}).get(self.name)
            if failure:
                raise LexicalIndexError(f"Solr core {self.name!r} failed to load: {failure}")
            return _Target(exists=bool(status["status"].get(self.name)), real=True)
        aliases = self._admin("admin/collections", action="LISTALIASES").get("aliases", {})
        cluster = self._admin("admin/collections", action="CLUSTERSTATUS")["cluster"]
        collections = cluster.get("collections", {})
        behind = aliases.get(self.name)
        live = collections.get(behind or self.name)
        if live is None:
            return _Target(exists=False, shards=len(cluster.get("live_nodes", [])) or 1, config=self.configset)
        return _Target(exists=True, collection=behind, real=self.name in collections,
                       shards=len(live["shards"]), config=live.get("configName", self.configset))

    def _create(self, name: str, target: _Target) -> None:
        if self.is_cloud():
            self._admin("admin/collections", action="CREATE", name=name, numShards=target.shards,
                        replicationFactor=1, **{"collection.configName": target.config}, waitForFinalState="true")
        else:
            self._admin("admin/cores", action="CREATE", name=name, instanceDir=name, configSet=self.configset)

    def _drop(self, name: str) -> None:
        if self.is_cloud():
            self._admin("admin/collections", action="DELETE", name=name)
        else:
            self._admin("admin/cores", action="UNLOAD", core=name, deleteInstanceDir="true")

    def _drop_swapped(self, name: str) -> None:
        """Unload the old index that `name` holds after a SWAP.

        Its folder is deleted unless it is the one named like the live core: `solr-precreate` (the
        Docker image) recreates a core whenever that folder is missing, so it stays, emptied.
        """
        status = self._admin("admin/cores", action="STATUS", core=name, indexInfo="false")["status"][name]
        if os.path.basename(os.path.normpath(status.get("instanceDir", ""))) == self.name:
            self._admin("admin/cores", action="UNLOAD", core=name, deleteIndex="true", deleteDataDir="true")
        else:
            self._drop(name)

    # -- writing ----------------------------------------------------------
    def stage(self, articles: list[Article], data_release: str) -> _StagedSolr:
        """Index into a new core/collection beside the live one, with one commit; readers see nothing yet."""
        target = self._target()
        name = f"{self.name}__stage_{time.strftime('%Y%m%dT%H%M%S')}_{os.getpid()}_{secrets.token_hex(3)}"
        try:
            self._create(name, target)
            client = self._client(name, self.build_timeout)
            meta = {"format_version": FORMAT_VERSION, "data_release": data_release, "documents": len(articles),
                    "weights": self.weights, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "build_id": secrets.token_hex(8)}
            self._send(client, articles, [{"article_id": META_ID, "meta_json": json.dumps(meta)}])
            with self._errors("commit", self.build_timeout):
                client.commit(waitSearcher=True)
        except BaseException:
            with contextlib.suppress(LexicalIndexError):
                self._drop(name)
            raise
        return _StagedSolr(self, name)

    def _send(self, client: pysolr.Solr, articles: list[Article], extra: list[dict] | None = None) -> None:
        batches = range(0, len(articles), self.batch_size)
        for start in tqdm(batches, desc="index (Solr)", unit="batch", disable=not self.progress):
            with self._errors("indexing", self.build_timeout):
                client.add([_document(a) for a in articles[start:start + self.batch_size]], commit=False)
        if extra:
            with self._errors("indexing", self.build_timeout):
                client.add(extra, commit=False)

    def _switch(self, staged: str) -> None:
        """Make `staged` the live index in one step, then drop the old one."""
        try:
            target = self._target()
            if self.is_cloud():
                self._admin("admin/collections", action="CREATEALIAS", name=self.name, collections=staged)
            elif target.exists:
                self._admin("admin/cores", action="SWAP", core=self.name, other=staged)
            else:
                self._admin("admin/cores", action="RENAME", core=staged, other=self.name)
        except BaseException:
            with contextlib.suppress(LexicalIndexError):
                self._drop(staged)
            raise
        self._meta = None
        # The new index is live; what follows only removes the old one.
        if self.is_cloud():
            if target.collection and target.collection != staged:
                self._drop(target.collection)
            if target.real:  # a collection that carries the name itself is shadowed by the alias now
                self._admin("admin/collections", action="DELETE", name=self.name, followAliases="false")
        elif target.exists:
            self._drop_swapped(staged)  # after SWAP, `staged` names the old core

    def add(self, articles: list[Article]) -> None:
        self._send(self._client(self.name, self.build_timeout), articles)
        with self._errors("commit", self.build_timeout):
            self._solr.commit(waitSearcher=True)

    # -- reading ----------------------------------------------------------
    def _params(self, **extra) -> dict:
        qf = " ".join(f"{name}^{weight:g}" for name, weight in self.weights.items())
        return {"defType": "edismax", "qf": qf, "tie": "1.0", "mm": "1", "q.op": "OR", "sow": "true",
                "lowercaseOperators": "false", "uf": "-*", **extra}

    def meta(self) -> dict:
        """The index's metadata document, checked against this code's format version (cached; `health` re-reads)."""
        if self._meta is None:
            with self._errors("reading metadata"):
                docs = self._solr.search("*:*", defType="lucene", fq=f"{{!term f=article_id}}{META_ID}",
                                         fl="meta_json", rows=1).docs
                schema = self._http.get(f"{self.url}/schema/name", params={"wt": "json"},
                                        timeout=self.timeout).json().get("name")
            if not docs:
                raise IndexNotBuilt(f"Solr {self.name!r} at {self.base} holds no Zebra index; run `zebra build`")
            meta = json.loads(docs[0]["meta_json"])
            if meta.get("format_version") != FORMAT_VERSION or schema != SCHEMA_NAME:
                raise IndexMismatch(
                    f"Solr {self.name!r} holds index format {meta.get('format_version')} with schema {schema!r}; this "
                    f"version needs format {FORMAT_VERSION} with schema {SCHEMA_NAME!r}: update the configset "
                    f"and run `zebra build`")
            self._meta = meta
        return self._meta

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Hit]:
        words = query_terms(query)
        if not words:
            return []
        self.meta()
        params = self._params(fl=FIELDS, rows=k, sort="score desc,article_id asc")
        if filters and filters.source:
            params.update({"fq": "{!term f=source v=$zsource}", "zsource": filters.source})
        with self._errors("search"):
            docs = self._solr.search(edismax_query(words), **params).docs
        return [Hit(d["article_id"], d["disease_id"], d["source"], d["title_str"], float(d["score"])) for d in docs]

    def highlight(self, query: str, hits: list[Hit]) -> None:
        words = query_terms(query)
        if not words or not hits:
            return
        ids = list(dict.fromkeys(h.article_id for h in hits))
        params = self._params(
            fl="article_id", rows=len(ids), fq="{!terms f=article_id v=$zids}", zids=",".join(ids), hl="true", **{
                "hl.fl": ",".join(SNIPPET_FIELDS), "hl.method": "unified", "hl.encoder": "html",
                "hl.tag.pre": "<b>", "hl.tag.post": "</b>", "hl.fragsize": SNIPPET_CHARS, "hl.snippets": 1,
                "hl.defaultSummary": "false", "hl.requireFieldMatch": "true",
                "hl.weightMatches": "false"})  # per-term matching: same <b> words, ~40% faster
        with self._errors("highlighting"):
            found = self._solr.search(edismax_query(words), **params).highlighting
        for h in hits:
            fields = found.get(h.article_id, {})
            h.snippet = next((fields[n][0] for n in SNIPPET_FIELDS if fields.get(n)), "")

    def count(self) -> int:
        with self._errors("count"):
            return self._solr.search("*:*", defType="lucene", fq=f"-article_id:{META_ID}", rows=0).hits

    def health(self) -> IndexHealth:
        try:
            with self._errors("ping"):
                ping = json.loads(self._solr.ping())
            if ping.get("status") != "OK":
                raise LexicalIndexUnavailable(
                    f"Solr {self.name!r} at {self.base} answers ping with {ping.get('status')!r}")
            self._meta = None  # re-read: another process may have rebuilt the index
            meta, n = self.meta(), self.count()
        except LexicalIndexError as exc:
            return IndexHealth(ok=False, backend=self.backend, documents=0, detail=str(exc))
        return IndexHealth(ok=True, backend=self.backend, documents=n,
                           meta={**meta, "url": self.url, "mode": "solrcloud" if self.is_cloud() else "standalone"})
