"""Retention: purging the datasets whose retention date has passed.

A purge removes everything the dataset brought: its statements, their search-index
entries, its ingestion runs, and what resolution derived from records that no longer
exist anywhere (judgements, candidate pairs, cluster memberships); the clusters are then
rebuilt. Judgements are otherwise never deleted: a purge is the one exception, because the
law requires the data gone. The purge itself is written to the audit trail, with counts
and no personal data. Datasets under a legal hold are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, delete, func, or_, select

from unweave.errors import NotFound
from unweave.resolve import clusters as clustering
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.tables import (
    clusters,
    datasets,
    ingest_runs,
    judgements,
    match_candidates,
    resolution_records,
    search_terms,
    statements,
    victims,
)


@dataclass
class Purge:
    dataset: str
    retention_until: date
    statements: int
    entities_gone: int
    judgements: int


def expired(store: Store, today: date) -> list[tuple[int, str, date, bool]]:
    """(id, name, retention date, legal hold) of every dataset past its date."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                datasets.c.id, datasets.c.name, datasets.c.retention_until, datasets.c.legal_hold
            )
            .where(datasets.c.retention_until.is_not(None), datasets.c.retention_until < today)
            .order_by(datasets.c.name)
        )
        return [(r.id, r.name, r.retention_until, bool(r.legal_hold)) for r in rows]


def _in_chunks(conn: Connection, table, column, ids: list[str]) -> int:  # type: ignore[no-untyped-def]
    removed = 0
    for start in range(0, len(ids), 500):
        removed += conn.execute(delete(table).where(column.in_(ids[start : start + 500]))).rowcount
    return removed


def purge_dataset(conn: Connection, dataset_id: int, name: str, until: date, user: str) -> Purge:
    entity_ids = sorted(
        conn.execute(
            select(statements.c.entity_id).where(statements.c.dataset_id == dataset_id).distinct()
        ).scalars()
    )
    conn.execute(delete(search_terms).where(search_terms.c.dataset_id == dataset_id))
    removed = conn.execute(
        delete(statements).where(statements.c.dataset_id == dataset_id)
    ).rowcount
    conn.execute(delete(ingest_runs).where(ingest_runs.c.dataset_id == dataset_id))
    # Records that other datasets still hold keep their resolution; the others go.
    still_held: set[str] = set()
    for start in range(0, len(entity_ids), 500):
        still_held.update(
            conn.execute(
                select(statements.c.entity_id)
                .where(statements.c.entity_id.in_(entity_ids[start : start + 500]))
                .distinct()
            ).scalars()
        )
    gone = [e for e in entity_ids if e not in still_held]
    judged = 0
    for start in range(0, len(gone), 500):
        chunk = gone[start : start + 500]
        judged += conn.execute(
            delete(judgements).where(
                or_(judgements.c.left_id.in_(chunk), judgements.c.right_id.in_(chunk))
            )
        ).rowcount
        conn.execute(
            delete(match_candidates).where(
                or_(match_candidates.c.left_id.in_(chunk), match_candidates.c.right_id.in_(chunk))
            )
        )
    _in_chunks(conn, resolution_records, resolution_records.c.entity_id, gone)
    _in_chunks(conn, clusters, clusters.c.entity_id, gone)
    _in_chunks(conn, victims, victims.c.entity_id, gone)
    conn.execute(delete(datasets).where(datasets.c.id == dataset_id))
    result = Purge(name, until, removed, len(gone), judged)
    audit.append(
        conn,
        user,
        "purge",
        {
            "dataset": name,
            "retention_until": until.isoformat(),
            "statements": removed,
            "entities": len(gone),
            "judgements": judged,
        },
    )
    return result


def apply(
    store: Store, today: date, user: str, dry_run: bool = False
) -> tuple[list[Purge], list[str]]:
    """Purge every expired dataset not under legal hold; returns purges and held names."""

    purges, held = [], []
    for dataset_id, name, until, hold in expired(store, today):
        if hold:
            held.append(name)
            continue
        if dry_run:
            with store.engine.connect() as conn:
                count = conn.execute(
                    select(func.count()).where(statements.c.dataset_id == dataset_id)
                ).scalar()
            purges.append(Purge(name, until, int(count or 0), 0, 0))
            continue
        with store.engine.begin() as conn:
            purges.append(purge_dataset(conn, dataset_id, name, until, user))
            clustering.rebuild(conn)
    return purges, held


def set_hold(store: Store, name: str, hold: bool, user: str) -> None:
    with store.engine.begin() as conn:
        changed = conn.execute(
            datasets.update().where(datasets.c.name == name).values(legal_hold=hold)
        ).rowcount
        if not changed:
            raise NotFound(f"no dataset {name!r}")
        audit.append(conn, user, "hold", {"dataset": name, "legal_hold": hold})
