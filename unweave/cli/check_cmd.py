"""``unweave ingest --check``: progress over every file of a manifest, then a summary."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from unweave.cli.common import console, err_console
from unweave.cli.progress import Progress
from unweave.errors import ConfigError
from unweave.ingest.check import CheckReport, check_manifest, plan
from unweave.ingest.manifest import is_manifest


def check_paths(paths: list[Path], jobs: int, common: dict[str, object]) -> None:
    """Check each manifest; exit status 1 if any row or file would be refused."""
    reports: list[CheckReport] = []
    began = time.perf_counter()
    peak = 0
    for path in paths:
        if not is_manifest(path):
            raise ConfigError(
                f"{path}: --check reads a manifest", hint="list the files in a manifest.yaml"
            )
        items = list(plan(path, **common))
        total = sum(p.stat().st_size for p, _, _ in items if p.exists())
        with Progress(
            TextColumn("[bold]check {task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err_console,
        ) as bar:
            ticker = _Ticker(bar, bar.add_task(path.name, total=total or None))
            found, largest = check_manifest(
                path, jobs=jobs, progress=ticker.tick, done=ticker.done, **common
            )
            bar.update(ticker.task, completed=total)
        reports += found
        peak = max(peak, largest)
    print_check(reports, time.perf_counter() - began, peak)
    if any(r.status != "ok" for r in reports):
        raise typer.Exit(1)


class _Ticker:
    """Bytes done over all files on one bar; a line for each file as it is finished."""

    def __init__(self, bar: Progress, task: TaskID) -> None:
        self.bar, self.task = bar, task
        self.positions: dict[int, int] = {}

    def tick(self, index: int, position: int) -> None:
        self.positions[index] = position
        self.bar.update(self.task, completed=sum(self.positions.values()))

    def done(self, index: int, r: CheckReport) -> None:
        self.positions[index] = r.size
        self.bar.update(self.task, completed=sum(self.positions.values()))
        self.bar.console.print(
            f"{r.file}: {r.status}, {r.rows:,} rows, {r.statements:,} statements, "
            f"{r.rejected:,} rejected ({time.strftime('%H:%M:%S')})"
        )


def print_check(reports: list[CheckReport], seconds: float, peak: int) -> None:
    table = Table("file", "dataset", "format", "status", "rows", "rejected", "statements")
    for r in reports:
        table.add_row(
            Path(r.file).name,
            r.dataset,
            r.format,
            r.status,
            f"{r.rows:,}",
            f"{r.rejected:,}",
            f"{r.statements:,}",
        )
    rows = sum(r.rows for r in reports)
    rejected = sum(r.rejected for r in reports)
    stmts = sum(r.statements for r in reports)
    table.add_row("total", "", "", "", f"{rows:,}", f"{rejected:,}", f"{stmts:,}")
    console.print(table)
    reasons: Counter[str] = Counter()
    for r in reports:
        reasons.update(r.reasons)
    if reasons:
        why = Table("rejected because", "rows")
        for text, count in reasons.most_common():
            why.add_row(text, f"{count:,}")
        console.print(why)
    for r in reports:
        for problem in r.errors[:10]:
            err_console.print(f"[red]error[/] {problem}")
    refused = sum(1 for r in reports if r.status in ("refused", "failed"))
    warnings = sum(r.warnings for r in reports)
    console.print(
        f"checked {len(reports)} files: {rows:,} rows, {stmts:,} statements, "
        f"{rejected:,} rows rejected, {refused} files refused, {warnings:,} warnings; "
        f"{seconds:,.0f} s, peak memory {peak / 2**20:,.0f} MB; nothing was written"
    )
