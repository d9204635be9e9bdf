"""One exchange between two indexes, on this node: match, audit, notify, deconflict.

``answer_query`` is what the owner of ``own`` does with a partner's index: match them,
record the hits on its references (notifying its coordinators) and answer with, per hit,
its reference, the partner's reference, the score, its contact and whether its entry is a
target of an active case. ``local_match`` matches two files held on this node, doing the
owner's part for each index built here.
"""

from __future__ import annotations

from typing import Any

from unweave.linkage.deconflict import active_cases, alert
from unweave.linkage.encode import Index
from unweave.linkage.match import THRESHOLD, Hit, match, refs_of
from unweave.linkage.notify import record_hits
from unweave.store import audit
from unweave.store.db import Store


def party(index: Index) -> str:
    header = index.header
    agency, contact = header.get("agency", "?"), header.get("contact")
    return f"{agency} ({contact})" if contact and contact != agency else str(agency)


def _triples(hits: list[Hit], a: Index, b: Index) -> list[tuple[str, str, float]]:
    return [(refs_of(a, h.row_a), refs_of(b, h.row_b), h.score) for h in hits]


def answer_query(
    store: Store, own: Index, theirs: Index, by: str, threshold: float = THRESHOLD
) -> list[dict[str, Any]]:
    triples = _triples(match(own, theirs, threshold), own, theirs)
    partner = party(theirs)
    audit.record(
        store,
        by,
        "linkage_query",
        detail={
            "index": own.header.get("index_id"),
            "partner": partner,
            "partner_index": theirs.header.get("index_id"),
            "partner_entries": len(theirs),
            "hits": len(triples),
        },
    )
    ours = set(record_hits(store, triples, partner, by))
    active = active_cases(store, ours)
    contact = party(own)
    return [
        {"ref": r, "partner_ref": p, "score": s, "contact": contact, "active_case": r in active}
        for r, p, s in triples
        if r in ours
    ]


def deconflict(store: Store, flagged: list[tuple[str, str]], by: str) -> list[str]:
    """The partner says its entries hitting our ``ref``s are targets of active cases
    (pairs of our ref and the partner's name): alert our case coordinators where ours are
    too. Returns our references that were."""
    ours = active_cases(store, [ref for ref, _ in flagged])
    for ref, partner in flagged:
        if ref in ours:
            alert(store, ref, partner, ours[ref], by)
    return sorted(set(ours))


def local_match(
    store: Store, a: Index, b: Index, by: str, threshold: float = THRESHOLD
) -> list[tuple[str, str, float]]:
    """Match two indexes; do the owner's part for those built on this node."""
    triples = _triples(match(a, b, threshold), a, b)
    audit.record(
        store,
        by,
        "linkage_query",
        detail={
            "index_a": a.header.get("index_id"),
            "index_b": b.header.get("index_id"),
            "hits": len(triples),
        },
    )
    local_a = _built_here(store, a)
    local_b = _built_here(store, b)
    if local_a:
        record_hits(store, triples, party(b), by)
    if local_b:
        record_hits(store, [(r, p, s) for p, r, s in triples], party(a), by)
    if local_a and local_b:
        act_a = active_cases(store, [t[0] for t in triples])
        act_b = active_cases(store, [t[1] for t in triples])
        for ra, rb, _ in triples:
            if ra in act_a and rb in act_b:
                alert(store, ra, party(b), act_a[ra], by)
                alert(store, rb, party(a), act_b[rb], by)
    return triples


def _built_here(store: Store, index: Index) -> bool:
    from sqlalchemy import select

    from unweave.store.tables import linkage_indexes

    with store.engine.connect() as conn:
        found = conn.execute(
            select(linkage_indexes.c.id).where(
                linkage_indexes.c.id == index.header.get("index_id")
            )
        ).first()
    return found is not None
