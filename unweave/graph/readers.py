"""Readers for networks from elsewhere: CSV edge lists, GraphML and GEXF.

`read_network(path)` picks the reader from the extension. Every problem is raised as
`InvalidInput` naming the file, the row (line) and the field.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from unweave.errors import InvalidInput
from unweave.graph import _igraph
from unweave.graph.gexf import read_gexf
from unweave.graph.network import Network, NetworkBuilder

SOURCE_NAMES = ("source", "from", "src", "node1", "caller", "sender", "origin")
TARGET_NAMES = ("target", "to", "dst", "node2", "callee", "receiver", "destination")
WEIGHT_NAMES = ("weight", "value", "count", "amount", "calls", "w")


def read_network(path: str | Path, directed: bool | None = None) -> Network:
    """Read CSV/TSV/TXT edge lists, GraphML or GEXF, chosen by the file extension."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(str(path), "file not found")
    ext = path.suffix.lower()
    if ext in (".csv", ".tsv", ".txt", ".edges", ".edgelist"):
        return read_csv(path, directed=bool(directed))
    if ext == ".graphml":
        return read_graphml(path, directed=directed)
    if ext == ".gexf":
        return read_gexf(path, directed=directed)
    raise InvalidInput(
        str(path), f"unknown network format '{ext}'", hint="use .csv, .graphml or .gexf"
    )


def _split_rows(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(str(path), f"not UTF-8 text ({exc.reason})") from exc
    lines = text.splitlines()
    sample = next((ln for ln in lines if ln.strip()), "")
    delimiter = next((d for d in (",", "\t", ";", "|") if d in sample), None)
    if delimiter is None:
        return [ln.split() for ln in lines]
    return [[c.strip() for c in row] for row in csv.reader(lines, delimiter=delimiter)]


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value


def _find(header: list[str], names: tuple[str, ...], default: int | None) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return default


def read_csv(path: str | Path, directed: bool = False) -> Network:
    """Edge list: source, target and an optional weight (and type) column.

    A first row is a header when it names a known column (source/from/target/to/weight)
    or when its third cell is not a number; otherwise columns are source, target, weight.
    Comma, tab, semicolon, bar or runs of spaces separate cells. Rows are kept in file
    order, duplicates included; `Network.simple()` merges them.
    """
    path = Path(path)
    file = str(path)
    rows = _split_rows(path)
    numbered = [(i + 1, r) for i, r in enumerate(rows) if r and any(c for c in r)]
    if not numbered:
        raise InvalidInput(file, "no edges: the file is empty")
    first = [c.lower() for c in numbered[0][1]]
    known = set(SOURCE_NAMES + TARGET_NAMES + WEIGHT_NAMES + ("type",))
    is_header = bool(known & set(first)) or (len(first) > 2 and _number(first[2]) is None)
    src, tgt = 0, 1
    wcol: int | None = 2
    tcol: int | None = None
    names = ["source", "target", "weight"]
    if is_header:
        header = numbered[0][1]
        numbered = numbered[1:]
        found_src = _find(header, SOURCE_NAMES, None)
        found_tgt = _find(header, TARGET_NAMES, None)
        src = 0 if found_src is None else found_src
        tgt = 1 if found_tgt is None else found_tgt
        wcol = _find(header, WEIGHT_NAMES, None)
        tcol = _find(header, ("type", "kind", "relation"), None)
        names = [h or f"column {i + 1}" for i, h in enumerate(header)]
    builder = NetworkBuilder(directed=directed)
    for line, row in numbered:
        if len(row) <= max(src, tgt):
            missing = names[tgt] if len(row) <= tgt else names[src]
            raise InvalidInput(file, "missing value", row=line, field=missing)
        source, target = row[src], row[tgt]
        for col, value in ((src, source), (tgt, target)):
            if not value:
                raise InvalidInput(file, "empty node id", row=line, field=names[col])
        weight = 1.0
        if wcol is not None and wcol < len(row) and row[wcol] != "":
            parsed = _number(row[wcol])
            if parsed is None or not math.isfinite(parsed):
                raise InvalidInput(
                    file, f"weight '{row[wcol]}' is not a number", row=line, field=names[wcol]
                )
            if parsed < 0:
                raise InvalidInput(
                    file, f"weight {row[wcol]} is negative", row=line, field=names[wcol]
                )
            weight = parsed
        kind = row[tcol] if tcol is not None and tcol < len(row) and row[tcol] else "link"
        builder.add_edge(source, target, weight=weight, type=kind, evidence=[f"{file}:{line}"])
    return builder.build()


def read_graphml(path: str | Path, directed: bool | None = None) -> Network:
    """GraphML through igraph; node ids come from the file's `id` attributes."""
    ig = _igraph.module()
    file = str(path)
    try:
        g = ig.Graph.Read_GraphML(file)
    except Exception as exc:  # igraph raises its own InternalError on any parse problem
        raise InvalidInput(file, f"cannot read GraphML: {exc}".strip()) from exc
    if "id" in g.vs.attributes():
        g.vs["name"] = [str(x) for x in g.vs["id"]]
    else:
        g.vs["name"] = [str(i) for i in range(g.vcount())]
    attrs = g.es.attributes()
    weights = g.es["weight"] if "weight" in attrs else [1.0] * g.ecount()
    for i, w in enumerate(weights):
        if w is None or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise InvalidInput(
                file, f"weight '{w}' is not a non-negative number", row=i + 1, field="weight"
            )
    g.es["weight"] = [float(w) for w in weights]
    if "type" not in attrs:
        g.es["type"] = ["link"] * g.ecount()
    g.es["evidence"] = [[f"{file}:edge {i + 1}"] for i in range(g.ecount())]
    net = Network(g)
    if directed is not None and directed != net.directed:
        net = net.simple(combine="sum", directed=directed)
    return net
