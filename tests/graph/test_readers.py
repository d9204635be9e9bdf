"""Readers for outside networks: CSV edge lists, GraphML, GEXF; errors name file, row, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from unweave.errors import InvalidInput
from unweave.graph import NetworkBuilder, read_network
from unweave.graph.readers import read_matrix

GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="directed">
    <attributes class="node">
      <attribute id="0" title="country" type="string"/>
    </attributes>
    <nodes>
      <node id="a" label="Alice"><attvalues><attvalue for="0" value="RO"/></attvalues></node>
      <node id="b" label="Bogdan"><attvalues><attvalue for="0" value="IT"/></attvalues></node>
      <node id="c" label="Chiara"/>
    </nodes>
    <edges>
      <edge id="0" source="a" target="b" weight="3"/>
      <edge id="1" source="b" target="c"/>
    </edges>
  </graph>
</gexf>
"""

GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <key id="c" for="node" attr.name="country" attr.type="string"/>
  <graph id="G" edgedefault="undirected">
    <node id="n1"><data key="c">NG</data></node>
    <node id="n2"><data key="c">IT</data></node>
    <node id="n3"/>
    <edge source="n1" target="n2"><data key="w">2.5</data></edge>
    <edge source="n2" target="n3"><data key="w">1</data></edge>
  </graph>
</graphml>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_header_and_weights(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "source,target,weight\nA,B,2\nB,C,1.5\nA,B,1\n")
    net = read_network(path)
    assert net.ids == ["A", "B", "C"]
    assert net.edge_count == 3
    simple = net.simple()
    assert simple.edge_count == 2
    assert sorted(simple.g.es["weight"]) == [1.5, 3.0]
    assert simple.simple(combine="last").g.es["weight"] == simple.g.es["weight"]
    assert net.edges()[0]["evidence"] == [f"{path}:2"]


def test_csv_headerless_whitespace_and_last_weight_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "e.txt", "1\t2\t5\n2\t1\t6\n2\t3\t1\n")
    net = read_network(path)
    assert net.simple(combine="last").g.es["weight"] == [6.0, 1.0]
    assert net.simple(combine="sum").g.es["weight"] == [11.0, 1.0]
    assert read_network(path, directed=True).simple().edge_count == 3


def test_csv_header_in_any_order_and_without_weight(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "to;from\nB;A\nC;B\n")
    net = read_network(path, directed=True)
    assert [(e["source"], e["target"]) for e in net.edges()] == [("A", "B"), ("B", "C")]
    assert net.g.es["weight"] == [1.0, 1.0]


@pytest.mark.parametrize(
    ("text", "row", "field", "words"),
    [
        ("source,target,weight\nA,B,x\n", 2, "weight", "not a number"),
        ("source,target,weight\nA,B,-1\n", 2, "weight", "negative"),
        ("source,target,weight\nA,B,1\nC\n", 3, "target", "missing"),
        ("source,target\nA,B\n,C\n", 3, "source", "empty node id"),
    ],
)
def test_csv_errors_name_file_row_field(
    tmp_path: Path, text: str, row: int, field: str, words: str
) -> None:
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(InvalidInput) as err:
        read_network(path)
    problem = err.value.problem
    assert (problem.file, problem.row, problem.field) == (str(path), row, field)
    assert words in str(err.value)


def test_empty_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        read_network(write(tmp_path, "e.csv", "\n\n"))
    with pytest.raises(InvalidInput, match="unknown network format"):
        read_network(write(tmp_path, "e.xlsx", "x"))
    with pytest.raises(InvalidInput, match="not found"):
        read_network(tmp_path / "missing.csv")


def test_gexf(tmp_path: Path) -> None:
    net = read_network(write(tmp_path, "g.gexf", GEXF))
    assert net.directed
    assert net.ids == ["a", "b", "c"]
    assert net.node("a")["country"] == "RO"
    assert net.node("b")["label"] == "Bogdan"
    assert net.g.es["weight"] == [3.0, 1.0]


def test_gexf_errors(tmp_path: Path) -> None:
    bad = GEXF.replace('weight="3"', 'weight="lots"')
    with pytest.raises(InvalidInput) as err:
        read_network(write(tmp_path, "g.gexf", bad))
    assert (err.value.problem.row, err.value.problem.field) == (1, "weight")
    with pytest.raises(InvalidInput, match="XML"):
        read_network(write(tmp_path, "h.gexf", "<gexf><graph>"))


def test_graphml(tmp_path: Path) -> None:
    net = read_network(write(tmp_path, "g.graphml", GRAPHML))
    assert not net.directed
    assert net.ids == ["n1", "n2", "n3"]
    assert net.node("n1")["country"] == "NG"
    assert net.g.es["weight"] == [2.5, 1.0]
    with pytest.raises(InvalidInput, match="GraphML"):
        read_network(write(tmp_path, "x.graphml", "<graphml><oops"))


def test_matrix(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", '"players","1","2","3"\n"1",0,2,0\n"2",1,0,0\n"3",0,4,0\n')
    net = read_matrix(path)
    assert [(e["source"], e["target"], e["weight"]) for e in net.edges()] == [
        ("1", "2", 2.0),
        ("2", "1", 1.0),
        ("3", "2", 4.0),
    ]


def test_builder_keeps_evidence_and_types() -> None:
    b = NetworkBuilder(directed=True)
    b.add_node("p1", kind="Person", country="NG")
    b.add_edge("p1", "acc1", weight=500, type="payment", evidence=["st1"], currency="EUR")
    b.add_edge("p1", "acc1", weight=250, type="payment", evidence=["st2"], currency="EUR")
    b.add_edge("p1", "acc1", type="call", evidence=["st3"])
    net = b.build()
    assert net.node("p1")["country"] == "NG"
    merged = net.simple()
    assert merged.edge_count == 1
    edge = merged.edges()[0]
    assert edge["weight"] == 751.0
    assert edge["type"] == "payment+call"
    assert edge["evidence"] == ["st1", "st2", "st3"]
    assert net.filter_edges(["payment"]).edge_count == 2
    assert net.without(["p1"]).ids == ["acc1"]
