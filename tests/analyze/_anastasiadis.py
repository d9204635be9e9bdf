"""How Anastasiadis & Antoniou (2024) built their CAVIAR networks, replayed on our container.

Their `net_creation` (github.com/ekAn97/Criminal_Network_Analysis, src/modules/net_creation.py)
gives every arc distance = 1/calls, then divides each arc's distance, and then each arc's
weight, by the maximum *of the current values* inside the loop over arcs; so arcs after the
heaviest one are divided by a smaller, moving maximum. We replay that loop in networkx's arc
order (rows, then columns, in the matrix's label order; undirected: upper triangle). The
undirected network is the matrix symmetrised by summing both directions.
"""

from __future__ import annotations

from pathlib import Path

from unweave.graph.network import Network, NetworkBuilder
from unweave.graph.readers import read_matrix


def moving_max_normalise(values: list[float]) -> list[float]:
    out = list(values)
    for i in range(len(out)):
        out[i] /= max(out)
    return out


def load(path: Path, directed: bool = True) -> tuple[Network, list[float]]:
    """The network with their normalised weights, and the normalised distances (arc order)."""
    net = read_matrix(path, directed=True)
    if not directed:
        merged = net.simple(combine="sum", directed=False)
        ids = merged.ids
        edges = sorted((min(e.tuple), max(e.tuple), float(e["weight"])) for e in merged.g.es)
        builder = NetworkBuilder(directed=False)
        for node in ids:
            builder.add_node(node)
        for s, t, w in edges:
            builder.add_edge(ids[s], ids[t], weight=w)
        net = builder.build()
    raw = [float(w) for w in net.g.es["weight"]]
    distances = moving_max_normalise([1.0 / w for w in raw])
    net.g.es["weight"] = moving_max_normalise(raw)
    return net, distances


def harmonic_mean(values: list[float]) -> float:
    return len(values) / sum(1.0 / v for v in values)


def strict_float_betweenness(net: Network, lengths: list[float]) -> list[float]:
    """Brandes with Dijkstra comparing path lengths with `==` on floats, as networkx does.

    igraph treats two path lengths equal within a relative epsilon as equally short, which is
    the mathematically right count; networkx's strict comparison drops a shortest path whose
    float sum rounds differently (1/3 + 1/6 vs 1/2). In CAVIAR phases 7 and 8 that rounding
    changed one node's betweenness; this replay reproduces the published values.
    """
    import heapq
    from itertools import count

    n = len(net)
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for e, length in zip(net.g.es, lengths, strict=True):
        adj[e.source].append((e.target, length))
        if not net.directed:
            adj[e.target].append((e.source, length))
    bc = [0.0] * n
    for s in range(n):
        order: list[int] = []
        preds: dict[int, list[int]] = {v: [] for v in range(n)}
        sigma = dict.fromkeys(range(n), 0.0)
        sigma[s] = 1.0
        done: dict[int, float] = {}
        seen = {s: 0.0}
        tick = count()
        queue = [(0.0, next(tick), s, s)]
        while queue:
            dist, _, pred, v = heapq.heappop(queue)
            if v in done:
                continue
            sigma[v] += sigma[pred]
            order.append(v)
            done[v] = dist
            for w, length in adj[v]:
                vw = dist + length
                if w not in done and (w not in seen or vw < seen[w]):
                    seen[w] = vw
                    heapq.heappush(queue, (vw, next(tick), v, w))
                    sigma[w] = 0.0
                    preds[w] = [v]
                elif vw == seen[w]:
                    sigma[w] += sigma[v]
                    preds[w].append(v)
        delta = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    scale = 1 / ((n - 1) * (n - 2))
    return [b * scale for b in bc]
