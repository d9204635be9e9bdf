"""Money flows, circles, structuring and routes, on small files whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import write
from unweave.analyze import money, routes
from unweave.graph.build import build_network
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope

TRANSFERS = """date,payer,payer_country,payee,payee_country,amount,currency,channel
2025-01-02,Ada Obi,it,Kofi Mensah,it,950,EUR,mto
2025-01-09,Ada Obi,it,Kofi Mensah,it,980,EUR,mto
2025-01-20,Ada Obi,it,Kofi Mensah,it,930,EUR,mto
2025-03-20,Ada Obi,it,Kofi Mensah,it,990,EUR,mto
2025-01-05,Kofi Mensah,it,Osaro Igbinedion,ng,2500,EUR,hawala
2025-01-06,Osaro Igbinedion,ng,Ada Obi,it,300,EUR,bank
2025-02-01,Bola Ade,it,Kofi Mensah,it,400,EUR,mto
"""
TRAVEL = """name,birth_date,document_number,document_country,date,from_country,to_country
EDOSA Faith,1991,A1,ng,2024-06-01,Nigeria,Niger
EDOSA Faith,1991,A1,ng,2024-07-15,Niger,Libya
EDOSA Faith,1991,A1,ng,2024-09-30,Libya,Italy
OBI Ada,1990,B2,ng,2024-09-30,Libya,Italy
"""


@pytest.fixture
def view(sqlite_store: Store, tmp_path: Path) -> StoreView:
    ingest_file(sqlite_store, write(tmp_path / "t.csv", TRANSFERS), IngestOptions("t", "IT-SCO"))
    ingest_file(sqlite_store, write(tmp_path / "b.csv", TRAVEL), IngestOptions("b", "IT-SCO"))
    return StoreView(sqlite_store, Scope.everything())


def _names(view: StoreView) -> dict[str, str]:
    return {e.id: e.caption for e in view.iter_entities(["LegalEntity"]) if e.id}


def test_flows_between_entities_and_countries(view: StoreView) -> None:
    net = build_network(view)
    names = _names(view)
    top = money.flows(net)[0]
    assert (names[top.source], names[top.target]) == ("Ada Obi", "Kofi Mensah")
    assert top.amount == pytest.approx(950 + 980 + 930 + 990) and top.count == 4
    by_country = {(f.source, f.target): f.amount for f in money.flows(net, by="country")}
    assert by_country[("it", "ng")] == 2500 and by_country[("ng", "it")] == 300


def test_sinks_and_circles(view: StoreView) -> None:
    net = build_network(view)
    names = _names(view)
    euro = money.balances(net)["EUR"]
    sink = max(euro, key=lambda node: euro[node])
    # Osaro takes 2,500 in and sends 300 back; Kofi nets 4,250 - 2,500
    assert names[sink] == "Osaro Igbinedion" and euro[sink] == pytest.approx(2200)
    assert euro[next(n for n in euro if names[n] == "Kofi Mensah")] == pytest.approx(1750)
    circles = [sorted(names[n] for n in c) for c in money.circles(net)]
    assert circles == [["Ada Obi", "Kofi Mensah", "Osaro Igbinedion"]]


def test_structuring_is_a_series_just_under_the_threshold(view: StoreView) -> None:
    net = build_network(view)
    found = money.structuring(net, threshold=1000)
    assert len(found) == 1
    series = found[0]
    assert _names(view)[series.payer] == "Ada Obi"
    # the fourth payment, two months later, is outside the 30-day window
    assert series.amounts == [950, 980, 930]
    assert series.evidence and "just under" in series.reason
    assert money.structuring(net, threshold=1000, min_count=4) == []


def test_routes_chain_legs_into_journeys(view: StoreView) -> None:
    found = routes.journeys(view)
    chains = sorted(tuple(j.countries) for j in found)
    assert chains == [("ly", "it"), ("ng", "ne", "ly", "it")]
    faith = next(j for j in found if len(j.countries) == 4)
    assert faith.origin == "ng" and faith.transit == ["ne", "ly"] and faith.destination == "it"
    data = routes.sankey(found)
    legs = [
        (data["nodes"][s], data["nodes"][t], v)
        for s, t, v in zip(data["source"], data["target"], data["value"], strict=True)
    ]
    assert ("ng", "ne", 1) in legs
    # legs are placed by position in the journey: arriving in Italy first or third leg
    assert sorted(v for _, b, v in legs if b == "it") == [1, 1]
