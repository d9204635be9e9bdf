"""``python -m unweave.scenario``: the scenario commands without the rest of the CLI."""

import sys

from unweave.errors import UnweaveError
from unweave.scenario.cli import app, console

try:
    app(prog_name="python -m unweave.scenario", standalone_mode=False)
except UnweaveError as exc:
    console.print(f"[red]error:[/red] {exc}" + (f"\nhint: {exc.hint}" if exc.hint else ""))
    sys.exit(1)
