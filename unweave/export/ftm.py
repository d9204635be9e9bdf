"""FollowTheMoney exports: entities as JSON lines (Aleph, `ftm`), or statements with provenance.

Entities are written in a stable order (by id, values sorted) so that an export can be
compared with a golden file. Each entity carries the datasets it was assembled from and the
handling codes of its statements, so the restrictions travel with the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from followthemoney import StatementEntity

from unweave.store.facts import Fact, entity_from_facts
from unweave.store.reader import StoreView


def entity_dict(entity: StatementEntity, facts: list[Fact]) -> dict[str, Any]:
    properties = {prop: sorted(values) for prop, values in sorted(entity.properties.items())}
    handling = sorted({f.handling for f in facts})
    data: dict[str, Any] = {
        "id": entity.id,
        "schema": entity.schema.name,
        "properties": properties,
        "datasets": sorted({f.dataset for f in facts}),
        "handling": handling,
    }
    conditions = sorted({f.conditions for f in facts if f.handling == "H3" and f.conditions})
    if conditions:
        data["handling_conditions"] = conditions
    referents = sorted({f.entity_id for f in facts} - {entity.id})
    if referents:
        data["referents"] = referents  # the records merged into this entity (FtM's term)
    return data


def _grouped(view: StoreView) -> Iterator[list[Fact]]:
    batch: list[Fact] = []
    for fact in view.iter_facts():
        if batch and fact.canonical_id != batch[0].canonical_id:
            yield batch
            batch = []
        batch.append(fact)
    if batch:
        yield batch


def export_entities(view: StoreView, out: IO[str]) -> int:
    count = 0
    for facts in _grouped(view):
        entity = entity_from_facts(facts)
        out.write(json.dumps(entity_dict(entity, facts), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


def export_statements(view: StoreView, out: IO[str]) -> int:
    """FtM statement dicts, each with its provenance and handling code."""
    count = 0
    for fact in view.iter_facts():
        data: dict[str, Any] = dict(fact.to_statement().to_dict())
        data.update(fact.provenance())
        out.write(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
        out.write("\n")
        count += 1
    return count
