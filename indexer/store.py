"""The SQL store: diseases, articles, genes, phenotype annotations and build metadata.

Owns the SQLAlchemy 2.0 ORM tables, engine creation and the write/read functions on
them. SQLite by default, any SQLAlchemy URL by setting. It knows nothing of the
lexical index; `indexer.build` coordinates both.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, create_engine, delete, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload

from indexer.corpus import Article, Feature


class Base(DeclarativeBase):
    pass


article_genes = Table(
    "article_genes",
    Base.metadata,
    Column("article_id", ForeignKey("articles.article_id", ondelete="CASCADE"), primary_key=True),
    Column("symbol", ForeignKey("genes.symbol"), primary_key=True),
)


class DiseaseRow(Base):
    __tablename__ = "diseases"
    disease_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    articles: Mapped[list[ArticleRow]] = relationship(back_populates="disease", order_by="ArticleRow.article_id")


class GeneRow(Base):
    __tablename__ = "genes"
    symbol: Mapped[str] = mapped_column(String(64), primary_key=True)


class PhenotypeRow(Base):
    __tablename__ = "phenotypes"
    hpo_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text, default="")
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    parents: Mapped[list[str]] = mapped_column(JSON, default=list)  # is_a


class ArticleRow(Base):
    __tablename__ = "articles"
    article_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    disease_id: Mapped[str] = mapped_column(ForeignKey("diseases.disease_id"), index=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    inheritance: Mapped[list[str]] = mapped_column(JSON, default=list)
    onset: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(16), default="hpo", index=True)
    disease: Mapped[DiseaseRow] = relationship(back_populates="articles")
    genes: Mapped[list[GeneRow]] = relationship(secondary=article_genes, order_by="GeneRow.symbol")
    annotations: Mapped[list[AnnotationRow]] = relationship(
        cascade="all, delete-orphan", order_by="AnnotationRow.position")


class AnnotationRow(Base):
    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.article_id", ondelete="CASCADE"), index=True)
    hpo_id: Mapped[str] = mapped_column(ForeignKey("phenotypes.hpo_id"), index=True)
    frequency: Mapped[str] = mapped_column(String(32), default="")
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    phenotype: Mapped[PhenotypeRow] = relationship()


class BuildMeta(Base):
    __tablename__ = "build_meta"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data_release: Mapped[str] = mapped_column(String(32))
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


def make_engine(url: str) -> Engine:
    """Create the engine; a SQLite file's folder is created and foreign keys enforced."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, json_serializer=lambda o: json.dumps(o, ensure_ascii=False))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    Base.metadata.create_all(engine)
    _check_columns(engine)
    return engine


class StoreMismatch(RuntimeError):
    """The database holds tables of another version of this store."""


def _check_columns(engine: Engine) -> None:
    found = inspect(engine)
    for table in Base.metadata.sorted_tables:
        missing = {c.name for c in table.columns} - {c["name"] for c in found.get_columns(table.name)}
        if missing:
            raise StoreMismatch(
                f"table {table.name} at {engine.url.render_as_string(hide_password=True)} lacks the columns "
                f"{', '.join(sorted(missing))} of this version; point ZEBRA_DATABASE_URL at a new database "
                "(or delete the old SQLite file) and run `zebra build`")


def replace_release(session: Session, articles: list[Article], phenotypes: list[PhenotypeRow],
                    diseases: dict[str, str]) -> None:
    """Swap every HPO-origin row for `articles` (imported articles are kept)."""
    old = select(ArticleRow.article_id).where(ArticleRow.origin == "hpo")
    session.execute(delete(AnnotationRow).where(AnnotationRow.article_id.in_(old)))
    session.execute(delete(article_genes).where(article_genes.c.article_id.in_(old)))
    session.execute(delete(ArticleRow).where(ArticleRow.origin == "hpo"))
    used = select(ArticleRow.disease_id)
    session.execute(delete(DiseaseRow).where(DiseaseRow.disease_id.not_in(used)))
    session.execute(delete(PhenotypeRow))  # only HPO articles reference phenotypes
    session.add_all(phenotypes)
    session.flush()
    add_articles(session, articles, diseases)


def add_articles(session: Session, articles: list[Article], diseases: dict[str, str]) -> None:
    """Insert articles (and their missing diseases and genes) with bulk inserts."""
    existing = set(session.scalars(select(DiseaseRow.disease_id)))
    new = [{"disease_id": d, "name": n} for d, n in diseases.items() if d not in existing]
    if new:
        session.execute(DiseaseRow.__table__.insert(), new)
    genes = {g for a in articles for g in a.genes} - set(session.scalars(select(GeneRow.symbol)))
    if genes:
        session.execute(GeneRow.__table__.insert(), [{"symbol": g} for g in sorted(genes)])
    session.execute(ArticleRow.__table__.insert(), [_article_row(a) for a in articles])
    links = [{"article_id": a.article_id, "symbol": g} for a in articles for g in a.genes]
    if links:
        session.execute(article_genes.insert(), links)
    notes = [
        {"article_id": a.article_id, "hpo_id": f.hpo_id, "frequency": f.frequency, "negated": neg, "position": i}
        for a in articles
        for i, (f, neg) in enumerate([(f, False) for f in a.features] + [(f, True) for f in a.excluded])
    ]
    if notes:
        session.execute(AnnotationRow.__table__.insert(), notes)


def _article_row(a: Article) -> dict:
    return {"article_id": a.article_id, "disease_id": a.disease_id, "source": a.source, "title": a.title,
            "url": a.url, "inheritance": a.inheritance, "onset": a.onset, "text": a.text, "origin": a.origin}


def write_meta(session: Session, data_release: str, counts: dict[str, int]) -> BuildMeta:
    session.execute(delete(BuildMeta))
    meta = BuildMeta(id=1, data_release=data_release, built_at=datetime.now(timezone.utc), counts=counts)
    session.add(meta)
    return meta


def read_meta(session: Session) -> BuildMeta | None:
    return session.get(BuildMeta, 1)


def load_articles(session: Session) -> list[Article]:
    """Every stored article, rebuilt as `Article` objects (for indexing and training)."""
    rows = session.scalars(
        select(ArticleRow).options(
            selectinload(ArticleRow.genes),
            selectinload(ArticleRow.annotations).selectinload(AnnotationRow.phenotype),
        ).order_by(ArticleRow.article_id)
    )
    return [to_article(r) for r in rows]


def to_article(row: ArticleRow) -> Article:
    feats = [(_to_feature(n), n.negated) for n in row.annotations]
    return Article(
        article_id=row.article_id, source=row.source, title=row.title, url=row.url,
        inheritance=list(row.inheritance), onset=list(row.onset),
        features=[f for f, neg in feats if not neg], excluded=[f for f, neg in feats if neg],
        genes=[g.symbol for g in row.genes], text=row.text, origin=row.origin, disease_id=row.disease_id,
    )


def _to_feature(n: AnnotationRow) -> Feature:
    p = n.phenotype
    return Feature(hpo_id=p.hpo_id, name=p.name, frequency=n.frequency, synonyms=list(p.synonyms),
                   definition=p.definition)


# -- evaluation runs (the batch evaluation API; written and read by app.evaluations) -----------------
class EvalRunRow(Base):
    __tablename__ = "eval_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued, running, done, failed
    rankers: Mapped[list[str]] = mapped_column(JSON)
    data_release: Mapped[str] = mapped_column(String(32))
    n_queries: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    gold_check: Mapped[dict] = mapped_column(JSON, default=dict)  # gold ids unknown to the corpus
    report: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)  # metrics, when done
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)  # e.g. resumed after a restart


class EvalQueryRow(Base):
    __tablename__ = "eval_queries"
    run_id: Mapped[int] = mapped_column(ForeignKey("eval_runs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1-based place in the query set
    query: Mapped[str] = mapped_column(Text)
    gold: Mapped[list[str]] = mapped_column(JSON)
    label: Mapped[str | None] = mapped_column(Text, nullable=True)  # the query's own id (e.g. a phenopacket's)
    ranks: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)  # ranker → rank; 0 = not found
    top: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)  # ranker → best disease ids
