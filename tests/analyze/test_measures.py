"""Measures, cells, brokerage and time windows on small networks with known answers."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.analyze.conftest import data_dir
from unweave.analyze import brokerage, cells, measures, structure, timeline
from unweave.analyze.disrupt import ranking, simulate
from unweave.graph import NetworkBuilder
from unweave.graph.network import Network
from unweave.graph.readers import read_matrix


def karate() -> tuple[Network, nx.Graph]:
    g = nx.karate_club_graph()
    b = NetworkBuilder()
    for u, v in g.edges():
        b.add_edge(str(u), str(v), weight=float(g[u][v].get("weight", 1)))
    net = b.build()
    ref = nx.relabel_nodes(g, {i: str(i) for i in g}, copy=True)
    return net, ref


def as_dict(net: Network, values: list[float]) -> dict[str, float]:
    return dict(zip(net.ids, values, strict=True))


def test_measures_agree_with_networkx() -> None:
    net, g = karate()
    checks = {
        "betweenness": (measures.betweenness(net), nx.betweenness_centrality(g)),
        "pagerank": (measures.pagerank(net, weighted=True), nx.pagerank(g, tol=1e-12)),
        "coreness": (measures.coreness(net), nx.core_number(g)),
        "constraint": (measures.constraint(net), nx.constraint(g)),
        "closeness": (measures.closeness(net, distance=False), nx.closeness_centrality(g)),
        "katz": (measures.katz(net), nx.katz_centrality_numpy(g, weight=None)),
    }
    for name, (ours, theirs) in checks.items():
        mine = as_dict(net, ours)
        for node, value in theirs.items():
            assert mine[node] == pytest.approx(value, abs=1e-6), (name, node)
    # weights as lengths (integers: no float ties, see test_anastasiadis2024 for those)
    weighted = as_dict(net, measures.betweenness(net, weighted=True))
    assert weighted == pytest.approx(nx.betweenness_centrality(g, weight="weight"), abs=1e-9)


def test_sampled_betweenness_is_exact_with_all_sources_and_states_error() -> None:
    net, _ = karate()
    exact = measures.betweenness(net)
    full = measures.sampled_betweenness(net, k=len(net), batches=4)
    assert full.values == pytest.approx(exact, abs=1e-12)
    part = measures.sampled_betweenness(net, k=12, batches=4, seed=1)
    assert part.sources == 12
    assert all(se >= 0 for se in part.stderr)
    assert "unbiased" in part.estimator


def test_directed_degrees_and_collective_influence() -> None:
    b = NetworkBuilder(directed=True)
    for s, t, w in [("a", "b", 2), ("a", "c", 1), ("c", "b", 5)]:
        b.add_edge(s, t, weight=w)
    net = b.build()
    assert measures.degree(net, "out") == [2, 0, 1]
    assert measures.degree(net, "in", weighted=True) == [0, 7, 1]
    # CI radius 1 on the undirected star-ish triangle: every node has 2 neighbours of degree 2
    assert measures.collective_influence(net.undirected()) == [2, 2, 2]


def test_ranking_ties() -> None:
    ids = ["10", "2", "3"]
    assert ranking([1.0, 1.0, 0.5], ids, tie="last")[0] == 1
    assert ranking([1.0, 1.0, 0.5], ids, tie="first")[0] == 0
    assert ranking([1.0, 1.0 + 1e-15, 0.5], ids, tie="id")[0] == 0  # 10 > 2 numerically


def test_disruption_modes_and_random_seed() -> None:
    net, _ = karate()
    seq = simulate(net, "degree", steps=3)
    assert [s.removed for s in seq] == [0, 1, 2, 3]
    assert seq[1].nodes == ["33"]  # the club's administrator (highest degree)
    block = simulate(net, "betweenness", mode="block", block_size=2, steps=2)
    assert [s.removed for s in block] == [0, 2, 4]
    fixed = simulate(net, "degree", steps=4, recompute=False)
    assert len(fixed) == 5
    r1 = simulate(net, "random", steps=5, seed=7)
    r2 = simulate(net, "random", steps=5, seed=7)
    assert [s.nodes for s in r1] == [s.nodes for s in r2]


def test_leiden_cells_and_summary() -> None:
    b = NetworkBuilder(directed=True)
    for cluster, country in ((("a1", "a2", "a3", "a4"), "RO"), (("b1", "b2", "b3", "b4"), "IT")):
        for node in cluster:
            b.add_node(node, country=country)
        for i, u in enumerate(cluster):
            for v in cluster[i + 1 :]:
                b.add_edge(u, v, weight=3, type="call")
    b.add_edge("b1", "a1", weight=900, type="payment")
    net = b.build()
    membership = cells.leiden(net.filter_edges(["call"]).undirected())
    assert membership[:4] == [membership[0]] * 4
    assert membership[0] != membership[4]
    summary = {
        c.countries and next(iter(c.countries)): c for c in cells.summarise(net, membership)
    }
    assert summary["RO"].money_in == 900 and summary["IT"].money_out == 900
    assert summary["RO"].size == 4 and summary["RO"].internal_ties == 6
    score = cells.compare(membership, [0, 0, 0, 0, 1, 1, 1, 1])
    assert score == {"ari": 1.0, "nmi": 1.0}
    directed = cells.leiden(net.filter_edges(["call"]), engine="leidenalg")
    assert len(set(directed)) == 2


def test_brokerage_roles() -> None:
    # a(RO) -> b(IT) -> c(IT): b is a gatekeeper; c -> d(NG): ...
    b = NetworkBuilder(directed=True)
    for s, t in [("a", "b"), ("b", "c"), ("c", "d"), ("e", "c")]:
        b.add_edge(s, t)
    net = b.build()
    groups = {"a": "RO", "b": "IT", "c": "IT", "d": "NG", "e": "RO"}
    roles = dict(zip(net.ids, brokerage.brokerage(net, [groups[i] for i in net.ids]), strict=True))
    assert roles["b"]["gatekeeper"] == 1  # RO -> [IT] -> IT
    assert roles["c"]["representative"] == 1  # IT -> [IT] -> NG
    assert roles["c"]["liaison"] == 1  # RO -> [IT] -> NG
    assert sum(roles["a"].values()) == 0


def test_structure_figures() -> None:
    net, g = karate()
    assert structure.density(net) == pytest.approx(nx.density(g))
    unweighted = structure.average_clustering(net, weighted=False)
    assert unweighted == pytest.approx(nx.average_clustering(g))
    assert structure.average_clustering(net) == pytest.approx(
        nx.average_clustering(g, weight="weight")
    )
    assert structure.global_efficiency(net) == pytest.approx(nx.global_efficiency(g))
    assert structure.entropy([1, 1, 1, 1], 4) == pytest.approx(1.0)


def test_caviar_phases_leaders_move() -> None:
    """Morselli's shift: N1 (Serero) leads degree in phases 1-8; N3 leads in phase 9; N12
    (Perlini) leads degree in phase 11 and N41 betweenness in phase 11 (SOURCE.md)."""
    folder = data_dir("caviar_morselli") / "phases_directed_valued"
    windows = {
        f"phase {i}": read_matrix(folder / f"phase{i}.csv").undirected() for i in range(1, 12)
    }
    tracks = {t.node: t.ranks for t in timeline.track(windows, measures.degree, top=1)}
    assert tracks["1"][:8] == [1] * 8
    assert tracks["3"][8] == 1
    assert tracks["12"][10] == 1
    btw = {t.node: t.ranks for t in timeline.track(windows, measures.betweenness, top=1)}
    assert btw["41"][10] == 1
    assert btw["41"][0] is None  # not yet in the network


def test_time_window_filter() -> None:
    b = NetworkBuilder()
    b.add_edge("a", "b", time="2024-01-05")
    b.add_edge("b", "c", time="2024-03-01")
    net = b.build()
    assert timeline.window(net, "2024-01-01", "2024-02-01").edge_count == 1
    assert timeline.ranks([3.0, 5.0, 3.0], ["x", "y", "z"]) == {"y": 1, "x": 2, "z": 2}
