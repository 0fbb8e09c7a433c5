"""The query-set format: JSONL, one `{"query": text, "gold": [ids], "meta": {...}?}` per line.

Owns validation (every line checked; the first bad one is refused with its line number)
and reading/writing files. `gold` holds disease ids or article ids (`OMIM:154700`,
`ORPHA:558`); whether they exist in the corpus is the runner's concern, not this one's.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from core.validation import describe

MAX_QUERIES = 5_000
MAX_UNZIPPED = 50 * 1024 * 1024  # bytes a zip of phenopackets may unpack to
MAX_QUERY_CHARS = 2_000
MAX_GOLD = 100
ID_PATTERN = r"^[A-Za-z0-9_.\-]{1,32}:[A-Za-z0-9_.\-]{1,94}$"
EXAMPLE = '{"query": "tall, long fingers, dislocated lens", "gold": ["OMIM:154700"]}'

GoldId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN)]


class QuerySetError(ValueError):
    """A query set refused as a whole; the message names the line (or item) at fault."""


class EvalQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="The patient's findings, free text.")
    gold: list[GoldId] = Field(min_length=1, max_length=MAX_GOLD,
                               description="Correct disease or article ids, e.g. OMIM:154700 or ORPHA:558.")
    meta: dict[str, Any] | None = Field(None, description="Anything about the query; kept, never evaluated.")
    id: str | None = Field(None, max_length=200, description="The query's own id (e.g. a phenopacket's id), "
                                                             "named in the per-query CSV.")


def _name(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "line"


_LINE_WORDING = {  # how a query file's problems are worded
    "model_type": lambda name, value, ctx: f"expected a JSON object like {EXAMPLE}",
    "string_too_short": lambda name, value, ctx: f"{name} is empty",
    "too_short": lambda name, value, ctx: f"{name} is empty; give at least one disease or article id such as OMIM:154700",
    "too_long": lambda name, value, ctx: f"{name} has {len(value):,} ids; the limit is {ctx['max_length']:,}",
    "string_pattern_mismatch": lambda name, value, ctx: f"{name} is {value!r}; ids look like OMIM:154700 or ORPHA:558",
    "extra_forbidden": lambda name, value, ctx: f"{name} is not a known field; a line holds query, gold and optionally meta",
}


def _describe(err: dict) -> str:
    return describe(err, _name(tuple(err.get("loc", ()))), _LINE_WORDING)


def _validate(item: Any, where: str) -> EvalQuery:
    if isinstance(item, dict) and "phenotypicFeatures" in item:
        return _from_phenopacket(item, where)
    try:
        return EvalQuery.model_validate(item)
    except ValidationError as exc:
        raise QuerySetError(f"{where}: " + "; ".join(_describe(e) for e in exc.errors())) from None


def _from_phenopacket(item: dict, where: str) -> EvalQuery:
    """A GA4GH phenopacket as a query: its findings as HPO ids, its diagnoses as gold, its id kept."""
    from evaluation.phenopackets import PhenopacketError, parse_phenopacket, to_query

    try:
        patient = to_query(parse_phenopacket(item))
    except PhenopacketError as exc:
        raise QuerySetError(f"{where}: {exc}") from None
    if not patient.gold:
        raise QuerySetError(f"{where}: phenopacket {patient.phenopacket_id!r} names no diagnosis; give its disease "
                            "in diseases[].term or interpretations[].diagnosis.disease (e.g. OMIM:154700)")
    meta: dict = {"format": "phenopacket"}
    if patient.publications:  # a published case: evaluation ranks it without its own publication's patients
        meta["pmids"] = list(patient.publications)
    return _validate({"query": patient.text, "gold": list(patient.gold), "id": patient.phenopacket_id or None,
                      "meta": meta}, where)


def _check_size(n: int) -> None:
    if n == 0:
        raise QuerySetError(f"the query set holds no queries; give one JSON object per line like {EXAMPLE}")
    if n > MAX_QUERIES:
        raise QuerySetError(f"the query set holds {n:,} queries; the limit is {MAX_QUERIES:,}. "
                            "Split it into several runs")


def parse_jsonl(lines: Iterable[str]) -> list[EvalQuery]:
    """Validate JSONL text line by line (blank lines are skipped but counted)."""
    out: list[EvalQuery] = []
    rows = iter(lines)
    for number, line in enumerate(rows, start=1):
        if not line.strip():
            continue
        if len(out) == MAX_QUERIES:  # count the rest (cheaply) so that the message gives the size
            _check_size(MAX_QUERIES + 1 + sum(1 for rest in rows if rest.strip()))
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuerySetError(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        out.append(_validate(item, f"line {number}"))
    _check_size(len(out))
    return out


def parse_items(items: Any) -> list[EvalQuery]:
    """Validate a JSON list of query objects (items are numbered from 1)."""
    if not isinstance(items, list):
        raise QuerySetError(f"expected a JSON list of objects like {EXAMPLE}")
    _check_size(len(items))
    return [_validate(item, f"item {i}") for i, item in enumerate(items, start=1)]


def decode(data: bytes) -> list[EvalQuery]:
    """An uploaded file's bytes → validated queries: JSONL of queries or of GA4GH phenopackets, or a
    zip of phenopacket JSON files."""
    if data[:4] == b"PK\x03\x04":
        return _from_zip(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuerySetError(f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8 JSONL") from None
    return parse_jsonl(text.splitlines())


def _from_zip(data: bytes) -> list[EvalQuery]:
    """A zip of phenopacket JSON files (one patient each, `*.json`, in name order)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = sorted((i for i in archive.infolist() if i.filename.endswith(".json") and not i.is_dir()),
                         key=lambda i: i.filename)
    except zipfile.BadZipFile as exc:
        raise QuerySetError(f"the zip file cannot be read ({exc}); zip the phenopacket JSON files again") from None
    if not members:
        raise QuerySetError("the zip file holds no .json file; put one phenopacket JSON file per patient in it")
    _check_size(len(members))
    unpacked = sum(i.file_size for i in members)
    if unpacked > MAX_UNZIPPED:
        raise QuerySetError(f"the zip file unpacks to {unpacked:,} bytes; the limit is {MAX_UNZIPPED:,}. "
                            "Split it into several runs")
    out = []
    for info in members:
        try:
            item = json.loads(archive.read(info).decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise QuerySetError(f"{info.filename}: not UTF-8 JSON ({exc.__class__.__name__}); "
                                "save each phenopacket as a UTF-8 JSON file") from None
        if not isinstance(item, dict) or "phenotypicFeatures" not in item:
            raise QuerySetError(f"{info.filename}: not a phenopacket (no phenotypicFeatures)")
        out.append(_validate(item, info.filename))
    return out


def read_queries(path: Path) -> list[EvalQuery]:
    if not path.is_file():
        raise QuerySetError(f"{path} does not exist or is not a file")
    try:
        return decode(path.read_bytes())
    except QuerySetError as exc:
        raise QuerySetError(f"{path}: {exc}") from None


def write_queries(path: Path, queries: Iterable[EvalQuery | dict]) -> int:
    """Write JSONL (one object per line, keys in format order); returns the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for q in queries:
            row = q.model_dump(exclude_none=True) if isinstance(q, EvalQuery) else q
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n
