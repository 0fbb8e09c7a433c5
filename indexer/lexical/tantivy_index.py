"""The embedded lexical backend: a tantivy index on disk beside the SQL store.

Owns the schema, versioned index folders and the atomic switch between them (a
`CURRENT` pointer file replaced with `os.replace`), BM25 search with per-field
weights, the source filter and snippets. Scoring is tantivy's own BM25.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import tantivy
from tqdm import tqdm

from indexer.corpus import INDEXED_FIELDS, Article
from indexer.lexical.base import (
    DEFAULT_WEIGHTS, Filters, Hit, IndexHealth, IndexMismatch, IndexNotBuilt, LexicalIndex, StagedIndex,
    query_terms,
)

log = logging.getLogger(__name__)
FORMAT_VERSION = 1
SNIPPET_FIELDS = ("features", "synonyms", "definitions")
SNIPPET_CHARS = 180
KEEP_PREVIOUS = 2  # index versions kept after a switch, for readers that have not switched yet
CLAUSE_CACHE = 50_000  # (word, count) pairs whose parsed clauses an opened version remembers


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in ("article_id", "disease_id", "source"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw")
    for name in INDEXED_FIELDS:
        sb.add_text_field(name, stored=True, tokenizer_name="en_stem")
    return sb.build()


def _document(a: Article) -> tantivy.Document:
    return tantivy.Document(article_id=a.article_id, disease_id=a.disease_id or a.article_id,
                            source=a.source, **a.index_fields())


def _id_map(index: tantivy.Index) -> dict[tuple[int, int], tuple[str, str, str, str]]:
    """Document address → (article_id, disease_id, source, title), read once per opened version.

    Searching returns addresses; reading stored documents per hit costs more than the
    search itself, so hits are resolved from this map and documents are read only to
    make snippets.
    """
    searcher = index.searcher()
    out = {}
    for _, address in searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1), count=False).hits:
        d = searcher.doc(address)
        out[(address.segment_ord, address.doc)] = (d["article_id"][0], d["disease_id"][0], d["source"][0],
                                                   d["title"][0])
    return out


@dataclass(frozen=True)
class _Live:
    """The opened index version readers use, swapped as a whole, with the query clauses parsed for it."""

    index: tantivy.Index
    ids: dict[tuple[int, int], tuple[str, str, str, str]]
    meta: dict
    clauses: dict[tuple[str, int], list[tuple[tantivy.Occur, tantivy.Query]]] = field(default_factory=dict)


class _StagedTantivy(StagedIndex):
    def __init__(self, owner: TantivyIndex, folder: Path):
        self.owner, self.folder = owner, folder

    def activate(self) -> None:
        self.owner._switch(self.folder)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class TantivyIndex(LexicalIndex):
    backend = "tantivy"

    def __init__(self, root: Path, weights: dict[str, float] | None = None, progress: bool = False):
        self.root = Path(root)
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self.progress = progress
        self.schema = _schema()
        self._live: _Live | None = None
        self._lock = threading.Lock()

    # -- versions ---------------------------------------------------------
    def _current_dir(self) -> Path | None:
        pointer = self.root / "CURRENT"
        if not pointer.is_file():
            return None
        folder = self.root / pointer.read_text().strip()
        return folder if folder.is_dir() else None

    def _open(self) -> _Live:
        live = self._live
        if live is None:
            with self._lock:
                live = self._live or self._load()
                self._live = live
        return live

    def _load(self) -> _Live:
        folder = self._current_dir()
        if folder is None:
            raise IndexNotBuilt(f"no tantivy index under {self.root}; run `zebra build`")
        meta = json.loads((folder / "zebra-meta.json").read_text())
        if meta.get("format_version") != FORMAT_VERSION:
            raise IndexMismatch(
                f"index format {meta.get('format_version')} at {folder} does not match this version's "
                f"format {FORMAT_VERSION}; run `zebra build` to rebuild it")
        index = tantivy.Index.open(str(folder))
        return _Live(index, _id_map(index), meta)

    def _write(self, folder: Path, articles: list[Article]) -> None:
        index = tantivy.Index(self.schema, path=str(folder))
        # One indexing thread writes one segment: a query over the full corpus is searched about a
        # quarter faster than over the two segments of two threads, and every build of the same
        # articles orders them alike (equal scores come back in the same order).
        writer = index.writer(heap_size=256_000_000, num_threads=1)
        for a in tqdm(articles, desc="index", unit="article", disable=not self.progress):
            writer.add_document(_document(a))
        writer.commit()
        writer.wait_merging_threads()

    def stage(self, articles: list[Article], data_release: str) -> _StagedTantivy:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"v{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        folder = self.root / name
        folder.mkdir()
        try:
            self._write(folder, articles)
            meta = {"format_version": FORMAT_VERSION, "data_release": data_release, "documents": len(articles),
                    "weights": self.weights, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            (folder / "zebra-meta.json").write_text(json.dumps(meta, indent=2))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return _StagedTantivy(self, folder)

    def _switch(self, folder: Path) -> None:
        tmp = self.root / f"CURRENT.{folder.name}.tmp"
        tmp.write_text(folder.name)
        os.replace(tmp, self.root / "CURRENT")  # the atomic switch
        with self._lock:
            self._live = None
        self._prune(keep=folder.name)

    def _prune(self, keep: str) -> None:
        """Drop old versions, but not the newest few: a server in another process may still be
        reading one until it notices the switch (it checks every few seconds)."""
        older = sorted((d for d in self.root.glob("v*") if d.is_dir() and d.name != keep),
                       key=lambda d: d.stat().st_mtime, reverse=True)
        for old in older[KEEP_PREVIOUS:]:
            shutil.rmtree(old, ignore_errors=True)

    def version(self) -> str:
        pointer = self.root / "CURRENT"
        return pointer.read_text().strip() if pointer.is_file() else ""

    def add(self, articles: list[Article]) -> None:
        live = self._open()
        index = live.index
        writer = index.writer(heap_size=64_000_000, num_threads=1)
        for a in articles:
            writer.delete_documents("article_id", a.article_id)
            writer.add_document(_document(a))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        with self._lock:
            self._live = _Live(index, _id_map(index), live.meta)

    # -- reading ----------------------------------------------------------
    def _parse(self, live: _Live, words: list[str]) -> tantivy.Query:
        """One flat disjunction of a clause per distinct word and field, boosted by the field's weight times the
        word's count (a query naming its findings repeats many words). The same BM25 sums as the query parser's
        nested form (per word, a disjunction over the fields), up to float rounding; tantivy searches a flat union
        of terms about a third faster, skipping documents that cannot reach the best hits."""
        clauses = [c for word, n in Counter(words).items() for c in self._clauses(live, word, n)]
        return tantivy.Query.boolean_query(clauses)

    def _clauses(self, live: _Live, word: str, n: int) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """The word's clause in each field, as the query parser reads it there (stemmed; a word the field's
        tokenizer splits becomes a phrase), remembered for the opened version."""
        found = live.clauses.get((word, n))
        if found is None:
            if len(live.clauses) >= CLAUSE_CACHE:
                live.clauses.clear()  # rare; a clear is safe under concurrent reads
            found = live.clauses[(word, n)] = [
                (tantivy.Occur.Should, tantivy.Query.boost_query(live.index.parse_query(word, [name]), weight * n))
                for name, weight in self.weights.items()]
        return found

    def _filtered(self, text: tantivy.Query, filters: Filters | None) -> tantivy.Query:
        if filters and filters.source:
            source = tantivy.Query.term_query(self.schema, "source", filters.source)
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, text), (tantivy.Occur.Must, source)])
        return text

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[Hit]:
        words = query_terms(query)
        live = self._open()
        if not words:
            return []
        searcher = live.index.searcher()
        text = self._parse(live, words)
        found = searcher.search(self._filtered(text, filters), k, count=False).hits
        hits = []
        for score, address in found:
            article_id, disease_id, source, title = live.ids[(address.segment_ord, address.doc)]
            # the parsed words travel with the hit: highlighting the same words needs no second parse
            hits.append(Hit(article_id, disease_id, source, title, float(score), ref=(searcher, address, words, text)))
        return hits

    def highlight(self, query: str, hits: list[Hit]) -> None:
        words = query_terms(query)
        if not words or not hits:
            return
        own: tantivy.Query | None = None  # parsed here only for hits another query's search found
        generators: dict[tuple[int, str], tantivy.SnippetGenerator] = {}
        for h in hits:
            searcher, address, searched, q = h.ref
            if searched != words:
                own = q = own or self._parse(self._open(), words)
            h.snippet = self._snippet(searcher, q, searcher.doc(address), generators)

    def _snippet(self, searcher: tantivy.Searcher, q: tantivy.Query, doc: tantivy.Document, cache: dict) -> str:
        for name in SNIPPET_FIELDS:
            if not doc.get_first(name):
                continue
            key = (id(searcher), name)
            if key not in cache:
                cache[key] = tantivy.SnippetGenerator.create(searcher, q, self.schema, name)
                cache[key].set_max_num_chars(SNIPPET_CHARS)
            snippet = cache[key].snippet_from_doc(doc)
            if snippet.highlighted():
                return snippet.to_html()
        return ""

    def count(self) -> int:
        return self._open().index.searcher().num_docs

    def health(self) -> IndexHealth:
        try:
            n = self.count()
        except (IndexNotBuilt, IndexMismatch, ValueError, OSError) as exc:
            return IndexHealth(ok=False, backend=self.backend, documents=0, detail=str(exc))
        return IndexHealth(ok=True, backend=self.backend, documents=n, meta=dict(self._open().meta))
