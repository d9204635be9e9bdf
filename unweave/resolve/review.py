"""The review queue and the explanation of merged entities.

The queue holds the candidate pairs the engine was unsure of (or that a guard stopped)
and nobody has judged yet, most valuable first: the closer the score is to a coin toss, and
the more records the decision would join, the sooner a person should look at it. It asks
once per pair of entities, and not again once a person has held them apart.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from unweave.errors import NotFound
from unweave.resolve.judgements import NEGATIVE, Judgement, history, in_force
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.tables import clusters, judgements, match_candidates


@dataclass
class Candidate:
    left_id: str
    right_id: str
    probability: float
    decision: str
    reason: str
    evidence: list[dict[str, Any]]
    value: float = 0.0


def _candidate(row: Any) -> Candidate:
    return Candidate(
        row.left_id,
        row.right_id,
        row.probability,
        row.decision,
        row.reason,
        json.loads(row.evidence),
    )


def queue(
    store: Store, limit: int | None = None, view: StoreView | None = None
) -> list[Candidate]:
    """The pairs to judge; for a reader (``view``), only pairs of two records they may see."""
    with store.engine.connect() as conn:
        judged = {
            (r.left_id, r.right_id)
            for r in conn.execute(select(judgements.c.left_id, judgements.c.right_id).distinct())
        }
        sizes = {
            r.canonical_id: r.n
            for r in conn.execute(
                select(clusters.c.canonical_id, func.count().label("n")).group_by(
                    clusters.c.canonical_id
                )
            )
        }
        canonical = {r.entity_id: r.canonical_id for r in conn.execute(select(clusters))}
        if view is not None and not view.scope.unrestricted:
            # Clusters as the reader sees them: a pair already joined only through a record
            # they cannot see is still to judge for them, and the value of a decision counts
            # only their records (else order and absence would tell of the unseen ones).
            canonical = view.canonical_ids()
            sizes = dict(Counter(canonical.values()))
        rows = conn.execute(
            select(match_candidates).where(match_candidates.c.decision == "review")
        )
        out = []
        for row in rows:
            if (row.left_id, row.right_id) in judged:
                continue
            left, right = canonical.get(row.left_id), canonical.get(row.right_id)
            if left is not None and left == right:
                continue  # already joined through other judgements
            cand = _candidate(row)
            joined = sizes.get(left, 1) + sizes.get(right, 1)  # type: ignore[arg-type]
            cand.value = (1 - abs(cand.probability - 0.5) * 2) * (1 + math.log2(joined))
            out.append(cand)
        apart = {
            _entities(canonical, a, b)
            for (a, b), j in in_force(conn).items()
            if j.judgement == NEGATIVE
        }
    if view is not None and not view.scope.unrestricted:
        seen = view.visible_records(sorted({c.left_id for c in out} | {c.right_id for c in out}))
        out = [c for c in out if c.left_id in seen and c.right_id in seen]
    out.sort(key=lambda c: (-c.value, c.left_id, c.right_id))
    # One question per pair of entities: a record unsure against a cluster of ten gives ten
    # pairs, and one answer settles them all. Entities a person has already held apart
    # (a negative judgement on any two of their records) are settled too.
    asked: set[tuple[str, str]] = set()
    best = []
    for cand in out:
        key = _entities(canonical, cand.left_id, cand.right_id)
        if key in apart or key in asked:
            continue
        asked.add(key)
        best.append(cand)
    return best[:limit] if limit else best


def _entities(canonical: dict[str, str], left: str, right: str) -> tuple[str, str]:
    """The pair of entities (clusters, or records alone) two records belong to."""
    a, b = canonical.get(left, left), canonical.get(right, right)
    return (a, b) if a <= b else (b, a)


@dataclass
class Explanation:
    canonical_id: str
    members: list[str]
    links: list[Judgement] = field(default_factory=list)  # positives in force joining them
    history: list[Judgement] = field(default_factory=list)  # every judgement on them
    scores: dict[tuple[str, str], Candidate] = field(default_factory=dict)


def explain(
    store: Store,
    entity_id: str,
    view: StoreView | None = None,
    seen: tuple[str, list[str]] | None = None,
) -> Explanation:
    """Which judgements and scores put an entity together.

    For a reader (``view``), the entity as they see it: its visible records, and only the
    judgements and scores between two of them (mergescope.py). ``seen``: its name and
    visible records, when the caller has read them already (the entity page)."""
    if view is not None and not view.scope.unrestricted:
        return _explain_seen(store, entity_id, view, seen)
    with store.engine.connect() as conn:
        canonical = conn.execute(
            select(clusters.c.canonical_id).where(
                (clusters.c.entity_id == entity_id) | (clusters.c.canonical_id == entity_id)
            )
        ).scalar()
        if canonical is None:
            return Explanation(entity_id, [entity_id], history=history(conn, [entity_id]))
        members = sorted(
            conn.execute(
                select(clusters.c.entity_id).where(clusters.c.canonical_id == canonical)
            ).scalars()
        )
        inside = set(members)
        links = [
            j
            for (a, b), j in in_force(conn).items()
            if a in inside and b in inside and j.judgement == "positive"
        ]
        rows = conn.execute(
            select(match_candidates).where(
                match_candidates.c.left_id.in_(members) & match_candidates.c.right_id.in_(members)
            )
        )
        scores = {(r.left_id, r.right_id): _candidate(r) for r in rows}
        return Explanation(
            canonical, members, sorted(links, key=lambda j: j.id), history(conn, members), scores
        )


def _explain_seen(
    store: Store, entity_id: str, view: StoreView, seen: tuple[str, list[str]] | None
) -> Explanation:
    if seen is None:
        members = view.members(entity_id)
        if not view.facts(members):
            raise NotFound(f"no entity {entity_id!r}")
        name = next((f.canonical_id for f in view.facts(members[:1])), entity_id)
    else:
        name, members = seen
    if len(members) == 1:
        return Explanation(name, members)  # one record: no judgement is between two of it
    inside = set(members)
    with store.engine.connect() as conn:
        links = [
            j
            for (a, b), j in in_force(conn).items()
            if a in inside and b in inside and j.judgement == "positive"
        ]
        past = [j for j in history(conn, members) if j.left_id in inside and j.right_id in inside]
        rows = conn.execute(
            select(match_candidates).where(
                match_candidates.c.left_id.in_(members) & match_candidates.c.right_id.in_(members)
            )
        )
        scores = {(r.left_id, r.right_id): _candidate(r) for r in rows}
    return Explanation(name, members, sorted(links, key=lambda j: j.id), past, scores)
