"""Writing statements in batches, inside the caller's transaction.

A statement's id is FtM's key (dataset, entity, property, value): writing a fact that is
already stored only moves its last_seen and last_run_id, which makes ingestion idempotent.

On SQLite, a batch of search rows goes first into a temporary table and then into
``search_terms`` in one INSERT ... SELECT: the FTS5 trigger then runs inside one statement
per batch, instead of one statement per row, where FTS5 flushes its pending terms at every
statement's end (measured: 4x slower on the write side).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection

from unweave.store.protect import Protector
from unweave.store.searchterms import is_searchable, terms

STATEMENT_COLUMNS = (
    "id",
    "entity_id",
    "schema",
    "prop",
    "prop_type",
    "value",
    "original_value",
    "lang",
    "dataset_id",
    "handling",
    "source_file",
    "source_row",
    "first_seen",
    "last_seen",
    "run_id",
    "last_run_id",
    "key_id",
)
SEARCH_COLUMNS = ("statement_id", "entity_id", "dataset_id", "words", "skeletons", "identifiers")
# A fact seen again moves its last_seen; if it comes back under a stricter handling code,
# the stricter one holds (H0 < H1 < H2 < H3 also in text order).
STMT_CONFLICT = (
    "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen, "
    "last_run_id = excluded.last_run_id, "
    "handling = CASE WHEN excluded.handling > statements.handling "
    "THEN excluded.handling ELSE statements.handling END"
)
SEARCH_CONFLICT = "ON CONFLICT (statement_id) DO NOTHING"
SQLITE_SEARCH_STAGE = "temp.stage_search_terms"


def _insert_sql(dialect: str, table: str, columns: Sequence[str], on_conflict: str) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(mark for _ in columns)
    return f"INSERT INTO {table} ({cols}) VALUES ({marks}) {on_conflict}"


# A statement ready to write, its key and search terms computed (in any process): a plain
# tuple, which is cheap to build, to send from the reading process and to write, of
# key, entity_id, schema, prop, prop_type, value, original, lang and terms (words,
# skeletons, identifiers; None: not searched). The first eight are statement columns.
Prepared = tuple[str, str, str, str, str, str, str | None, str | None, tuple[str, str, str] | None]
P_KEY: Final = 0
P_ENTITY: Final = 1
P_SCHEMA: Final = 2
P_PROP: Final = 3
P_TERMS: Final = 8


def statement_key(
    dataset: str, entity_id: str, prop: str, value: str, lang: str | None = None
) -> str:
    """FtM's statement key (``Statement.make_key`` of a statement that is not external),
    written out: it is computed for every statement read."""
    key = (
        f"{dataset}.{entity_id}.{prop}.{value}"
        if lang is None
        else (f"{dataset}.{entity_id}.{prop}.{value}@{lang}")
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def prepare(
    dataset: str,
    entity_id: str,
    schema: str,
    prop: str,
    prop_type: str,
    value: str,
    original: str | None = None,
    lang: str | None = None,
) -> Prepared:
    key = statement_key(dataset, entity_id, prop, value, lang)
    if original == value:
        original = None
    found = terms(prop, prop_type, value, original) if is_searchable(prop, prop_type) else None
    return (key, entity_id, schema, prop, prop_type, value, original, lang, found)


class StatementWriter:
    """Collects statements of one ingestion run and writes them batch by batch."""

    def __init__(
        self,
        conn: Connection,
        dialect: str,
        dataset_name: str,
        dataset_id: int,
        run_id: int,
        seen: datetime,
        batch_size: int = 20_000,
    ) -> None:
        self.conn = conn
        self.dataset_name = dataset_name
        self.dataset_id = dataset_id
        self.run_id = run_id
        # SQLite stores DateTime as text in SQLAlchemy's format; keep to it for raw writes.
        self.seen: Any = (
            seen.isoformat(sep=" ", timespec="microseconds") if dialect == "sqlite" else seen
        )
        self.batch_size = batch_size
        self.written = 0
        self._statements: dict[str, tuple[Any, ...]] = {}
        self._search: dict[str, tuple[Any, ...]] = {}
        self.dialect = dialect
        self._stmt_sql = _insert_sql(dialect, "statements", STATEMENT_COLUMNS, STMT_CONFLICT)
        # Victims' records are sealed before they are written (store/protect.py).
        self.protector = Protector(conn)

    def add(
        self, stmts: Iterable[Prepared], handling: str, source_file: str, source_row: int | None
    ) -> None:
        """The statements of one row, with their provenance and handling code."""
        seen, run_id = self.seen, self.run_id
        run = (
            self.dataset_id,
            handling,
            source_file,
            source_row,
            seen,
            seen,
            run_id,
            run_id,
            None,
        )
        rows, search, dataset_id = self._statements, self._search, self.dataset_id
        for stmt in stmts:
            key = stmt[P_KEY]
            rows[key] = stmt[:P_TERMS] + run
            found = stmt[P_TERMS]
            if found is not None:
                search[key] = (key, stmt[P_ENTITY], dataset_id, *found)

    def row_done(self) -> None:
        """Flush a full batch, between rows: a row's facts (a person and the identification
        that makes her a victim) are sealed together."""
        if len(self._statements) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self._statements:
            self.protector.seal(self._statements, self._search)
            if self.dialect == "postgresql":
                self._copy_merge("statements", STATEMENT_COLUMNS, self._statements, STMT_CONFLICT)
            else:
                self.conn.exec_driver_sql(self._stmt_sql, list(self._statements.values()))
            self.written += len(self._statements)
            self._statements.clear()
        if self._search:
            if self.dialect == "postgresql":
                self._copy_merge("search_terms", SEARCH_COLUMNS, self._search, SEARCH_CONFLICT)
            else:
                self._staged_search()
            self._search.clear()

    def _staged_search(self) -> None:
        """SQLite: the batch into a temporary table, then into search_terms at once (the
        temporary table belongs to this connection and its transaction: nothing of it
        outlives a rollback or a killed process)."""
        cols = ", ".join(f'"{c}"' for c in SEARCH_COLUMNS)
        run = self.conn.exec_driver_sql
        run(f"CREATE TEMP TABLE IF NOT EXISTS stage_search_terms ({cols})")
        run(f"DELETE FROM {SQLITE_SEARCH_STAGE}")
        marks = ", ".join("?" for _ in SEARCH_COLUMNS)
        run(f"INSERT INTO {SQLITE_SEARCH_STAGE} VALUES ({marks})", list(self._search.values()))
        # "WHERE true": SQLite needs it to read ON CONFLICT after a SELECT
        run(
            f"INSERT INTO search_terms ({cols}) SELECT {cols} FROM {SQLITE_SEARCH_STAGE} "
            f"WHERE true {SEARCH_CONFLICT}"
        )
        run(f"DELETE FROM {SQLITE_SEARCH_STAGE}")

    def _copy_merge(
        self,
        table: str,
        columns: Sequence[str],
        rows: dict[str, tuple[Any, ...]],
        on_conflict: str,
    ) -> None:
        """PostgreSQL: COPY the batch into a temporary table, then merge it in one INSERT.

        Several times faster than row-by-row inserts; the temporary table lives inside
        the ingest's transaction and is dropped at its end.
        """
        stage = f"stage_{table}"
        cols = ", ".join(f'"{c}"' for c in columns)
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {stage} "
                f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cursor.execute(f"TRUNCATE {stage}")
            with cursor.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                for row in rows.values():
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} {on_conflict}"
            )
