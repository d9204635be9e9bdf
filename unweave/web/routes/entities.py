"""The entity profile: facts grouped by property with their provenance, relationships,
cases and the explanation of the merge."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from unweave.errors import NotFound
from unweave.model import first_value
from unweave.resolve.review import explain
from unweave.store import rawsql
from unweave.store.facts import Fact, entity_from_facts
from unweave.store.reader import StoreView
from unweave.web.auth import Reader, SignedIn, in_thread
from unweave.web.render import render

api = APIRouter(prefix="/api", tags=["entities"])
pages = APIRouter(include_in_schema=False)
MAX_RELATIONS = 60

EntityId = Annotated[str, Path(max_length=160, pattern=r"^[^/]+$")]
Case = Annotated[str | None, Query(max_length=64)]


def fact_json(f: Fact) -> dict[str, Any]:
    return {
        "id": f.id,
        "record": f.entity_id,
        "prop": f.prop,
        "type": f.prop_type,
        "value": f.value,
        "original": f.original_value,
        "agency": f.agency,
        "dataset": f.dataset,
        "handling": f.handling,
        "conditions": f.conditions if f.handling == "H3" else None,
        "source_file": PurePath(f.source_file).name,
        "source_row": f.source_row,
        "first_seen": f.first_seen.isoformat(timespec="seconds") if f.first_seen else None,
        "last_seen": f.last_seen.isoformat(timespec="seconds") if f.last_seen else None,
    }


def _caption(view: StoreView, entity_id: str) -> dict[str, str] | None:
    try:
        entity = view.entity(entity_id)
    except NotFound:
        return None
    return {"id": entity.id or entity_id, "schema": entity.schema.name, "caption": entity.caption}


def relationships(view: StoreView, members: list[str]) -> list[dict[str, Any]]:
    """Entities that point at this one (family, payments, documents...), visible ones."""
    inside = set(members)
    related: list[str] = []
    for member in members:
        related += view.entities_with_value("entity", member)
    out = []
    for rel_id in sorted(set(related) - inside)[:MAX_RELATIONS]:
        rel = view.entity(rel_id)
        others = []
        for prop, values in rel.properties.items():
            if rel.schema.get(prop) is None or rel.schema.get(prop).type.name != "entity":  # type: ignore[union-attr]
                continue
            for value in values:
                if value in inside:
                    continue
                found = _caption(view, value)
                if found:
                    others.append({"prop": prop, **found})
        roles = [
            p for p, vs in rel.properties.items() if any(v in inside for v in vs) and p != "id"
        ]
        out.append(
            {
                "id": rel.id,
                "schema": rel.schema.name,
                "caption": rel.caption,
                "roles": roles,
                "date": first_value(rel, "date") or first_value(rel, "startDate"),
                "others": others,
            }
        )
    return out


def merge_explanation(
    who: Reader, view: StoreView, entity_id: str, seen: tuple[str, list[str]] | None = None
) -> dict[str, Any]:
    """Which judgements and scores joined the records this reader sees (resolve/review)."""
    ex = explain(who.store, entity_id, view=view, seen=seen)
    return {
        "canonical_id": ex.canonical_id,
        "records": sorted(ex.members),
        "links": [
            {
                "left": j.left_id,
                "right": j.right_id,
                "by": j.user,
                "at": j.created_at.isoformat(timespec="seconds"),
                "score": j.score,
                "reason": j.reason,
            }
            for j in ex.links
        ],
        "scores": [
            {"left": a, "right": b, "probability": c.probability, "evidence": c.evidence}
            for (a, b), c in sorted(ex.scores.items())
        ],
        "history": [
            {
                "left": j.left_id,
                "right": j.right_id,
                "judgement": j.judgement,
                "by": j.user,
                "at": j.created_at.isoformat(timespec="seconds"),
                "reason": j.reason,
            }
            for j in ex.history
        ],
    }


CASES_SQL = (
    "SELECT DISTINCT c.reference, c.title FROM cases c "
    "JOIN case_members m ON m.case_id = c.id AND m.user_id = :user "
    "JOIN case_shares sh ON sh.case_id = c.id AND sh.revoked_at IS NULL "
    "JOIN datasets d ON d.id = sh.dataset_id "
    "WHERE sh.entity_id IN :members OR (sh.entity_id IS NULL AND d.name IN :datasets) "
    "ORDER BY c.reference"
)


def entity_cases(who: Reader, members: set[str], datasets: set[str]) -> list[dict[str, str]]:
    """The reader's cases into which this entity (or its whole dataset) is shared now."""
    with rawsql.cursor(who.store) as cur:
        found = cur.all(CASES_SQL, user=who.user.id, members=members, datasets=datasets)
    return [{"reference": reference, "title": title} for reference, title in found]


def entity_data(who: Reader, entity_id: str, case: str | None) -> dict[str, Any]:
    view = who.view(case)
    members = view.members(entity_id)
    facts = view.facts(members)
    if not facts:
        raise NotFound(f"no entity {entity_id!r}")
    entity = entity_from_facts(facts)  # what view.entity(entity_id) reads, read once
    who.record("read", entity_id=entity.id, case=case)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        if f.prop != "id":
            grouped[f.prop].append(fact_json(f))
    return {
        "id": entity.id,
        "schema": entity.schema.name,
        "caption": entity.caption,
        "records": members,
        "properties": dict(sorted(grouped.items())),
        "datasets": sorted({f.dataset for f in facts}),
        "agencies": sorted({f.agency for f in facts}),
        "handling": sorted({f.handling for f in facts}),
        "first_seen": min(f.first_seen for f in facts).isoformat(timespec="seconds"),
        "last_seen": max(f.last_seen for f in facts).isoformat(timespec="seconds"),
        "relationships": relationships(view, members),
        "cases": entity_cases(who, set(members), {f.dataset for f in facts}),
        "merge": merge_explanation(who, view, entity_id, (entity.id or entity_id, members)),
    }


@api.get("/entities/{entity_id}", summary="An entity with the provenance of every fact")
async def entity_api(request: SignedIn, entity_id: EntityId, case: Case = None) -> dict[str, Any]:
    return await in_thread(request, entity_data, entity_id, case)


@pages.get("/entities/{entity_id}")
async def entity_page(request: SignedIn, entity_id: EntityId, case: Case = None) -> Response:
    def page(who: Reader) -> Response:
        return render(
            request, "entity.html", {"e": entity_data(who, entity_id, case), "case": case}
        )

    return await in_thread(request, page)
