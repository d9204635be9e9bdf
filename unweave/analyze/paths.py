"""Paths between two entities, every step with the edges (and their evidence) behind it.

An investigator asking "how is A connected to B?" needs each link of the chain together
with the statements that justify it. A step lists every edge between the two nodes (a
call and a payment between the same pair are two edges, each with its own evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from unweave.errors import NotFound
from unweave.graph.network import Network


@dataclass
class Step:
    source: str
    target: str
    edges: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Path:
    nodes: list[str]
    steps: list[Step]

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def evidence(self) -> list[str]:
        return [ev for step in self.steps for e in step.edges for ev in e.get("evidence") or []]


def _index(net: Network, node_id: str) -> int:
    try:
        return net.index(node_id)
    except ValueError as exc:
        raise NotFound(f"no node '{node_id}' in the network") from exc


def _path(net: Network, vertices: list[int]) -> Path:
    ids = net.ids
    steps = []
    for a, b in zip(vertices, vertices[1:], strict=False):
        eids = net.g.es.select(_between=([a], [b])).indices
        edges = []
        for eid in eids:
            e = net.g.es[eid]
            if net.directed and e.source != a:
                continue  # an arc the other way does not carry this path
            row = {"source": ids[e.source], "target": ids[e.target]}
            row.update(e.attributes())
            edges.append(row)
        steps.append(Step(ids[a], ids[b], edges))
    return Path([ids[v] for v in vertices], steps)


def shortest_paths(
    net: Network, source: str, target: str, weighted: bool = False, limit: int = 100
) -> list[Path]:
    """All shortest paths from source to target (weighted: length 1/weight), up to `limit`."""
    a, b = _index(net, source), _index(net, target)
    weights = [1.0 / w for w in net.g.es["weight"]] if weighted else None
    found = net.g.get_all_shortest_paths(a, to=b, weights=weights, mode="out")
    unique = list(dict.fromkeys(tuple(p) for p in found))  # parallel edges repeat a path
    return [_path(net, list(p)) for p in unique[:limit]]


def simple_paths(
    net: Network, source: str, target: str, max_length: int = 4, limit: int = 1000
) -> list[Path]:
    """Every path without repeated nodes from source to target with at most `max_length`
    steps, shortest first (at most `limit`)."""
    a, b = _index(net, source), _index(net, target)
    found = net.g.get_all_simple_paths(a, to=b, maxlen=max_length, mode="out")
    unique = sorted(dict.fromkeys(tuple(p) for p in found), key=len)
    return [_path(net, list(p)) for p in unique[:limit]]
