"""The audit trail: who did what, when, to which entity and for which case.

Each entry holds the SHA-256 of the one before (``prev_hash``) and its own hash over its
content and that link, so that any entry altered, deleted, inserted or moved breaks the
chain where it happened; ``verify`` names that entry. Entries are appended inside the
transaction of the action they record (an ingest that rolls back leaves no entry), one at
a time: the single row of ``audit_head`` is locked by each append.

The chain alone cannot show that its newest entries were cut off; ``verify`` therefore
also compares with the head (sequence and hash) that a data-protection officer noted
earlier, when given one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, text

from unweave.store.db import Store
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
# gives the new sequence number and the previous entry's hash (unchanged by this update).
MOVE_HEAD = "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash"
INSERT = (
    'INSERT INTO audit_log (seq, at, "user", action, entity_id, case_id, detail, prev_hash, '
    "hash) VALUES (:seq, :at, :user, :action, :entity_id, :case_id, :detail, :prev, :hash)"
)
SET_HEAD = "UPDATE audit_head SET hash = :hash WHERE id = 1"


def _entry(
    seq: int,
    prev: str,
    user: str,
    action: str,
    detail: dict[str, Any] | None,
    entity_id: str | None,
    case_id: str | None,
) -> dict[str, Any]:
    at = utcnow()
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    digest = entry_hash(seq, at, user, action, entity_id, case_id, text, prev)
    return {
        "seq": seq,
        "at": at,
        "user": user,
        "action": action,
        "entity_id": entity_id,
        "case_id": case_id,
        "detail": text,
        "prev": prev,
        "hash": digest,
    }


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
    seq, prev = conn.execute(text(MOVE_HEAD)).one()
    entry = _entry(seq, prev, user, action, detail, entity_id, case_id)
    conn.execute(
        audit_log.insert().values(
            seq=seq,
            at=entry["at"],
            user=user,
            action=action,
            entity_id=entity_id,
            case_id=case_id,
            detail=entry["detail"],
            prev_hash=prev,
            hash=entry["hash"],
        )
    )
    conn.execute(text(SET_HEAD), {"hash": entry["hash"]})
    return int(seq)


def record(
    store: Store,
    user: str,
    action: str,
    detail: dict[str, Any] | None = None,
    entity_id: str | None = None,
    case_id: str | None = None,
) -> int:
    """Append one entry in a transaction of its own (for reads, which change nothing):
    the same entry as ``append``, written with plain SQL (store/rawsql.py), committed
    before the answer goes out."""
    from unweave.store import rawsql

    _check(action)
    with rawsql.transaction(store) as cur:
        found = cur.one(MOVE_HEAD)
        assert found is not None, "the audit trail has no head row"
        seq, prev = found
        entry = _entry(seq, prev, user, action, detail, entity_id, case_id)
        cur.execute(INSERT, **entry)
        cur.execute(SET_HEAD, hash=entry["hash"])
    return int(seq)


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
