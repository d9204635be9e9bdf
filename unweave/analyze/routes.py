"""Routes: origin → transit → destination, from travel and border records.

Each person's trips, in date order, make a chain of countries; consecutive legs that
continue where the last one ended are one journey. The Sankey data counts the legs between
countries over all journeys.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from unweave.model import first_value
from unweave.store.reader import StoreView


@dataclass
class Journey:
    person: str
    countries: list[str]  # origin, transits..., destination
    dates: list[str]

    @property
    def origin(self) -> str:
        return self.countries[0]

    @property
    def destination(self) -> str:
        return self.countries[-1]

    @property
    def transit(self) -> list[str]:
        return self.countries[1:-1]


def journeys(view: StoreView) -> list[Journey]:
    canonical = view.canonical_ids()
    country_of = {a.id: first_value(a, "country") for a in view.iter_entities(["Address"]) if a.id}
    legs: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for trip in view.iter_entities(["Trip"]):
        start = country_of.get(first_value(trip, "startLocation") or "")
        end = country_of.get(first_value(trip, "endLocation") or "")
        when = first_value(trip, "startDate") or ""
        if not start or not end:
            continue
        for person in trip.get("involved"):
            legs[canonical.get(person, person)].append((when[:10], start, end))
    out = []
    for person, items in sorted(legs.items()):
        current: Journey | None = None
        for when, start, end in sorted(set(items)):
            if current is not None and current.countries[-1] == start:
                current.countries.append(end)
                current.dates.append(when)
                continue
            if current is not None:
                out.append(current)
            current = Journey(person, [start, end], [when])
        if current is not None:
            out.append(current)
    return out


def route_counts(items: list[Journey]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(j.countries) for j in items)


def sankey(items: list[Journey]) -> dict[str, list]:  # type: ignore[type-arg]
    """Nodes and links for a Sankey diagram: legs between countries, by position."""
    links: Counter[tuple[str, str]] = Counter()
    for j in items:
        for i, (a, b) in enumerate(zip(j.countries, j.countries[1:], strict=False)):
            links[(f"{i}:{a}", f"{i + 1}:{b}")] += 1
    nodes = sorted({n for pair in links for n in pair}, key=lambda n: (int(n.split(":")[0]), n))
    index = {n: i for i, n in enumerate(nodes)}
    return {
        "nodes": [n.split(":", 1)[1] for n in nodes],
        "source": [index[a] for a, _ in links],
        "target": [index[b] for _, b in links],
        "value": list(links.values()),
    }


def by_group(
    items: list[Journey], group_of: dict[str, str]
) -> dict[str, Counter[tuple[str, ...]]]:
    """Routes per organisation (or cell): ``group_of`` maps a person to its group."""
    out: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for j in items:
        group = group_of.get(j.person)
        if group is not None:
            out[group][tuple(j.countries)] += 1
    return dict(out)
