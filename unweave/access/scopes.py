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
from typing import Any, NamedTuple

from sqlalchemy import select

from unweave.access.identity import User
from unweave.errors import NotFound
from unweave.store import rawsql
from unweave.store.db import Store
from unweave.store.scope import Grant, Scope
from unweave.store.tables import case_shares, cases, datasets

# Roles that see victims' names, birth dates, documents and contacts in clear.
VICTIM_ROLES = frozenset({"victim_liaison", "investigator"})
# Roles that read no case data at all.
NO_DATA_ROLES = frozenset({"dpo"})


def scope_for(store: Store, user: User, case: str | None = None, judicial: bool = False) -> Scope:
    reveal = user.role in VICTIM_ROLES
    if user.role in NO_DATA_ROLES:
        return Scope(grants=(), reveal_victims=False, purpose=case, reader=user.username)
    # Plain SQL, read afresh for every request (store/rawsql.py): a share withdrawn, a case
    # closed or a member removed opens nothing from the next read on.
    with rawsql.cursor(store) as cur:
        own = sorted(cur.scalars("SELECT id FROM datasets WHERE agency_id = :a", a=user.agency_id))
        case_ids = dict(
            cur.all(
                "SELECT c.id, c.reference FROM cases c JOIN case_members m ON m.case_id = c.id "
                "WHERE m.user_id = :u AND c.status = 'active'",
                u=user.id,
            )
        )
        if case is not None:
            wanted = {i: ref for i, ref in case_ids.items() if ref == case}
            if not wanted:
                raise NotFound(f"no case {case!r}")  # not a member, or closed: the same
            case_ids = wanted
        rows = (
            [
                _ShareRow(*r)
                for r in cur.all(
                    "SELECT sh.case_id, sh.dataset_id, sh.entity_id, sh.shared_by_agency_id, "
                    "sh.judicial_consent, d.agency_id FROM case_shares sh "
                    "JOIN datasets d ON d.id = sh.dataset_id "
                    "WHERE sh.case_id IN :cases AND sh.revoked_at IS NULL",
                    cases=sorted(case_ids),
                )
            ]
            if case_ids
            else []
        )
        holdings = _holdings(cur, {r.shared_by_agency_id for r in rows if r.passed_on})
    whole: set[int] = set(own)
    entities: dict[tuple[int, frozenset[str]], set[str]] = defaultdict(set)
    own_set = set(own)
    for r in rows:
        if r.dataset_id in own_set:
            continue
        withheld: set[str] = set()
        passed_on = r.passed_on
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


class _ShareRow(NamedTuple):
    case_id: int
    dataset_id: int
    entity_id: str | None
    shared_by_agency_id: int
    judicial_consent: bool
    owner_id: int

    @property
    def passed_on(self) -> bool:
        return self.shared_by_agency_id != self.owner_id


HOLDINGS = (
    "SELECT ca.agency_id, sh.dataset_id, sh.entity_id FROM case_agencies ca "
    "JOIN cases c ON c.id = ca.case_id JOIN case_shares sh ON sh.case_id = c.id "
    "JOIN datasets d ON d.id = sh.dataset_id "
    "WHERE ca.agency_id IN :agencies AND c.status = 'active' AND sh.revoked_at IS NULL "
    "AND sh.shared_by_agency_id = d.agency_id"
)


def _holdings(
    cur: rawsql.Cursor, agency_ids: set[int]
) -> dict[int, tuple[set[int], set[tuple[int, str]]]]:
    """owner_holdings, on a plain cursor (the same statement, the same answer)."""
    if not agency_ids:
        return {}
    return _held(cur.all(HOLDINGS, agencies=sorted(agency_ids)))


def _held(rows: Any) -> dict[int, tuple[set[int], set[tuple[int, str]]]]:
    held: dict[int, tuple[set[int], set[tuple[int, str]]]] = {}
    for agency_id, dataset_id, entity_id in rows:
        whole, entities = held.setdefault(agency_id, (set(), set()))
        if entity_id is None:
            whole.add(dataset_id)
        else:
            entities.add((dataset_id, entity_id))
    return held


def owner_holdings(
    conn,
    agency_ids: set[int],  # type: ignore[no-untyped-def]
) -> dict[int, tuple[set[int], set[tuple[int, str]]]]:
    """What each agency holds from the owners (not passed on) through its active cases."""
    if not agency_ids:
        return {}
    rows = conn.exec_driver_sql(
        HOLDINGS.replace(":agencies", "(" + ", ".join(str(int(a)) for a in agency_ids) + ")")
    ).all()
    return _held(rows)


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
