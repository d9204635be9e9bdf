"""Opening the store: SQLite (embedded default) or PostgreSQL, migrated to the latest schema.

The two dialects share every query; their differences live in ``upsert_statements`` of
store/writer.py, in the search module and in the parameter style of store/rawsql.py (the
plain SQL of the per-request reads), nowhere else.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from unweave import settings
from unweave.errors import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(url: str | None = None) -> str:
    """`--db` wins over UNWEAVE_DATABASE_URL, which wins over ./unweave.db.

    A bare path is taken as a SQLite file; ``postgresql://`` is given the psycopg driver.
    """
    raw = url or settings.DATABASE_URL.get()
    if "://" not in raw:
        return f"sqlite:///{raw}"
    if raw.startswith("postgresql://") or raw.startswith("postgres://"):
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", raw)
    return raw


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take the transaction into our own hands (see Store.engine below): pysqlite's
    # implicit BEGIN would otherwise run DDL and the FTS triggers outside of it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # A larger page cache: statement ids are hashes, so index inserts land all over the file.
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.execute("PRAGMA temp_store=MEMORY")
    # A victim's value encrypted in place must not linger in the page's free space.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Deferred: readers never take the write lock (WAL lets them read beside a writer);
    # a writing transaction takes it at its first write.
    conn.exec_driver_sql("BEGIN")


POOL_TIMEOUT = 10.0  # seconds a request waits for a free connection before "busy"


class Store:
    """A handle on one store; cheap to create, holds a connection pool.

    ``pool_size``: connections kept open (the web service gives its number of worker
    threads, so a request never waits for a connection held by no thread), as many again
    allowed for a request that nests a read in another; beyond that a request waits up to
    ``pool_timeout`` seconds, then fails with SQLAlchemy's TimeoutError (the service
    answers 503, busy)."""

    def __init__(
        self,
        url: str | None = None,
        pool_size: int | None = None,
        pool_timeout: float = POOL_TIMEOUT,
    ) -> None:
        self.url = resolve_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise ConfigError(f"not a database address: {self.url!r}") from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ConfigError(
                f"unsupported database {self.dialect!r}", hint="use a SQLite file or PostgreSQL"
            )
        if self.dialect == "sqlite" and parsed.database:
            folder = Path(parsed.database).parent
            if not folder.exists():
                raise ConfigError(f"folder of the store does not exist: {folder}")
        pool: dict[str, Any] = {}
        if pool_size is not None and (self.dialect != "sqlite" or parsed.database):
            pool = {"pool_size": pool_size, "max_overflow": pool_size}
            pool["pool_timeout"] = pool_timeout
        self.engine: Engine = create_engine(self.url, future=True, **pool)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def migrate(self) -> None:
        """Bring the schema to the latest revision (creates the store if it is empty)."""
        if self.current_revision() == self.head_revision():
            return
        config = self._alembic_config()
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, migrate: bool = True, **pool: Any) -> Store:
    store = Store(url, **pool)
    if migrate:
        store.migrate()
    return store
