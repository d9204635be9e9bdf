"""Writing statements in batches, inside the caller's transaction.

A statement's id is FtM's key (dataset, entity, property, value): writing a fact that is
already stored only moves its last_seen and last_run_id, which makes ingestion idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from followthemoney import Statement
from sqlalchemy import Connection

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
)
SEARCH_COLUMNS = ("statement_id", "entity_id", "dataset_id", "words", "skeletons", "identifiers")


def _insert_sql(dialect: str, table: str, columns: Sequence[str], on_conflict: str) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(mark for _ in columns)
    return f"INSERT INTO {table} ({cols}) VALUES ({marks}) {on_conflict}"


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
        self._stmt_sql = _insert_sql(
            dialect,
            "statements",
            STATEMENT_COLUMNS,
            "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen, "
            "last_run_id = excluded.last_run_id",
        )
        self._search_sql = _insert_sql(
            dialect, "search_terms", SEARCH_COLUMNS, "ON CONFLICT (statement_id) DO NOTHING"
        )

    def add(
        self,
        entity_id: str,
        schema: str,
        prop: str,
        prop_type: str,
        value: str,
        original: str | None,
        lang: str | None,
        handling: str,
        source_file: str,
        source_row: int | None,
    ) -> None:
        key = Statement.make_key(self.dataset_name, entity_id, prop, value, False, lang)
        assert key is not None
        if original == value:
            original = None
        self._statements[key] = (
            key,
            entity_id,
            schema,
            prop,
            prop_type,
            value,
            original,
            lang,
            self.dataset_id,
            handling,
            source_file,
            source_row,
            self.seen,
            self.seen,
            self.run_id,
            self.run_id,
        )
        if is_searchable(prop, prop_type):
            words, skels, idents = terms(prop, prop_type, value, original)
            self._search[key] = (key, entity_id, self.dataset_id, words, skels, idents)
        if len(self._statements) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self._statements:
            self.conn.exec_driver_sql(self._stmt_sql, list(self._statements.values()))
            self.written += len(self._statements)
            self._statements.clear()
        if self._search:
            self.conn.exec_driver_sql(self._search_sql, list(self._search.values()))
            self._search.clear()
