"""Clusters: positive judgements joined transitively, each cluster under a canonical id.

A positive judgement that would join two clusters between which a negative judgement
stands is not applied (it is reported as a conflict for a person to settle): a negative
judgement keeps two people apart whatever else links them. Canonical ids stay the same
across runs while a cluster keeps its members; a cluster that grows or shrinks keeps the id
most of its members had.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, select

from unweave.resolve.judgements import NEGATIVE, POSITIVE, Judgement, in_force
from unweave.store.tables import clusters


@dataclass
class Partition:
    members: dict[str, set[str]] = field(default_factory=dict)  # root -> members
    root: dict[str, str] = field(default_factory=dict)
    conflicts: list[Judgement] = field(default_factory=list)

    def find(self, x: str) -> str:
        while self.root.get(x, x) != x:
            x = self.root[x]
        return x


def partition(judged: dict[tuple[str, str], Judgement]) -> Partition:
    part = Partition()
    negatives: dict[str, set[str]] = {}
    for (a, b), j in judged.items():
        if j.judgement == NEGATIVE:
            negatives.setdefault(a, set()).add(b)
            negatives.setdefault(b, set()).add(a)
    for j in sorted(judged.values(), key=lambda j: j.id):
        if j.judgement != POSITIVE:
            continue
        ra, rb = part.find(j.left_id), part.find(j.right_id)
        if ra == rb:
            continue
        group_a = part.members.get(ra, {ra})
        group_b = part.members.get(rb, {rb})
        small, large = sorted((group_a, group_b), key=len)
        if any(negatives.get(m, set()) & large for m in small):
            part.conflicts.append(j)
            continue
        keep, drop = (ra, rb) if len(group_a) >= len(group_b) else (rb, ra)
        part.root[drop] = keep
        part.members[keep] = group_a | group_b
        part.members.pop(drop, None)
    return part


def new_canonical_id(members: set[str]) -> str:
    digest = hashlib.sha1("\x1f".join(sorted(members)).encode()).hexdigest()
    return f"uw-{digest[:24]}"


def assign_ids(groups: list[set[str]], previous: dict[str, str]) -> dict[str, str]:
    """entity id -> canonical id, reusing previous ids where the members say so."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    # Larger clusters choose first, so after a split the bigger part keeps the old id.
    for group in sorted(groups, key=lambda g: (-len(g), min(g))):
        votes = Counter(previous[m] for m in group if m in previous)
        choice = None
        for canonical, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if canonical not in taken:
                choice = canonical
                break
        canonical = choice or new_canonical_id(group)
        taken.add(canonical)
        for member in group:
            mapping[member] = canonical
    return mapping


def rebuild(conn: Connection) -> tuple[dict[str, str], list[Judgement]]:
    """Recompute clusters from the judgements in force; returns the mapping and conflicts."""
    previous = {r.entity_id: r.canonical_id for r in conn.execute(select(clusters))}
    part = partition(in_force(conn))
    groups = [g for g in part.members.values() if len(g) > 1]
    mapping = assign_ids(groups, previous)
    conn.execute(delete(clusters))
    if mapping:
        conn.execute(
            clusters.insert(),
            [{"entity_id": e, "canonical_id": c} for e, c in sorted(mapping.items())],
        )
    return mapping, part.conflicts
