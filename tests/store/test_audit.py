"""The audit trail finds any entry altered, deleted, inserted, moved or cut off."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from tests.helpers import load_manifest_into
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.tables import audit_head, audit_log


@pytest.fixture
def trail(store: Store) -> Store:
    for i in range(6):
        audit.record(store, f"user{i % 2}", "search", detail={"query": f"q{i}"})
    assert audit.verify(store) == []
    return store


def _seqs(findings: list[audit.Finding]) -> set[int]:
    return {f.seq for f in findings}


def test_altered_entry_is_named(trail: Store) -> None:
    with trail.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(user="someone else"))
    findings = audit.verify(trail)
    assert _seqs(findings) == {3} and "altered" in str(findings[0])


def test_deleted_entry_is_named(trail: Store) -> None:
    with trail.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == 4))
    assert 5 in _seqs(audit.verify(trail))


def test_inserted_entry_is_named(trail: Store) -> None:
    with trail.engine.begin() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.seq == 2)).one()._asdict()
        # make room, then forge an entry 3 that links correctly to entry 2 and hashes right
        for seq in range(6, 2, -1):
            conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(seq=seq + 1))
        forged = {**row, "seq": 3, "user": "intruder", "prev_hash": row["hash"]}
        forged["hash"] = audit.entry_hash(
            3, row["at"], "intruder", row["action"], None, None, row["detail"], row["hash"]
        )
        conn.execute(audit_log.insert().values(**forged))
    findings = audit.verify(trail)
    assert 4 in _seqs(findings)  # the old entry 3 no longer follows what precedes it


def test_swapped_entries_are_named(trail: Store) -> None:
    with trail.engine.begin() as conn:
        a = conn.execute(select(audit_log).where(audit_log.c.seq == 2)).one()._asdict()
        b = conn.execute(select(audit_log).where(audit_log.c.seq == 5)).one()._asdict()
        conn.execute(delete(audit_log).where(audit_log.c.seq.in_([2, 5])))
        conn.execute(audit_log.insert().values(**{**a, "seq": 5}))
        conn.execute(audit_log.insert().values(**{**b, "seq": 2}))
    assert {2, 3, 5, 6} <= _seqs(audit.verify(trail))


def test_cut_off_tail_is_found(trail: Store) -> None:
    noted_seq, noted_hash = audit.head(trail)
    with trail.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq >= 5))
    assert audit.verify(trail)  # the head row still points at entry 6
    with trail.engine.begin() as conn:  # a careful intruder rewinds the head too
        prev = conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == 4)).scalar()
        conn.execute(update(audit_head).values(seq=4, hash=prev))
    assert audit.verify(trail) == []
    assert audit.verify(trail, noted_seq, noted_hash)  # caught against the noted head


def test_actions_are_audited_in_their_transaction(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    entries = audit.query(store, action="ingest")
    assert len(entries) == 7 and all('"status": "done"' in e.detail for e in entries)
    assert audit.verify(store) == []


def test_rewritten_history_is_found_against_a_noted_head_later(trail: Store) -> None:
    noted_seq, noted_hash = audit.head(trail)
    with trail.engine.begin() as conn:  # rewrite entry 2 and re-hash the rest of the chain
        rows = [r._asdict() for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]
        prev = audit.GENESIS
        for row in rows:
            if row["seq"] == 2:
                row["user"] = "nobody"
            row["prev_hash"] = prev
            row["hash"] = audit.entry_hash(
                row["seq"], row["at"], row["user"], row["action"], row["entity_id"],
                row["case_id"], row["detail"], prev,
            )  # fmt: skip
            prev = row["hash"]
            conn.execute(update(audit_log).where(audit_log.c.seq == row["seq"]).values(**row))
        conn.execute(update(audit_head).values(hash=prev))
    audit.record(trail, "anna", "search", detail={"query": "later"})
    assert audit.verify(trail) == []  # a consistent forgery...
    assert audit.verify(trail, noted_seq, noted_hash)  # ...caught against the noted head


def test_concurrent_appends_all_land_in_one_chain(store: Store) -> None:
    import threading

    errors: list[Exception] = []

    def work() -> None:
        for i in range(25):
            try:
                audit.record(store, "t", "search", detail={"i": i})
            except Exception as exc:  # noqa: BLE001 - counted below
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit.head(store)[0] == 100 and audit.verify(store) == []
