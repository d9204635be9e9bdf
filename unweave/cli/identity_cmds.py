"""`unweave user` and `unweave token`: accounts and script tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from unweave.access import identity
from unweave.cli.common import DbOption, console, store_from
from unweave.settings import current_user

user_app = typer.Typer(help="Users of an agency, with a role.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name")],
    agency: Annotated[str, typer.Option(help="Agency code")],
    role: Annotated[str, typer.Option(help=", ".join(identity.ROLES))],
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input (for scripts)")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create a user (the password is asked for, never given on the command line)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = identity.add_user(store_from(db), username, agency, role, password)
    console.print(f"user {user.username} ({user.role}, {user.agency}) added")


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """List the users."""
    table = Table("user", "agency", "role")
    for user in identity.list_users(store_from(db)):
        table.add_row(user.username, user.agency, user.role)
    console.print(table)


@user_app.command("unlock")
def user_unlock(username: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Lift a lockout after repeated failed logins."""
    identity.unlock(store_from(db), username, current_user())
    console.print(f"{username} unlocked")


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="Whose token")],
    name: Annotated[str, typer.Option(help="What the token is for")],
    days: Annotated[int, typer.Option(help="Valid for this many days")] = 90,
    db: DbOption = None,
) -> None:
    """Create a token; it is shown once and only its hash is kept."""
    console.print(identity.create_token(store_from(db), username, name, days))


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument()], db: DbOption = None) -> None:
    """Revoke a token by its number."""
    identity.revoke_token(store_from(db), token_id, current_user())
    console.print(f"token {token_id} revoked")
