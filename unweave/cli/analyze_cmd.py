"""`unweave analyze`: the analysis report of the store as an HTML page and CSV tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unweave.cli.common import DbOption, console, store_from
from unweave.cli.read_cmds import local_view
from unweave.graph.build import GraphFilter
from unweave.settings import current_user
from unweave.store import audit


def analyze(
    out: Annotated[Path, typer.Option("--out", help="Folder for report.html and the CSVs")],
    start: Annotated[str | None, typer.Option(help="Only edges from this date (ISO)")] = None,
    end: Annotated[str | None, typer.Option(help="Only edges up to this date (ISO)")] = None,
    types: Annotated[
        str | None, typer.Option(help="Only these edge types, comma-separated (call,payment)")
    ] = None,
    resolution: Annotated[
        float, typer.Option(help="Leiden resolution: higher, smaller cells")
    ] = 1.0,
    db: DbOption = None,
) -> None:
    """Key players, cells, money flows, structuring, routes and time, as HTML and CSV."""
    from unweave.analyze.investigation import analyse, write_report

    wanted = frozenset(t.strip() for t in types.split(",")) if types else None
    report = analyse(local_view(db), GraphFilter(start, end, wanted), resolution)
    files = write_report(report, out)
    detail = {"out": str(out), "nodes": report.nodes, "start": start, "end": end}
    audit.record(store_from(db), current_user(), "analyze", detail=detail)
    console.print(
        f"{report.nodes} nodes, {report.edges} edges; {len(report.cells)} cells, "
        f"{len(report.structuring)} structuring series; wrote {files[0]} and "
        f"{len(files) - 1} tables"
    )
