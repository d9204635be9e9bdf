"""Cases and sharing: who may see another agency's data, and why.

A case (a joint investigation, an action day) has an owning agency, member agencies and
member users. An agency shares into a case either a whole dataset of its own or chosen
entities; the members of the case then see those statements, within their handling codes.
A recipient may pass on chosen entities it received from their owner into another case of
which it is a member, but never H2 facts ("not to be passed on without the owner's
consent"); it cannot pass on a whole dataset, nor give judicial consent for another
agency's H1 facts. Withdrawing a share keeps its row, stamped with who withdrew it and when.

Coordinators (and administrators) manage cases; every change is written to the audit
trail with the case as its purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, select

from unweave.access.identity import User
from unweave.errors import ConfigError, Forbidden, NotFound
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.registry import utcnow
from unweave.store.tables import (
    agencies,
    case_agencies,
    case_members,
    case_shares,
    cases,
    datasets,
    statements,
    users,
)

MANAGERS = ("coordinator", "admin")
STATUSES = ("active", "closed")


@dataclass(frozen=True)
class Case:
    id: int
    reference: str
    title: str
    owner: str  # agency code
    status: str
    agencies: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class Share:
    id: int
    case: str
    dataset: str
    owner: str  # the dataset's agency
    entity_id: str | None
    shared_by_agency: str
    shared_by: str
    judicial_consent: bool
    created_at: datetime
    revoked_at: datetime | None

    @property
    def passed_on(self) -> bool:
        """Shared by a recipient rather than by the data's owner (no H2 facts then)."""
        return self.shared_by_agency != self.owner


def _manager(user: User) -> None:
    if user.role not in MANAGERS:
        raise Forbidden(
            f"{user.username} ({user.role}) may not manage cases",
            hint="a coordinator of the agency does this",
        )


def _case_row(conn: Connection, reference: str):  # type: ignore[no-untyped-def]
    row = conn.execute(select(cases).where(cases.c.reference == reference)).first()
    if row is None:
        raise NotFound(f"no case {reference!r}")
    return row


def _agency_ids(conn: Connection, case_id: int) -> set[int]:
    return set(
        conn.execute(
            select(case_agencies.c.agency_id).where(case_agencies.c.case_id == case_id)
        ).scalars()
    )


def _is_member(conn: Connection, case_id: int, user_id: int) -> bool:
    found = conn.execute(
        select(case_members.c.user_id).where(
            case_members.c.case_id == case_id, case_members.c.user_id == user_id
        )
    ).first()
    return found is not None


def _user_row(conn: Connection, username: str, *where: Any):  # type: ignore[no-untyped-def]
    """The user, if they meet `where`; else the same NotFound whether or not the name exists
    (a coordinator learns nothing about other agencies' user names)."""
    member = conn.execute(select(users).where(users.c.username == username, *where)).first()
    if member is None:
        raise NotFound(f"no user {username!r} that you may add or remove here")
    return member


def _visible_case(conn: Connection, reference: str, user: User):  # type: ignore[no-untyped-def]
    """The case, if the user may know of it (a member, or a manager of a member agency)."""
    row = conn.execute(select(cases).where(cases.c.reference == reference)).first()
    if row is None:
        raise NotFound(f"no case {reference!r}")
    if _is_member(conn, row.id, user.id):
        return row
    if user.role in MANAGERS and user.agency_id in _agency_ids(conn, row.id):
        return row
    raise NotFound(f"no case {reference!r}")  # the same answer: no oracle for references


def _describe(conn: Connection, row) -> Case:  # type: ignore[no-untyped-def]
    owner = conn.execute(select(agencies.c.code).where(agencies.c.id == row.owner_agency_id))
    member_agencies = conn.execute(
        select(agencies.c.code)
        .join(case_agencies, case_agencies.c.agency_id == agencies.c.id)
        .where(case_agencies.c.case_id == row.id)
        .order_by(agencies.c.code)
    ).scalars()
    member_users = conn.execute(
        select(users.c.username)
        .join(case_members, case_members.c.user_id == users.c.id)
        .where(case_members.c.case_id == row.id)
        .order_by(users.c.username)
    ).scalars()
    return Case(
        id=row.id,
        reference=row.reference,
        title=row.title,
        owner=owner.scalar_one(),
        status=row.status,
        agencies=tuple(member_agencies),
        members=tuple(member_users),
    )


def create_case(store: Store, reference: str, title: str, by: User) -> Case:
    """A new case owned by the creator's agency, with the creator as its first member."""
    _manager(by)
    reference = reference.strip()
    if not reference or len(reference) > 64:
        raise ConfigError("a case reference needs 1 to 64 characters")
    now = utcnow()
    with store.engine.begin() as conn:
        if conn.execute(select(cases.c.id).where(cases.c.reference == reference)).first():
            raise ConfigError(f"case {reference} exists already")
        case_id = conn.execute(
            cases.insert()
            .values(
                reference=reference,
                title=title,
                owner_agency_id=by.agency_id,
                status="active",
                created_by=by.username,
                created_at=now,
            )
            .returning(cases.c.id)
        ).scalar_one()
        conn.execute(
            case_agencies.insert().values(
                case_id=case_id, agency_id=by.agency_id, added_by=by.username, added_at=now
            )
        )
        conn.execute(
            case_members.insert().values(
                case_id=case_id, user_id=by.id, added_by=by.username, added_at=now
            )
        )
        audit.append(conn, by.username, "case", {"created": title}, case_id=reference)
        return _describe(conn, _case_row(conn, reference))


def add_agency(store: Store, reference: str, agency_code: str, by: User) -> Case:
    """Make an agency a member of the case (the owning agency's coordinators do this)."""
    _manager(by)
    with store.engine.begin() as conn:
        row = _visible_case(conn, reference, by)
        if row.owner_agency_id != by.agency_id:
            raise Forbidden(f"only the owning agency adds agencies to case {reference}")
        agency_id = conn.execute(
            select(agencies.c.id).where(agencies.c.code == agency_code)
        ).scalar()
        if agency_id is None:
            raise NotFound(f"no agency {agency_code!r}")
        if agency_id not in _agency_ids(conn, row.id):
            conn.execute(
                case_agencies.insert().values(
                    case_id=row.id, agency_id=agency_id, added_by=by.username, added_at=utcnow()
                )
            )
            audit.append(
                conn, by.username, "case", {"agency_added": agency_code}, case_id=reference
            )
        return _describe(conn, row)


def add_member(store: Store, reference: str, username: str, by: User) -> Case:
    """Add a user of a member agency. An agency decides which of its own users join."""
    _manager(by)
    with store.engine.begin() as conn:
        row = _visible_case(conn, reference, by)
        member = _user_row(conn, username, users.c.agency_id == by.agency_id)
        if member.agency_id not in _agency_ids(conn, row.id):
            raise Forbidden(
                f"your agency is not a member of case {reference}",
                hint="the owning agency adds the agency first",
            )
        if not _is_member(conn, row.id, member.id):
            conn.execute(
                case_members.insert().values(
                    case_id=row.id, user_id=member.id, added_by=by.username, added_at=utcnow()
                )
            )
            audit.append(conn, by.username, "case", {"member_added": username}, case_id=reference)
        return _describe(conn, row)


def remove_member(store: Store, reference: str, username: str, by: User) -> Case:
    """Take a user off the case: their own agency's coordinators, or the owner's, do this."""
    _manager(by)
    with store.engine.begin() as conn:
        row = _visible_case(conn, reference, by)
        in_case = select(case_members.c.user_id).where(case_members.c.case_id == row.id)
        if row.owner_agency_id == by.agency_id:  # the owner removes anyone in the case
            member = _user_row(conn, username, users.c.id.in_(in_case))
        else:
            member = _user_row(conn, username, users.c.agency_id == by.agency_id)
        conn.execute(
            case_members.delete().where(
                case_members.c.case_id == row.id, case_members.c.user_id == member.id
            )
        )
        audit.append(conn, by.username, "case", {"member_removed": username}, case_id=reference)
        return _describe(conn, row)


def set_status(store: Store, reference: str, status: str, by: User) -> Case:
    """Close (or reopen) a case. A closed case's shares open nothing any more."""
    _manager(by)
    if status not in STATUSES:
        raise ConfigError(f"unknown case status {status!r}", hint=", ".join(STATUSES))
    with store.engine.begin() as conn:
        row = _visible_case(conn, reference, by)
        if row.owner_agency_id != by.agency_id:
            raise Forbidden(f"only the owning agency closes or reopens case {reference}")
        conn.execute(cases.update().where(cases.c.id == row.id).values(status=status))
        audit.append(conn, by.username, "case", {"status": status}, case_id=reference)
        return _describe(conn, _case_row(conn, reference))


def get_case(store: Store, reference: str, user: User) -> Case:
    with store.engine.connect() as conn:
        return _describe(conn, _visible_case(conn, reference, user))


def list_cases(store: Store, user: User) -> list[Case]:
    """The cases a user belongs to, and for managers every case of their agency."""
    with store.engine.connect() as conn:
        mine = select(case_members.c.case_id).where(case_members.c.user_id == user.id)
        query = select(cases).where(cases.c.id.in_(mine))
        if user.role in MANAGERS:
            theirs = select(case_agencies.c.case_id).where(
                case_agencies.c.agency_id == user.agency_id
            )
            query = select(cases).where(cases.c.id.in_(mine) | cases.c.id.in_(theirs))
        rows = conn.execute(query.order_by(cases.c.reference)).all()
        return [_describe(conn, r) for r in rows]


def coordinators(store: Store, reference: str) -> list[User]:
    """The coordinators among a case's members (who get its alerts), by agency."""
    with store.engine.connect() as conn:
        row = _case_row(conn, reference)
        found = conn.execute(
            select(users, agencies.c.code.label("agency"))
            .join(agencies, agencies.c.id == users.c.agency_id)
            .join(case_members, case_members.c.user_id == users.c.id)
            .where(case_members.c.case_id == row.id, users.c.role == "coordinator")
            .order_by(agencies.c.code, users.c.username)
        ).all()
    return [User(r.id, r.username, r.agency_id, r.agency, r.role) for r in found]


# Sharing -------------------------------------------------------------------------------


def _share_query():  # type: ignore[no-untyped-def]
    owner = agencies.alias("owner")
    sharer = agencies.alias("sharer")
    return (
        select(
            case_shares.c.id,
            cases.c.reference.label("case"),
            datasets.c.name.label("dataset"),
            owner.c.code.label("owner"),
            case_shares.c.entity_id,
            sharer.c.code.label("shared_by_agency"),
            case_shares.c.shared_by,
            case_shares.c.judicial_consent,
            case_shares.c.created_at,
            case_shares.c.revoked_at,
        )
        .select_from(
            case_shares.join(cases, cases.c.id == case_shares.c.case_id)
            .join(datasets, datasets.c.id == case_shares.c.dataset_id)
            .join(owner, owner.c.id == datasets.c.agency_id)
            .join(sharer, sharer.c.id == case_shares.c.shared_by_agency_id)
        )
        .order_by(case_shares.c.id)
    )


def list_shares(store: Store, reference: str, user: User) -> list[Share]:
    with store.engine.connect() as conn:
        row = _visible_case(conn, reference, user)
        found = conn.execute(_share_query().where(case_shares.c.case_id == row.id)).all()
    return [Share(*r) for r in found]


def _sharer(conn: Connection, row, by: User) -> None:  # type: ignore[no-untyped-def]
    _manager(by)
    if row.status != "active":
        raise Forbidden(f"case {row.reference} is closed")
    if by.agency_id not in _agency_ids(conn, row.id):
        raise Forbidden(f"{by.agency} is not a member of case {row.reference}")


def share_dataset(
    store: Store, reference: str, dataset: str, by: User, judicial_consent: bool = False
) -> Share:
    """Share a whole dataset of the user's own agency into a case."""
    _manager(by)
    with store.engine.begin() as conn:
        row = _visible_case(conn, reference, by)
        _sharer(conn, row, by)
        found = conn.execute(select(datasets).where(datasets.c.name == dataset)).first()
        if found is None or found.agency_id != by.agency_id:
            # Another agency's dataset is refused like an unknown one: no oracle.
            raise Forbidden(
                f"{by.agency} can share only its own datasets, and has none named {dataset!r}",
                hint="a recipient passes on chosen entities, never a whole dataset",
            )
        share_id = _insert_share(conn, row, found.id, None, by, judicial_consent)
        audit.append(
            conn,
            by.username,
            "share",
            {"dataset": dataset, "judicial_consent": judicial_consent},
            case_id=reference,
        )
        return Share(*conn.execute(_share_query().where(case_shares.c.id == share_id)).one())


def _insert_share(
    conn: Connection,
    row,  # type: ignore[no-untyped-def]
    dataset_id: int,
    entity_id: str | None,
    by: User,
    judicial_consent: bool,
) -> int:
    return int(
        conn.execute(
            case_shares.insert()
            .values(
                case_id=row.id,
                dataset_id=dataset_id,
                entity_id=entity_id,
                shared_by_agency_id=by.agency_id,
                shared_by=by.username,
                judicial_consent=judicial_consent,
                created_at=utcnow(),
            )
            .returning(case_shares.c.id)
        ).scalar_one()
    )


def share_entities(
    store: Store,
    reference: str,
    entity_ids: Iterable[str],
    by: User,
    judicial_consent: bool = False,
) -> list[Share]:
    """Share chosen entities (every record merged into each) into a case.

    The user shares what they may see of each entity: their agency's own records in full,
    and, passed on, what they received from the owners through other cases, without its H2
    facts. An entity of which nothing can be passed on is refused by name.
    """
    from unweave.access.scopes import owner_holdings, scope_for  # scopes read cases
    from unweave.store.reader import StoreView

    _manager(by)
    view = StoreView(store, scope_for(store, by))
    wanted = sorted(set(entity_ids))
    if not wanted:
        raise ConfigError("no entity to share")
    created: list[int] = []
    with store.engine.begin() as conn:
        row = _visible_case(conn, reference, by)
        _sharer(conn, row, by)
        # What the agency received from the owners themselves: only that may be passed on
        # (what a partner passed on to it goes no further).
        held_whole, held_records = owner_holdings(conn, {by.agency_id}).get(
            by.agency_id, (set(), set())
        )
        owners = {
            r.name: r
            for r in conn.execute(select(datasets.c.name, datasets.c.id, datasets.c.agency_id))
        }
        for entity_id in wanted:
            facts = view.facts(view.members(entity_id))
            if not facts:
                raise NotFound(f"no entity {entity_id!r}")
            pairs: set[tuple[int, str]] = set()
            withheld = 0
            for fact in facts:
                dataset_row = owners[fact.dataset]
                own = dataset_row.agency_id == by.agency_id
                if not own and judicial_consent:
                    raise Forbidden(
                        f"only the owner of {fact.dataset} can consent to judicial use"
                    )
                if not own and fact.handling == "H2":
                    withheld += 1
                    continue
                if not own and not (
                    dataset_row.id in held_whole
                    or (dataset_row.id, fact.entity_id) in held_records
                ):
                    continue  # received from a partner, not from its owner
                pairs.add((dataset_row.id, fact.entity_id))
            if not pairs:
                raise Forbidden(
                    f"{entity_id}: nothing you see of it may be passed on: H2 facts need the "
                    "owner's consent, and what a partner passed on to you goes no further",
                    hint="ask the owning agency to share it into the case",
                )
            for dataset_id, record_id in sorted(pairs):
                if _active_share(
                    conn, row.id, dataset_id, record_id, by.agency_id, judicial_consent
                ):
                    continue
                created.append(
                    _insert_share(conn, row, dataset_id, record_id, by, judicial_consent)
                )
            audit.append(
                conn,
                by.username,
                "share",
                {"records": len({p[1] for p in pairs}), "h2_withheld": withheld},
                entity_id=entity_id,
                case_id=reference,
            )
        shares = conn.execute(_share_query().where(case_shares.c.id.in_(created))).all()
    return [Share(*r) for r in shares]


def _active_share(
    conn: Connection,
    case_id: int,
    dataset_id: int,
    entity_id: str,
    agency_id: int,
    judicial_consent: bool,
) -> bool:
    """Is this record already shared so (with consent, if consent is now given)?"""
    query = select(case_shares.c.id).where(
        case_shares.c.case_id == case_id,
        case_shares.c.dataset_id == dataset_id,
        case_shares.c.entity_id == entity_id,
        case_shares.c.shared_by_agency_id == agency_id,
        case_shares.c.revoked_at.is_(None),
    )
    if judicial_consent:
        query = query.where(case_shares.c.judicial_consent.is_(True))
    return conn.execute(query).first() is not None


def revoke_share(store: Store, reference: str, share_id: int, by: User) -> Share:
    """Withdraw a share (the sharing agency's coordinators do this); the row stays."""
    _manager(by)
    with store.engine.begin() as conn:
        row = _visible_case(conn, reference, by)
        share = conn.execute(
            select(case_shares).where(
                and_(case_shares.c.id == share_id, case_shares.c.case_id == row.id)
            )
        ).first()
        if share is None or share.shared_by_agency_id != by.agency_id:
            raise NotFound(f"no share {share_id} of {by.agency} in case {reference}")
        if share.revoked_at is None:
            conn.execute(
                case_shares.update()
                .where(case_shares.c.id == share_id)
                .values(revoked_at=utcnow(), revoked_by=by.username)
            )
            audit.append(conn, by.username, "share", {"revoked": share_id}, case_id=reference)
        return Share(*conn.execute(_share_query().where(case_shares.c.id == share_id)).one())


def count_withheld(store: Store, share: Share) -> int:
    """How many H2 facts a passed-on share leaves out (shown to the one who shares)."""
    if not share.passed_on or share.entity_id is None:
        return 0
    with store.engine.connect() as conn:
        return len(
            conn.execute(
                select(statements.c.id)
                .join(datasets, datasets.c.id == statements.c.dataset_id)
                .where(
                    datasets.c.name == share.dataset,
                    statements.c.entity_id == share.entity_id,
                    statements.c.handling == "H2",
                    statements.c.prop != "id",  # the record's id is no fact about them
                )
            ).all()
        )
