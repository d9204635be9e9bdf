"""A statement as a reader sees it (Fact), how store rows become facts, and facts an FtM
entity: the row side of the read path (store/reader.py decides which rows a reader sees).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from followthemoney import Dataset, Statement, StatementEntity
from sqlalchemy import Select, func, select

from unweave.model import model  # entities may use Unweave's own schemata
from unweave.store.tables import agencies, clusters, datasets, statements

UNWEAVE_DATASET = Dataset.make({"name": "unweave", "title": "Unweave"})


@dataclass(frozen=True)
class Fact:
    """One statement as a reader sees it, with where it came from."""

    id: str
    entity_id: str
    schema: str
    prop: str
    prop_type: str
    value: str
    original_value: str | None
    lang: str | None
    dataset: str
    agency: str
    handling: str
    conditions: str | None
    source_file: str
    source_row: int | None
    first_seen: datetime
    last_seen: datetime
    canonical_id: str  # the resolved entity this record belongs to (its own id if alone)
    key_id: str | None = None  # set: a victim's protected field (store/protect.py)

    def to_statement(self) -> Statement:
        return Statement(
            id=self.id,
            entity_id=self.entity_id,
            canonical_id=self.canonical_id,
            prop=self.prop,
            schema=self.schema,
            value=self.value,
            dataset=self.dataset,
            lang=self.lang,
            original_value=self.original_value,
            first_seen=_iso(self.first_seen),
            last_seen=_iso(self.last_seen),
            origin=f"{self.source_file}#{self.source_row}" if self.source_row else None,
        )

    def provenance(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "dataset": self.dataset,
            "handling": self.handling,
            "conditions": self.conditions,
            "file": self.source_file,
            "row": self.source_row,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
        }


def _iso(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace(" ", "T")[:19]
    return value.isoformat(timespec="seconds")


CANONICAL = func.coalesce(clusters.c.canonical_id, statements.c.entity_id)


def fact_query() -> Select[Any]:
    return select(
        statements.c.id,
        statements.c.entity_id,
        statements.c.schema,
        statements.c.prop,
        statements.c.prop_type,
        statements.c.value,
        statements.c.original_value,
        statements.c.lang,
        datasets.c.name.label("dataset"),
        agencies.c.code.label("agency"),
        statements.c.handling,
        datasets.c.conditions,
        statements.c.source_file,
        statements.c.source_row,
        statements.c.first_seen,
        statements.c.last_seen,
        CANONICAL.label("canonical_id"),
        statements.c.key_id,
    ).select_from(
        statements.join(datasets, datasets.c.id == statements.c.dataset_id)
        .join(agencies, agencies.c.id == datasets.c.agency_id)
        .outerjoin(clusters, clusters.c.entity_id == statements.c.entity_id)
    )


# The same read as fact_query, in plain SQL (store/rawsql.py) for the per-request paths.
# Statements "s" with their dataset "d", agency "a" and cluster "c".
FACT_FROM = (
    "FROM statements s JOIN datasets d ON d.id = s.dataset_id "
    "JOIN agencies a ON a.id = d.agency_id "
    "LEFT JOIN clusters c ON c.entity_id = s.entity_id "
)
FACT_SQL = (
    "SELECT s.id, s.entity_id, s.schema, s.prop, s.prop_type, s.value, s.original_value, "
    "s.lang, d.name, a.code, s.handling, d.conditions, s.source_file, s.source_row, "
    "s.first_seen, s.last_seen, COALESCE(c.canonical_id, s.entity_id), s.key_id " + FACT_FROM
)


_FIELDS = tuple(f.name for f in fields(Fact))
_new = object.__new__
_iso_time = datetime.fromisoformat


def fact_from_row(row: Any) -> Fact:
    """A Fact from a row of FACT_SQL, the same as ``Fact(*row)`` with its times parsed.

    Filled through its ``__dict__``: a frozen dataclass sets each of its 18 fields through
    ``object.__setattr__``, three times the CPU of this, and a search reads hundreds."""
    fact = _new(Fact)
    values = fact.__dict__
    values.update(zip(_FIELDS, row, strict=True))
    first, last = row[14], row[15]
    values["first_seen"] = _iso_time(first) if first.__class__ is str else first
    values["last_seen"] = _iso_time(last) if last.__class__ is str else last
    return fact


def entity_from_facts(facts: list[Fact]) -> StatementEntity:
    return StatementEntity.from_statements(UNWEAVE_DATASET, [f.to_statement() for f in facts])


def caption_of(facts: list[Fact]) -> str:
    """``entity_from_facts(facts).caption``, from the facts it is made of alone.

    FtM's caption is taken from the first of the schema's caption properties that has a
    statement, and from that property's statements only; the entity's schema is that of
    its facts. So when the facts have one schema, the entity made of that property's facts
    has the same schema, the same statements of that property and the same caption, for a
    fraction of the CPU (a search shows 20 captions). Facts of several schemata (a merged
    entity, whose schema FtM derives from them all) are made into the whole entity."""
    schema = model.get(facts[0].schema) if facts else None
    if schema is not None and all(f.schema == schema.name for f in facts):
        for prop in schema.caption:
            picked = [f for f in facts if f.prop == prop]
            if picked:
                return str(entity_from_facts(picked).caption)
    return str(entity_from_facts(facts).caption)
