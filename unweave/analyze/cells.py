"""Cells: Leiden communities with a resolution setting, and a summary of each cell."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from unweave.graph import _igraph
from unweave.graph.network import Network

MONEY_TYPES = ("payment", "transfer", "money")


def leiden(
    net: Network,
    resolution: float = 1.0,
    seed: int = 0,
    weighted: bool = True,
    iterations: int = 2,
    engine: str = "auto",
) -> list[int]:
    """Leiden communities optimising modularity with a resolution (Traag et al. 2019).

    Higher resolution gives more, smaller cells. Deterministic for a given seed.
    Undirected networks use igraph's C implementation (about 20 times faster than the
    leidenalg package on Enron); directed ones, or `engine="leidenalg"`, use leidenalg's
    RB configuration partition, which is the same objective with directed degrees.
    `iterations=-1` iterates until the partition no longer changes.
    """
    if engine == "igraph" or (engine == "auto" and not net.directed):
        ig = _igraph.module()
        ig.set_random_number_generator(random.Random(seed))
        try:
            clustering = net.g.community_leiden(
                objective_function="modularity",
                weights="weight" if weighted else None,
                resolution=resolution,
                n_iterations=iterations,
            )
        finally:
            ig.set_random_number_generator(random)
        return [int(x) for x in clustering.membership]
    la = _igraph.leidenalg()
    partition = la.find_partition(
        net.g,
        la.RBConfigurationVertexPartition,
        weights="weight" if weighted else None,
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=iterations,
    )
    return [int(x) for x in partition.membership]


@dataclass
class Cell:
    cell: int
    size: int
    leading: list[str]
    countries: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    internal_ties: int = 0
    money_in: float = 0.0
    money_out: float = 0.0


def _is_money(edge_type: object) -> bool:
    text = str(edge_type or "").lower()
    return any(t in text for t in MONEY_TYPES)


def summarise(net: Network, membership: list[int], top: int = 3) -> list[Cell]:
    """Per cell: members, leading members (strength inside the cell), countries, money.

    Money in/out sums the weights of payment edges (type containing "payment", "transfer"
    or "money") that enter or leave the cell; for undirected networks it cannot be told
    apart and is reported as 0.
    """
    g = net.g
    ids = net.ids
    attrs = g.vs.attributes()
    inside = [0.0] * len(net)
    cells: dict[int, Cell] = {}
    for c in sorted(set(membership)):
        cells[c] = Cell(cell=c, size=0, leading=[])
    for v, c in enumerate(membership):
        cells[c].size += 1
        if "country" in attrs and g.vs[v]["country"]:
            cells[c].countries[str(g.vs[v]["country"])] = (
                cells[c].countries.get(str(g.vs[v]["country"]), 0) + 1
            )
        if "organisation" in attrs and g.vs[v]["organisation"]:
            org = str(g.vs[v]["organisation"])
            cells[c].organisations[org] = cells[c].organisations.get(org, 0) + 1
    types = g.es["type"] if "type" in g.es.attributes() else [None] * g.ecount()
    for e, w, t in zip(g.es, g.es["weight"], types, strict=True):
        cs, ct = membership[e.source], membership[e.target]
        if cs == ct:
            cells[cs].internal_ties += 1
            inside[e.source] += w
            inside[e.target] += w
        elif net.directed and _is_money(t):
            cells[cs].money_out += w
            cells[ct].money_in += w
    members: dict[int, list[int]] = {}
    for v, c in enumerate(membership):
        members.setdefault(c, []).append(v)
    for c, vs in members.items():
        best = sorted(vs, key=lambda v: (-inside[v], v))[:top]
        cells[c].leading = [ids[v] for v in best]
        cells[c].countries = dict(Counter(cells[c].countries).most_common())
    return sorted(cells.values(), key=lambda cell: (-cell.size, cell.cell))


def compare(a: list[int], b: list[int]) -> dict[str, float]:
    """Adjusted Rand index and normalised mutual information of two partitions."""
    ig = _igraph.module()
    return {
        "ari": float(ig.compare_communities(a, b, method="adjusted_rand")),
        "nmi": float(ig.compare_communities(a, b, method="nmi")),
    }
