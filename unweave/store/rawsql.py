"""Plain SQL on the driver's own connection, for the few statements every web request runs.

SQLAlchemy Core costs some 0.2 ms of CPU per statement (building it, its cache key, the
pool's transaction around it); the driver's cursor about 0.02 ms. The token, the reader's
scope, the audit entry, an entity's facts and the search rows are read here, once per
request and never cached, so what they read is always what the store holds now (a share
withdrawn is gone from the very next request). Statements are written once with ``:name``
parameters; a list parameter is expanded (``IN :ids``); each dialect's text is made once.

SQLite's connections are in autocommit mode (store/db.py): each SELECT is its own
consistent snapshot, and ``transaction`` opens an explicit one for a write. On PostgreSQL
the pool rolls back whatever a read left open when the connection goes back to it.

A web request reads through one connection (``one_connection``): its token, its scope,
its reads of the store each took a connection of the pool and gave it back (some 20 µs
of CPU each, six to eight times a request). Each read is still a statement of its own, so
it sees what is committed when it runs, as before (SQLite's autocommit; READ COMMITTED
on PostgreSQL).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

from unweave.store.db import Store

# A quoted literal (skipped: no parameter is ever inside one), or a :name parameter.
_TOKEN = re.compile(r"'(?:[^']|'')*'|(?<![:\w]):(\w+)")
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy keeps a DateTime in SQLite


@lru_cache(maxsize=512)
def _render(sql: str, dialect: str, sizes: tuple[tuple[str, int], ...]) -> str:
    """The driver's text: list parameters expanded to their size, then its paramstyle."""
    lists = dict(sizes)
    style = ":{}" if dialect == "sqlite" else "%({})s"  # sqlite3 takes :name itself

    def one(name: str) -> str:
        if name not in lists:
            return style.format(name)
        size = lists[name]
        return "(" + (", ".join(style.format(f"{name}__{i}") for i in range(size)) or "NULL") + ")"

    def sub(match: re.Match[str]) -> str:
        literal = match.group(0)
        if match.group(1) is None:
            return literal if dialect == "sqlite" else literal.replace("%", "%%")
        return one(match.group(1))

    if dialect != "sqlite":
        # psycopg reads every % of the text: double those outside the literals too
        parts = []
        last = 0
        for m in _TOKEN.finditer(sql):
            parts.append(sql[last : m.start()].replace("%", "%%"))
            parts.append(sub(m))
            last = m.end()
        parts.append(sql[last:].replace("%", "%%"))
        return "".join(parts)
    return _TOKEN.sub(sub, sql)


def _params(dialect: str, params: dict[str, Any]) -> tuple[dict[str, Any], tuple[Any, ...]]:
    flat: dict[str, Any] = {}
    sizes = []
    for name, value in params.items():
        if isinstance(value, list | tuple | set | frozenset):
            items = sorted(value) if isinstance(value, set | frozenset) else list(value)
            sizes.append((name, len(items)))
            flat.update({f"{name}__{i}": v for i, v in enumerate(items)})
        elif isinstance(value, datetime) and dialect == "sqlite":
            flat[name] = value.strftime(SQLITE_TIME)
        else:
            flat[name] = value
    return flat, tuple(sizes)


class Cursor:
    """A driver cursor that runs ``:name`` statements of either dialect."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect
        self._cursor = raw.cursor()

    def execute(self, sql: str, **params: Any) -> Cursor:
        flat, sizes = _params(self.dialect, params)
        self._cursor.execute(_render(sql, self.dialect, sizes), flat)
        return self

    def all(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, **params)._cursor.fetchall())

    def one(self, sql: str, **params: Any) -> tuple[Any, ...] | None:
        row = self.execute(sql, **params)._cursor.fetchone()
        return tuple(row) if row is not None else None

    def scalars(self, sql: str, **params: Any) -> list[Any]:
        return [r[0] for r in self.execute(sql, **params)._cursor.fetchall()]

    def close(self) -> None:
        self._cursor.close()


class _Held(threading.local):
    store: Store | None = None
    raw: Any = None
    writing = False  # a transaction is open on it


_held = _Held()


@contextmanager
def one_connection(store: Store) -> Iterator[None]:
    """Every ``cursor(store)`` of this thread inside uses one connection of the pool."""
    if _held.store is not None:  # already inside one: that one serves
        yield
        return
    raw = store.engine.raw_connection()
    _held.store, _held.raw = store, raw
    try:
        yield
    finally:
        _held.store = _held.raw = None
        raw.close()  # back to the pool, which ends any transaction left open


@contextmanager
def cursor(store: Store) -> Iterator[Cursor]:
    """A cursor for reads, on a connection of the store's pool (the thread's own inside
    ``one_connection``: closed at the end, so no statement of it stays open)."""
    if _held.store is store:
        cur = Cursor(_held.raw, store.dialect)
        try:
            yield cur
        finally:
            cur.close()
        return
    raw = store.engine.raw_connection()
    try:
        yield Cursor(raw, store.dialect)
    finally:
        raw.close()  # back to the pool, which ends any transaction left open


@contextmanager
def transaction(store: Store) -> Iterator[Cursor]:
    """A cursor in a transaction, committed at the end, rolled back on any error (on the
    thread's own connection inside ``one_connection``: a request that writes the audit
    entries of its group needs no second connection)."""
    held = _held.store is store and not _held.writing
    raw = _held.raw if held else store.engine.raw_connection()
    _held.writing = _held.writing or held
    cur = Cursor(raw, store.dialect)
    try:
        if store.is_sqlite:
            cur.execute("BEGIN")
        try:
            yield cur
        except BaseException:
            raw.rollback()
            raise
        raw.commit()
    finally:
        if held:
            _held.writing = False
            cur.close()
        else:
            raw.close()


def when(value: Any) -> datetime | None:
    """A timestamp as read: SQLite gives the text SQLAlchemy wrote, PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def flag(value: Any) -> bool:
    return bool(value)


def rows_as(kind: Any, rows: Sequence[Sequence[Any]]) -> list[Any]:
    return [kind(*r) for r in rows]
