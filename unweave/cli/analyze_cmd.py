"""`unweave analyze`: the analysis report of the store as an HTML page and CSV tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unweave.cli.common import AsOption, CaseOption, DbOption, TokenOption, console, reader_from
from unweave.graph.build import GraphFilter
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
    as_user: AsOption = None,
    token: TokenOption = None,
    case: CaseOption = None,
) -> None:
    """Key players, cells, money flows, structuring, routes and time, as HTML and CSV.

    With --case, only the case's material: the owning agency's data and what was shared
    into it (or, for a user, their agency's data and that case's shares)."""
    from unweave.analyze.investigation import analyse, write_report

    reader = reader_from(db, as_user, token, case)
    wanted = frozenset(t.strip() for t in types.split(",")) if types else None
    report = analyse(reader.view, GraphFilter(start, end, wanted), resolution)
    files = write_report(report, out)
    detail = {"out": str(out), "nodes": report.nodes, "start": start, "end": end}
    audit.record(reader.store, reader.name, "analyze", detail=detail, case_id=reader.case)
    console.print(
        f"{report.nodes} nodes, {report.edges} edges; {len(report.cells)} cells, "
        f"{len(report.structuring)} structuring series; wrote {files[0]} and "
        f"{len(files) - 1} tables"
    )
