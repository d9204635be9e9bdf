"""A user's scope: their agency's own datasets, and what was shared into their cases.

This is the one place where cases, shares, roles and handling codes become the Scope that
every read carries (store/scope.py). Rules:

- a user sees every statement of their own agency's datasets;
- plus, for each active case they are a member of, what was shared into it: whole datasets
  and chosen entities shared by their owner, and entities passed on by a recipient (never
  their H2 facts, and only while the recipient still holds them from the owner);
- a closed case, or a withdrawn share, opens nothing;
- for a case given as the purpose of the access, only that case's shares count;
- for judicial use, another agency's H1 and H2 facts count only with the owner's consent;
- a data-protection officer reads the audit trail, not the data: their scope is empty;
- victims' identifying fields are shown in clear only to the roles that need them.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from unweave.access.identity import User
from unweave.errors import NotFound
from unweave.store.db import Store
from unweave.store.scope import Grant, Scope
from unweave.store.tables import case_agencies, case_members, case_shares, cases, datasets

# Roles that see victims' names, birth dates, documents and contacts in clear.
VICTIM_ROLES = frozenset({"victim_liaison", "investigator"})
# Roles that read no case data at all.
NO_DATA_ROLES = frozenset({"dpo"})


def scope_for(store: Store, user: User, case: str | None = None, judicial: bool = False) -> Scope:
    reveal = user.role in VICTIM_ROLES
    if user.role in NO_DATA_ROLES:
        return Scope(grants=(), reveal_victims=False, purpose=case, reader=user.username)
    with store.engine.connect() as conn:
        own = sorted(
            conn.execute(
                select(datasets.c.id).where(datasets.c.agency_id == user.agency_id)
            ).scalars()
        )
        member_of = select(case_members.c.case_id).where(case_members.c.user_id == user.id)
        active = select(cases.c.id, cases.c.reference).where(
            cases.c.id.in_(member_of), cases.c.status == "active"
        )
        case_ids = {r.id: r.reference for r in conn.execute(active)}
        if case is not None:
            wanted = {i: ref for i, ref in case_ids.items() if ref == case}
            if not wanted:
                raise NotFound(f"no case {case!r}")  # not a member, or closed: the same
            case_ids = wanted
        rows = conn.execute(
            select(
                case_shares.c.case_id,
                case_shares.c.dataset_id,
                case_shares.c.entity_id,
                case_shares.c.shared_by_agency_id,
                case_shares.c.judicial_consent,
                datasets.c.agency_id.label("owner_id"),
            )
            .join(datasets, datasets.c.id == case_shares.c.dataset_id)
            .where(case_shares.c.case_id.in_(sorted(case_ids)), case_shares.c.revoked_at.is_(None))
        ).all()
        holdings = owner_holdings(conn, {r.shared_by_agency_id for r in rows})
    whole: set[int] = set(own)
    entities: dict[tuple[int, frozenset[str]], set[str]] = defaultdict(set)
    own_set = set(own)
    for r in rows:
        if r.dataset_id in own_set:
            continue
        withheld: set[str] = set()
        passed_on = r.shared_by_agency_id != r.owner_id
        if passed_on:
            held_whole, held_entities = holdings.get(r.shared_by_agency_id, (set(), set()))
            if r.entity_id is None or not (
                r.dataset_id in held_whole or (r.dataset_id, r.entity_id) in held_entities
            ):
                continue  # the recipient no longer holds it from the owner
            withheld.add("H2")
        if judicial and not (r.judicial_consent and not passed_on):
            withheld.update({"H1", "H2"})
        if r.entity_id is None and not withheld:
            whole.add(r.dataset_id)
        elif r.entity_id is None:
            entities[(r.dataset_id, frozenset(withheld))].add("*")
        else:
            entities[(r.dataset_id, frozenset(withheld))].add(r.entity_id)
    return Scope(
        grants=_grants(whole, entities),
        reveal_victims=reveal,
        purpose=case,
        reader=user.username,
        agency_id=user.agency_id,
    )


def _grants(
    whole: set[int], entities: dict[tuple[int, frozenset[str]], set[str]]
) -> tuple[Grant, ...]:
    """Whole datasets, then (dataset, withheld codes) -> chosen entities ("*": all of it)."""
    grants = [Grant(d) for d in sorted(whole)]
    for (dataset_id, withheld), ids in sorted(
        entities.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))
    ):
        if dataset_id not in whole:
            chosen = None if "*" in ids else frozenset(ids)
            grants.append(Grant(dataset_id, chosen, withheld))
    return tuple(grants)


def owner_holdings(
    conn,
    agency_ids: set[int],  # type: ignore[no-untyped-def]
) -> dict[int, tuple[set[int], set[tuple[int, str]]]]:
    """What each agency holds from the owners (not passed on) through its active cases."""
    if not agency_ids:
        return {}
    rows = conn.execute(
        select(
            case_agencies.c.agency_id,
            case_shares.c.dataset_id,
            case_shares.c.entity_id,
        )
        .join(cases, cases.c.id == case_agencies.c.case_id)
        .join(case_shares, case_shares.c.case_id == cases.c.id)
        .join(datasets, datasets.c.id == case_shares.c.dataset_id)
        .where(
            case_agencies.c.agency_id.in_(sorted(agency_ids)),
            cases.c.status == "active",
            case_shares.c.revoked_at.is_(None),
            case_shares.c.shared_by_agency_id == datasets.c.agency_id,
        )
    ).all()
    held: dict[int, tuple[set[int], set[tuple[int, str]]]] = {}
    for r in rows:
        whole, entities = held.setdefault(r.agency_id, (set(), set()))
        if r.entity_id is None:
            whole.add(r.dataset_id)
        else:
            entities.add((r.dataset_id, r.entity_id))
    return held


def case_scope(store: Store, reference: str) -> Scope:
    """The material of one case, as the local administrator analyses it: the owning
    agency's datasets and everything shared into the case (passed-on shares without H2)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(cases).where(cases.c.reference == reference)).first()
        if row is None:
            raise NotFound(f"no case {reference!r}")
        owner = conn.execute(
            select(datasets.c.id).where(datasets.c.agency_id == row.owner_agency_id)
        ).scalars()
        whole = set(owner)
        shares = conn.execute(
            select(case_shares, datasets.c.agency_id.label("owner_id"))
            .join(datasets, datasets.c.id == case_shares.c.dataset_id)
            .where(case_shares.c.case_id == row.id, case_shares.c.revoked_at.is_(None))
        ).all()
    entities: dict[tuple[int, frozenset[str]], set[str]] = defaultdict(set)
    for s in shares:
        withheld = frozenset({"H2"}) if s.shared_by_agency_id != s.owner_id else frozenset()
        if s.entity_id is None and not withheld:
            whole.add(s.dataset_id)
        elif s.entity_id is not None:
            entities[(s.dataset_id, withheld)].add(s.entity_id)
    return Scope(grants=_grants(whole, entities), purpose=reference)
