"""`unweave demo`: load the bundled examples and show what Unweave does with them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from unweave.cli.common import DbOption, console
from unweave.cli.ingest_cmd import _run, print_reports
from unweave.cli.read_cmds import local_view
from unweave.ingest.manifest import ingest_manifest
from unweave.scenario.cli import summary_line
from unweave.scenario.generate import generate
from unweave.settings import VICTIM_KEY, VICTIM_KEY_FILE
from unweave.store.db import Store, open_store
from unweave.store.protect import MARKER_PROP, MARKER_SCHEMA
from unweave.store.reader import StoreView
from unweave.store.scope import Scope
from unweave.store.search import search
from unweave.store.vault import new_secret

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "manifest.yaml"

# Each query shows one thing the store does: scripts, spellings, phone formats, identifiers.
SAMPLE_QUERIES = [
    ("Mohammed", "a Latin spelling finds the Arabic-script محمد"),
    ("Melnyk", "the Ukrainian spelling finds the Cyrillic Мельник"),
    ("0912345678", "a Libyan local number finds +218 91 234 5678 in every format"),
    ("DE89 3704 0044 0532 0130 00", "an IBAN written with spaces"),
    ("A07654321", "a passport number"),
]


def _load(store: Store, manifest: Path) -> None:
    console.rule(f"[bold]Loading {manifest}")
    print_reports(ingest_manifest(store, manifest, run=_run))


def _demo_key(path: Path) -> None:
    """The scenario records victims, encrypted at rest: without a key, make one for the demo."""
    if VICTIM_KEY.get() or VICTIM_KEY_FILE.get():
        return
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_secret() + "\n", encoding="ascii")
        path.chmod(0o600)
    os.environ[VICTIM_KEY_FILE.env] = str(path)
    console.print(
        f"victims' identifying fields are encrypted with the key in {path} (made for the demo); "
        f"`export {VICTIM_KEY_FILE.env}={path}` to read them afterwards"
    )


def _show_victim(view: StoreView) -> None:
    marker = next(view.iter_records([MARKER_SCHEMA]), None)
    if marker is None:
        return
    person = marker.first(MARKER_PROP)
    if person is None:
        return
    hidden = StoreView(view.store, Scope(None, reveal_victims=False))
    console.rule("[bold]A victim, protected")
    console.print(
        f"  to a victim-support liaison: {view.entity(person).caption}\n"
        f"  to an analyst: {hidden.entity(person).caption}   (docs/victims.md)",
        highlight=False,
    )


def demo(
    manifest: Annotated[Path, typer.Option(help="Manifest of the data to load")] = EXAMPLES,
    scenario_dir: Annotated[
        Path, typer.Option(help="Where the simulated scenario is written")
    ] = Path("demo/scenario"),
    seed: Annotated[int, typer.Option(help="Seed of the simulated scenario")] = 7,
    db: DbOption = None,
) -> None:
    """Load the bundled examples and a small simulated scenario, then run sample searches."""
    _demo_key(scenario_dir.parent / "victim.key")
    store = open_store(db)
    _load(store, manifest)
    # The simulated cases (issue 3): five agencies' partial, noisy views of six
    # organisations, with the truth beside them in demo/scenario/truth/.
    summary = generate(seed, "small", scenario_dir)
    console.print(f"simulated scenario (seed {seed}): {summary_line(summary)}")
    _load(store, scenario_dir / "manifest.yaml")
    view = local_view(db)
    console.rule("[bold]What the store holds")
    for row in view.stats()["datasets"]:
        console.print(
            f"  {row['agency']:8} {row['dataset']:22} {row['handling']}  "
            f"{row['entities']:4} entities  {row['statements']:5} statements"
        )
    console.rule("[bold]Sample searches")
    for query, why in SAMPLE_QUERIES:
        hits = search(view, query, limit=5)
        console.print(f"[bold cyan]unweave search {query!r}[/]  ({why})")
        for hit in hits:
            matched = ", ".join(sorted({f.original_value or f.value for f in hit.matched}))
            console.print(
                f"    {hit.schema:12} {hit.caption[:40]:40} matched: {matched}  "
                f"[dim]{', '.join(hit.datasets)}[/]",
                highlight=False,
            )
        if not hits:
            console.print("    (no match)")
    _show_victim(view)
    console.print(
        f"\nStore: {store.url}. Try `unweave entity show ENTITY_ID`, `unweave search TEXT`, "
        "`unweave stats`, `unweave export --format ftm`."
    )
