"""A small GEXF reader (GEXF 1.1–1.3) with xml.etree: nodes, attributes, weighted edges."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

from unweave.errors import InvalidInput
from unweave.graph.network import Network, NetworkBuilder


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(elem: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in elem if _local(c.tag) == name]


def _attributes(graph: ET.Element, cls: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    for block in _children(graph, "attributes"):
        if block.get("class") == cls:
            for a in _children(block, "attribute"):
                titles[a.get("id", "")] = a.get("title") or a.get("id") or ""
    return titles


def _values(elem: ET.Element, titles: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for block in _children(elem, "attvalues"):
        for av in _children(block, "attvalue"):
            key = av.get("for") or av.get("id") or ""
            out[titles.get(key, key)] = av.get("value", "")
    return out


def read_gexf(path: str | Path, directed: bool | None = None) -> Network:
    file = str(path)
    try:
        root = ET.parse(file).getroot()
    except ET.ParseError as exc:
        raise InvalidInput(file, f"not well-formed XML: {exc}", row=exc.position[0]) from exc
    graphs = _children(root, "graph")
    if _local(root.tag) != "gexf" or not graphs:
        raise InvalidInput(file, "not a GEXF file (no <gexf><graph>)")
    graph = graphs[0]
    default_type = graph.get("defaultedgetype", "undirected")
    is_directed = default_type == "directed" if directed is None else directed
    node_titles = _attributes(graph, "node")
    edge_titles = _attributes(graph, "edge")
    builder = NetworkBuilder(directed=is_directed)
    for block in _children(graph, "nodes"):
        for i, node in enumerate(_children(block, "node"), start=1):
            node_id = node.get("id")
            if not node_id:
                raise InvalidInput(file, "node without id", row=i, field="id")
            attrs: dict[str, object] = dict(_values(node, node_titles))
            if node.get("label"):
                attrs["label"] = node.get("label")
            builder.add_node(node_id, **attrs)
    for block in _children(graph, "edges"):
        for i, edge in enumerate(_children(block, "edge"), start=1):
            source, target = edge.get("source"), edge.get("target")
            if not source:
                raise InvalidInput(file, "edge without source", row=i, field="source")
            if not target:
                raise InvalidInput(file, "edge without target", row=i, field="target")
            raw = edge.get("weight", "1")
            try:
                weight = float(raw)
            except ValueError:
                weight = math.nan
            if not math.isfinite(weight) or weight < 0:
                raise InvalidInput(
                    file, f"weight '{raw}' is not a non-negative number", row=i, field="weight"
                )
            values = _values(edge, edge_titles)
            kind = values.pop("type", None) or edge.get("label") or "link"
            builder.add_edge(
                source,
                target,
                weight=weight,
                type=kind,
                evidence=[f"{file}:edge {edge.get('id', i)}"],
            )
    return builder.build()
