"""Cases and sharing: the cases a user belongs to, their members and shares, and (for
coordinators) adding agencies and members, sharing datasets or entities, withdrawing."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from unweave.access import cases
from unweave.errors import ConfigError
from unweave.store.registry import list_datasets
from unweave.web.auth import Reader, ReaderDep, WriterDep
from unweave.web.render import render

api = APIRouter(prefix="/api/cases", tags=["cases"])
pages = APIRouter(include_in_schema=False)
Ref = Annotated[str, Path(min_length=1, max_length=64)]


class CaseIn(BaseModel):
    reference: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=300)


class ShareIn(BaseModel):
    dataset: str | None = Field(default=None, max_length=128)
    entities: list[str] = Field(default_factory=list, max_length=1000)
    judicial_consent: bool = False


class NameIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)


def _case(c: cases.Case) -> dict[str, Any]:
    return asdict(c) | {"agencies": list(c.agencies), "members": list(c.members)}


def _share(s: cases.Share) -> dict[str, Any]:
    data = asdict(s)
    data["created_at"] = s.created_at.isoformat(timespec="seconds")
    data["revoked_at"] = s.revoked_at.isoformat(timespec="seconds") if s.revoked_at else None
    return data


def case_data(who: Reader, reference: str) -> dict[str, Any]:
    case = cases.get_case(who.store, reference, who.user)
    shares = [
        _share(s)
        for s in cases.list_shares(who.store, reference, who.user)
        # Withdrawn shares stay on record for the agency that made them only.
        if s.revoked_at is None or s.shared_by_agency == who.user.agency
    ]
    who.record("case", detail={"viewed": True}, case=reference)
    own = [d.name for d in list_datasets(who.store) if d.agency_code == who.user.agency]
    return {"case": _case(case), "shares": shares, "own_datasets": own}


@api.get("", summary="The cases the user belongs to (a coordinator: their agency's too)")
def list_api(who: ReaderDep) -> list[dict[str, Any]]:
    return [_case(c) for c in cases.list_cases(who.store, who.user)]


@api.post("", summary="Open a case (coordinators)")
def create_api(who: WriterDep, item: CaseIn) -> dict[str, Any]:
    return _case(cases.create_case(who.store, item.reference, item.title, who.user))


@api.get("/{reference}", summary="A case with its members and shares")
def case_api(who: ReaderDep, reference: Ref) -> dict[str, Any]:
    return case_data(who, reference)


@api.post("/{reference}/agencies", summary="Make an agency a member of the case")
def agency_api(who: WriterDep, reference: Ref, item: NameIn) -> dict[str, Any]:
    return _case(cases.add_agency(who.store, reference, item.name, who.user))


@api.post("/{reference}/members", summary="Make a user a member of the case")
def member_api(who: WriterDep, reference: Ref, item: NameIn) -> dict[str, Any]:
    return _case(cases.add_member(who.store, reference, item.name, who.user))


def _do_share(who: Reader, reference: str, item: ShareIn) -> list[dict[str, Any]]:
    if not item.dataset and not item.entities:
        raise ConfigError("name a dataset or entities to share")
    out = []
    if item.dataset:
        share = cases.share_dataset(
            who.store, reference, item.dataset, who.user, item.judicial_consent
        )
        out.append(_share(share))
    if item.entities:
        made = cases.share_entities(
            who.store, reference, item.entities, who.user, item.judicial_consent
        )
        out += [_share(s) for s in made]
    who.changed()
    return out


@api.post("/{reference}/shares", summary="Share a whole dataset or chosen entities")
def share_api(who: WriterDep, reference: Ref, item: ShareIn) -> list[dict[str, Any]]:
    return _do_share(who, reference, item)


@api.delete("/{reference}/shares/{share_id}", summary="Withdraw a share (the row stays)")
def revoke_api(who: WriterDep, reference: Ref, share_id: int) -> dict[str, Any]:
    share = cases.revoke_share(who.store, reference, share_id, who.user)
    who.changed()
    return _share(share)


@pages.get("/cases")
def cases_page(request: Request, who: ReaderDep) -> Response:
    found = [_case(c) for c in cases.list_cases(who.store, who.user)]
    return render(request, "cases.html", {"cases": found})


@pages.get("/cases/{reference}")
def case_page(request: Request, who: ReaderDep, reference: Ref) -> Response:
    return render(request, "case.html", {"d": case_data(who, reference)})


@pages.post("/cases/{reference}/share")
def share_post(
    who: WriterDep,
    reference: Ref,
    dataset: Annotated[str, Form(max_length=128)] = "",
    entities: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    ids = [e.strip() for e in entities.replace(",", " ").split() if e.strip()]
    _do_share(who, reference, ShareIn(dataset=dataset or None, entities=ids))
    return RedirectResponse(f"/cases/{reference}", status_code=303)


@pages.post("/cases/{reference}/revoke")
def revoke_post(who: WriterDep, reference: Ref, share_id: Annotated[int, Form()]) -> Response:
    cases.revoke_share(who.store, reference, share_id, who.user)
    who.changed()
    return RedirectResponse(f"/cases/{reference}", status_code=303)
