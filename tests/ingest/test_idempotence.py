"""The same file twice adds nothing; an updated file adds only its new facts."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from tests.helpers import counts, write
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store.db import Store
from unweave.store.tables import statements

CALLS = """caller,callee,start,duration
0912345678,00393471234567,2024-09-28 21:14:05,312
0912345678,+2348031234567,2024-09-29 08:02:44,95
"""
NEW_ROW = "+234 803 123 4567,091-234-5678,2024-09-29 19:40:10,48\n"


def _opts() -> IngestOptions:
    return IngestOptions(dataset="ly_calls", agency="LY-CID")


def test_same_file_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "calls.csv", CALLS)
    first = ingest_file(store, path, _opts())
    before = counts(store)
    second = ingest_file(store, path, _opts())
    assert first.status == "done" and first.statements_new > 0
    assert second.status == "unchanged" and second.statements_new == 0
    after = counts(store)
    assert after["statements"] == before["statements"]
    assert after["search_terms"] == before["search_terms"]


def test_same_content_under_another_name_adds_no_statement(store: Store, tmp_path: Path) -> None:
    ingest_file(store, write(tmp_path / "a.csv", CALLS), _opts())
    before = counts(store)["statements"]
    report = ingest_file(store, write(tmp_path / "b.csv", CALLS), _opts())
    assert report.status == "unchanged"
    assert counts(store)["statements"] == before


def test_updated_file_adds_only_new_facts_and_moves_last_seen(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path / "calls.csv", CALLS)
    first = ingest_file(store, path, _opts())
    with store.engine.connect() as conn:
        old = {r.id: (r.first_seen, r.last_seen) for r in conn.execute(select(statements))}
    time.sleep(0.01)
    write(path, CALLS + NEW_ROW)
    second = ingest_file(store, path, _opts())
    assert second.status == "done"
    assert second.statements_seen == first.statements_new  # every old fact seen again
    # the new call alone: its id, two numbers, start and duration
    assert second.statements_new == 5
    with store.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(statements))}
    assert len(rows) == len(old) + second.statements_new
    for key, (first_seen, last_seen) in old.items():
        assert rows[key].first_seen == first_seen  # first seen never moves
        assert rows[key].last_seen > last_seen  # last seen moves to this run
        assert rows[key].run_id == first.run_id and rows[key].last_run_id == second.run_id


def test_a_fact_seen_again_under_a_stricter_code_takes_it(store: Store, tmp_path: Path) -> None:
    ingest_file(store, write(tmp_path / "a.csv", CALLS), _opts())
    stricter = IngestOptions(dataset="ly_calls", agency="LY-CID", handling="H2")
    ingest_file(store, write(tmp_path / "b.csv", CALLS + NEW_ROW), stricter)
    with store.engine.connect() as conn:
        codes = {r.handling for r in conn.execute(select(statements))}
    assert codes == {"H2"}
    looser = IngestOptions(dataset="ly_calls", agency="LY-CID", handling="H0")
    ingest_file(
        store, write(tmp_path / "c.csv", NEW_ROW.join([CALLS, ""]) + "x,y,2024-01-01,1\n"), looser
    )
    with store.engine.connect() as conn:
        old = {
            r.handling for r in conn.execute(select(statements).where(statements.c.run_id == 1))
        }
    assert old == {"H2"}  # a looser code never relaxes what was stricter
