"""The audit trail, for the data-protection officer (and the administrator).

An officer reads the entries of their own agency's users: who saw what and why (the case
given as purpose). They see no data: entries hold entity ids and counts, never values.
Verification covers the whole chain and names only the entries that break it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from unweave.store import audit
from unweave.store.tables import users
from unweave.web.auth import AUDIT_ROLES, Reader, ReaderDep
from unweave.web.render import render

api = APIRouter(prefix="/api/audit", tags=["audit"])
pages = APIRouter(include_in_schema=False)
Opt = Annotated[str | None, Query(max_length=160)]


def _agency_users(who: Reader) -> set[str]:
    with who.store.engine.connect() as conn:
        return set(
            conn.execute(
                select(users.c.username).where(users.c.agency_id == who.user.agency_id)
            ).scalars()
        )


def audit_data(
    who: Reader,
    user: str | None = None,
    entity: str | None = None,
    case: str | None = None,
    action: str | None = None,
    limit: int = 200,
) -> dict[str, Any]:
    who.require(AUDIT_ROLES, "read the audit trail")
    mine = _agency_users(who)
    if user and user not in mine:
        rows: list[Any] = []
    else:
        rows = [
            r
            for r in audit.query(who.store, user, entity, case, action, limit=limit * 5)
            if r.user in mine
        ][:limit]
    audit.record(who.store, who.user.username, "read", detail={"audit_entries": len(rows)})
    return {
        "entries": [
            {
                "seq": r.seq,
                "at": r.at.isoformat(timespec="seconds"),
                "user": r.user,
                "action": r.action,
                "entity_id": r.entity_id,
                "case": r.case_id,
                "detail": r.detail,
            }
            for r in rows
        ],
        "actions": list(audit.ACTIONS),
    }


def verify_data(who: Reader) -> dict[str, Any]:
    who.require(AUDIT_ROLES, "verify the audit trail")
    findings = audit.verify(who.store)
    seq, digest = audit.head(who.store)
    return {
        "intact": not findings,
        "findings": [{"seq": f.seq, "problem": f.problem} for f in findings],
        "head": {"seq": seq, "hash": digest},
    }


@api.get("", summary="Audit entries of the officer's agency (dpo, admin)")
def audit_api(
    who: ReaderDep,
    user: Opt = None,
    entity: Opt = None,
    case: Opt = None,
    action: Opt = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    return audit_data(who, user, entity, case, action, limit)


@api.get("/verify", summary="Check that the audit trail's hash chain is intact")
def verify_api(who: ReaderDep) -> dict[str, Any]:
    return verify_data(who)


@pages.get("/audit")
def audit_page(
    request: Request,
    who: ReaderDep,
    user: Opt = None,
    entity: Opt = None,
    case: Opt = None,
    action: Opt = None,
) -> Response:
    data = audit_data(who, user or None, entity or None, case or None, action or None)
    filters = {"user": user or "", "entity": entity or "", "case": case or "", "action": action}
    return render(request, "audit.html", {"data": data, "verify": verify_data(who), "f": filters})
