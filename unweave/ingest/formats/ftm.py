"""FtM entities as JSON lines, as Aleph and the `ftm` tools write them."""

from __future__ import annotations

from typing import Any

from unweave.ingest.draft import EntityDraft, RowError
from unweave.ingest.formats import Format, FormatContext


def convert(record: dict[str, Any], ctx: FormatContext) -> list[EntityDraft]:
    entity_id = record.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise RowError("entity has no id", field="id")
    schema = record.get("schema")
    if not isinstance(schema, str):
        raise RowError("entity has no schema", field="schema")
    draft = EntityDraft(schema, entity_id.strip(), ctx)
    properties = record.get("properties") or {}
    if not isinstance(properties, dict):
        raise RowError("properties must be an object", field="properties")
    for name, values in properties.items():
        if not isinstance(values, list):
            values = [values]
        for value in values:
            if isinstance(value, dict):
                # Nested entities (ftm "nested" form): link by id, the entity itself
                # must come on its own line.
                value = value.get("id")
            draft.add(name, value, field=f"properties.{name}")
    return [draft]


FORMAT = Format(
    name="ftm",
    tabular=False,
    required=frozenset({"id", "schema"}),
    convert=convert,
    description="FollowTheMoney entities as JSON lines",
)
