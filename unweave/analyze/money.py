"""Money: flows between entities and countries, sources and sinks, circles, structuring.

Works on the payment edges of a directed Network: edge type containing "payment",
"transfer" or "money", weight = amount, optional edge attributes `currency` and `time`
(ISO date). Amounts in different currencies are never added together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from unweave.analyze.cells import MONEY_TYPES
from unweave.graph.network import Network


def _payments(net: Network) -> list[dict[str, Any]]:
    return [
        e for e in net.edges() if any(t in str(e.get("type") or "").lower() for t in MONEY_TYPES)
    ]


@dataclass
class Flow:
    source: str
    target: str
    currency: str
    amount: float
    count: int
    evidence: list[str] = field(default_factory=list)


def flows(net: Network, by: str | None = None) -> list[Flow]:
    """Total paid from each source to each target (or, with `by="country"`, between the
    values of that node attribute), per currency, largest first."""
    label = (lambda node: str(net.node(node).get(by) or "?")) if by else (lambda node: node)
    cache: dict[str, str] = {}
    totals: dict[tuple[str, str, str], Flow] = {}
    for e in _payments(net):
        s = cache.setdefault(e["source"], label(e["source"]))
        t = cache.setdefault(e["target"], label(e["target"]))
        cur = str(e.get("currency") or "")
        key = (s, t, cur)
        flow = totals.setdefault(key, Flow(s, t, cur, 0.0, 0))
        flow.amount += float(e["weight"])
        flow.count += 1
        flow.evidence.extend(e.get("evidence") or [])
    return sorted(totals.values(), key=lambda f: (-f.amount, f.source, f.target))


def balances(net: Network) -> dict[str, dict[str, float]]:
    """Per currency, each node's received minus paid: the largest sinks are positive,
    the largest sources negative."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for e in _payments(net):
        cur = str(e.get("currency") or "")
        out[cur][e["target"]] += float(e["weight"])
        out[cur][e["source"]] -= float(e["weight"])
    return {cur: dict(nodes) for cur, nodes in out.items()}


def circles(net: Network, max_length: int = 4) -> list[list[str]]:
    """Circular flows: money that comes back to where it started in at most `max_length`
    payments (simple directed cycles of the payment network)."""
    pay = net.filter_edges({e["type"] for e in _payments(net)}).simple()
    if not pay.directed:
        return []
    # directed graphs follow arc direction by default (igraph 1.0 rejects mode="out")
    found = pay.g.simple_cycles(min=2, max=max_length, output="vpath")
    ids = pay.ids
    return sorted(([ids[v] for v in cycle] for cycle in found), key=lambda c: (len(c), c))


@dataclass
class Structuring:
    payer: str
    currency: str
    amounts: list[float]
    first: str
    last: str
    evidence: list[str]
    reason: str


def structuring(
    net: Network,
    threshold: float,
    margin: float = 0.1,
    min_count: int = 3,
    window_days: int = 30,
) -> list[Structuring]:
    """Series of at least `min_count` payments by one payer, each just under the reporting
    `threshold` (within `margin`, e.g. 9,000–9,999 for 10,000), within `window_days`."""
    low = threshold * (1 - margin)
    by_payer: dict[tuple[str, str], list[tuple[dt.date, float, list[str]]]] = defaultdict(list)
    for e in _payments(net):
        amount = float(e["weight"])
        if low <= amount < threshold and e.get("time"):
            day = dt.date.fromisoformat(str(e["time"])[:10])
            key = (e["source"], str(e.get("currency") or ""))
            by_payer[key].append((day, amount, list(e.get("evidence") or [])))
    found = []
    for (payer, cur), items in sorted(by_payer.items()):
        items.sort(key=lambda x: x[0])
        start = 0
        best: tuple[int, int] | None = None
        for end in range(len(items)):
            while (items[end][0] - items[start][0]).days > window_days:
                start += 1
            if end - start + 1 >= min_count and (best is None or end - start > best[1] - best[0]):
                best = (start, end)
        if best is None:
            continue
        run = items[best[0] : best[1] + 1]
        found.append(
            Structuring(
                payer=payer,
                currency=cur,
                amounts=[a for _, a, _ in run],
                first=run[0][0].isoformat(),
                last=run[-1][0].isoformat(),
                evidence=[ev for _, _, evs in run for ev in evs],
                reason=(
                    f"{len(run)} payments between {low:,.0f} and {threshold:,.0f} {cur} "
                    f"within {(run[-1][0] - run[0][0]).days} days, just under the "
                    f"{threshold:,.0f} reporting threshold"
                ),
            )
        )
    return found
