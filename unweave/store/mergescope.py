"""A merged entity as one reader may see it: a merge reveals nothing more.

Resolution merges records on all the evidence of every agency. A reader who sees only some
of a cluster's records must not learn that two of them belong together because of a record
they cannot see (agency A's passport linking two of agency B's records would tell B that A
holds that person). So, for a reader, a cluster is cut down to its visible records and
re-joined only through the positive links between two visible records; each part that
results is one entity, named by its smallest record id (a record left alone by itself, as
an unmerged record would be). The cluster's canonical id is never shown to such a reader:
it is a hash of all the cluster's members (resolve/clusters.py), so a reader could test
guesses of the unseen records' ids against it, and a part named by it rather than by one
of its records would tell that the cluster holds more.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select

from unweave.store.tables import judgements

POSITIVE = "positive"


def positive_links(conn: Connection, ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Pairs whose judgement in force is positive (among these records, if given)."""
    latest = select(func.max(judgements.c.id)).group_by(
        judgements.c.left_id, judgements.c.right_id
    )
    query = select(judgements.c.left_id, judgements.c.right_id, judgements.c.judgement).where(
        judgements.c.id.in_(latest)
    )
    if ids is not None:
        wanted = sorted(set(ids))
        if len(wanted) < 2:
            return []
        query = query.where(judgements.c.left_id.in_(wanted), judgements.c.right_id.in_(wanted))
    return [(r.left_id, r.right_id) for r in conn.execute(query) if r.judgement == POSITIVE]


def split(visible: Iterable[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """record id -> the id of the entity it belongs to, for one cluster's visible records."""
    members = set(visible)
    root = {m: m for m in members}

    def find(x: str) -> str:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for a, b in links:
        if a in members and b in members:
            ra, rb = find(a), find(b)
            if ra != rb:
                root[max(ra, rb)] = min(ra, rb)
    parts: dict[str, list[str]] = {}
    for m in members:
        parts.setdefault(find(m), []).append(m)
    mapping: dict[str, str] = {}
    for part in parts.values():
        name = min(part)  # from what the reader sees only, never the cluster's own id
        for m in part:
            mapping[m] = name
    return mapping
