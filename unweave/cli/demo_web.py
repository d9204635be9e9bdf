"""The web part of the demo: users of two agencies, a case sharing some data, the server.

IT-SCO opens case JIT-DEMO and shares two of its datasets (persons, travel) with GB-NCA;
its arrests, calls, subscribers and money transfers stay its own. Logged in as
gb.investigator, a newcomer finds "Osagie" from the shared persons but not her Italian
arrest record, and "Edosa" (known only from the arrests) not at all; as it.investigator,
both. The passwords are made afresh on every run and printed: for the demo only.
"""

from __future__ import annotations

import secrets

from unweave.access import cases
from unweave.access.identity import User, add_user, list_users, set_password
from unweave.cli.common import console
from unweave.resolve.run import resolve_store
from unweave.store.db import Store

CASE = "JIT-DEMO"
USERS = (
    ("it.investigator", "IT-SCO", "investigator"),
    ("it.coordinator", "IT-SCO", "coordinator"),
    ("it.dpo", "IT-SCO", "dpo"),
    ("gb.investigator", "GB-NCA", "investigator"),
    ("gb.coordinator", "GB-NCA", "coordinator"),
)
SHARED = ("it_persons", "it_travel")
SHOWN = (
    ("Osagie", "shared by IT-SCO's persons dataset; her arrest record (it_arrests) is not"),
    ("Edosa", "only in IT-SCO's arrests: it.investigator finds her, gb.investigator does not"),
    ("Mohammed", "the Arabic-script محمد, from the shared persons"),
)


def _password() -> str:
    return "demo-" + secrets.token_urlsafe(12)


def prepare(store: Store) -> dict[str, str]:
    """Resolve, create (or reset) the demo users and the case; returns their passwords."""
    summary = resolve_store(store, "duckdb", 0.95, incremental=True, user="unweave:demo")
    console.print(
        f"resolution: {summary.linked} new links, {summary.review} pairs to review"
        + (f" ({summary.note})" if summary.note else "")
    )
    existing = {u.username: u for u in list_users(store)}
    passwords: dict[str, str] = {}
    found: dict[str, User] = {}
    for name, agency, role in USERS:
        password = _password()
        if name in existing:
            set_password(store, name, password, by="unweave:demo")
            found[name] = existing[name]
        else:
            found[name] = add_user(store, name, agency, role, password)
        passwords[name] = password
    owner, partner = found["it.coordinator"], found["gb.coordinator"]
    known = {c.reference for c in cases.list_cases(store, owner)}
    if CASE not in known:
        cases.create_case(store, CASE, "Joint investigation team IT-GB (demo)", owner)
        cases.add_agency(store, CASE, "GB-NCA", owner)
        cases.add_member(store, CASE, "it.investigator", owner)
        cases.add_member(store, CASE, "gb.coordinator", partner)
        cases.add_member(store, CASE, "gb.investigator", partner)
        for dataset in SHARED:
            cases.share_dataset(store, CASE, dataset, owner)
    return passwords


def print_access(passwords: dict[str, str], address: str) -> None:
    console.rule("[bold]The web interface")
    console.print(f"Open {address} and log in as (passwords for this demo only):")
    for name, agency, role in USERS:
        console.print(f"  {name:17} {passwords[name]:24} {agency} {role}", highlight=False)
    console.print(
        f"Case {CASE}: IT-SCO shares {', '.join(SHARED)} with GB-NCA; everything else of "
        "IT-SCO stays its own. Try searching, as each user:"
    )
    for query, why in SHOWN:
        console.print(f"  {query!r:12} {why}", highlight=False)
