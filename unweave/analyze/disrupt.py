"""Disruption simulation: remove key players by a strategy and follow the largest component.

The ranking is taken from the current network (sequential: after every removal; block:
once per block of `block_size` removals; `recompute=False`: once at the start). Ties are
broken by node order: `tie="last"` takes, among equal scores, the node that comes last
(what a stable ascending sort in networkx gives: Cavallaro et al. 2020), `"first"` the one
that comes first (a stable descending sort: Anastasiadis & Antoniou 2024), and
`"id"` the largest numeric id (numpy's structured sort, Cavallaro's collective influence).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from unweave.analyze import measures
from unweave.errors import ConfigError
from unweave.graph.network import Network

Strategy = Literal["degree", "betweenness", "collective_influence", "katz", "random"]
STRATEGIES: tuple[str, ...] = ("degree", "betweenness", "collective_influence", "katz", "random")
Tie = Literal["last", "first", "id"]


@dataclass
class Step:
    removed: int
    lcc: int
    lcc_fraction: float
    nodes: list[str]


def largest_component(net: Network, connectivity: str = "weak") -> int:
    if len(net) == 0:
        return 0
    mode = "strong" if (connectivity == "strong" and net.directed) else "weak"
    return int(max(net.g.connected_components(mode=mode).sizes()))


def scores(
    net: Network, strategy: str, weighted: bool = False, distance: bool = False
) -> list[float]:
    """One score per node for a strategy (higher = removed first)."""
    if strategy == "degree":
        return measures.degree(net, weighted=weighted, normalized=True)
    if strategy == "betweenness":
        return measures.betweenness(net, weighted=weighted, distance=distance)
    if strategy == "collective_influence":
        return measures.collective_influence(net, weighted=weighted)
    if strategy == "katz":
        return measures.katz(net, weighted=weighted)
    raise ConfigError(f"unknown strategy '{strategy}'", hint="use one of " + ", ".join(STRATEGIES))


def ranking(
    values: list[float], ids: list[str], tie: Tie = "last", tolerance: float = 1e-9
) -> list[int]:
    """Node indexes from highest to lowest score.

    Scores within `tolerance` (relative to the largest) are ties, so that the rounding
    noise of one library or another does not decide them; `tolerance=0` compares the
    floats as they are (needed to replay a library whose rounding decided published ties).
    """
    if tolerance > 0:
        top = max((abs(v) for v in values), default=0.0) or 1.0
        digits = max(0, round(-math.log10(tolerance)))
        q = [round(v / top, digits) for v in values]
    else:
        q = list(values)
    order = list(range(len(values)))
    if tie == "last":
        return sorted(order, key=lambda i: (q[i], i), reverse=True)
    if tie == "first":
        return sorted(order, key=lambda i: (-q[i], i))
    return sorted(order, key=lambda i: (q[i], _numeric(ids[i])), reverse=True)


def _numeric(text: str) -> tuple[int, float, str]:
    try:
        return (1, float(text), "")
    except ValueError:
        return (0, 0.0, text)


def simulate(
    net: Network,
    strategy: str = "degree",
    mode: Literal["sequential", "block"] = "sequential",
    block_size: int = 1,
    steps: int | None = None,
    recompute: bool = True,
    weighted: bool = False,
    distance: bool = False,
    tie: Tie = "last",
    seed: int = 0,
    connectivity: str = "weak",
    min_nodes: int = 0,
    tolerance: float = 1e-9,
    score_fn: Callable[[Network], list[float]] | None = None,
) -> list[Step]:
    """Remove nodes and record the largest connected component after each step.

    sequential: one node per step; block: `block_size` nodes per step, ranked together.
    `steps` limits the number of steps; the run also stops when `min_nodes` or fewer
    nodes are left. The first row (0 removed) is the intact network.
    """
    if strategy not in STRATEGIES and score_fn is None:
        raise ConfigError(
            f"unknown strategy '{strategy}'", hint="use one of " + ", ".join(STRATEGIES)
        )
    per_step = 1 if mode == "sequential" else block_size
    if per_step < 1:
        raise ConfigError("block size must be at least 1")
    current = net.copy()
    initial = largest_component(current, connectivity) or 1
    rng = random.Random(seed)
    rows = [Step(0, initial, 1.0, [])]
    removed = 0
    fixed: list[str] | None = None
    while len(current) > min_nodes and (steps is None or len(rows) <= steps):
        ids = current.ids
        if strategy == "random":
            order = rng.sample(range(len(ids)), len(ids))
        elif fixed is not None:
            order = []
        else:
            values = (
                score_fn(current) if score_fn else scores(current, strategy, weighted, distance)
            )
            order = ranking(values, ids, tie, tolerance)
            if not recompute:
                fixed = [ids[i] for i in order]
        if fixed is not None:
            alive = set(ids)
            victims = [n for n in fixed if n in alive][:per_step]
        else:
            victims = [ids[i] for i in order[:per_step]]
        victims = victims[: max(0, len(current) - min_nodes)]
        if not victims:
            break
        current = current.without(victims)
        removed += len(victims)
        lcc = largest_component(current, connectivity)
        rows.append(Step(removed, lcc, lcc / initial, victims))
    return rows
