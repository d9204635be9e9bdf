"""What every command shares: the store option, the console, and error reporting."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from unweave.store.db import Store, open_store

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store: a SQLite file or postgresql://... "
        "(default: UNWEAVE_DATABASE_URL, else ./unweave.db)",
        show_default=False,
    ),
]


def store_from(db: str | None) -> Store:
    return open_store(db)
