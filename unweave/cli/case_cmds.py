"""`unweave case`: cases, their member agencies and users, and sharing into them.

Every command acts as a user (`--as NAME` on a local store, or `--token`), because who
manages and who shares is what the rules are about.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from unweave.access import cases
from unweave.access.identity import User
from unweave.cli.common import AsOption, DbOption, TokenOption, acting_user, console, store_from
from unweave.errors import ConfigError
from unweave.store.db import Store

case_app = typer.Typer(help="Cases and sharing between agencies.", no_args_is_help=True)

Reference = Annotated[str, typer.Argument(help="Case reference, e.g. JIT-2026-01")]


def _actor(db: str | None, as_user: str | None, token: str | None) -> tuple[Store, User]:
    store = store_from(db)
    user = acting_user(store, as_user, token)
    if user is None:
        raise ConfigError("say who acts", hint="pass --as USER or --token (UNWEAVE_TOKEN)")
    return store, user


def _print(case: cases.Case) -> None:
    console.print(
        f"[bold]{case.reference}[/] {case.title} (owner {case.owner}, {case.status}); "
        f"agencies: {', '.join(case.agencies)}; members: {', '.join(case.members)}",
        highlight=False,
    )


@case_app.command("create")
def case_create(
    reference: Reference,
    title: Annotated[str, typer.Option(help="What the case is about")],
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Open a case owned by your agency (coordinators)."""
    store, user = _actor(db, as_user, token)
    _print(cases.create_case(store, reference, title, user))


@case_app.command("list")
def case_list(db: DbOption = None, as_user: AsOption = None, token: TokenOption = None) -> None:
    """The cases you belong to (coordinators: every case of your agency)."""
    store, user = _actor(db, as_user, token)
    table = Table("case", "title", "owner", "status", "agencies", "members")
    for c in cases.list_cases(store, user):
        table.add_row(
            c.reference, c.title, c.owner, c.status, ", ".join(c.agencies), str(len(c.members))
        )
    console.print(table)


@case_app.command("show")
def case_show(
    reference: Reference,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """A case, its members, and what was shared into it."""
    store, user = _actor(db, as_user, token)
    _print(cases.get_case(store, reference, user))
    table = Table(
        "share", "dataset", "owner", "entity", "shared by", "judicial", "since", "status"
    )
    for s in cases.list_shares(store, reference, user):
        status = f"withdrawn {str(s.revoked_at)[:10]}" if s.revoked_at else "active"
        if s.passed_on:
            status += ", passed on (no H2)"
        table.add_row(
            str(s.id),
            s.dataset,
            s.owner,
            s.entity_id or "(whole dataset)",
            f"{s.shared_by} ({s.shared_by_agency})",
            "yes" if s.judicial_consent else "no",
            str(s.created_at)[:10],
            status,
        )
    console.print(table)


@case_app.command("add-agency")
def case_add_agency(
    reference: Reference,
    agency: Annotated[str, typer.Argument(help="Agency code")],
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Make a partner agency a member (the owning agency's coordinators)."""
    store, user = _actor(db, as_user, token)
    _print(cases.add_agency(store, reference, agency, user))


@case_app.command("add-member")
def case_add_member(
    reference: Reference,
    username: Annotated[str, typer.Argument(help="A user of your agency")],
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Add one of your agency's users to a case your agency is a member of."""
    store, user = _actor(db, as_user, token)
    _print(cases.add_member(store, reference, username, user))


@case_app.command("remove-member")
def case_remove_member(
    reference: Reference,
    username: Annotated[str, typer.Argument()],
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Take a user off a case."""
    store, user = _actor(db, as_user, token)
    _print(cases.remove_member(store, reference, username, user))


@case_app.command("share")
def case_share(
    reference: Reference,
    dataset: Annotated[
        str | None, typer.Option(help="Share this whole dataset of your agency")
    ] = None,
    entity: Annotated[
        list[str] | None, typer.Option(help="Share this entity (repeat for several)")
    ] = None,
    judicial_consent: Annotated[
        bool, typer.Option(help="Consent to judicial use of your H1 facts shared here")
    ] = False,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Share a dataset, or chosen entities, into a case."""
    store, user = _actor(db, as_user, token)
    if bool(dataset) == bool(entity):
        raise ConfigError("share either --dataset NAME or --entity ID (repeatable)")
    if dataset:
        share = cases.share_dataset(store, reference, dataset, user, judicial_consent)
        console.print(f"share {share.id}: dataset {share.dataset} into {reference}")
        return
    shares = cases.share_entities(store, reference, entity or [], user, judicial_consent)
    withheld = sum(cases.count_withheld(store, s) for s in shares)
    console.print(f"{len(shares)} record(s) shared into {reference}")
    if withheld:
        console.print(f"{withheld} H2 fact(s) withheld: not to be passed on without consent")


@case_app.command("revoke")
def case_revoke(
    reference: Reference,
    share_id: Annotated[int, typer.Argument(help="Share number (see `case show`)")],
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Withdraw a share of your agency (kept on record as withdrawn)."""
    store, user = _actor(db, as_user, token)
    share = cases.revoke_share(store, reference, share_id, user)
    console.print(f"share {share.id} withdrawn")


@case_app.command("close")
def case_close(
    reference: Reference,
    reopen: Annotated[bool, typer.Option(help="Reopen instead")] = False,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Close a case: its shares open nothing any more (the owning agency)."""
    store, user = _actor(db, as_user, token)
    _print(cases.set_status(store, reference, "active" if reopen else "closed", user))
