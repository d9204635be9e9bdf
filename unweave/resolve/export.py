"""The clusters as a table: every resolved record and the canonical id it belongs to."""

from __future__ import annotations

import csv
from typing import IO

from sqlalchemy import select

from unweave.store.db import Store
from unweave.store.tables import clusters, resolution_records


def write_clusters(store: Store, out: IO[str]) -> int:
    """CSV with the header ``entity_id,canonical_id``; a record alone is its own canonical."""
    with store.engine.connect() as conn:
        canonical = {r.entity_id: r.canonical_id for r in conn.execute(select(clusters))}
        records = set(conn.execute(select(resolution_records.c.entity_id)).scalars())
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entity_id", "canonical_id"])
    rows = sorted(records | set(canonical))
    for entity_id in rows:
        writer.writerow([entity_id, canonical.get(entity_id, entity_id)])
    return len(rows)
