"""The audit trail: who did what, when, to which entity and for which case.

Each entry holds the SHA-256 of the one before (``prev_hash``) and its own hash over its
content and that link, so that any entry altered, deleted, inserted or moved breaks the
chain where it happened; ``verify`` names that entry. Entries are appended inside the
transaction of the action they record (an ingest that rolls back leaves no entry), one at
a time: the single row of ``audit_head`` is locked by each append. A read changes nothing:
its entry is written by ``record`` in a transaction of its own, shared with the other
reads of the process recording at the same time (one commit for the group), and committed
before the read is answered.

The chain alone cannot show that its newest entries were cut off; ``verify`` therefore
also compares with the head (sequence and hash) that a data-protection officer noted
earlier, when given one.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Connection, select

from unweave.store import rawsql
from unweave.store.db import Store
from unweave.store.groupcommit import GroupCommit
from unweave.store.registry import utcnow
from unweave.store.tables import audit_head, audit_log

GENESIS = "0" * 64
ACTIONS = (
    "login",
    "read",
    "search",
    "export",
    "ingest",
    "judgement",
    "resolve",
    "share",
    "purge",
    "hold",
    "analyze",
    "case",
    "victims",
    "linkage_index",
    "linkage_query",
    "linkage_hit",
    "linkage_notify",
    "linkage_request",
    "linkage_answer",
    "linkage_refs",
    "linkage_key",
    "deconfliction",
)


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def entry_hash(
    seq: int,
    at: datetime,
    user: str,
    action: str,
    entity_id: str | None,
    case_id: str | None,
    detail: str,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [seq, _stamp(at), user, action, entity_id, case_id, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _check(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")


# Move the head first: that write takes the lock (row lock on PostgreSQL, the write lock on
# SQLite) before the previous hash is read, so concurrent appends queue up instead of
# reading the same head (SQLite would refuse a stale snapshot's write outright). RETURNING
# gives the new head's sequence number and the previous entry's hash (unchanged by this
# update); a group of n entries moves it by n at once.
MOVE_HEAD = "UPDATE audit_head SET seq = seq + :n WHERE id = 1 RETURNING seq, hash"
INSERT = (
    'INSERT INTO audit_log (seq, at, "user", action, entity_id, case_id, detail, prev_hash, '
    "hash) VALUES (:seq, :at, :user, :action, :entity_id, :case_id, :detail, :prev, :hash)"
)
SET_HEAD = "UPDATE audit_head SET hash = :hash WHERE id = 1"


@dataclass(frozen=True)
class Entry:
    """What an entry says, before the chain gives it its number and hashes."""

    user: str
    action: str
    detail: dict[str, Any] | None = None
    entity_id: str | None = None
    case_id: str | None = None


def _write(cur: rawsql.Cursor, entries: Sequence[Entry]) -> list[int]:
    """Append entries in the cursor's transaction, chained in order; their numbers.

    The one way an entry is written (``append`` and ``record`` alike): the same statements,
    the same text for its time on SQLite (store/rawsql.py)."""
    found = cur.one(MOVE_HEAD, n=len(entries))
    assert found is not None, "the audit trail has no head row"
    last, prev = found
    seqs = list(range(int(last) - len(entries) + 1, int(last) + 1))
    for seq, e in zip(seqs, entries, strict=True):
        _check(e.action)
        at = utcnow()
        detail = json.dumps(e.detail or {}, ensure_ascii=False, sort_keys=True, default=str)
        digest = entry_hash(seq, at, e.user, e.action, e.entity_id, e.case_id, detail, prev)
        cur.execute(
            INSERT, seq=seq, at=at, user=e.user, action=e.action, entity_id=e.entity_id,
            case_id=e.case_id, detail=detail, prev=prev, hash=digest,
        )  # fmt: skip
        prev = digest
    cur.execute(SET_HEAD, hash=prev)
    return seqs


def append(
    conn: Connection,
    user: str,
    action: str,
    detail: dict[str, Any] | None = None,
    entity_id: str | None = None,
    case_id: str | None = None,
) -> int:
    """Append one entry in the caller's transaction; returns its sequence number."""
    _check(action)
    if not conn.in_transaction():
        conn.begin()  # as SQLAlchemy would at its first statement: the caller commits it
    cur = rawsql.Cursor(conn.connection.dbapi_connection, conn.dialect.name)
    return _write(cur, [Entry(user, action, detail, entity_id, case_id)])[0]


def _commit_group(store: weakref.ref[Store], entries: Sequence[Entry]) -> list[int]:
    held = store()
    assert held is not None, "the store was closed while its reads were being recorded"
    with rawsql.transaction(held) as cur:
        return _write(cur, entries)


_groups: weakref.WeakKeyDictionary[Store, GroupCommit[Entry, int]] = weakref.WeakKeyDictionary()
_groups_lock = threading.Lock()


def group_of(store: Store) -> GroupCommit[Entry, int]:
    """The group writer of the reads' entries of this store in this process."""
    with _groups_lock:
        found = _groups.get(store)
        if found is None:
            # a weak reference: the group must not keep its store (the key) alive
            found = _groups[store] = GroupCommit(partial(_commit_group, weakref.ref(store)))
        return found


def record(
    store: Store,
    user: str,
    action: str,
    detail: dict[str, Any] | None = None,
    entity_id: str | None = None,
    case_id: str | None = None,
) -> int:
    """Append one entry in a transaction of its own (for reads, which change nothing),
    committed before this returns, so before the answer goes out. The threads of a process
    recording at once share one transaction (store/groupcommit.py: one writer, one commit
    for all that were waiting); if it fails, each of them gets ``GroupFailed``."""
    _check(action)
    return group_of(store).submit(Entry(user, action, detail, entity_id, case_id))


@dataclass(frozen=True)
class Finding:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.problem}"


def _entries(store: Store) -> Iterator[Any]:
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=5000).execute(
            select(audit_log).order_by(audit_log.c.seq)
        )
        yield from result


def verify(
    store: Store, expect_seq: int | None = None, expect_hash: str | None = None
) -> list[Finding]:
    """Every break in the chain, by entry; an empty list means the trail is intact."""
    findings: list[Finding] = []
    expected_seq, prev = 1, GENESIS
    last_seq, last_hash = 0, GENESIS
    for row in _entries(store):
        if row.seq != expected_seq:
            findings.append(
                Finding(row.seq, f"expected entry {expected_seq} here: entries missing or moved")
            )
        if row.prev_hash != prev:
            findings.append(
                Finding(
                    row.seq, "does not follow the entry before it (deleted, inserted or moved)"
                )
            )
        digest = entry_hash(
            row.seq, row.at, row.user, row.action, row.entity_id, row.case_id, row.detail,
            row.prev_hash,
        )  # fmt: skip
        if digest != row.hash:
            findings.append(Finding(row.seq, "content altered (its hash does not match)"))
        expected_seq, prev = row.seq + 1, row.hash
        last_seq, last_hash = row.seq, row.hash
    with store.engine.connect() as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one()
    if (head.seq, head.hash) != (last_seq, last_hash):
        findings.append(
            Finding(head.seq, "the head does not match the last entry (entries cut off)")
        )
    if expect_seq is not None:
        # The entry the officer noted must still be there with the same hash, however many
        # entries came after it: a re-hashed, rewritten history fails here.
        with store.engine.connect() as conn:
            noted = conn.execute(
                select(audit_log.c.hash).where(audit_log.c.seq == expect_seq)
            ).scalar()
        if noted is None or (expect_hash is not None and noted != expect_hash):
            findings.append(
                Finding(expect_seq, "the trail no longer holds the head noted earlier")
            )
    return findings


def head(store: Store) -> tuple[int, str]:
    with store.engine.connect() as conn:
        row = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one()
    return int(row.seq), str(row.hash)


def query(
    store: Store,
    user: str | None = None,
    entity_id: str | None = None,
    case_id: str | None = None,
    action: str | None = None,
    limit: int = 500,
) -> list[Any]:
    q = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
    if user:
        q = q.where(audit_log.c.user == user)
    if entity_id:
        q = q.where(audit_log.c.entity_id == entity_id)
    if case_id:
        q = q.where(audit_log.c.case_id == case_id)
    if action:
        q = q.where(audit_log.c.action == action)
    with store.engine.connect() as conn:
        return list(conn.execute(q))
