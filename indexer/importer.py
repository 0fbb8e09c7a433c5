"""Import of user article collections (JSONL), all or nothing.

Owns the line format and its validation. Every line is checked before anything is
written; the articles go into the store in one transaction and the index is switched
only after the commit (`indexer.build.commit_then_switch`).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from indexer.build import commit_then_switch
from indexer.corpus import Article
from indexer.lexical.base import LexicalIndex
from indexer.store import ArticleRow, DiseaseRow, add_articles, read_meta

MAX_LINES = 100_000
ID_PATTERN = r"^[A-Za-z0-9_.\-]{1,32}:[A-Za-z0-9_.\-]{1,94}$"


class ImportRejected(ValueError):
    """A JSONL import that was refused as a whole; the message names the line."""


class ImportedArticle(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    article_id: str = Field(pattern=ID_PATTERN, description="SOURCE:ID, e.g. MYCLINIC:42")
    title: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1, max_length=200_000)
    source: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,32}$")
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")
    disease_id: str | None = Field(None, pattern=ID_PATTERN)
    genes: list[str] = Field(default_factory=list, max_length=500)


def _problem(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        field = ".".join(str(p) for p in e["loc"]) or "line"
        parts.append(f"{field}: {e['msg']}")
    return "; ".join(parts)


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportRejected(f"line {line}: the file is not UTF-8 text (byte {exc.start:,} is not valid UTF-8); "
                             "save it as UTF-8 JSONL") from None


def read_jsonl(path: Path) -> list[tuple[int, ImportedArticle]]:
    """Validate every line; the first bad line raises `ImportRejected` naming it. Returns (line, article)."""
    if not path.is_file():
        raise ImportRejected(f"{path} does not exist or is not a file")
    out: list[tuple[int, ImportedArticle]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_text(path).split("\n"), start=1):  # not splitlines: U+2028 is valid in JSON
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if len(out) >= MAX_LINES:
            raise ImportRejected(f"{path} holds more than {MAX_LINES:,} articles; split it into smaller files")
        try:
            item = ImportedArticle.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ImportRejected(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        except ValidationError as exc:
            raise ImportRejected(f"line {number}: {_problem(exc)}") from None
        if item.article_id in seen:
            raise ImportRejected(
                f"line {number}: article_id {item.article_id!r} repeats line {seen[item.article_id]}")
        seen[item.article_id] = number
        out.append((number, item))
    if not out:
        raise ImportRejected(f"{path} holds no articles")
    return out


def _to_article(item: ImportedArticle) -> Article:
    return Article(article_id=item.article_id, source=item.source, title=item.title, url=item.url,
                   text=item.text, genes=sorted(set(item.genes)), origin="import",
                   disease_id=item.disease_id or item.article_id)


def import_jsonl(engine: Engine, index: LexicalIndex, path: Path) -> int:
    """Add the file's articles to the store and the index; returns how many."""
    numbered = read_jsonl(path)
    lines = {it.article_id: n for n, it in numbered}
    items = [it for _, it in numbered]

    def write(session: Session) -> str:
        meta = read_meta(session)
        if meta is None:
            raise ImportRejected("the corpus is not built yet; run `zebra build` before importing")
        taken = set(session.scalars(select(ArticleRow.article_id).where(ArticleRow.article_id.in_(list(lines)))))
        if taken:
            first = min(taken, key=lines.get)
            raise ImportRejected(f"line {lines[first]}: article_id {first!r} already exists in the "
                                 f"store; give it another id ({len(taken)} id(s) clash)")
        articles = [_to_article(it) for it in items]
        known = set(session.scalars(select(DiseaseRow.disease_id)))
        diseases = {a.disease_id: a.title for a in articles if a.disease_id not in known}
        add_articles(session, articles, diseases)
        return meta.data_release

    commit_then_switch(engine, index, write)
    return len(items)
