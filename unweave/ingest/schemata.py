"""An entity id keeps one schema: a row giving a known id another schema is refused.

Shared by the ingest (checked against the store and the file so far) and by
``unweave ingest --check`` (no store: the file so far).
"""

from __future__ import annotations

from followthemoney.exc import InvalidData
from sqlalchemy import Connection

from unweave.ingest.draft import RowError
from unweave.ingest.rows import RowResult
from unweave.model import model
from unweave.store import rawsql
from unweave.store.writer import P_ENTITY, P_PROP, P_SCHEMA

LOOKUP_IDS = 500  # ids per lookup (SQLite allows 32,766 parameters, PostgreSQL 65,535)


def check_schemata(conn: Connection | None, rows: list[RowResult], known: dict[str, str]) -> None:
    """Refuse a row that gives an existing entity id a schema it cannot have.

    FtM entities from different sources meet on their ids: an id stored as a Person cannot
    come back as a Vehicle (no entity could be assembled from both), so such a row is an
    input error, named by its row and field, instead of breaking every later read.
    """
    if conn is not None:
        _stored(conn, rows, known)
    for result in rows:
        if result.error is not None:
            continue
        for stmt in result.statements:
            if stmt[P_PROP] != "id":
                continue
            entity_id, schema = stmt[P_ENTITY], stmt[P_SCHEMA]
            merged = _common(known.get(entity_id), schema)
            if merged is None:
                result.error = RowError(
                    f"entity {entity_id!r} is already a {known[entity_id]}; it "
                    f"cannot also be a {schema}",
                    field="schema",
                )
                result.statements = []
                break
            known[entity_id] = merged


def _stored(conn: Connection, rows: list[RowResult], known: dict[str, str]) -> None:
    """What the store already holds of the ids in these rows."""
    wanted = sorted(
        {s[P_ENTITY] for r in rows for s in r.statements if s[P_PROP] == "id"} - set(known)
    )
    raw = conn.connection.dbapi_connection
    # Plain SQL (store/rawsql.py), on the ingest's own connection and transaction: it runs
    # for every chunk of a file, and SQLAlchemy would build the statement anew each time.
    cursor = rawsql.Cursor(raw, conn.dialect.name)
    for start in range(0, len(wanted), LOOKUP_IDS):
        found = cursor.all(
            "SELECT DISTINCT entity_id, schema FROM statements "
            "WHERE prop = 'id' AND entity_id IN :ids",
            ids=wanted[start : start + LOOKUP_IDS],
        )
        for entity_id, schema in found:
            known[entity_id] = _common(known.get(entity_id), schema) or schema


def _common(a: str | None, b: str) -> str | None:
    """The schema both can be (Person with LegalEntity: Person), or None if none."""
    if a is None or a == b:
        return b
    try:
        return model.common_schema(a, b).name
    except InvalidData:
        return None
