"""`unweave network metrics|communities|disrupt --edges FILE`: the measures on outside data.

Mounted by the main command line as `unweave network`; `python -m unweave.analyze` runs it
alone. Results are CSV on standard output, or in the file given with `-o`.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from unweave.analyze import cells, disrupt, table
from unweave.errors import ConfigError
from unweave.graph.network import Network
from unweave.graph.readers import read_network

app = typer.Typer(
    help="Network measures on an edge list (CSV), GraphML or GEXF file.",
    no_args_is_help=True,
)

EDGES = typer.Option(
    ..., "--edges", help="CSV edge list (source,target[,weight]), .graphml or .gexf"
)
OUT = typer.Option(None, "-o", "--out", help="write the CSV here instead of standard output")
DIRECTED = typer.Option(
    None,
    "--directed/--undirected",
    help="direction of the ties (default: undirected for CSV, as the file says for GraphML/GEXF)",
)
WEIGHTED = typer.Option(True, "--weighted/--unweighted", help="use the weight column")


def _load(edges: Path, directed: bool | None) -> Network:
    net = read_network(edges, directed=directed)
    return net.simple(combine="sum")


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@app.command()
def metrics(
    edges: Path = EDGES,
    out: Path | None = OUT,
    directed: bool | None = DIRECTED,
    weighted: bool = WEIGHTED,
    sample: int | None = typer.Option(
        None, "--sample", help="estimate betweenness from this many sampled sources"
    ),
    groups: str | None = typer.Option(
        None, "--groups", help="node attribute (GraphML/GEXF) for brokerage roles, e.g. country"
    ),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Centralities per node: who holds the network together."""
    net = _load(edges, directed)
    rows = table.metrics_rows(net, weighted=weighted, sample=sample, seed=seed, groups=groups)
    _emit(table.to_csv(rows), out)


@app.command()
def communities(
    edges: Path = EDGES,
    out: Path | None = OUT,
    directed: bool | None = DIRECTED,
    weighted: bool = WEIGHTED,
    resolution: float = typer.Option(1.0, "--resolution", help="higher = more, smaller cells"),
    seed: int = typer.Option(0, "--seed"),
    summary: bool = typer.Option(False, "--summary", help="one row per cell instead of per node"),
) -> None:
    """Leiden cells: node,cell per node, or a per-cell summary."""
    net = _load(edges, directed)
    membership = cells.leiden(net, resolution=resolution, seed=seed, weighted=weighted)
    if summary:
        rows = [asdict(c) for c in cells.summarise(net, membership)]
        _emit(table.to_csv(rows), out)
    else:
        rows = [{"id": i, "cell": c} for i, c in zip(net.ids, membership, strict=True)]
        _emit(table.to_csv(rows), out)


@app.command("disrupt")
def disrupt_command(
    edges: Path = EDGES,
    out: Path | None = OUT,
    directed: bool | None = DIRECTED,
    strategy: str = typer.Option(
        "degree", "--strategy", help="degree | betweenness | collective_influence | katz | random"
    ),
    mode: str = typer.Option("sequential", "--mode", help="sequential | block"),
    block_size: int = typer.Option(5, "--block-size", help="nodes removed per block"),
    steps: int | None = typer.Option(None, "--steps", help="number of steps (default: all)"),
    weighted: bool = typer.Option(
        False,
        "--weighted/--unweighted",
        help="degree = strength; betweenness paths of length 1/weight",
    ),
    recompute: bool = typer.Option(
        True, "--recompute/--no-recompute", help="re-rank after each step"
    ),
    seed: int = typer.Option(0, "--seed", help="for --strategy random"),
    nodes: bool = typer.Option(False, "--nodes", help="add the removed node ids as a column"),
) -> None:
    """Remove key players step by step; print removed,lcc_fraction."""
    if mode not in ("sequential", "block"):
        raise ConfigError(f"unknown mode '{mode}'", hint="use sequential or block")
    if strategy not in disrupt.STRATEGIES:
        raise ConfigError(
            f"unknown strategy '{strategy}'", hint="use one of " + ", ".join(disrupt.STRATEGIES)
        )
    net = _load(edges, directed)
    rows = disrupt.simulate(
        net,
        strategy,
        mode="block" if mode == "block" else "sequential",
        block_size=block_size,
        steps=steps,
        recompute=recompute,
        weighted=weighted,
        distance=True,  # a tie with more calls is a shorter path (1/weight)
        seed=seed,
    )
    header = ["removed", "lcc_fraction"] + (["nodes"] if nodes else [])
    _emit(table.to_csv([asdict(r) for r in rows], header=header), out)


@app.command()
def report(
    edges: Path = EDGES,
    out: Path = typer.Option(..., "-o", "--out", help="folder for index.html and the CSV"),
    directed: bool | None = DIRECTED,
    title: str = typer.Option("Network analysis", "--title"),
) -> None:
    """HTML report (charts work offline) with metrics.csv, cells.csv, disruption.csv."""
    from unweave.analyze.report import write_report

    path = write_report(_load(edges, directed), out, title=title)
    typer.echo(str(path))


def main() -> None:
    """Run the sub-app alone, turning Unweave errors into one-line messages."""
    from unweave.errors import UnweaveError

    try:
        app()  # standalone: usage errors print Typer's message and exit 2
    except UnweaveError as exc:
        hint = f" (hint: {exc.hint})" if exc.hint else ""
        typer.echo(f"error: {exc}{hint}", err=True)
        raise SystemExit(1) from exc
