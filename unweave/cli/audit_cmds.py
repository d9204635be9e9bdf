"""`unweave audit`: the data-protection officer's view of the audit trail."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from unweave.cli.common import DbOption, console, err_console, store_from
from unweave.store import audit

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    expect_seq: Annotated[
        int | None, typer.Option(help="Sequence of the head noted earlier (from `audit head`)")
    ] = None,
    expect_hash: Annotated[str | None, typer.Option(help="Hash of that head")] = None,
    db: DbOption = None,
) -> None:
    """Check the hash chain; name every entry altered, deleted, inserted or moved."""
    store = store_from(db)
    findings = audit.verify(store, expect_seq, expect_hash)
    seq, digest = audit.head(store)
    if not findings:
        console.print(f"audit trail intact: {seq} entries, head {digest}")
        return
    for finding in findings:
        err_console.print(f"[red]{finding}[/]")
    raise typer.Exit(1)


@audit_app.command("head")
def head(db: DbOption = None) -> None:
    """The newest entry's sequence and hash: note them to detect a cut-off trail later."""
    seq, digest = audit.head(store_from(db))
    console.print(f"{seq} {digest}")


@audit_app.command("query")
def query(
    user: Annotated[str | None, typer.Option(help="Only this user")] = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity")] = None,
    case: Annotated[str | None, typer.Option(help="Only accesses made for this case")] = None,
    action: Annotated[str | None, typer.Option(help=f"One of {', '.join(audit.ACTIONS)}")] = None,
    limit: Annotated[int, typer.Option(help="Most recent N")] = 100,
    db: DbOption = None,
) -> None:
    """Who saw or changed what, when, and for which case."""
    rows = audit.query(store_from(db), user, entity, case, action, limit)
    table = Table("seq", "when", "user", "action", "entity", "case", "detail")
    for r in rows:
        table.add_row(
            str(r.seq), str(r.at)[:19], r.user, r.action, r.entity_id or "", r.case_id or "",
            r.detail,
        )  # fmt: skip
    console.print(table)
