"""Commands that read: entity show, search, export, stats, runs."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from unweave.cli.common import (
    AsOption,
    CaseOption,
    DbOption,
    TokenOption,
    console,
    err_console,
    reader_from,
    store_from,
)
from unweave.errors import ConfigError
from unweave.export.ftm import export_entities, export_statements
from unweave.resolve.export import write_clusters
from unweave.store import audit
from unweave.store.protect import audit_text
from unweave.store.reader import StoreView
from unweave.store.scope import Scope
from unweave.store.search import search as run_search
from unweave.store.tables import datasets, ingest_runs

entity_app = typer.Typer(help="Entities assembled from statements.", no_args_is_help=True)


def local_view(db: str | None) -> StoreView:
    """The command line works on a local store as its administrator: every dataset."""
    return StoreView(store_from(db), Scope.everything())


@entity_app.command("show")
def entity_show(
    entity_id: Annotated[str, typer.Argument(help="Entity id")],
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
    case: CaseOption = None,
) -> None:
    """Every fact of an entity, with its agency, dataset, handling code, source row and dates."""
    reader = reader_from(db, as_user, token, case)
    view = reader.view
    entity = view.entity(entity_id)
    members = view.members(entity_id)
    audit.record(view.store, reader.name, "read", entity_id=entity.id, case_id=reader.case)
    console.print(f"[bold]{entity.caption}[/]  {entity.schema.name}  {entity.id}")
    if len(members) > 1:
        console.print(f"resolved from {len(members)} records (see `unweave explain {entity.id}`)")
    table = Table(
        "property",
        "value",
        "as written",
        "agency",
        "dataset",
        "code",
        "source",
        "first seen",
        "last seen",
    )
    for fact in view.facts(members):
        if fact.prop == "id":
            continue
        code = fact.handling + (f" ({fact.conditions})" if fact.handling == "H3" else "")
        source = (
            f"{Path(fact.source_file).name}:{fact.source_row}"
            if fact.source_row
            else fact.source_file
        )
        table.add_row(
            fact.prop,
            fact.value,
            fact.original_value or "",
            fact.agency,
            fact.dataset,
            code,
            source,
            str(fact.first_seen)[:19],
            str(fact.last_seen)[:19],
        )
    console.print(table)


def search(
    text: Annotated[
        str, typer.Argument(help="A name in any script, a phone, a document, an IBAN")
    ],
    limit: Annotated[int, typer.Option(help="Most hits shown")] = 20,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
    case: CaseOption = None,
) -> None:
    """Find entities by name, phone, document number or IBAN."""
    reader = reader_from(db, as_user, token, case)
    hits = run_search(reader.view, text, limit=limit)
    query = audit_text(reader.store, text, [f.entity_id for h in hits for f in h.matched])
    audit.record(
        reader.store,
        reader.name,
        "search",
        detail={"query": query, "hits": len(hits)},
        case_id=reader.case,
    )
    if not hits:
        console.print(f"no match for {text!r}")
        return
    table = Table("entity", "schema", "caption", "matched", "datasets", "codes")
    for hit in hits:
        matched = "; ".join(sorted({f.original_value or f.value for f in hit.matched}))
        table.add_row(
            hit.entity_id, hit.schema, hit.caption, matched, ", ".join(hit.datasets), hit.codes
        )
    console.print(table)


def export(
    what: Annotated[
        str, typer.Argument(help="entities (FtM, merged by resolution) or clusters (CSV)")
    ] = "entities",
    format: Annotated[str, typer.Option("--format", help="ftm (entities) or statements")] = "ftm",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout)")
    ] = None,
    judicial: Annotated[
        bool,
        typer.Option(
            "--judicial",
            help="For judicial proceedings: leaves out other agencies' H1 and H2 facts "
            "unless their owner consented",
        ),
    ] = False,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
    case: CaseOption = None,
) -> None:
    """Export resolved entities as FtM JSON lines (with datasets and handling codes),
    their statements, or the clusters as CSV (entity_id,canonical_id)."""
    reader = reader_from(db, as_user, token, case, judicial=judicial)
    writers = {"ftm": export_entities, "statements": export_statements}
    if what not in ("entities", "clusters"):
        raise ConfigError(f"unknown export {what!r}", hint="use entities or clusters")
    if what == "entities" and format not in writers:
        raise ConfigError(f"unknown export format {format!r}", hint="use ftm or statements")
    target = output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout)
    with target as out:
        if what == "clusters":
            count = write_clusters(reader.view, out)  # type: ignore[arg-type]
            noun = "records"
        else:
            count = writers[format](reader.view, out)  # type: ignore[arg-type]
            noun = "entities" if format == "ftm" else "statements"
    detail = {
        "what": what,
        "format": format,
        "count": count,
        "file": str(output or "-"),
        "judicial": judicial,
    }
    audit.record(reader.store, reader.name, "export", detail=detail, case_id=reader.case)
    err_console.print(f"{count} {noun} exported")


def stats(
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
    case: CaseOption = None,
) -> None:
    """Counts by agency, dataset and schema (of what the reader may see)."""
    numbers = reader_from(db, as_user, token, case).view.stats()
    for title, rows in numbers.items():
        if not rows:
            continue
        table = Table(*rows[0].keys(), title=title)
        for row in rows:
            table.add_row(*(str(v) for v in row.values()))
        console.print(table)


def runs(
    db: DbOption = None, limit: Annotated[int, typer.Option(help="Most recent N")] = 50
) -> None:
    """Ingestion runs: file, content hash, counts, errors, start and end."""
    store = store_from(db)
    query = (
        select(ingest_runs, datasets.c.name.label("dataset"))
        .join(datasets, datasets.c.id == ingest_runs.c.dataset_id)
        .order_by(ingest_runs.c.id.desc())
        .limit(limit)
    )
    table = Table(
        "run",
        "dataset",
        "file",
        "format",
        "status",
        "rows",
        "rejected",
        "new",
        "known",
        "started",
        "ended",
    )
    with store.engine.connect() as conn:
        for r in conn.execute(query):
            table.add_row(
                str(r.id),
                r.dataset,
                Path(r.file).name,
                r.format,
                r.status,
                str(r.rows_read),
                str(r.rows_rejected),
                str(r.statements_new),
                str(r.statements_seen),
                str(r.started_at)[:19],
                str(r.ended_at or "")[:19],
            )
    console.print(table)
