"""Centrality measures: who holds the network together.

Every function takes a `Network` and returns one value per node, in node order. Weights
mean strength (number of calls, amount paid) for degree, eigenvector, PageRank, Katz and
constraint; for path-based measures (betweenness, closeness) a strong tie must be a short
one, so pass `distance=True` to use 1/weight as the length, or `lengths=` explicitly.
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from unweave.graph.network import Network

Mode = Literal["all", "in", "out"]


def _weights(net: Network, weighted: bool) -> list[float] | None:
    return [float(w) for w in net.g.es["weight"]] if weighted else None


def _lengths(net: Network, weighted: bool, distance: bool) -> list[float] | None:
    if not weighted:
        return None
    w = _weights(net, True) or []
    return [1.0 / x for x in w] if distance else w


def degree(
    net: Network, mode: Mode = "all", weighted: bool = False, normalized: bool = False
) -> list[float]:
    """Number of contacts (or, weighted, total calls/amount: the strength)."""
    if weighted:
        values = [float(x) for x in net.g.strength(mode=mode, weights="weight", loops=False)]
    else:
        values = [float(x) for x in net.g.degree(mode=mode, loops=False)]
    n = len(net)
    if normalized and n > 1:
        values = [v / (n - 1) for v in values]
    return values


def betweenness(
    net: Network,
    weighted: bool = False,
    distance: bool = False,
    normalized: bool = True,
    lengths: Sequence[float] | None = None,
) -> list[float]:
    """Exact betweenness (Brandes): the share of shortest paths that run through a node.

    Normalised like networkx: divided by (n-1)(n-2) for directed graphs and by
    (n-1)(n-2)/2 for undirected ones. With `weighted`, the weights are path lengths, as
    networkx's `weight=` does; with `distance` too, the length is 1/weight.
    """
    w = list(lengths) if lengths is not None else _lengths(net, weighted, distance)
    values = [float(x) for x in net.g.betweenness(directed=net.directed, weights=w)]
    n = len(net)
    if normalized and n > 2:
        scale = (n - 1) * (n - 2) / (1 if net.directed else 2)
        values = [v / scale for v in values]
    return values


@dataclass
class SampledBetweenness:
    """Estimated betweenness with its standard error, per node."""

    values: list[float]
    stderr: list[float]
    sources: int
    estimator: str = (
        "Brandes-Pich source sampling: k sources drawn uniformly without replacement, "
        "dependencies of all targets summed and scaled by n/k (unbiased); standard error "
        "from the spread of the estimate over independent batches of sources"
    )


def sampled_betweenness(
    net: Network,
    k: int,
    seed: int = 0,
    batches: int = 8,
    weighted: bool = False,
    distance: bool = False,
    normalized: bool = True,
) -> SampledBetweenness:
    """Betweenness estimated from `k` sampled source nodes (for graphs too big for exact).

    Uses igraph's subset betweenness (sources = the sample, targets = every node), which
    is Brandes' algorithm run only from the sampled sources; igraph already halves the
    undirected counts as its exact betweenness does, so the scale is n/k in both cases
    (with k = n the estimate equals the exact value; a test pins this).
    """
    n = len(net)
    k = max(1, min(k, n))
    rng = random.Random(seed)
    sample = rng.sample(range(n), k)
    batches = max(1, min(batches, k))
    chunks = [sample[i::batches] for i in range(batches)]
    import numpy as np

    w = _lengths(net, weighted, distance)
    all_targets = list(range(n))
    per_batch = np.empty((batches, n))
    for b, chunk in enumerate(chunks):
        raw = net.g.betweenness(
            directed=net.directed, weights=w, sources=chunk, targets=all_targets
        )
        per_batch[b] = np.asarray(raw, dtype=float) * (n / len(chunk))
    scale = 1.0
    if normalized and n > 2:
        scale = (n - 1) * (n - 2) / (1 if net.directed else 2)
    sizes = np.array([len(c) for c in chunks], dtype=float)
    mean = (per_batch * sizes[:, None]).sum(axis=0) / k
    if batches > 1:
        var = ((per_batch - mean) ** 2).sum(axis=0) / (batches - 1)
        stderr = np.sqrt(var / batches)
    else:
        stderr = np.full(n, math.nan)
    values = [float(x) for x in mean / scale]
    errors = [float(x) for x in stderr / scale]
    return SampledBetweenness(values=values, stderr=errors, sources=k)


def closeness(
    net: Network, weighted: bool = False, distance: bool = True, harmonic: bool = False
) -> list[float]:
    """How close a node is to everyone else (harmonic: copes with disconnected parts)."""
    w = _lengths(net, weighted, distance)
    if harmonic:
        vals = net.g.harmonic_centrality(weights=w, normalized=False, mode="all")
    else:
        vals = net.g.closeness(weights=w, normalized=True, mode="all")
    return [0.0 if (x is None or math.isnan(x)) else float(x) for x in vals]


def eigenvector(net: Network, weighted: bool = False) -> list[float]:
    """Connected to the well connected (scaled so the maximum is 1)."""
    w = _weights(net, weighted)
    with warnings.catch_warnings():  # igraph warns on disconnected graphs; values still hold
        warnings.simplefilter("ignore", RuntimeWarning)
        if net.directed:
            vals = net.g.eigenvector_centrality(directed=True, weights=w)
        else:  # igraph 1.0 rejects directed=False ("invalid mode"); undirected is the default
            vals = net.g.eigenvector_centrality(weights=w)
    return [float(x) for x in vals]


def pagerank(net: Network, weighted: bool = False, damping: float = 0.85) -> list[float]:
    """PageRank: where a random walk along the ties ends up most often (sums to 1)."""
    vals = net.g.pagerank(directed=net.directed, damping=damping, weights=_weights(net, weighted))
    return [float(x) for x in vals]


def katz(
    net: Network, weighted: bool = False, alpha: float = 0.1, beta: float = 1.0
) -> list[float]:
    """Katz centrality as networkx's katz_centrality_numpy: solve (I - a Aᵀ) x = b, L2-normed.

    Dense linear algebra: meant for networks of a few thousand nodes at most.
    """
    import numpy as np

    n = len(net)
    a = np.zeros((n, n))
    ws = net.g.es["weight"] if weighted else [1.0] * net.g.ecount()
    for e, w in zip(net.g.es, ws, strict=True):
        a[e.source, e.target] += float(w)
        if not net.directed and e.source != e.target:
            a[e.target, e.source] += float(w)
    x = np.linalg.solve(np.eye(n) - alpha * a.T, beta * np.ones(n))
    norm = np.sign(x.sum()) * np.linalg.norm(x)
    return [float(v) for v in x / norm]


def coreness(net: Network) -> list[float]:
    """k-core number: the densest layer of mutual contacts a node belongs to."""
    return [float(x) for x in net.g.coreness(mode="all")]


def constraint(net: Network, weighted: bool = False) -> list[float]:
    """Burt's constraint: low values = contacts that do not know each other (a broker)."""
    vals = net.g.constraint(weights=_weights(net, weighted))
    return [0.0 if math.isnan(x) else float(x) for x in vals]


def collective_influence(net: Network, weighted: bool = False, radius: int = 1) -> list[float]:
    """Collective influence CI_l(i) = (k_i - 1) * sum of (k_j - 1) over nodes j at distance l.

    With radius 1 this is the variant used by Cavallaro et al. (2020); k is the degree, or
    the strength when `weighted`.
    """
    k = degree(net, weighted=weighted)
    if radius == 1:
        rings = net.g.neighbors if not net.directed else (lambda v: net.g.neighbors(v, "all"))
        return [(k[v] - 1) * sum(k[j] - 1 for j in rings(v)) for v in range(len(net))]
    balls = net.g.neighborhood(order=radius, mindist=radius, mode="all")
    return [(k[v] - 1) * sum(k[j] - 1 for j in balls[v]) for v in range(len(net))]
