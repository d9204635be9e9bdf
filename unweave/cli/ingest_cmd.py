"""`unweave ingest`: files or a manifest into the store, with progress and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from unweave.cli.check_cmd import check_paths
from unweave.cli.common import DbOption, console, err_console
from unweave.cli.progress import Progress
from unweave.errors import ConfigError
from unweave.ingest.manifest import ingest_manifest, is_manifest
from unweave.ingest.runner import IngestOptions, IngestReport, ingest_file
from unweave.store.db import Store, open_store


def _run(store: Store, path: Path, opts: IngestOptions) -> IngestReport:
    size = path.stat().st_size if path.exists() else 0
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(path.name, total=size or None)
        report = ingest_file(
            store, path, opts, progress=lambda done: progress.update(task, completed=done)
        )
    return report


def print_reports(reports: list[IngestReport]) -> None:
    table = Table(
        "file", "dataset", "format", "status", "rows", "rejected", "new", "known", "warnings"
    )
    for r in reports:
        table.add_row(
            Path(r.file).name,
            r.dataset,
            r.format,
            r.status,
            str(r.rows_read),
            str(r.rows_rejected),
            str(r.statements_new),
            str(r.statements_seen),
            str(r.warning_count),
        )
    console.print(table)
    for r in reports:
        for warning in r.warnings[:10]:
            err_console.print(f"[yellow]warning[/] {warning}")
        if r.warning_count > 10:
            err_console.print(f"[yellow]... {r.warning_count - 10} more warnings in {r.file}[/]")
        if r.report_file:
            err_console.print(f"rejected rows of {r.file} written to {r.report_file}")


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files to load, or a manifest.yaml")],
    dataset: Annotated[str | None, typer.Option(help="Dataset the files belong to")] = None,
    agency: Annotated[
        str | None, typer.Option(help="Owning agency; creates the dataset when missing")
    ] = None,
    handling: Annotated[
        str | None, typer.Option(help="Handling code H0..H3 for these files")
    ] = None,
    conditions: Annotated[str | None, typer.Option(help="Conditions text for H3")] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help="ftm, mapped, calls, transactions, travel, ads (default: detected)"
        ),
    ] = None,
    mapping: Annotated[Path | None, typer.Option(help="FtM mapping file for CSV/XLSX")] = None,
    encoding: Annotated[str, typer.Option(help="Text encoding of the files")] = "utf-8",
    skip_invalid: Annotated[
        bool, typer.Option(help="Load the valid rows; write the rejected ones to a report")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Where --skip-invalid writes rejected rows")
    ] = None,
    max_size: Annotated[int | None, typer.Option(help="Largest file accepted, in bytes")] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Read and validate every row of a manifest; write nothing"),
    ] = False,
    jobs: Annotated[int, typer.Option(help="With --check: files checked at once")] = 1,
    db: DbOption = None,
) -> None:
    """Load agency files into the store; each fact keeps its source, row and handling code."""
    common: dict[str, object] = {"skip_invalid": skip_invalid}
    if max_size is not None:
        common["max_size"] = max_size
    if check:
        check_paths(paths, jobs, common)
        return
    store = open_store(db)
    reports: list[IngestReport] = []
    for path in paths:
        if is_manifest(path):
            reports += ingest_manifest(store, path, run=_run, **common)
            continue
        if dataset is None:
            raise ConfigError("which dataset?", hint="pass --dataset NAME (and --agency CODE)")
        opts = IngestOptions(
            dataset=dataset,
            agency=agency,
            handling=handling,
            conditions=conditions,
            format=format,
            mapping=mapping,
            encoding=encoding,
            report=report,
            **common,  # type: ignore[arg-type]
        )
        reports.append(_run(store, path, opts))
    print_reports(reports)
