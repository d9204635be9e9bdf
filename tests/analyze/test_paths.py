"""Paths between two entities carry the evidence of every edge on them."""

from __future__ import annotations

import pytest

from unweave.analyze.paths import shortest_paths, simple_paths
from unweave.errors import NotFound
from unweave.graph import NetworkBuilder


def network(directed: bool = False) -> NetworkBuilder:
    b = NetworkBuilder(directed=directed)
    b.add_edge("recruiter", "driver", type="call", weight=12, evidence=["st-1", "st-2"])
    b.add_edge("driver", "madam", type="call", weight=3, evidence=["st-3"])
    b.add_edge("recruiter", "madam", type="payment", weight=1, evidence=["st-4"])
    b.add_edge("recruiter", "madam", type="call", weight=1, evidence=["st-5"])
    b.add_edge("madam", "account", type="payment", weight=5, evidence=["st-6"])
    return b


def test_shortest_path_lists_every_edge_with_evidence() -> None:
    net = network().build()
    (path,) = shortest_paths(net, "recruiter", "madam")
    assert path.nodes == ["recruiter", "madam"]
    assert [e["type"] for e in path.steps[0].edges] == ["payment", "call"]
    assert path.evidence == ["st-4", "st-5"]


def test_weighted_shortest_path_prefers_strong_ties() -> None:
    net = network().build().simple()  # recruiter-madam: 2 (payment+call) -> length 1/2
    (path,) = shortest_paths(net, "recruiter", "madam", weighted=True)
    # via driver: 1/12 + 1/3 = 0.417 < 0.5
    assert path.nodes == ["recruiter", "driver", "madam"]
    assert path.evidence == ["st-1", "st-2", "st-3"]


def test_simple_paths_up_to_a_length_and_direction() -> None:
    net = network().build()
    paths = simple_paths(net, "recruiter", "account", max_length=3)
    assert [p.nodes for p in paths] == [
        ["recruiter", "madam", "account"],
        ["recruiter", "driver", "madam", "account"],
    ]
    assert simple_paths(net, "recruiter", "account", max_length=1) == []
    directed = network(directed=True).build()
    assert simple_paths(directed, "account", "recruiter") == []
    with pytest.raises(NotFound):
        shortest_paths(net, "recruiter", "nobody")
