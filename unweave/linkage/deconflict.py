"""Deconfliction: targets of two agencies' active cases that meet in a hit.

An entity is a target of a case when it was shared into the active case as a chosen entity
(a record, or any record of its resolved cluster), or when its whole dataset was. When a
hit joins a target of ours and a target of the partner's, the coordinators of our cases get
an alert, before either side acts; the partner's node does the same for its own cases.
Each side tells the other only *that* its entry is a target of an active case, never which
case or what it holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from unweave.access.cases import coordinators
from unweave.linkage.refs import lookup
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.registry import utcnow
from unweave.store.tables import case_shares, cases, clusters, datasets, notifications


def _cluster_members(conn, entity_ids: set[str]) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    out = {e: {e} for e in entity_ids}
    rows = conn.execute(select(clusters).where(clusters.c.entity_id.in_(sorted(entity_ids)))).all()
    canon = {r.entity_id: r.canonical_id for r in rows}
    if canon:
        members = conn.execute(
            select(clusters).where(clusters.c.canonical_id.in_(sorted(set(canon.values()))))
        ).all()
        by_canon: dict[str, set[str]] = defaultdict(set)
        for m in members:
            by_canon[m.canonical_id].add(m.entity_id)
        for e, c in canon.items():
            out[e] |= by_canon[c]
    return out


def active_cases(store: Store, refs: Iterable[str]) -> dict[str, list[str]]:
    """Our references whose entity is a target of one of our active cases -> the cases."""
    owned = lookup(store, refs)
    if not owned:
        return {}
    with store.engine.connect() as conn:
        members = _cluster_members(conn, {o.entity_id for o in owned.values()})
        everyone = sorted(set().union(*members.values()))
        rows = conn.execute(
            select(case_shares.c.entity_id, cases.c.reference)
            .join(cases, cases.c.id == case_shares.c.case_id)
            .where(
                case_shares.c.entity_id.in_(everyone),
                case_shares.c.revoked_at.is_(None),
                cases.c.status == "active",
            )
        ).all()
        whole = conn.execute(
            select(datasets.c.name, cases.c.reference)
            .join(case_shares, case_shares.c.dataset_id == datasets.c.id)
            .join(cases, cases.c.id == case_shares.c.case_id)
            .where(
                datasets.c.name.in_(sorted({o.dataset for o in owned.values()})),
                case_shares.c.entity_id.is_(None),
                case_shares.c.revoked_at.is_(None),
                cases.c.status == "active",
            )
        ).all()
    by_entity: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_entity[row.entity_id].add(row.reference)
    by_dataset: dict[str, set[str]] = defaultdict(set)
    for row in whole:
        by_dataset[row.name].add(row.reference)
    out: dict[str, list[str]] = {}
    for ref, o in owned.items():
        found = set().union(*(by_entity[m] for m in members[o.entity_id]))
        found |= by_dataset[o.dataset]
        if found:
            out[ref] = sorted(found)
    return out


def alert(store: Store, ref: str, partner: str, case_refs: list[str], by: str) -> int:
    """Alert the coordinators of our cases that a partner's active case targets the same."""
    sent = 0
    now = utcnow()
    with store.engine.begin() as conn:
        for reference in case_refs:
            for user in coordinators(store, reference):
                conn.execute(
                    notifications.insert().values(
                        user_id=user.id,
                        kind="deconfliction",
                        ref=ref,
                        partner=partner,
                        case_reference=reference,
                        message=(
                            f"Deconfliction: a target of case {reference} (reference {ref}) "
                            f"is also a target of an active case of {partner}. Contact them "
                            "before acting."
                        ),
                        created_at=now,
                    )
                )
                sent += 1
            audit.append(
                conn,
                by,
                "deconfliction",
                {"ref": ref, "partner": partner, "alerted": sent},
                case_id=reference,
            )
    return sent
