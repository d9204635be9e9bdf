"""Per-node measure tables for the command line and the Python API."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from typing import Any

from unweave.analyze import brokerage, measures
from unweave.graph.network import Network

# Above this many nodes a report estimates betweenness from SAMPLE_SOURCES sampled sources
# (exact Brandes costs a shortest-path pass from every node: minutes at 30,000 people);
# the estimate's standard error goes with it (measures.sampled_betweenness).
DEFAULT_SAMPLE_THRESHOLD = 20_000
SAMPLE_SOURCES = 1_000


def auto_sample(nodes: int) -> int | None:
    """Sources to sample for a network of this size, or None for exact betweenness."""
    return SAMPLE_SOURCES if nodes > DEFAULT_SAMPLE_THRESHOLD else None


def metrics_rows(
    net: Network,
    weighted: bool = True,
    sample: int | None = None,
    seed: int = 0,
    groups: str | None = None,
    closeness: bool = True,
) -> list[dict[str, Any]]:
    """One row per node: degrees, betweenness, closeness, eigenvector, PageRank, k-core,
    constraint, and (with `groups`, a node attribute) Gould–Fernandez brokerage counts.

    Betweenness is exact unless `sample` (number of sampled sources) is given; then the
    row also carries `betweenness_stderr`. Weighted path measures use 1/weight as length.
    `closeness=False` leaves out closeness and harmonic closeness (another pass from every
    node) where they are not shown.
    """
    ids = net.ids
    cols: dict[str, Sequence[Any]] = {"id": ids}
    if net.directed:
        cols["in_degree"] = measures.degree(net, "in")
        cols["out_degree"] = measures.degree(net, "out")
    cols["degree"] = measures.degree(net)
    if weighted:
        if net.directed:
            cols["in_strength"] = measures.degree(net, "in", weighted=True)
            cols["out_strength"] = measures.degree(net, "out", weighted=True)
        cols["strength"] = measures.degree(net, weighted=True)
    if sample:
        est = measures.sampled_betweenness(
            net, sample, seed=seed, weighted=weighted, distance=True
        )
        cols["betweenness"] = est.values
        cols["betweenness_stderr"] = est.stderr
    else:
        cols["betweenness"] = measures.betweenness(net, weighted=weighted, distance=True)
    if closeness:
        cols["closeness"] = measures.closeness(net, weighted=weighted)
        cols["harmonic"] = measures.closeness(net, weighted=weighted, harmonic=True)
    cols["eigenvector"] = measures.eigenvector(net, weighted=weighted)
    cols["pagerank"] = measures.pagerank(net, weighted=weighted)
    cols["coreness"] = measures.coreness(net)
    cols["constraint"] = measures.constraint(net, weighted=weighted)
    rows = [{k: v[i] for k, v in cols.items()} for i in range(len(net))]
    if groups:
        labels = net.g.vs[groups] if groups in net.g.vs.attributes() else [None] * len(net)
        for row, counts in zip(rows, brokerage.brokerage(net, labels), strict=True):
            row.update(counts)
    return rows


def html_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """An HTML table of the rows, every value escaped (a name may hold markup)."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(_fmt(r.get(c, ''))))}</td>" for c in columns)
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_csv(rows: Sequence[dict[str, Any]], header: Sequence[str] | None = None) -> str:
    out = io.StringIO()
    fields = list(header or (rows[0].keys() if rows else []))
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _fmt(v) for k, v in row.items()})
    return out.getvalue()


def _fmt(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}:{v}" for k, v in value.items())
    return value
