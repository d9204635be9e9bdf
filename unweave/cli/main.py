"""Entry point of the `unweave` command. Errors become one line with a hint, exit status 1."""

from __future__ import annotations

import importlib
import sys

import typer

from unweave.cli import read_cmds, resolve_cmds
from unweave.cli.analyze_cmd import analyze
from unweave.cli.audit_cmds import audit_app
from unweave.cli.case_cmds import case_app
from unweave.cli.common import DbOption, console, err_console, store_from
from unweave.cli.demo import demo
from unweave.cli.identity_cmds import token_app, user_app
from unweave.cli.ingest_cmd import ingest
from unweave.cli.registry_cmds import agency_app, dataset_app
from unweave.cli.retention_cmds import retention_app
from unweave.cli.serve_cmd import serve
from unweave.cli.victims_cmds import victims_app
from unweave.errors import IngestRejected, UnweaveError

app = typer.Typer(
    name="unweave",
    help="Joint investigation of human-trafficking networks across agencies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command()
def init(db: DbOption = None) -> None:
    """Create the store (or bring its schema up to date)."""
    store = store_from(db)
    console.print(f"store ready at {store.url} (schema {store.current_revision()})")


app.add_typer(agency_app, name="agency")
app.add_typer(audit_app, name="audit")
app.add_typer(case_app, name="case")
app.add_typer(retention_app, name="retention")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(dataset_app, name="dataset")
app.add_typer(victims_app, name="victims")
app.command()(ingest)
app.add_typer(read_cmds.entity_app, name="entity")
app.command()(read_cmds.search)
app.command()(read_cmds.export)
app.command()(read_cmds.stats)
app.command()(read_cmds.runs)
app.command()(resolve_cmds.resolve)
app.command()(resolve_cmds.review)
app.command()(resolve_cmds.judge)
app.command()(resolve_cmds.explain)
app.command()(analyze)
app.command()(demo)
app.command()(serve)

# Stages whose command groups live beside their code; mounted when present.
SUB_APPS = {
    "scenario": "unweave.scenario.cli",
    "network": "unweave.analyze.cli",
    "linkage": "unweave.linkage.cli",
}
for name, module in SUB_APPS.items():
    try:
        app.add_typer(importlib.import_module(module).app, name=name)
    except ModuleNotFoundError as exc:
        if not (exc.name and module.startswith(exc.name)):
            raise


def main() -> None:
    try:
        # Outside standalone mode, click returns a typer.Exit's code instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except UnweaveError as exc:
        if isinstance(exc, IngestRejected):
            err_console.print(f"[red]error:[/] {exc.message}", highlight=False)
        else:
            err_console.print(f"[red]error:[/] {exc}", highlight=False)
        if exc.hint:
            err_console.print(f"[dim]hint: {exc.hint}[/]", highlight=False)
        sys.exit(1)
    except (typer.Exit, typer.Abort) as exc:
        sys.exit(getattr(exc, "exit_code", 1))
    except Exception as exc:
        # Usage errors (Typer's click) arrive here in non-standalone mode.
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):
            show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
