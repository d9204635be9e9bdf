"""Reads recorded at once share one transaction (store/groupcommit.py), on SQLite and
PostgreSQL: the chain stays whole with one entry per read, the reads waiting while a group
is written go in the next group together, and when a group's transaction fails every
read of it fails and none of its entries is kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

import pytest
from sqlalchemy import text

from unweave.store import audit
from unweave.store.db import Store
from unweave.store.groupcommit import GroupCommit, GroupFailed


def _until(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


@contextmanager
def _write_lock_held(store: Store) -> Iterator[None]:
    """Another connection holds what every entry's write needs (SQLite's write lock, the
    head row's lock on PostgreSQL) until the block ends."""
    raw = store.engine.raw_connection()
    cur = raw.cursor()
    if store.is_sqlite:
        cur.execute("BEGIN IMMEDIATE")
    else:
        cur.execute("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
    try:
        yield
    finally:
        raw.rollback()
        raw.close()


class _Reads:
    """Threads recording reads; what each got back (its number or its error)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.results: dict[str, Any] = {}
        self.threads: list[threading.Thread] = []

    def start(self, user: str) -> None:
        def run() -> None:
            try:
                self.results[user] = audit.record(self.store, user, "read", {"by": user})
            except GroupFailed as exc:
                self.results[user] = exc

        thread = threading.Thread(target=run)
        self.threads.append(thread)
        thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)
            assert not thread.is_alive()


def test_concurrent_reads_leave_a_whole_chain_with_one_entry_each(store: Store) -> None:
    seqs: list[int] = []
    lock = threading.Lock()

    def reads(worker: int) -> None:
        for n in range(15):
            seq = audit.record(store, f"user{worker}", "search", {"n": n})
            with lock:
                seqs.append(seq)

    threads = [threading.Thread(target=reads, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seqs) == list(range(1, 121))  # each read its own, consecutive number
    assert audit.verify(store) == []
    entries = audit.query(store, action="search", limit=1000)
    assert sorted((e.user, e.detail) for e in entries) == sorted(
        (f"user{w}", f'{{"n": {n}}}') for w in range(8) for n in range(15)
    )
    assert {e.seq: e.user for e in entries} == {
        e.seq: e.user for e in audit.query(store, limit=1000)
    }
    assert audit.head(store)[0] == 120


def test_reads_waiting_for_a_write_are_committed_together(store: Store) -> None:
    group = audit.group_of(store)
    before = group.groups
    reads = _Reads(store)
    with _write_lock_held(store):
        reads.start("first")  # writes its group of one, and waits for the lock
        _until(lambda: group.writing and group.waiting == 0, "the first write")
        for i in range(9):
            reads.start(f"reader{i}")
        _until(lambda: group.waiting == 9, "nine reads waiting")
    reads.join()
    assert group.groups - before == 2  # two transactions for the ten reads
    assert sorted(reads.results.values()) == list(range(1, 11))
    assert reads.results["first"] == 1
    assert audit.verify(store) == []


def _refuse_entries_of(store: Store, user: str) -> None:
    """The store refuses to keep an entry of this user: on SQLite its insert fails, on
    PostgreSQL the commit itself (a deferred constraint trigger)."""
    with store.engine.begin() as conn:
        if store.is_sqlite:
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON audit_log "
                    f"WHEN NEW.\"user\" = '{user}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
            return
        conn.execute(
            text(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.\"user\" = '{user}' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NULL; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            text(
                "CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON audit_log "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        )


def test_a_failing_group_fails_every_read_of_it(store: Store) -> None:
    _refuse_entries_of(store, "mallory")
    with pytest.raises(GroupFailed):  # alone
        audit.record(store, "mallory", "read")
    group = audit.group_of(store)
    reads = _Reads(store)
    with _write_lock_held(store):
        reads.start("first")
        _until(lambda: group.writing and group.waiting == 0, "the first write")
        for name in ("reader0", "mallory", "reader1", "reader2"):
            reads.start(name)
        _until(lambda: group.waiting == 4, "four reads waiting")
    reads.join()
    assert reads.results["first"] == 1
    failed = {u for u, r in reads.results.items() if isinstance(r, GroupFailed)}
    assert failed == {"reader0", "mallory", "reader1", "reader2"}
    assert [e.user for e in audit.query(store)] == ["first"]  # nothing of the group kept
    assert audit.verify(store) == []
    assert audit.record(store, "reader0", "read") == 2  # the chain goes on after the failure
    assert audit.verify(store) == []


def test_a_group_takes_at_most_its_size_the_oldest_first() -> None:
    started, release = threading.Event(), threading.Event()
    groups: list[list[int]] = []

    def write(items: Sequence[int]) -> list[int]:
        groups.append(list(items))
        started.set()
        release.wait(timeout=30)
        return [i * 10 for i in items]

    commit: GroupCommit[int, int] = GroupCommit(write, most=2)
    results: dict[int, int] = {}

    def submit(i: int) -> None:
        results[i] = commit.submit(i)

    threads = [threading.Thread(target=submit, args=(0,))]
    threads[0].start()
    assert started.wait(timeout=30)
    for i in range(1, 6):
        threads.append(threading.Thread(target=submit, args=(i,)))
        threads[-1].start()
        _until(partial(lambda n: commit.waiting == n, i), f"{i} items waiting")
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert results == {i: i * 10 for i in range(6)}
    assert groups == [[0], [1, 2], [3, 4], [5]]
    assert commit.groups == 4
