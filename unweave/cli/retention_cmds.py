"""`unweave retention` and legal holds."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from unweave.cli.common import DbOption, console, store_from
from unweave.retention import apply as apply_retention
from unweave.retention import set_hold
from unweave.settings import current_user

retention_app = typer.Typer(help="Retention of datasets and legal holds.", no_args_is_help=True)


@retention_app.command("apply")
def apply(
    today: Annotated[str | None, typer.Option(help="Date to apply as today (YYYY-MM-DD)")] = None,
    dry_run: Annotated[bool, typer.Option(help="Only say what would be purged")] = False,
    db: DbOption = None,
) -> None:
    """Purge the datasets past their retention date, unless under a legal hold."""
    when = date.fromisoformat(today) if today else date.today()
    purges, held = apply_retention(store_from(db), when, current_user(), dry_run)
    for p in purges:
        verb = "would purge" if dry_run else "purged"
        console.print(
            f"{verb} {p.dataset} (retention until {p.retention_until}): {p.statements} "
            f"statements, {p.entities_gone} entities, {p.judgements} judgements"
        )
    for name in held:
        console.print(f"kept {name}: legal hold")
    if not purges and not held:
        console.print("nothing has passed its retention date")


@retention_app.command("hold")
def hold(
    dataset: Annotated[str, typer.Argument(help="Dataset name")],
    release: Annotated[bool, typer.Option(help="Lift the hold instead")] = False,
    db: DbOption = None,
) -> None:
    """Put a dataset under legal hold (kept past its retention date), or lift the hold."""
    set_hold(store_from(db), dataset, not release, current_user())
    console.print(f"{dataset}: legal hold {'lifted' if release else 'set'}")
