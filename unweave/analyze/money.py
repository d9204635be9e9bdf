"""Money: flows between entities and countries, sources and sinks, circles, structuring.

Flows are read from the payment edges of the graph; structuring needs the payments one by
one, so it reads them from the store (through the reader's scope).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from unweave.graph.network import Network
from unweave.store.reader import StoreView


@dataclass
class Flow:
    source: str
    target: str
    currency: str
    amount: float
    count: int


def flows(net: Network) -> list[Flow]:
    """Money between entities, per currency, largest first."""
    out = []
    for e in net.edges():
        if e.get("type") != "payment":
            continue
        for currency, amount in (e.get("amounts") or {}).items():
            out.append(Flow(e["source"], e["target"], currency, amount, int(e.get("count") or 0)))
    return sorted(out, key=lambda f: (-f.amount, f.source, f.target))


def country_flows(net: Network) -> list[Flow]:
    """Money between countries (of the paying and the paid entity), per currency."""
    country = dict(zip(net.ids, net.g.vs["country"], strict=True))
    total: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for f in flows(net):
        key = (country.get(f.source) or "?", country.get(f.target) or "?", f.currency)
        total[key][0] += f.amount
        total[key][1] += f.count
    return sorted(
        (Flow(a, b, c, v[0], int(v[1])) for (a, b, c), v in total.items()),
        key=lambda f: (-f.amount, f.source, f.target),
    )


@dataclass
class Balance:
    entity: str
    currency: str
    received: float
    paid: float

    @property
    def net(self) -> float:
        return self.received - self.paid


def balances(net: Network) -> list[Balance]:
    """Per entity and currency; sinks (collectors) have the largest net intake."""
    acc: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for f in flows(net):
        acc[(f.target, f.currency)][0] += f.amount
        acc[(f.source, f.currency)][1] += f.amount
    out = [Balance(e, c, r, p) for (e, c), (r, p) in acc.items()]
    return sorted(out, key=lambda b: (-b.net, b.entity))


def circles(net: Network, max_length: int = 4, limit: int = 100) -> list[list[str]]:
    """Money that comes back: directed payment cycles of up to ``max_length`` entities."""
    money = net.filter_edges({"payment"}).simple(directed=True)
    g = money.g
    names = g.vs["name"]
    found: set[tuple[str, ...]] = set()
    for start in range(g.vcount()):
        if not g.successors(start):
            continue
        stack = [(start, [start])]
        while stack and len(found) < limit:
            node, path = stack.pop()
            for nxt in g.successors(node):
                if nxt == start and len(path) > 1:
                    cycle = [names[v] for v in path]
                    i = cycle.index(min(cycle))  # one rotation per cycle
                    found.add(tuple(cycle[i:] + cycle[:i]))
                elif nxt > start and nxt not in path and len(path) < max_length:
                    stack.append((nxt, [*path, nxt]))
    return [list(c) for c in sorted(found, key=lambda c: (len(c), c))]


@dataclass
class Structuring:
    """A series of payments from one payer, each just under a reporting threshold."""

    payer: str
    currency: str
    threshold: float
    payments: list[tuple[str, float, str]] = field(default_factory=list)  # date, amount, id

    @property
    def total(self) -> float:
        return sum(a for _, a, _ in self.payments)


# Money-transfer operators must identify customers from about 1,000 EUR (EU AMLR); series
# of transfers just below are the classic split. Pass thresholds for other rules.
DEFAULT_THRESHOLDS = {"EUR": 1_000.0, "GBP": 1_000.0, "USD": 1_000.0}


def structuring(
    view: StoreView,
    thresholds: dict[str, float] | None = None,
    band: float = 0.1,
    min_count: int = 3,
    window_days: int = 30,
) -> list[Structuring]:
    """Payers who split money into several payments just below a threshold, within a window.

    ``band`` is how close below the threshold counts (0.1: from 90 % up to it).
    """
    limits = thresholds or DEFAULT_THRESHOLDS
    near: dict[tuple[str, str], list[tuple[str, float, str]]] = defaultdict(list)
    canonical = view.canonical_ids()
    for payment in view.iter_entities(["Payment"]):
        currency = payment.first("currency") or ""
        limit = limits.get(currency)
        when = payment.first("date") or payment.first("startDate")
        if limit is None or not when:
            continue
        try:
            amount = float(payment.first("amount") or "")
        except ValueError:
            continue
        if limit * (1 - band) <= amount < limit:
            for payer in payment.get("payer"):
                near[(canonical.get(payer, payer), currency)].append(
                    (when[:10], amount, payment.id or "")
                )
    out: list[Structuring] = []
    for (payer, currency), items in near.items():
        items.sort()
        # Windows of at least min_count payments; overlapping windows are one series.
        spans: list[list[int]] = []
        start = 0
        for end in range(len(items)):
            while _days(items[start][0], items[end][0]) > window_days:
                start += 1
            if end - start + 1 < min_count:
                continue
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end])
        for first, last in spans:
            out.append(Structuring(payer, currency, limits[currency], items[first : last + 1]))
    return sorted(out, key=lambda s: (-s.total, s.payer))


def _days(a: str, b: str) -> int:
    try:
        return (date.fromisoformat(b) - date.fromisoformat(a)).days
    except ValueError:
        return 0
