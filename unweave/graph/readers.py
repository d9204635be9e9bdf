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
    """Read CSV/TSV/TXT edge lists, GraphML or GEXF, chosen by the file extension.

    `directed=None`: CSV edge lists are undirected, GraphML and GEXF as the file says;
    True/False forces it (a directed file read undirected merges both directions).
    """
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
        if directed:  # each undirected tie becomes two arcs, attributes kept
            g.to_directed(mode="mutual")
            net = Network(g)
        else:
            net = net.simple(combine="sum", directed=False)
    return net


def read_matrix(path: str | Path, directed: bool = True) -> Network:
    """Square adjacency matrix CSV with row and column labels (UCINET-style exports).

    Cell [i, j] is the weight of the tie from row i to column j (0 or empty = no tie).
    Nodes keep the row order; edges are added row by row, column by column (networkx's
    from_pandas_adjacency order). Undirected: the pair takes the later cell's value.
    """
    path = Path(path)
    file = str(path)
    rows = _split_rows(path)
    if not rows:
        raise InvalidInput(file, "empty matrix")
    header = [c.strip('"') for c in rows[0][1:]]
    body = [r for r in rows[1:] if r and any(r)]
    labels = [r[0].strip('"') for r in body]
    if sorted(labels) != sorted(header):
        raise InvalidInput(file, "row labels and column labels differ", row=1)
    column_of = {label: i + 1 for i, label in enumerate(header)}
    builder = NetworkBuilder(directed=directed)
    for label in labels:
        builder.add_node(label)
    seen: dict[tuple[str, str], int] = {}
    pending: list[tuple[str, str, float, int]] = []
    for line, (label, row) in enumerate(zip(labels, body, strict=True), start=2):
        for other in labels:
            cell = row[column_of[other]] if column_of[other] < len(row) else ""
            if cell in ("", "0", "0.0"):
                continue
            value = _number(cell)
            if value is None or not math.isfinite(value) or value < 0:
                raise InvalidInput(file, f"cell '{cell}' is not a weight", row=line, field=other)
            if value == 0:
                continue
            key = (label, other) if directed or label <= other else (other, label)
            if not directed and label == other:
                continue
            if key in seen:
                pending[seen[key]] = (key[0], key[1], value, line)
            else:
                seen[key] = len(pending)
                pending.append((label, other, value, line))
    for source, target, value, line in pending:
        builder.add_edge(source, target, weight=value, evidence=[f"{file}:{line}"])
    return builder.build()
