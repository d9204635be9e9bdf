"""The network by time window, and how the leading actors' ranks move between windows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from unweave.graph.network import Network


def window(net: Network, start: str | None, end: str | None, attr: str = "time") -> Network:
    """Edges whose `attr` (ISO date or datetime text) lies in [start, end); nodes kept."""
    if attr not in net.g.es.attributes():
        return net.copy()
    keep = []
    for e in net.g.es:
        t = e[attr]
        if t is None:
            continue
        if (start is None or str(t) >= start) and (end is None or str(t) < end):
            keep.append(e.index)
    return Network(net.g.subgraph_edges(keep, delete_vertices=False))


@dataclass
class RankTrack:
    node: str
    ranks: list[int | None]  # 1 = first; None = absent from the window
    scores: list[float | None]


def ranks(values: list[float], ids: list[str]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out: dict[str, int] = {}
    for pos, i in enumerate(order):
        if pos and values[i] == values[order[pos - 1]]:
            out[ids[i]] = out[ids[order[pos - 1]]]
        else:
            out[ids[i]] = pos + 1
    return out


def track(
    windows: Mapping[str, Network],
    measure: Callable[[Network], list[float]],
    top: int = 5,
) -> list[RankTrack]:
    """Rank every node in every window by `measure`; follow each node that reaches the top
    `top` in at least one window. Nodes absent from a window (no ties) get None."""
    per_window: list[tuple[dict[str, int], dict[str, float]]] = []
    for net in windows.values():
        active = net.g.vs.select(_degree_gt=0).indices
        sub = Network(net.g.induced_subgraph(active)) if len(active) < len(net) else net
        values = measure(sub)
        per_window.append((ranks(values, sub.ids), dict(zip(sub.ids, values, strict=True))))
    leaders: list[str] = []
    for r, _ in per_window:
        for node, rank in sorted(r.items(), key=lambda kv: kv[1]):
            if rank <= top and node not in leaders:
                leaders.append(node)
    return [
        RankTrack(
            node=node,
            ranks=[r.get(node) for r, _ in per_window],
            scores=[s.get(node) for _, s in per_window],
        )
        for node in leaders
    ]
