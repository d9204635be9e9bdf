"""Whole-network figures: density, clustering, efficiency, centralization, entropy."""

from __future__ import annotations

import math
from collections.abc import Sequence

from unweave.graph.network import Network


def density(net: Network) -> float:
    return float(net.g.density(loops=False))


def largest_component_size(net: Network, mode: str = "weak") -> int:
    if len(net) == 0:
        return 0
    return int(max(net.g.connected_components(mode=mode).sizes()))


def weighted_clustering(net: Network, weighted: bool = True) -> list[float]:
    """Clustering per node with weights (geometric mean of the triangle's normalised weights).

    Undirected: Onnela et al. 2005; directed: Fagiolo 2007 (all triangle orientations),
    both as networkx's `clustering(weight=)`: weights divided by the largest one. Uses a
    dense matrix, so it is meant for networks of up to a few thousand nodes.
    """
    import numpy as np

    n = len(net)
    w = np.zeros((n, n))
    ws = net.g.es["weight"] if weighted else [1.0] * net.edge_count
    for e, x in zip(net.g.es, ws, strict=True):
        if e.source != e.target:
            w[e.source, e.target] = float(x)
            if not net.directed:
                w[e.target, e.source] = float(x)
    if w.max() > 0:
        w = w / w.max()
    a = (w > 0).astype(float)
    c = np.cbrt(w)
    if net.directed:
        s = c + c.T
        num = np.diag(s @ s @ s)
        total = a.sum(axis=0) + a.sum(axis=1)
        both = np.diag(a @ a)
        den = 2 * (total * (total - 1) - 2 * both)
    else:
        num = np.diag(c @ c @ c)
        k = a.sum(axis=1)
        den = k * (k - 1)
    safe = np.where(den > 0, den, 1)
    return [float(x) for x in np.where(den > 0, num / safe, 0.0)]


def average_clustering(net: Network, weighted: bool = True) -> float:
    values = weighted_clustering(net, weighted)
    return sum(values) / len(values) if values else 0.0


def efficiency(
    net: Network, lengths: Sequence[float] | None = None, mode: str = "out"
) -> list[float]:
    """Per-node efficiency: mean of 1/distance to (mode "out") or from ("in") every other node."""
    n = len(net)
    if n < 2:
        return [0.0] * n
    vals = net.g.harmonic_centrality(
        weights=list(lengths) if lengths is not None else None, mode=mode, normalized=False
    )
    return [float(x) / (n - 1) for x in vals]


def global_efficiency(
    net: Network, lengths: Sequence[float] | None = None, mode: str = "out"
) -> float:
    """Latora–Marchiori global efficiency: mean of 1/d(i, j) over ordered pairs."""
    values = efficiency(net, lengths, mode)
    return sum(values) / len(values) if values else 0.0


def centralization(values: Sequence[float], denominator: float) -> float:
    """Freeman centralization: Σ (max - c_i) / denominator (the star graph's value)."""
    top = max(values)
    return sum(top - v for v in values) / denominator


def entropy(values: Sequence[float], normalise_by: int | None = None) -> float:
    """Shannon entropy (bits) of the shares values/Σvalues; divided by log2(normalise_by)."""
    total = sum(values)
    h = -sum((v / total) * math.log2(v / total) for v in values if v > 0) if total else 0.0
    if normalise_by and normalise_by > 1:
        h /= math.log2(normalise_by)
    return h


def degree_assortativity(net: Network, x: str = "all", y: str = "all") -> float:
    """Pearson correlation of the x-degree of sources with the y-degree of targets."""
    if not net.directed:
        return float(net.g.assortativity_degree(directed=False))
    t1 = net.g.degree(mode=x)
    t2 = net.g.degree(mode=y)
    return float(net.g.assortativity(types1=t1, types2=t2, directed=True))
