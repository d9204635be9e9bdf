"""The investigation graph from the store: nodes, typed edges with evidence, filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import load_manifest_into
from unweave.graph.build import GraphFilter, build_network
from unweave.resolve.clusters import rebuild
from unweave.resolve.judgements import POSITIVE, judge
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.registry import get_dataset
from unweave.store.scope import Scope


@pytest.fixture
def loaded(sqlite_store: Store, examples: Path) -> Store:
    load_manifest_into(sqlite_store, examples / "manifest.yaml")
    return sqlite_store


def _edges(net, kind):  # type: ignore[no-untyped-def]
    return [e for e in net.edges() if e["type"] == kind]


def test_calls_are_aggregated_between_phones_with_evidence(loaded: Store) -> None:
    view = StoreView(loaded, Scope.everything())
    net = build_network(view)
    calls = {(e["source"], e["target"]): e for e in _edges(net, "call")}
    libya_italy = calls[("phone:+218912345678", "phone:+393471234567")]
    assert libya_italy["count"] == 2 and libya_italy["duration"] == 312 + 610
    assert libya_italy["first"].startswith("2024-09-28") and libya_italy["last"].startswith(
        "2024-10-03"
    )
    facts = {f.id: f for f in view.iter_facts()}
    assert libya_italy["evidence"] and all(
        facts[i].dataset == "ly_calls" for i in libya_italy["evidence"]
    )


def test_payments_sum_per_currency_and_people_meet_at_shared_phones(loaded: Store) -> None:
    net = build_network(StoreView(loaded, Scope.everything()))
    payments = _edges(net, "payment")
    rent = [e for e in payments if e["currency"] == "EUR" and e["weight"] in (2950, 2980)]
    assert len(rent) == 2 and rent[0]["source"] == rent[1]["source"]  # one edge per payment
    assert {e["time"] for e in rent} == {"2025-02-03", "2025-02-10"}
    holders = {e["source"] for e in _edges(net, "phone") if e["target"] == "phone:+393471234567"}
    # Blessing Osagie in three sources (persons, arrests, a seized phone's contacts)
    assert len(holders) == 3
    assert {net.node(h)["kind"] for h in holders} == {"Person"}


def test_resolved_records_are_one_node(loaded: Store) -> None:
    view = StoreView(loaded, Scope.everything())
    before = build_network(view)
    arrest = next(
        e["source"]
        for e in _edges(before, "phone")
        if e["target"] == "phone:+393471234567" and e["source"] != "it-p-002"
    )
    judge(loaded, "it-p-002", arrest, POSITIVE, "anna", "same person: phone, name, year")
    with loaded.engine.begin() as conn:
        mapping, _ = rebuild(conn)
    after = build_network(view)
    assert len(after) == len(before) - 1
    assert mapping["it-p-002"] in after.ids and "it-p-002" not in after.ids


def test_filters_by_time_and_type(loaded: Store) -> None:
    view = StoreView(loaded, Scope.everything())
    september = build_network(view, GraphFilter(start="2024-09-01", end="2024-09-30"))
    assert {e["first"][:7] for e in _edges(september, "call")} == {"2024-09"}
    assert _edges(september, "payment") == []  # the transfers are of 2025
    assert _edges(september, "phone")  # holding a phone is not an event: kept
    only_money = build_network(view, GraphFilter(edge_types=frozenset({"payment"})))
    assert {e["type"] for e in only_money.edges()} == {"payment"}


def test_graph_holds_only_what_the_reader_may_see(loaded: Store) -> None:
    calls_only = Scope.of([get_dataset(loaded, "ly_calls").id])
    net = build_network(StoreView(loaded, calls_only))
    assert {e["type"] for e in net.edges()} == {"call"}
    assert all(n.startswith("phone:") for n in net.ids)


def test_paths_carry_their_evidence(loaded: Store) -> None:
    from unweave.analyze.paths import shortest_paths, simple_paths

    view = StoreView(loaded, Scope.everything())
    net = build_network(view).undirected()
    # Ahmed Ibrahim (it_persons) reaches Blessing Osagie: they are associates
    paths = shortest_paths(net, "it-p-001", "it-p-002")
    assert paths and all(p.nodes[0] == "it-p-001" and p.nodes[-1] == "it-p-002" for p in paths)
    longer = simple_paths(net, "it-p-001", "it-p-002", max_length=3)
    assert len(longer) > len(paths)
    # ... and through his phone, which called hers
    via_phones = [p for p in longer if "phone:+218912345678" in p.nodes]
    assert via_phones
    for path in via_phones:
        facts = view.facts_by_id(path.evidence)
        assert facts and all(f.agency and f.dataset and f.source_file for f in facts)
        assert {"it_persons", "ly_calls"} <= {f.dataset for f in facts}
    # a reader who sees only the calls sees the calls' evidence and nothing else
    calls_only = StoreView(loaded, Scope.of([get_dataset(loaded, "ly_calls").id]))
    visible = calls_only.facts_by_id(via_phones[0].evidence)
    assert visible and {f.dataset for f in visible} == {"ly_calls"}


def test_one_read_gives_every_window(loaded: Store) -> None:
    from unweave.graph.build import collect

    view = StoreView(loaded, Scope.everything())
    seen = collect(view)
    whole = seen.network()
    calls = _edges(whole, "call")
    months = sorted({e[t][:7] for e in calls for t in ("first", "last")})
    assert len(months) == 2
    # each dated call falls in exactly one month: the windows share out the whole
    counts = sum(
        e["count"]
        for month in months
        for e in _edges(seen.network(GraphFilter(start=month, end=month)), "call")
    )
    assert counts == sum(e["count"] for e in calls)
    for month in months:  # made from memory, the same as a build that reads the store
        assert (
            seen.network(GraphFilter(start=month, end=month)).edges()
            == build_network(view, GraphFilter(start=month, end=month)).edges()
        )
