"""Every single change to the audit trail is found: each field of each entry altered, each
entry deleted, an entry forged at each position, each pair of neighbours swapped.

The trail is put back after each change, so one trail serves all cases; the number of
cases checked is asserted, so none is skipped silently (the README's table quotes it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from unweave.store import audit
from unweave.store.db import Store
from unweave.store.tables import audit_log

ENTRIES = 6
FIELDS = ("at", "user", "action", "entity_id", "case_id", "detail", "prev_hash", "hash")


def _trail(store: Store) -> list[dict[str, Any]]:
    for i in range(ENTRIES):
        audit.record(
            store,
            f"user{i % 2}",
            "read",
            detail={"n": i},
            entity_id=f"e{i}",
            case_id="JIT-1" if i % 2 else None,
        )
    with store.engine.connect() as conn:
        return [r._asdict() for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]


def _restore(store: Store, rows: list[dict[str, Any]]) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(audit_log))
        conn.execute(audit_log.insert(), rows)
    assert audit.verify(store) == []


def _altered(value: Any) -> Any:
    if value is None:
        return "forged"
    if isinstance(value, str):
        return value[:-1] + ("0" if value[-1:] != "0" else "1")
    return value + timedelta(microseconds=1)


def _changed(store: Store, rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]) -> bool:
    with store.engine.begin() as conn:
        conn.execute(delete(audit_log))
        conn.execute(audit_log.insert(), new_rows)
    found = audit.verify(store) != []
    _restore(store, rows)
    return found


def test_every_single_change_is_found(store: Store) -> None:
    rows = _trail(store)
    assert audit.verify(store) == []
    checked = 0
    for i in range(ENTRIES):
        for name in FIELDS:
            new = [dict(r) for r in rows]
            new[i][name] = _altered(new[i][name])
            assert _changed(store, rows, new), f"altered {name} of entry {i + 1} not found"
            checked += 1
        deleted = [dict(r) for j, r in enumerate(rows) if j != i]
        # The last entry deleted looks like a shorter chain: caught against the noted head.
        if i < ENTRIES - 1:
            assert _changed(store, rows, deleted), f"deleted entry {i + 1} not found"
        else:
            noted = (rows[-1]["seq"], rows[-1]["hash"])
            with store.engine.begin() as conn:
                conn.execute(delete(audit_log).where(audit_log.c.seq == rows[-1]["seq"]))
            assert audit.verify(store, expect_seq=noted[0], expect_hash=noted[1]) != []
            _restore(store, rows)
        checked += 1
        # A forged entry at position i, hashed correctly and linked to its predecessor.
        prev = rows[i - 1]["hash"] if i else audit.GENESIS
        forged = dict(rows[i], user="intruder", prev_hash=prev)
        forged["hash"] = audit.entry_hash(
            rows[i]["seq"],
            forged["at"],
            "intruder",
            forged["action"],
            forged["entity_id"],
            forged["case_id"],
            forged["detail"],
            prev,
        )
        shifted = [dict(r, seq=r["seq"] + 1) for r in rows[i:]]
        inserted = [dict(r) for r in rows[:i]] + [forged] + shifted
        assert _changed(store, rows, inserted), f"entry forged at {i + 1} not found"
        checked += 1
        if i < ENTRIES - 1:
            swapped = [dict(r) for r in rows]
            a, b = swapped[i], swapped[i + 1]
            swapped[i], swapped[i + 1] = dict(b, seq=a["seq"]), dict(a, seq=b["seq"])
            assert _changed(store, rows, swapped), f"entries {i + 1} and {i + 2} swapped"
            checked += 1
    assert checked == ENTRIES * len(FIELDS) + ENTRIES * 2 + (ENTRIES - 1) == 65
