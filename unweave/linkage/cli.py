"""``unweave linkage``: encode an index, match two, map references back, serve a node;
the agency signing key and the partners' public keys."""

from __future__ import annotations

import csv
from pathlib import Path

import typer

from unweave.access.identity import User
from unweave.cli.common import AsOption, DbOption, TokenOption, acting_user, console, store_from
from unweave.linkage import indexfile, signing
from unweave.linkage.exchange import local_match
from unweave.linkage.keys import load_key
from unweave.linkage.match import THRESHOLD
from unweave.linkage.refs import build_index, write_refs
from unweave.settings import current_user
from unweave.store.db import Store

app = typer.Typer(
    help="Hit/no-hit between agencies without exposing personal data.", no_args_is_help=True
)
keys_app = typer.Typer(help="Public keys of the agencies whose indexes this node accepts.")
app.add_typer(keys_app, name="keys")

KeyFile = typer.Option(
    None, "--key-file", help="File holding the partnership's secret (else UNWEAVE_LINKAGE_KEY)"
)
SigningKeyFile = typer.Option(
    None,
    "--signing-key-file",
    help="File holding this agency's signing key (else UNWEAVE_LINKAGE_SIGNING_KEY[_FILE])",
)


def _actor(db: str | None, as_user: str | None, token: str | None) -> tuple[Store, User | None]:
    store = store_from(db)
    return store, acting_user(store, as_user, token)


def _name(user: User | None) -> str:
    return user.username if user is not None else current_user()


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
    signing_key_file: Path = SigningKeyFile,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Build an index of the datasets' persons, phones, documents and accounts, signed for
    the partnership and by this agency."""
    key, signer = load_key(key_file), signing.load_signer(signing_key_file)
    store, user = _actor(db, as_user, token)
    index = build_index(store, dataset, key, user or current_user(), contact)
    signing.require_registered(store, signer, str(index.header["agency"]))
    indexfile.write(index, key, signer, out)
    console.print(f"index {index.header['index_id']}: {len(index)} entries written to {out}")


@app.command()
def match(
    file_a: Path = typer.Argument(..., help="Index file"),
    file_b: Path = typer.Argument(..., help="Index file"),
    out: Path = typer.Option(..., "-o", "--out", help="CSV of hits: ref_a,ref_b,score"),
    threshold: float = typer.Option(THRESHOLD, "--threshold", help="Lowest score that is a hit"),
    key_file: Path = KeyFile,
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Match two indexes; the owners (if on this node) are notified of every hit."""
    key = load_key(key_file)
    store, user = _actor(db, as_user, token)
    trust = signing.trusted(store)
    a, b = indexfile.read(file_a, key, trust), indexfile.read(file_b, key, trust)
    triples = local_match(store, a, b, _name(user), threshold)
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
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Map this node's own references back to its entities (for the owner alone)."""
    store, user = _actor(db, as_user, token)
    index_id = None
    if index is not None:
        trust = signing.trusted(store)
        index_id = indexfile.read(index, load_key(key_file), trust).header["index_id"]
    count = write_refs(store, out, user or current_user(), index_id)
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
    store = store_from(db)
    app_ = create_app(store, key, index.read_bytes())
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
def keygen(
    out: Path = typer.Option(..., "-o", "--out", help="File to write the private key to"),
) -> None:
    """Make this agency's signing key: the private key to a file (mode 600), the public key
    printed, for `unweave linkage keys add` on this node and the partners'."""
    signer = signing.generate()
    if out.exists():
        raise typer.BadParameter(f"{out} exists: a signing key is never overwritten")
    out.touch(mode=0o600)
    out.write_text(signing.private_text(signer) + "\n", encoding="ascii")
    console.print(signer.public_key)


@keys_app.command("add")
def keys_add(
    agency: str = typer.Argument(..., help="Agency code (DE-BKA...)"),
    public_key: str = typer.Argument(..., help="Its public key, as `keygen` printed it"),
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Accept indexes signed with this key as the agency's."""
    store, user = _actor(db, as_user, token)
    _admin(user)
    found = signing.register(store, agency, public_key, _name(user))
    console.print(f"{found.agency}: {found.public_key} registered")


@keys_app.command("list")
def keys_list(db: DbOption = None) -> None:
    """The registered keys, with who registered them and when; revoked ones marked."""
    for k in signing.list_keys(store_from(db)):
        state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
        console.print(
            f"{k.agency}\t{k.public_key}\t{state}\t{k.registered_by} {k.registered_at:%Y-%m-%d}"
        )


@keys_app.command("revoke")
def keys_revoke(
    agency: str = typer.Argument(...),
    public_key: str = typer.Argument(...),
    db: DbOption = None,
    as_user: AsOption = None,
    token: TokenOption = None,
) -> None:
    """Stop accepting indexes signed with this key."""
    store, user = _actor(db, as_user, token)
    _admin(user)
    signing.revoke(store, agency, public_key, _name(user))
    console.print(f"{agency}: {public_key} revoked")


def _admin(user: User | None) -> None:
    from unweave.errors import Forbidden

    if user is not None and user.role not in ("coordinator", "admin"):
        raise Forbidden(f"{user.username} ({user.role}) may not register partners' keys")
