"""The link chart: neighbourhoods to expand, shortest paths with their evidence, GraphML."""

from __future__ import annotations

from collections import deque
from typing import Annotated, Any
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from unweave.analyze.paths import shortest_paths
from unweave.errors import NotFound
from unweave.graph.build import GraphFilter
from unweave.web.auth import Reader, ReaderDep
from unweave.web.graphs import Graph
from unweave.web.render import render
from unweave.web.routes.entities import fact_json

api = APIRouter(prefix="/api/graph", tags=["graph"])
pages = APIRouter(include_in_schema=False)
MAX_NODES = 400

Node = Annotated[str, Query(min_length=1, max_length=300)]
Opt = Annotated[str | None, Query(max_length=300)]
Day = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Depth = Annotated[int, Query(ge=1, le=3)]


def _filters(types: str | None, start: str | None, end: str | None) -> GraphFilter:
    wanted = frozenset(t for t in (types or "").split(",") if t.strip()) or None
    return GraphFilter(start=start or None, end=end or None, edge_types=wanted)


def _graph(who: Reader, case: str | None, filters: GraphFilter) -> Graph:
    return who.graphs.get(who.view(case), filters)  # type: ignore[no-any-return]


def _index(graph: Graph, node: str) -> int:
    try:
        return graph.net.index(node)
    except ValueError:
        raise NotFound(f"no node {node!r} in the network this reader may see") from None


def _edge_json(graph: Graph, e: Any) -> dict[str, Any]:
    names = graph.net.g.vs["name"]
    attrs = e.attributes()
    return {
        "id": f"e{e.index}",
        "source": names[e.source],
        "target": names[e.target],
        "type": attrs.get("type"),
        "weight": attrs.get("weight"),
        "count": attrs.get("count"),
        "currency": attrs.get("currency"),
        "first": attrs.get("first") or attrs.get("time"),
        "last": attrs.get("last") or attrs.get("time"),
    }


def subgraph(graph: Graph, nodes: set[int]) -> dict[str, Any]:
    g = graph.net.g
    edges = [e for e in g.es.select(_within=sorted(nodes))]
    names = g.vs["name"]
    return {
        "nodes": [graph.node_json(names[i]) for i in sorted(nodes)],
        "edges": [_edge_json(graph, e) for e in edges],
        "types": sorted(set(g.es["type"])) if g.ecount() else [],
    }


def neighbourhood(graph: Graph, node: str, depth: int) -> set[int]:
    start = _index(graph, node)
    seen = {start}
    queue = deque([(start, 0)])
    while queue and len(seen) < MAX_NODES:
        v, d = queue.popleft()
        if d >= depth:
            continue
        for n in graph.net.g.neighbors(v, mode="all"):
            if n not in seen:
                seen.add(n)
                queue.append((n, d + 1))
                if len(seen) >= MAX_NODES:
                    break
    return seen


@api.get("/neighbourhood", summary="Nodes and edges around one node (to draw or expand)")
def neighbourhood_api(
    who: ReaderDep,
    node: Node,
    depth: Depth = 1,
    types: Opt = None,
    start: Day = None,
    end: Day = None,
    case: Opt = None,
) -> dict[str, Any]:
    graph = _graph(who, case, _filters(types, start, end))
    data = subgraph(graph, neighbourhood(graph, node, depth))
    who.record("read", detail={"graph": "neighbourhood", "nodes": len(data["nodes"])},
               entity_id=node, case=case)  # fmt: skip
    return data


@api.get("/paths", summary="Shortest paths between two nodes, each step with its evidence")
def paths_api(
    who: ReaderDep,
    source: Node,
    target: Node,
    types: Opt = None,
    start: Day = None,
    end: Day = None,
    case: Opt = None,
) -> dict[str, Any]:
    view = who.view(case)
    graph = _graph(who, case, _filters(types, start, end))
    _index(graph, source), _index(graph, target)
    undirected = graph.net.simple(directed=False)
    found = shortest_paths(undirected, source, target, limit=5)
    evidence_ids = {ev for p in found for ev in p.evidence}
    facts = {f.id: fact_json(f) for f in view.facts_by_id(evidence_ids)}
    who.record("read", detail={"graph": "paths", "found": len(found)}, entity_id=source,
               case=case)  # fmt: skip
    return {
        "source": source,
        "target": target,
        "paths": [
            {
                "nodes": [graph.node_json(n) for n in p.nodes],
                "steps": [
                    {
                        "source": s.source,
                        "target": s.target,
                        "types": sorted({str(e.get("type")) for e in s.edges}),
                        "evidence": [
                            facts[ev]
                            for e in s.edges
                            for ev in e.get("evidence") or []
                            if ev in facts
                        ][:20],
                    }
                    for s in p.steps
                ],
            }
            for p in found
        ],
    }


def graphml(data: dict[str, Any]) -> str:
    keys = [("label", "node"), ("kind", "node"), ("country", "node"), ("cell", "node"),
            ("leader", "node"), ("type", "edge"), ("weight", "edge"), ("first", "edge"),
            ("last", "edge")]  # fmt: skip
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    lines += [f'  <key id="{k}" for="{f}" attr.name="{k}" attr.type="string"/>' for k, f in keys]
    lines.append('  <graph edgedefault="directed">')
    for n in data["nodes"]:
        values = "".join(
            f'<data key="{k}">{escape(str(n[k]))}</data>'
            for k, f in keys
            if f == "node" and n.get(k) is not None
        )
        lines.append(f"    <node id={quoteattr(n['id'])}>{values}</node>")
    for e in data["edges"]:
        values = "".join(
            f'<data key="{k}">{escape(str(e[k]))}</data>'
            for k, f in keys
            if f == "edge" and e.get(k) is not None
        )
        lines.append(
            f"    <edge id={quoteattr(e['id'])} source={quoteattr(e['source'])} "
            f"target={quoteattr(e['target'])}>{values}</edge>"
        )
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


@api.get("/graphml", summary="The chart's nodes and the edges between them, as GraphML")
def graphml_api(
    who: ReaderDep,
    nodes: Annotated[str, Query(min_length=1, max_length=20000, description="ids, comma")],
    types: Opt = None,
    start: Day = None,
    end: Day = None,
    case: Opt = None,
) -> Response:
    graph = _graph(who, case, _filters(types, start, end))
    wanted = set()
    for node in nodes.split(","):
        if node.strip():
            wanted.add(_index(graph, node.strip()))
    data = subgraph(graph, wanted)
    who.record("export", detail={"graphml": len(data["nodes"])}, case=case)
    return Response(
        graphml(data),
        media_type="application/graphml+xml",
        headers={"Content-Disposition": 'attachment; filename="unweave-chart.graphml"'},
    )


@pages.get("/chart")
def chart_page(request: Request, who: ReaderDep, node: Opt = None, case: Opt = None) -> Response:
    who.view(case)  # refuses a data-protection officer, and an unknown case
    return render(request, "chart.html", {"node": node or "", "case": case or ""})
