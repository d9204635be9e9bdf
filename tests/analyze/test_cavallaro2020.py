"""Cavallaro et al. 2020 (PLoS ONE 15(8): e0236476), Montagna networks: every published value.

The authors' script (github.com/lcucav/criminal-nets, disruption/src/network-disruption.py):
- builds an undirected networkx Graph with add_edge(a, b, weight=w) per row, so for a pair
  listed twice the LAST row's weight wins -> `simple(combine="last")`;
- ranks by a stable ascending sort and takes the last entries: ties go to the node that
  comes last in insertion order -> `tie="last"`; collective influence is sorted with
  numpy's structured sort on (score, id), so its ties go to the largest id -> `tie="id"`;
- weighted betweenness uses the weights as path lengths (networkx weight=), weighted degree
  is strength/(n-1), Katz is katz_centrality_numpy (alpha 0.1), CI = (k-1)·Σ(k_j-1);
- records LCC/LCC_initial before each removal (sequential) or block of 5, and stops when 5
  nodes are left.
The published values are printed with full float precision, so the tolerance is 1e-12.
Katz: in one block (meetings, unweighted, 45 removed) several nodes have mathematically equal
Katz scores and networkx's float rounding, not node order, decided which went first; our
Katz is the same numpy solve, so comparing raw floats (tolerance=0) replays it exactly.
"""

from __future__ import annotations

import csv

import pytest

from tests.analyze.conftest import data_dir
from unweave.analyze.disrupt import simulate
from unweave.graph import read_network

COLUMNS = {
    "Betweenness": "betweenness",
    "Katz": "katz",
    "Collective Influence": "collective_influence",
    "Degree": "degree",
}
FILES = {
    "meeting": "Montagna_meetings_edgelist.csv",
    "phone_calls": "Montagna_phonecalls_edgelist.csv",
}


@pytest.mark.parametrize("network", ["meeting", "phone_calls"])
@pytest.mark.parametrize("mode", ["sequential", "block"])
@pytest.mark.parametrize("weights", ["Unweighted", "Weighted"])
@pytest.mark.parametrize("column", list(COLUMNS))
def test_published_lcc_curve(network: str, mode: str, weights: str, column: str) -> None:
    folder = data_dir("montagna_sicilian_mafia")
    net = read_network(folder / FILES[network]).simple(combine="last")
    with open(folder / f"paper_results_cavallaro2020/lcc_{mode}_{network}_{weights}.csv") as fh:
        published = list(csv.DictReader(fh))
    strategy = COLUMNS[column]
    rows = simulate(
        net,
        strategy,
        mode="sequential" if mode == "sequential" else "block",
        block_size=5,
        weighted=weights == "Weighted",
        tie="id" if strategy == "collective_influence" else "last",
        tolerance=0.0 if strategy == "katz" else 1e-9,
        min_nodes=5,
    )
    assert len(rows) >= len(published)
    for row, pub in zip(rows, published, strict=False):
        assert row.removed == int(pub["No"])
        assert row.lcc_fraction == pytest.approx(float(pub[column]), abs=1e-12), pub["No"]


def test_network_sizes_match_source_notes() -> None:
    folder = data_dir("montagna_sicilian_mafia")
    meetings = read_network(folder / FILES["meeting"]).simple(combine="last")
    phones = read_network(folder / FILES["phone_calls"])
    assert (len(meetings), meetings.edge_count) == (101, 256)
    assert (len(phones), phones.edge_count) == (100, 150)
    assert phones.simple(combine="last").edge_count == 124


def test_abstract_claim_top_five_betweenness() -> None:
    """'top 5% by betweenness -> up to 70% LCC reduction': 0.424 and 0.247 after 5 removals."""
    folder = data_dir("montagna_sicilian_mafia")
    for name, expected in (("meeting", 0.424), ("phone_calls", 0.247)):
        net = read_network(folder / FILES[name]).simple(combine="last")
        rows = simulate(net, "betweenness", steps=5)
        assert rows[5].lcc_fraction == pytest.approx(expected, abs=5e-4)  # 3 decimals
