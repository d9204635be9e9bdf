"""The investigation graph, built from the resolved store through the reader's scope.

Nodes are resolved persons and organisations, plus the identifiers they share (phones,
e-mails, addresses, accounts, vehicles) and ads. Edges carry a type, a weight and the ids
of the statements that justify them:

- ``call`` phone → phone: count (weight), total duration, first and last;
- ``payment`` payer → beneficiary: one edge per payment, weight = the amount, with its
  ``currency`` and ``time`` (what unweave.analyze.money reads);
- FtM relationship schemata (``family``, ``associate``, ``employment``, ``membership``,
  ...): their source → target;
- ``co-travel`` between people on the same journey (date, vehicle or route);
- ``phone``, ``email``, ``address``, ``account``, ``vehicle``, ``ad``: an entity and an
  identifier it holds (so two people sharing a phone meet at the phone's node).

The store is read once (``collect``); each observation keeps its time, so the graph of any
time window or edge type is then made from memory (``Observations.network``) without
reading the store again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from followthemoney import StatementEntity

from unweave.graph.network import Network, NetworkBuilder
from unweave.model import first_value
from unweave.normalize.names import latin
from unweave.store.reader import StoreView

PARTY = "LegalEntity"
TIMELESS = {"phone", "email", "address", "account", "vehicle"}
IDENTIFIER_PROPS = {"phone": "phone", "email": "email", "address": "address"}


@dataclass(frozen=True)
class GraphFilter:
    start: str | None = None  # ISO date (prefix) from which edges count
    end: str | None = None  # ISO date (prefix) up to which edges count
    edge_types: frozenset[str] | None = None

    def in_window(self, when: str | None) -> bool:
        if when is None:  # an undated event counts only when no window is asked for
            return self.start is None and self.end is None
        if self.start is not None and when[: len(self.start)] < self.start:
            return False
        return not (self.end is not None and when[: len(self.end)] > self.end)

    def wants(self, edge_type: str) -> bool:
        return self.edge_types is None or edge_type in self.edge_types


@dataclass
class _Edge:
    count: int = 0
    duration: float = 0.0
    first: str | None = None
    last: str | None = None
    evidence: list[str] = field(default_factory=list)

    def see(self, when: str | None, evidence: Iterable[str]) -> None:
        self.count += 1
        self.evidence.extend(evidence)
        if when:
            self.first = min(self.first or when, when)
            self.last = max(self.last or when, when)


def _ids(entity: StatementEntity, *props: str) -> list[str]:
    return sorted(
        s.id for p in props for s in entity.get_statements(p, quiet=True) if s.id is not None
    )


def _when(entity: StatementEntity) -> str | None:
    for prop in ("startDate", "date", "postedAt", "endDate"):
        value = first_value(entity, prop)
        if value:
            return value
    return None


class _Collector:
    """Reads entities and keeps every observation with its time, unfiltered."""

    def __init__(self, canonical: dict[str, str]) -> None:
        self.canonical = canonical
        self.nodes: dict[str, dict[str, Any]] = {}
        # kind, a, b, time, evidence, call duration; `timed` False = holding an identifier
        self.events: list[tuple[str, str, str, str | None, list[str], float, bool]] = []
        self.trips: dict[tuple[str, str], list[tuple[str, list[str]]]] = defaultdict(list)
        self.payments: list[tuple[str, str, float, str, str | None, list[str]]] = []

    def ref(self, entity_id: str) -> str:
        return self.canonical.get(entity_id, entity_id)

    def edge(
        self,
        kind: str,
        a: str,
        b: str,
        when: str | None,
        evidence: list[str],
        duration: float = 0.0,
        timed: bool | None = None,
    ) -> None:
        """One observation of an edge; holding an identifier (kinds in TIMELESS) is not an
        event and counts whatever the time window."""
        timed = kind not in TIMELESS if timed is None else timed
        self.events.append((kind, a, b, when, evidence, duration, timed))

    def node(self, node_id: str, kind: str, label: str, country: str | None = None) -> None:
        attrs = self.nodes.setdefault(node_id, {})
        attrs.update(
            {
                k: v
                for k, v in (("kind", kind), ("label", label), ("country", country))
                if v is not None
            }
        )

    def identifiers(self, entity: StatementEntity, node: str) -> None:
        for prop, kind in IDENTIFIER_PROPS.items():
            for stmt in entity.get_statements(prop, quiet=True):
                key = latin(stmt.value) if kind == "address" else stmt.value
                ident = f"{kind}:{key}"
                self.node(ident, kind, stmt.value)
                self.edge(kind, node, ident, None, [stmt.id] if stmt.id else [])

    def add(self, entity: StatementEntity) -> None:
        schema = entity.schema
        eid = self.ref(entity.id or "")
        if schema.is_a(PARTY):
            country = first_value(entity, "country") or first_value(entity, "nationality")
            self.node(eid, schema.name, entity.caption, country)
            self.identifiers(entity, eid)
        elif schema.name == "Call":
            self.add_call(entity)
        elif schema.name == "Payment":
            self.add_payment(entity)
        elif schema.name == "Trip":
            self.add_trip(entity)
        elif schema.name in ("BankAccount", "CryptoWallet"):
            self.node(eid, "account", entity.caption)
            for holder in entity.get("holder", quiet=True):
                self.edge("account", self.ref(holder), eid, None, _ids(entity, "holder"))
        elif schema.name == "Vehicle":
            self.node(eid, "vehicle", entity.caption)
        elif schema.name == "OnlineAd":
            self.node(eid, "ad", entity.caption, first_value(entity, "country"))
            self.identifiers(entity, eid)
        elif schema.edge and schema.source_prop and schema.target_prop:
            when = _when(entity)
            evidence = _ids(entity, schema.source_prop.name, schema.target_prop.name)
            for a in entity.get(schema.source_prop, quiet=True):
                for b in entity.get(schema.target_prop, quiet=True):
                    self.edge(schema.name.lower(), self.ref(a), self.ref(b), when, evidence)

    def add_call(self, call: StatementEntity) -> None:
        when = _when(call)
        evidence = _ids(call, "callerNumber", "receiverNumber", "startDate", "duration")
        try:
            duration = float(first_value(call, "duration") or 0)
        except ValueError:
            duration = 0.0
        for a in call.get("callerNumber"):
            for b in call.get("receiverNumber"):
                self.node(f"phone:{a}", "phone", a)
                self.node(f"phone:{b}", "phone", b)
                self.edge("call", f"phone:{a}", f"phone:{b}", when, evidence, duration)

    def add_payment(self, payment: StatementEntity) -> None:
        when = _when(payment)
        evidence = _ids(payment, "payer", "beneficiary", "amount", "currency", "date")
        currency = first_value(payment, "currency") or "?"
        try:
            amount = float(first_value(payment, "amount") or 0)
        except ValueError:
            amount = 0.0
        for a in payment.get("payer"):
            for b in payment.get("beneficiary"):
                self.payments.append((self.ref(a), self.ref(b), amount, currency, when, evidence))
        for prop, party in (("payerAccount", "payer"), ("beneficiaryAccount", "beneficiary")):
            for account in payment.get(prop):
                for holder in payment.get(party):
                    ids = _ids(payment, prop, party)
                    self.edge("account", self.ref(holder), self.ref(account), None, ids)

    def add_trip(self, trip: StatementEntity) -> None:
        when = _when(trip)
        vehicle = first_value(trip, "vehicle")
        route = f"{first_value(trip, 'startLocation')}>{first_value(trip, 'endLocation')}"
        journey = (when or "", self.ref(vehicle) if vehicle else route)
        for person in trip.get("involved"):
            self.trips[journey].append((self.ref(person), _ids(trip, "involved", "startDate")))
            if vehicle:
                # Being in a vehicle on a trip is an event: it counts only in the trip's window.
                ids = _ids(trip, "vehicle")
                self.edge("vehicle", self.ref(person), self.ref(vehicle), when, ids, timed=True)


@dataclass
class Observations:
    """Everything a reader may see, read once: nodes, and each observation with its time."""

    nodes: dict[str, dict[str, Any]]
    events: list[tuple[str, str, str, str | None, list[str], float, bool]]
    trips: dict[tuple[str, str], list[tuple[str, list[str]]]]
    payments: list[tuple[str, str, float, str, str | None, list[str]]]

    def network(self, filters: GraphFilter | None = None) -> Network:
        """The graph within the filters (every node is kept; edges outside are left out)."""
        filters = filters or GraphFilter()
        builder = NetworkBuilder(directed=True)
        for node_id, node_attrs in self.nodes.items():
            builder.add_node(node_id, **node_attrs)
        edges: dict[tuple[str, str, str], _Edge] = defaultdict(_Edge)

        def see(kind: str, a: str, b: str, when: str | None, evidence: list[str]) -> _Edge | None:
            if not filters.wants(kind) or a == b:
                return None
            item = edges[(kind, a, b)]
            item.see(when, evidence)
            return item

        for kind, a, b, when, evidence, duration, timed in self.events:
            if timed and not filters.in_window(when):
                continue
            item = see(kind, a, b, when, evidence)
            if item is not None:
                item.duration += duration
        for (when, _), travellers in self.trips.items():
            if not filters.in_window(when or None):
                continue
            for (a, ev_a), (b, ev_b) in combinations(sorted(travellers), 2):
                see("co-travel", a, b, when or None, ev_a + ev_b)
        for (kind, a, b), item in edges.items():
            attrs: dict[str, Any] = {"count": item.count, "first": item.first, "last": item.last}
            if kind == "call":
                attrs["duration"] = item.duration
            builder.add_edge(
                a, b, weight=float(item.count), type=kind, evidence=item.evidence, **attrs
            )
        if filters.wants("payment"):
            for src, dst, amount, currency, day, proof in self.payments:
                if src != dst and filters.in_window(day):
                    builder.add_edge(
                        src, dst, amount, "payment", proof, currency=currency, time=day, count=1
                    )
        return builder.build()


def collect(view: StoreView) -> Observations:
    """Read what this reader may see, resolved, once."""
    collector = _Collector(view.canonical_ids())
    for entity in view.iter_entities():
        collector.add(entity)
    return Observations(collector.nodes, collector.events, collector.trips, collector.payments)


def build_network(view: StoreView, filters: GraphFilter | None = None) -> Network:
    """The graph of what this reader may see, resolved, within the filters."""
    return collect(view).network(filters)
