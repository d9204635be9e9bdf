"""What every command shares: the store option, the console, and error reporting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer
from rich.console import Console

from unweave.access.identity import User, get_user, token_user
from unweave.access.scopes import case_scope, scope_for
from unweave.errors import ConfigError
from unweave.settings import current_user
from unweave.store.db import Store, open_store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope

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


AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this user: their agency's data and what their cases share with them "
        "(the local administrator acting for them; over the API, use a token)",
        show_default=False,
    ),
]
TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="UNWEAVE_TOKEN",
        help="Act as the user of this API token (default: UNWEAVE_TOKEN)",
        show_default=False,
    ),
]
CaseOption = Annotated[
    str | None,
    typer.Option(
        "--case",
        help="Work for this case: only its shared material counts, and the audit trail "
        "records the case as the purpose",
        show_default=False,
    ),
]


@dataclass(frozen=True)
class Reader:
    """Who reads, and what they may see: a user's scope, or the local administrator's."""

    view: StoreView
    name: str  # recorded in the audit trail
    user: User | None

    @property
    def store(self) -> Store:
        return self.view.store

    @property
    def case(self) -> str | None:
        return self.view.scope.purpose


def acting_user(store: Store, as_user: str | None, token: str | None) -> User | None:
    if token:
        return token_user(store, token)
    if as_user:
        return get_user(store, as_user)
    return None


def reader_from(
    db: str | None,
    as_user: str | None = None,
    token: str | None = None,
    case: str | None = None,
    judicial: bool = False,
) -> Reader:
    """The reader of a command: a user (by token or --as) within their scope, or the local
    administrator with every dataset (or one case's material, with --case)."""
    store = store_from(db)
    user = acting_user(store, as_user, token)
    if user is not None:
        scope = scope_for(store, user, case=case, judicial=judicial)
        return Reader(StoreView(store, scope), user.username, user)
    if judicial:
        raise ConfigError("--judicial needs a user (--as or --token): whose consent counts?")
    scope = case_scope(store, case) if case else Scope.everything()
    return Reader(StoreView(store, scope), current_user(), None)
