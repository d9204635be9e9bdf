"""An entity id keeps one schema: a row giving a known id another schema is refused.

Shared by the ingest (checked against the store and the file so far) and by
``unweave ingest --check`` (no store: the file so far).
"""

from __future__ import annotations

from followthemoney.exc import InvalidData
from sqlalchemy import Connection, select

from unweave.ingest.draft import RowError
from unweave.ingest.rows import RowResult
from unweave.model import model
from unweave.store.tables import statements


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
            if stmt.prop != "id":
                continue
            merged = _common(known.get(stmt.entity_id), stmt.schema)
            if merged is None:
                result.error = RowError(
                    f"entity {stmt.entity_id!r} is already a {known[stmt.entity_id]}; it "
                    f"cannot also be a {stmt.schema}",
                    field="schema",
                )
                result.statements = []
                break
            known[stmt.entity_id] = merged


def _stored(conn: Connection, rows: list[RowResult], known: dict[str, str]) -> None:
    """What the store already holds of the ids in these rows."""
    wanted = sorted(
        {s.entity_id for r in rows for s in r.statements if s.prop == "id"} - set(known)
    )
    for start in range(0, len(wanted), 500):
        found = conn.execute(
            select(statements.c.entity_id, statements.c.schema)
            .where(
                statements.c.prop == "id", statements.c.entity_id.in_(wanted[start : start + 500])
            )
            .distinct()
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
