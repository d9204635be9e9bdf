"""Paths between two entities, every edge with the statements that justify it.

An investigator asks "how is this driver connected to that money collector?": the answer
is a chain of edges (a call, a shared phone, a payment), each backed by facts with their
agency, dataset, source row and handling code, as the reader may see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unweave.errors import NotFound
from unweave.graph.network import Network
from unweave.store.reader import Fact, StoreView


@dataclass
class PathEdge:
    source: str
    target: str
    type: str
    weight: float
    evidence: list[Fact] = field(default_factory=list)


@dataclass
class Path:
    nodes: list[str]
    edges: list[PathEdge]

    def __len__(self) -> int:
        return len(self.edges)


def _index(net: Network, node_id: str) -> int:
    try:
        return net.index(node_id)
    except ValueError:
        raise NotFound(f"{node_id!r} is not in the graph") from None


def _edges_between(net: Network, a: int, b: int) -> list[dict]:  # type: ignore[type-arg]
    """Every edge joining two nodes, in either direction (a call and a payment, say)."""
    names = net.g.vs["name"]
    return [
        {"source": names[e.source], "target": names[e.target], **e.attributes()}
        for e in net.g.es.select(_between=([a], [b]))
    ]


def _path(view: StoreView, net: Network, vertices: list[int]) -> Path:
    names = net.g.vs["name"]
    edges: list[PathEdge] = []
    for a, b in zip(vertices, vertices[1:], strict=False):
        for e in _edges_between(net, a, b):
            facts = view.facts_by_id(e.get("evidence") or [])
            edges.append(
                PathEdge(
                    e["source"], e["target"], e.get("type", "link"), e.get("weight", 1.0), facts
                )
            )
    return Path([names[v] for v in vertices], edges)


def shortest_paths(view: StoreView, net: Network, a: str, b: str, limit: int = 10) -> list[Path]:
    """All shortest paths (ignoring direction), at most ``limit``."""
    source, target = _index(net, a), _index(net, b)
    found = net.g.get_all_shortest_paths(source, to=target, mode="all")
    return [_path(view, net, p) for p in sorted(found)[:limit]]


def simple_paths(
    view: StoreView, net: Network, a: str, b: str, max_length: int = 4, limit: int = 100
) -> list[Path]:
    """All simple paths of at most ``max_length`` edges (ignoring direction), shortest first."""
    source, target = _index(net, a), _index(net, b)
    found = net.g.get_all_simple_paths(source, to=target, maxlen=max_length, mode="all")
    found = sorted(found, key=lambda p: (len(p), p))[:limit]
    return [_path(view, net, p) for p in found]
