"""Commands on agencies and datasets."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from unweave.cli.common import DbOption, console, store_from
from unweave.store.registry import add_agency, add_dataset, list_agencies, list_datasets

agency_app = typer.Typer(help="Agencies that hold data.", no_args_is_help=True)
dataset_app = typer.Typer(
    help="Datasets: an agency's source, with handling code.", no_args_is_help=True
)


@agency_app.command("add")
def agency_add(
    code: Annotated[str, typer.Argument(help="Short code, e.g. IT-SCO")],
    name: Annotated[str, typer.Option(help="Full name")],
    country: Annotated[str, typer.Option(help="Country (name or ISO code)")],
    db: DbOption = None,
) -> None:
    """Register an agency."""
    agency = add_agency(store_from(db), code, name, country)
    console.print(f"agency {agency.code} ({agency.name}, {agency.country}) added")


@agency_app.command("list")
def agency_list(db: DbOption = None) -> None:
    """List the agencies."""
    table = Table("code", "name", "country")
    for agency in list_agencies(store_from(db)):
        table.add_row(agency.code, agency.name, agency.country)
    console.print(table)


@dataset_app.command("add")
def dataset_add(
    name: Annotated[str, typer.Argument(help="Dataset name, unique in the store")],
    agency: Annotated[str, typer.Option(help="Code of the owning agency")],
    handling: Annotated[str, typer.Option(help="Default handling code H0..H3")] = "H0",
    conditions: Annotated[str | None, typer.Option(help="The restriction text of H3")] = None,
    legal_basis: Annotated[str | None, typer.Option(help="Legal basis of processing")] = None,
    retention: Annotated[
        str | None, typer.Option(help="Retention date YYYY-MM-DD, after which it is purged")
    ] = None,
    db: DbOption = None,
) -> None:
    """Register a dataset of an agency."""
    until = date.fromisoformat(retention) if retention else None
    info = add_dataset(store_from(db), name, agency, handling, conditions, legal_basis, until)
    console.print(f"dataset {info.name} of {info.agency_code} ({info.handling}) added")


@dataset_app.command("list")
def dataset_list(db: DbOption = None) -> None:
    """List the datasets with their handling codes."""
    table = Table("dataset", "agency", "handling", "conditions", "legal basis", "retention")
    for ds in list_datasets(store_from(db)):
        table.add_row(
            ds.name,
            ds.agency_code,
            ds.handling,
            ds.conditions or "",
            ds.legal_basis or "",
            str(ds.retention_until or ""),
        )
    console.print(table)
