"""GA4GH Phenopackets (v2, ISO 4454:2022) in and out: a patient's findings as a query, and the
findings of a query as a phenopacket.

Owns parsing and validating with the GA4GH `phenopackets` package (protobuf messages, never
hand-written dictionaries), errors that name the JSON path of the bad field, turning the
observed and excluded `phenotypicFeatures` into query text that the recognizer reads as HPO
ids ("HP:0001166, HP:0001083, no HP:0001250"), the gold diseases of a phenopacket (its
`diseases` and the diagnoses of its `interpretations`), and writing a phenopacket (with the subject's
sex and age where the query states them). Subject sex and age are read and validated but no ranker
uses them yet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from google.protobuf.timestamp_pb2 import Timestamp
from phenopackets import (Age, Individual, MetaData, OntologyClass, Phenopacket, PhenotypicFeature, Resource, Sex,
                          TimeElement)

SCHEMA_VERSION = "2.0"
MAX_FEATURES = 150  # a query holds at most 2,000 characters: 150 ids with their separators
_HPO_ID = re.compile(r"^HP:\d{7}$")
_DISEASE_ID = re.compile(r"^[A-Za-z][\w.-]*:[\w.-]+$")


class PhenopacketError(ValueError):
    """A phenopacket refused; the message names the JSON path of the bad field and the fix."""


@dataclass(frozen=True)
class PatientQuery:
    """What a phenopacket says for a search: its id, the query text, and its gold diseases."""

    phenopacket_id: str
    text: str
    observed: tuple[str, ...]
    excluded: tuple[str, ...]
    gold: tuple[str, ...]
    publications: tuple[str, ...] = ()  # the PMIDs of metaData.externalReferences (the case's publication)


def _describe(message: str) -> str:
    """protobuf's ParseError → "<JSON path>: <what is wrong>" (the path as the JSON writes it)."""
    at = re.search(r'at "?Phenopacket((?:\.\w+|\[\d+\])*)"?', message)
    chain = re.findall(r"Failed to parse (\w+) field", message)
    path = at.group(1).lstrip(".") if at else ".".join(chain)
    unknown = re.search(r'has no field named "(\w+)".*?Available Fields\(except extensions\): "\[([^\]]*)\]"', message, re.S)
    if unknown:
        allowed = unknown.group(2).replace("'", "")
        return f"{path + '.' if path else ''}{unknown.group(1)} is not a field here; the fields are {allowed}"
    reason = message.split(": ")[-1].split(" at ")[0].strip().rstrip(".")
    return f"{path or 'phenopacket'}: {reason}"


def parse_phenopacket(data: Any) -> Phenopacket:
    """A JSON object (already decoded) → a validated Phenopacket message."""
    if not isinstance(data, dict):
        raise PhenopacketError("expected a JSON object: a GA4GH Phenopacket v2 with phenotypicFeatures")
    try:
        packet = ParseDict(data, Phenopacket())
    except ParseError as exc:
        raise PhenopacketError(f"{_describe(str(exc))}; see the GA4GH Phenopacket v2 schema") from None
    _check(packet)
    return packet


def _check(packet: Phenopacket) -> None:
    features = packet.phenotypic_features
    if not features:
        raise PhenopacketError("phenotypicFeatures is empty; give at least one observed finding as an HPO term "
                               '(e.g. {"type": {"id": "HP:0001166", "label": "Arachnodactyly"}})')
    if len(features) > MAX_FEATURES:
        raise PhenopacketError(f"phenotypicFeatures has {len(features):,} findings; the limit is {MAX_FEATURES}. "
                               "Keep the key findings")
    for i, f in enumerate(features):
        if not _HPO_ID.match(f.type.id):
            raise PhenopacketError(f"phenotypicFeatures[{i}].type.id is {f.type.id!r}; it must be an HPO id "
                                   "such as HP:0001166")
    if all(f.excluded for f in features):
        raise PhenopacketError("phenotypicFeatures holds excluded findings only; give at least one observed finding")


def to_query(packet: Phenopacket) -> PatientQuery:
    """The phenopacket's findings as query text the recognizer reads as ids, with its gold diseases."""
    observed = tuple(dict.fromkeys(f.type.id for f in packet.phenotypic_features if not f.excluded))
    excluded = tuple(dict.fromkeys(f.type.id for f in packet.phenotypic_features if f.excluded))
    text = ", ".join(observed) + "".join(f". No {h}" for h in excluded) + ("." if excluded else "")
    publications = tuple(dict.fromkeys(r.id for r in packet.meta_data.external_references if r.id.startswith("PMID:")))
    return PatientQuery(packet.id, text, observed, excluded, gold_of(packet), publications)


def gold_of(packet: Phenopacket) -> tuple[str, ...]:
    """The diseases the phenopacket diagnoses: `diseases` (not excluded) and its interpretations' diagnoses."""
    ids = [d.term.id for d in packet.diseases if not d.excluded and d.term.id]
    ids += [i.diagnosis.disease.id for i in packet.interpretations if i.diagnosis.disease.id]
    return tuple(dict.fromkeys(i for i in ids if _DISEASE_ID.match(i)))


def write_phenopacket(packet_id: str, features: Sequence[tuple[str, str, bool]], data_release: str,
                      created: datetime | None = None, sex: str | None = None, age: str | None = None) -> dict:
    """A phenopacket (as its JSON object) holding `features` as (hpo_id, label, excluded), and a subject
    with `sex` (MALE or FEMALE) and `age` (ISO 8601 duration, at the last encounter) where given."""
    stamp = Timestamp()
    stamp.FromDatetime((created or datetime.now(timezone.utc)).replace(microsecond=0))
    hpo = Resource(id="hp", name="human phenotype ontology", url="http://purl.obolibrary.org/obo/hp.owl",
                   version=data_release, namespace_prefix="HP", iri_prefix="http://purl.obolibrary.org/obo/HP_")
    subject = None
    if sex or age:
        subject = Individual(id=packet_id, sex=Sex.Value(sex) if sex else Sex.UNKNOWN_SEX,
                             time_at_last_encounter=TimeElement(age=Age(iso8601duration=age)) if age else None)
    packet = Phenopacket(
        id=packet_id,
        subject=subject,
        phenotypic_features=[PhenotypicFeature(type=OntologyClass(id=h, label=label), excluded=excluded)
                             for h, label, excluded in features],
        meta_data=MetaData(created=stamp, created_by="Zebra search", resources=[hpo],
                           phenopacket_schema_version=SCHEMA_VERSION))
    return MessageToDict(packet)
