"""The clusters as a table: every resolved record and the canonical id it belongs to."""

from __future__ import annotations

import csv
from typing import IO

from sqlalchemy import select

from unweave.store.reader import StoreView
from unweave.store.tables import resolution_records


def write_clusters(view: StoreView, out: IO[str]) -> int:
    """CSV with the header ``entity_id,canonical_id``; a record alone is its own canonical.

    Only the records the reader may see are listed, and a canonical id is that of the
    cluster whatever the reader sees of it (canonical ids are opaque ``uw-...`` names).
    """
    canonical = view.canonical_ids()
    with view.store.engine.connect() as conn:
        records = set(conn.execute(select(resolution_records.c.entity_id)).scalars())
    records = view.visible_records(sorted(records))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entity_id", "canonical_id"])
    rows = sorted(records | set(canonical))
    for entity_id in rows:
        writer.writerow([entity_id, canonical.get(entity_id, entity_id)])
    return len(rows)
