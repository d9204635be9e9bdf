"""CSV and XLSX tables mapped to entities by a mapping in FtM's own mapping format.

FtM's mapping classes parse the file (entities, keys, columns, literals, joins, links
between entities) and compute the ids; the values go through Unweave's cleaning so that an
unreadable phone or date is kept as written with a warning instead of being discarded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from followthemoney.exc import InvalidMapping
from followthemoney.mapping import QueryMapping

from unweave.errors import InvalidInput
from unweave.ingest.draft import EntityDraft
from unweave.ingest.formats import Format, FormatContext
from unweave.model import model


def _queries(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        return []
    if "entities" in data:
        return [data]
    if "queries" in data or "query" in data:
        found = data.get("queries") or [data.get("query")]
        return [q for q in found if isinstance(q, dict)]
    # {dataset_name: {queries: [...]}} as in FtM's mapping examples
    return [q for value in data.values() for q in _queries(value)]


def load_mapping(path: Path, dataset: str) -> list[QueryMapping]:
    """Parse and check a mapping file; every problem names the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(str(path), "mapping file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InvalidInput(str(path), f"mapping is not valid YAML: {exc}") from None
    queries = _queries(data)
    if not queries:
        raise InvalidInput(str(path), "no `entities:` found in the mapping")
    mappings = []
    for query in queries:
        lowered = _lower_columns(query)
        try:
            mappings.append(model.make_mapping(lowered, key_prefix=dataset))
        except InvalidMapping as exc:
            raise InvalidInput(str(path), f"invalid mapping: {exc}") from None
    return mappings


def _lower_columns(query: dict[str, Any]) -> dict[str, Any]:
    """Headers are matched case-insensitively: lower-case every column the mapping names."""
    entities = {}
    for name, entity in (query.get("entities") or {}).items():
        entity = dict(entity)
        for key in ("key", "keys"):
            if isinstance(entity.get(key), list):
                entity[key] = [str(k).lower() for k in entity[key]]
            elif isinstance(entity.get(key), str):
                entity[key] = entity[key].lower()
        if isinstance(entity.get("id_column"), str):
            entity["id_column"] = entity["id_column"].lower()
        props = {}
        for prop, spec in (entity.get("properties") or {}).items():
            spec = dict(spec) if isinstance(spec, dict) else spec
            if isinstance(spec, dict):
                if isinstance(spec.get("column"), str):
                    spec["column"] = spec["column"].lower()
                if isinstance(spec.get("columns"), list):
                    spec["columns"] = [str(c).lower() for c in spec["columns"]]
            props[prop] = spec
        entity["properties"] = props
        entities[name] = entity
    # FtM wants a source; Unweave streams the rows itself, so the address is never opened.
    # Row filters (`filters`, `filters_not`) are kept and applied by FtM's CSV source.
    lowered: dict[str, Any] = {"entities": entities, "csv_url": "unweave:stream"}
    for key in ("filters", "filters_not"):
        if isinstance(query.get(key), dict):
            lowered[key] = {str(k).lower(): v for k, v in query[key].items()}
    return lowered


def missing_columns(mappings: list[QueryMapping], header: list[str]) -> list[str]:
    present = set(header)
    return sorted({ref for m in mappings for ref in m.refs if ref not in present})


def convert(record: dict[str, Any], ctx: FormatContext) -> list[EntityDraft]:
    drafts: list[EntityDraft] = []
    for query in ctx.mapping:
        if not query.source.check_filters(record):
            continue
        ids: dict[str, str] = {}
        for emap in query.entities:
            entity_id = emap.compute_key(record)
            if entity_id is None:
                continue  # FtM's rule: no key value in this row, no entity
            draft = EntityDraft(emap.schema, entity_id, ctx)
            for pmap in emap.properties:
                if pmap.entity is not None:
                    if pmap.entity in ids:
                        draft.add(pmap.prop.name, ids[pmap.entity])
                    continue
                values = pmap.record_values(record)
                if pmap.join is not None:
                    values = [pmap.join.join(values)]
                if pmap.split is not None:
                    values = [part for v in values for part in v.split(pmap.split)]
                field = ",".join(pmap.refs) if pmap.refs else pmap.prop.name
                draft.add(pmap.prop.name, values, field=field)
            if any(p.required and not _has(draft, p.prop.name) for p in emap.properties):
                continue
            ids[emap.name] = entity_id
            drafts.append(draft)
    return drafts


def _has(draft: EntityDraft, prop: str) -> bool:
    return any(f.prop == prop for f in draft.facts)


FORMAT = Format(
    name="mapped",
    tabular=True,
    required=frozenset(),
    convert=convert,
    description="CSV or XLSX with an FtM mapping file",
)
