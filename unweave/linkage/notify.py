"""The owner's side of a hit: notify its coordinators, take requests, record the answers.

Every hit on one of our references is audited and notified to the coordinators of the
owning agency, automatically. The partner may then ask for information about that
reference; our coordinator answers by sharing chosen entities into a case (the sharing of
``unweave.access.cases``) or by declining, and both answers are recorded and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from unweave.access.cases import share_entities
from unweave.access.identity import User
from unweave.errors import ConfigError, Forbidden, NotFound
from unweave.linkage.refs import lookup
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.registry import utcnow
from unweave.store.tables import agencies, linkage_requests, notifications, users


@dataclass(frozen=True)
class Notification:
    id: int
    user: str
    kind: str
    ref: str | None
    partner: str | None
    case_reference: str | None
    message: str
    created_at: datetime


def _agency_coordinators(conn, agency: str) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        select(users.c.id, users.c.username)
        .join(agencies, agencies.c.id == users.c.agency_id)
        .where(
            agencies.c.code == agency, users.c.role == "coordinator", users.c.disabled.is_(False)
        )
        .order_by(users.c.username)
    ).all()
    return [(r.id, r.username) for r in rows]


def _notify_coordinators(  # type: ignore[no-untyped-def]
    conn,
    agency: str,
    kind: str,
    ref: str,
    partner: str,
    message: str,
    now: datetime,
    case_reference: str | None = None,
) -> list[str]:
    """One notification to each active coordinator of ``agency``; returns their names."""
    coordinators = _agency_coordinators(conn, agency)
    if coordinators:
        conn.execute(
            notifications.insert(),
            [
                {
                    "user_id": user_id,
                    "kind": kind,
                    "ref": ref,
                    "partner": partner,
                    "case_reference": case_reference,
                    "message": message,
                    "created_at": now,
                }
                for user_id, _ in coordinators
            ],
        )
    return [username for _, username in coordinators]


def record_hits(
    store: Store, hits: list[tuple[str, str, float]], partner: str, by: str
) -> list[str]:
    """Hits (our ref, partner's ref, score) on this node: audited, coordinators notified.

    References this node does not know (padding, or not ours) are left out. Returns the
    references that were ours.
    """
    owned = lookup(store, [h[0] for h in hits])
    now = utcnow()
    ours: list[str] = []
    with store.engine.begin() as conn:
        for ref, partner_ref, score in hits:
            o = owned.get(ref)
            if o is None:
                continue
            ours.append(ref)
            audit.append(
                conn,
                by,
                "linkage_hit",
                {"ref": ref, "partner": partner, "partner_ref": partner_ref, "score": score},
                entity_id=o.entity_id,
            )
            message = (
                f"Hit on reference {ref} (score {score:.2f}) in an index of "
                f"{partner}; they may ask for information, you decide what to share."
            )
            sent = _notify_coordinators(conn, o.agency, "hit", ref, partner, message, now)
            audit.append(conn, by, "linkage_notify", {"ref": ref, "kind": "hit", "to": sent})
    return ours


def inbox(store: Store, user: User) -> list[Notification]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(notifications, users.c.username)
            .join(users, users.c.id == notifications.c.user_id)
            .where(notifications.c.user_id == user.id)
            .order_by(notifications.c.id)
        ).all()
    return [
        Notification(
            r.id, r.username, r.kind, r.ref, r.partner, r.case_reference, r.message, r.created_at
        )
        for r in rows
    ]


def request_information(
    store: Store, ref: str, requester: str, reason: str, case_reference: str | None = None
) -> int:
    """A partner asks about one of our references that hit; our coordinators are told."""
    o = lookup(store, [ref]).get(ref)
    if o is None:
        raise NotFound(f"no reference {ref!r} on this node")
    now = utcnow()
    with store.engine.begin() as conn:
        request_id = int(
            conn.execute(
                linkage_requests.insert()
                .values(
                    ref=ref,
                    requester=requester,
                    case_reference=case_reference,
                    reason=reason,
                    created_at=now,
                    status="open",
                )
                .returning(linkage_requests.c.id)
            ).scalar_one()
        )
        audit.append(
            conn,
            requester,
            "linkage_request",
            {"request": request_id, "ref": ref, "case": case_reference},
            entity_id=o.entity_id,
        )
        message = f"Request {request_id} from {requester} about reference {ref}."
        _notify_coordinators(
            conn, o.agency, "request", ref, requester, message, now, case_reference
        )
    return request_id


def _open_request(conn, request_id: int, by: User):  # type: ignore[no-untyped-def]
    row = conn.execute(select(linkage_requests).where(linkage_requests.c.id == request_id)).first()
    if row is None:
        raise NotFound(f"no request {request_id}")
    if row.status != "open":
        raise ConfigError(f"request {request_id} was answered already ({row.status})")
    return row


def answer_request(
    store: Store,
    request_id: int,
    by: User,
    share: list[str] | None = None,
    case_reference: str | None = None,
    note: str | None = None,
) -> str:
    """Share chosen entities into a case, or decline (``share`` None); both recorded."""
    if by.role not in ("coordinator", "admin"):
        raise Forbidden(f"{by.username} ({by.role}) may not answer requests")
    with store.engine.connect() as conn:
        row = _open_request(conn, request_id, by)
    o = lookup(store, [row.ref])[row.ref]
    if o.agency != by.agency:
        raise NotFound(f"no request {request_id}")
    status = "declined"
    if share:
        case = case_reference or row.case_reference
        if not case:
            raise ConfigError("sharing needs a case", hint="pass the case reference")
        share_entities(store, case, share, by)
        status = "shared"
    with store.engine.begin() as conn:
        _open_request(conn, request_id, by)
        conn.execute(
            linkage_requests.update()
            .where(linkage_requests.c.id == request_id)
            .values(status=status, answered_by=by.username, answered_at=utcnow(), answer_note=note)
        )
        audit.append(
            conn,
            by.username,
            "linkage_answer",
            {"request": request_id, "answer": status, "entities": len(share or [])},
            case_id=case_reference or row.case_reference,
        )
    return status


def request_status(store: Store, request_id: int) -> dict[str, object]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(linkage_requests).where(linkage_requests.c.id == request_id)
        ).first()
    if row is None:
        raise NotFound(f"no request {request_id}")
    return {
        "request": row.id,
        "ref": row.ref,
        "status": row.status,
        "answered_at": row.answered_at,
    }
