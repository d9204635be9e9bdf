"""`unweave victims`: the victim key, and what is protected (counts only, never a value)."""

from __future__ import annotations

import typer
from rich.table import Table
from sqlalchemy import func, select

from unweave.cli.common import DbOption, console, store_from
from unweave.settings import current_user
from unweave.store import audit
from unweave.store.protect import compact, protect_store
from unweave.store.rekey import key_ids, rotate
from unweave.store.tables import victims
from unweave.store.vault import keyring, new_secret

victims_app = typer.Typer(
    help="Victim protection: keys and protected records.", no_args_is_help=True
)


@victims_app.command("keygen")
def keygen() -> None:
    """Print a new random key (base64): put it in UNWEAVE_VICTIM_KEY or the key file."""
    print(new_secret())


@victims_app.command("status")
def status(db: DbOption = None) -> None:
    """How many records are protected, on what basis, and under which keys."""
    store = store_from(db)
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(victims.c.basis, func.count())
            .group_by(victims.c.basis)
            .order_by(victims.c.basis)
        ).all()
    table = Table("protected records", "count")
    for basis, count in rows:
        table.add_row(basis, str(count))
    console.print(table)
    ring = keyring()
    current = ring.current.id if ring else None
    for kid, count in sorted(key_ids(store).items()):
        mark = " (current key)" if kid == current else ""
        console.print(f"key {kid}{mark}: {count} statements")
    if ring is None:
        console.print("no victim key configured in this environment")


@victims_app.command("protect")
def protect(db: DbOption = None) -> None:
    """Seal whatever should be protected and is not yet (ingest and resolve do it too)."""
    store = store_from(db)
    with store.engine.begin() as conn:
        sealed = protect_store(conn)
        audit.append(conn, current_user(), "victims", {"protected": sealed})
    if sealed:
        compact(store)
    console.print(f"{sealed} statements sealed")


@victims_app.command("rotate")
def rotate_keys(db: DbOption = None) -> None:
    """Re-encrypt everything sealed under an older key with the current one."""
    done = rotate(store_from(db), current_user())
    console.print(f"{done} statements re-encrypted with the current key")
