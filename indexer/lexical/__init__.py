"""Lexical search backends behind one interface (`LexicalIndex`), and opening the configured one."""

from __future__ import annotations

from pathlib import Path

from indexer.lexical.base import LexicalIndex


def open_index(backend: str, *, tantivy_dir: Path, solr_url: str, solr_timeout: float,
               progress: bool = False) -> LexicalIndex:
    """The lexical backend named by `backend` (`tantivy` or `solr`), opened on its location."""
    if backend == "solr":
        from indexer.lexical.solr_index import SolrIndex

        return SolrIndex(solr_url, timeout=solr_timeout, progress=progress)
    from indexer.lexical.tantivy_index import TantivyIndex

    return TantivyIndex(tantivy_dir, progress=progress)
