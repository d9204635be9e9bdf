"""``unweave scenario generate``: the command line of the scenario generator."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn

from unweave.cli.progress import Progress
from unweave.scenario.config import resolve_size
from unweave.scenario.generate import generate as run

app = typer.Typer(help="Simulated trafficking cases with ground truth.", no_args_is_help=True)
console = Console(stderr=True)


@app.callback()
def main() -> None:
    """Simulated trafficking cases with ground truth."""


@app.command()
def generate(
    seed: int = typer.Option(1, "--seed", help="Same seed, same bytes."),
    size: str = typer.Option(
        "small", "--size", help="small (300 persons), medium (3,000), large (1,000,000) or N"
    ),
    out: Path = typer.Option(..., "--out", help="Folder to write (created if missing)."),
) -> None:
    """Write a scenario: each agency's files, manifest.yaml and the truth/ folder."""
    # An UnweaveError (a bad --size) goes up to `unweave`'s main, which prints it on one
    # line with its hint and exits with status 1.
    persons = resolve_size(size).persons
    if persons >= 20000:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("background population", total=None)

            def tick(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            summary = run(seed, size, out, progress=tick)
    else:
        summary = run(seed, size, out)
    console.print(f"{summary_line(summary)} → {out}/manifest.yaml")


def summary_line(summary: dict) -> str:  # type: ignore[type-arg]
    records = ", ".join(f"{k} {v:,}" for k, v in summary["records"].items() if ":" not in k)
    return (
        f"{summary['persons']:,} persons ({summary['members']} offenders in "
        f"{summary['organisations']} organisations, {summary['victims']} victims), "
        f"{records}; {summary['files']} files in {summary['seconds']} s"
    )
