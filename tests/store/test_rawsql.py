"""Plain SQL on the driver's cursor (store/rawsql.py), on SQLite and PostgreSQL: parameters
and lists, literals holding ':' or '%', transactions, and a scope limited to entities whose
ids hold such characters."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from unweave.errors import NotFound
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store import rawsql
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.registry import add_agency, list_datasets
from unweave.store.scope import Grant, Scope

ODD = "it:x'%1"  # an entity id that a careless text query would break on


def test_parameters_lists_and_literals(store: Store) -> None:
    with rawsql.cursor(store) as cur:
        assert cur.one("SELECT 'a:b%c', :v", v="x%:y") == ("a:b%c", "x%:y")
        assert cur.scalars("SELECT 1 WHERE 2 IN :ids", ids=[1, 2, 3]) == [1]
        assert cur.scalars("SELECT 1 WHERE 2 IN :ids", ids=[]) == []
        assert cur.scalars("SELECT 1 WHERE 'it''s :ids' = :s", s="it's :ids") == [1]


def test_transaction_commits_or_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError), rawsql.transaction(store) as cur:
        cur.execute("INSERT INTO agencies (code, name, country) VALUES (:c, 'x', 'it')", c="A1")
        raise RuntimeError("stop")
    with rawsql.transaction(store) as cur:
        cur.execute("INSERT INTO agencies (code, name, country) VALUES (:c, 'x', 'it')", c="A2")
    with rawsql.cursor(store) as cur:
        assert cur.scalars("SELECT code FROM agencies WHERE code IN :c", c=["A1", "A2"]) == ["A2"]


def test_one_connection_serves_the_reads_and_sees_each_commit(store: Store) -> None:
    codes = "SELECT code FROM agencies WHERE code IN :c ORDER BY code"
    wanted = ["B1", "B2", "B3"]
    with rawsql.one_connection(store):
        with rawsql.cursor(store) as first, rawsql.cursor(store) as second:
            assert first.raw is second.raw  # the thread's one connection
            assert first.scalars(codes, c=wanted) == []
        other = store.engine.raw_connection()  # another thread's, say
        try:
            if store.is_sqlite:
                other.cursor().execute("BEGIN")
            other.cursor().execute(
                "INSERT INTO agencies (code, name, country) VALUES ('B1', 'x', 'it')"
            )
            other.commit()
        finally:
            other.close()
        with rawsql.cursor(store) as cur:
            assert cur.scalars(codes, c=wanted) == ["B1"]  # the next read sees it
        with pytest.raises(RuntimeError), rawsql.transaction(store) as cur:
            cur.execute("INSERT INTO agencies (code, name, country) VALUES ('B2', 'x', 'it')")
            raise RuntimeError("stop")
        # on the held connection too; one nested in it takes a connection of its own
        with rawsql.transaction(store) as cur, rawsql.transaction(store) as inner:
            assert inner.raw is not cur.raw
            inner.execute("INSERT INTO agencies (code, name, country) VALUES ('B3', 'x', 'it')")
    with rawsql.cursor(store) as cur:
        assert cur.scalars(codes, c=wanted) == ["B1", "B3"]


def test_timestamps_as_sqlalchemy_keeps_them() -> None:
    flat, _ = rawsql._params("sqlite", {"at": datetime(2026, 1, 2, 3, 4, 5)})
    assert flat["at"] == "2026-01-02 03:04:05.000000"
    assert rawsql.when("2026-01-02 03:04:05.000007") == datetime(2026, 1, 2, 3, 4, 5, 7)


def test_scope_of_chosen_entities_with_odd_ids(store: Store, tmp_path: Path) -> None:
    add_agency(store, "IT-T", "test", "it")
    source = tmp_path / "odd.ftm.json"
    people = [(ODD, "Anna Odd"), ("it-plain", "Bruno Plain")]
    source.write_text(
        "\n".join(
            json.dumps({"id": i, "schema": "Person", "properties": {"name": [n]}})
            for i, n in people
        ),
        encoding="utf-8",
    )
    ingest_file(store, source, IngestOptions(dataset="odd", agency="IT-T", user="test"))
    dataset_id = next(d.id for d in list_datasets(store) if d.name == "odd")
    view = StoreView(store, Scope(grants=(Grant(dataset_id, frozenset({ODD})),)))
    assert {f.value for f in view.facts([ODD, "it-plain"])} >= {"Anna Odd"}
    assert all(f.entity_id == ODD for f in view.facts([ODD, "it-plain"]))
    assert view.entity(ODD).caption == "Anna Odd"
    with pytest.raises(NotFound):
        view.entity("it-plain")
