"""The review queue of uncertain matches, and judgements (accept, reject, unsure, undo).

A reader sees a pair only when they may see both records; a judgement is refused (as an
unknown pair) on records they may not see. Each pair comes with the comparisons that
scored it, so the person judging reads why the engine hesitated.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from unweave.errors import Forbidden, NotFound
from unweave.resolve import clusters as clustering
from unweave.resolve.judgements import judge
from unweave.resolve.review import queue
from unweave.store.reader import StoreView
from unweave.web.auth import Reader, ReaderDep, WriterDep
from unweave.web.render import render

api = APIRouter(prefix="/api/review", tags=["review"])
pages = APIRouter(include_in_schema=False)
JUDGES = frozenset({"analyst", "investigator", "coordinator", "admin"})
SHOWN = ("name", "birthDate", "gender", "nationality", "phone", "passportNumber", "idNumber",
         "address", "email")  # fmt: skip
Kind = Literal["positive", "negative", "unsure", "undo"]
Case = Annotated[str | None, Query(max_length=64)]


class JudgementIn(BaseModel):
    left: str = Field(min_length=1, max_length=160)
    right: str = Field(min_length=1, max_length=160)
    judgement: Kind
    reason: str = Field(min_length=1, max_length=2000)


def _side(view: StoreView, entity_id: str) -> dict[str, Any] | None:
    try:
        entity = view.entity(entity_id)
    except NotFound:
        return None
    return {
        "id": entity.id or entity_id,  # the resolved entity
        "record": entity_id,  # the record the engine scored
        "caption": entity.caption,
        "schema": entity.schema.name,
        "datasets": sorted(entity.datasets),
        "properties": {p: entity.get(p, quiet=True) for p in SHOWN if entity.get(p, quiet=True)},
    }


def queue_data(who: Reader, limit: int, case: str | None = None) -> dict[str, Any]:
    view = who.view(case)
    items = []
    shown: set[frozenset[str]] = set()
    for cand in queue(who.store, view=view):
        left, right = _side(view, cand.left_id), _side(view, cand.right_id)
        if left is None or right is None:
            continue  # a record this reader may not see: the pair is not theirs to judge
        entities = frozenset((left["id"], right["id"]))
        if entities in shown:
            continue  # the same two entities through other records: judged once
        shown.add(entities)
        items.append(
            {
                "left": left,
                "right": right,
                "probability": cand.probability,
                "value": round(cand.value, 3),
                "reason": cand.reason,
                "evidence": cand.evidence,
            }
        )
        if len(items) >= limit:
            break
    who.record("read", detail={"review_queue": len(items)}, case=case)
    return {"pairs": items, "can_judge": who.user.role in JUDGES}


def record_judgement(who: Reader, item: JudgementIn) -> dict[str, Any]:
    who.require(JUDGES, "judge matches")
    view = who.view()
    owners: set[str] = set()
    for entity_id in (item.left, item.right):
        facts = view.facts([entity_id])
        if not facts:
            raise NotFound(f"no entity {entity_id!r}")
        owners.update(f.agency for f in facts)
    if who.user.agency not in owners:
        # Judgements change how everyone's entities are merged: a partner may link its own
        # records to shared ones, but two records of another agency are that agency's call.
        raise Forbidden(
            "neither record is of your agency",
            hint="the agency that holds them judges pairs of its own records",
        )
    judge(who.store, item.left, item.right, item.judgement, who.user.username, item.reason)
    with who.store.engine.begin() as conn:
        _, conflicts = clustering.rebuild(conn)
    who.changed()
    return {
        "ok": True,
        "judgement": item.judgement,
        "left": item.left,
        "right": item.right,
        "records": view.members(item.left),
        "not_applied": [
            {"left": c.left_id, "right": c.right_id, "by": c.user}
            for c in conflicts
            if {c.left_id, c.right_id} == {item.left, item.right}
        ],
    }


@api.get("", summary="Uncertain pairs to judge, most valuable first, with explanations")
def queue_api(
    who: ReaderDep, limit: Annotated[int, Query(ge=1, le=200)] = 20, case: Case = None
) -> dict[str, Any]:
    return queue_data(who, limit, case)


@api.post("/judgements", summary="Record a judgement on two records (undo withdraws one)")
def judgement_api(who: WriterDep, item: JudgementIn) -> dict[str, Any]:
    return record_judgement(who, item)


@pages.get("/review")
def review_page(request: Request, who: ReaderDep, done: str | None = None) -> Response:
    return render(request, "review.html", {"data": queue_data(who, 20), "done": done})


@pages.post("/review")
def review_post(
    who: WriterDep,
    left: Annotated[str, Form(max_length=160)],
    right: Annotated[str, Form(max_length=160)],
    judgement: Annotated[Kind, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    reason = reason.strip() or f"reviewed in the web interface: {judgement}"
    record_judgement(who, JudgementIn(left=left, right=right, judgement=judgement, reason=reason))
    return RedirectResponse(f"/review?done={judgement}", status_code=303)
