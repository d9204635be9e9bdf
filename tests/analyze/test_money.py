"""Money flows, sources and sinks, circular flows and structuring on payment edges."""

from __future__ import annotations

from unweave.analyze import money
from unweave.graph import NetworkBuilder
from unweave.graph.network import Network


def payments() -> Network:
    b = NetworkBuilder(directed=True)
    b.add_node("boss", country="AL")
    b.add_node("mule", country="IT")
    b.add_node("shop", country="IT")
    rows = [
        ("mule", "boss", 9500, "2024-03-01", "st-1"),
        ("mule", "boss", 9800, "2024-03-05", "st-2"),
        ("mule", "boss", 9100, "2024-03-20", "st-3"),
        ("mule", "boss", 9900, "2024-06-01", "st-4"),
        ("boss", "shop", 20000, "2024-03-25", "st-5"),
        ("shop", "mule", 5000, "2024-04-01", "st-6"),
    ]
    for s, t, amount, day, ev in rows:
        b.add_edge(s, t, weight=amount, type="payment", evidence=[ev], currency="EUR", time=day)
    b.add_edge("boss", "mule", type="call", evidence=["st-7"])
    return b.build()


def test_flows_between_entities_and_countries() -> None:
    net = payments()
    top = money.flows(net)[0]
    assert (top.source, top.target, top.amount, top.count) == ("mule", "boss", 38300.0, 4)
    assert top.evidence == ["st-1", "st-2", "st-3", "st-4"]
    by_country = {(f.source, f.target): f.amount for f in money.flows(net, by="country")}
    assert by_country == {("IT", "AL"): 38300.0, ("AL", "IT"): 20000.0, ("IT", "IT"): 5000.0}


def test_sources_sinks_and_circles() -> None:
    net = payments()
    eur = money.balances(net)["EUR"]
    assert eur["boss"] == 18300.0 and eur["mule"] == -33300.0
    assert money.circles(net) == [["boss", "shop", "mule"]]


def test_structuring_just_under_threshold() -> None:
    (found,) = money.structuring(payments(), threshold=10000)
    assert found.payer == "mule"
    assert found.amounts == [9500.0, 9800.0, 9100.0]
    assert (found.first, found.last) == ("2024-03-01", "2024-03-20")
    assert found.evidence == ["st-1", "st-2", "st-3"]
    assert "3 payments between 9,000 and 10,000 EUR within 19 days" in found.reason
    assert money.structuring(payments(), threshold=10000, min_count=4) == []


def test_no_circle_without_direction() -> None:
    b = NetworkBuilder(directed=True)
    for s, t in [("a", "b"), ("a", "c"), ("b", "c")]:
        b.add_edge(s, t, weight=100, type="payment")
    assert money.circles(b.build()) == []
