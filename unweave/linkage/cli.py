"""``unweave linkage``: encode an index, match two, map references back, serve a node."""

from __future__ import annotations

import csv
from pathlib import Path

import typer

from unweave.cli.common import DbOption, console, store_from
from unweave.linkage import indexfile
from unweave.linkage.exchange import local_match
from unweave.linkage.keys import load_key
from unweave.linkage.match import THRESHOLD
from unweave.linkage.refs import build_index, write_refs
from unweave.settings import current_user

app = typer.Typer(
    help="Hit/no-hit between agencies without exposing personal data.", no_args_is_help=True
)

KeyFile = typer.Option(
    None, "--key-file", help="File holding the partnership's secret (else UNWEAVE_LINKAGE_KEY)"
)


@app.callback()
def main() -> None:
    """Hit/no-hit between agencies without exposing personal data."""


@app.command()
def encode(
    dataset: list[str] = typer.Option(
        ..., "--dataset", help="Dataset to index (repeatable, one agency)"
    ),
    out: Path = typer.Option(..., "-o", "--out", help="Index file to write"),
    contact: str = typer.Option(None, "--contact", help="Who partners call about a hit"),
    key_file: Path = KeyFile,
    db: DbOption = None,
) -> None:
    """Build a signed index of the datasets' persons, phones, documents and accounts."""
    key = load_key(key_file)
    index = build_index(store_from(db), dataset, key, current_user(), contact)
    indexfile.write(index, key, out)
    console.print(f"index {index.header['index_id']}: {len(index)} entries written to {out}")


@app.command()
def match(
    file_a: Path = typer.Argument(..., help="Index file"),
    file_b: Path = typer.Argument(..., help="Index file"),
    out: Path = typer.Option(..., "-o", "--out", help="CSV of hits: ref_a,ref_b,score"),
    threshold: float = typer.Option(THRESHOLD, "--threshold", help="Lowest score that is a hit"),
    key_file: Path = KeyFile,
    db: DbOption = None,
) -> None:
    """Match two indexes; the owners (if on this node) are notified of every hit."""
    key = load_key(key_file)
    a, b = indexfile.read(file_a, key), indexfile.read(file_b, key)
    triples = local_match(store_from(db), a, b, current_user(), threshold)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ref_a", "ref_b", "score"])
        writer.writerows((ra, rb, f"{s:.4f}") for ra, rb, s in triples)
    console.print(f"{len(triples)} hit(s) written to {out}")


@app.command()
def refs(
    out: Path = typer.Option(..., "-o", "--out", help="CSV: ref,entity_id"),
    index: Path = typer.Option(None, "--index", help="Only this index file's references"),
    key_file: Path = KeyFile,
    db: DbOption = None,
) -> None:
    """Map this node's own references back to its entities (for the owner alone)."""
    index_id = None
    if index is not None:
        index_id = indexfile.read(index, load_key(key_file)).header["index_id"]
    count = write_refs(store_from(db), out, current_user(), index_id)
    console.print(f"{count} reference(s) written to {out}")


@app.command()
def serve(
    index: Path = typer.Option(..., "--index", help="This node's own index file"),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8700, "--port"),
    key_file: Path = KeyFile,
    db: DbOption = None,
) -> None:
    """Serve the node API (exchange of indexes and queries with partner nodes)."""
    import uvicorn

    from unweave.linkage.node import create_app

    key = load_key(key_file)
    app_ = create_app(store_from(db), key, indexfile.read(index, key))
    uvicorn.run(app_, host=host, port=port, log_level="warning")
