"""The link chart's API: neighbourhoods, paths with evidence, GraphML export; the page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

NS = "{http://graphml.graphdrawing.org/xmlns}"


def _ibrahim(client: TestClient) -> str:
    return client.get("/api/search?q=Ibrahim Ahmed").json()["results"][0]["id"]


def _osagie(client: TestClient) -> str:
    return client.get("/api/search?q=Osagie").json()["results"][0]["id"]


def test_neighbourhood_and_expansion(it_inv: TestClient) -> None:
    node = _osagie(it_inv)
    one = it_inv.get("/api/graph/neighbourhood", params={"node": node, "depth": 1}).json()
    ids = {n["id"] for n in one["nodes"]}
    ibrahim = _ibrahim(it_inv)
    assert {node, ibrahim, "phone:+393471234567"} <= ids
    assert "phone:+218912345678" not in ids  # two steps away
    assert {"associate", "phone"} <= set(one["types"])
    more = it_inv.get("/api/graph/neighbourhood", params={"node": ibrahim, "depth": 1}).json()
    assert "phone:+218912345678" in {n["id"] for n in more["nodes"]}
    for n in one["nodes"]:
        assert set(n) >= {"id", "label", "kind", "cell", "leader"}


def test_filter_by_edge_type_and_time(it_inv: TestClient) -> None:
    node = _osagie(it_inv)
    ties = it_inv.get(
        "/api/graph/neighbourhood", params={"node": node, "types": "associate"}
    ).json()
    assert {e["type"] for e in ties["edges"]} == {"associate"}
    # An undated tie is left out as soon as a time window is asked for.
    window = it_inv.get(
        "/api/graph/neighbourhood",
        params={"node": node, "types": "associate", "start": "2025-01-01", "end": "2025-12"},
    ).json()
    assert window["edges"] == []


def test_shortest_path_with_evidence(it_inv: TestClient) -> None:
    source = _ibrahim(it_inv)
    target = it_inv.get("/api/search?q=Osagie").json()["results"][0]["id"]
    data = it_inv.get("/api/graph/paths", params={"source": source, "target": target}).json()
    path = data["paths"][0]
    assert path["nodes"][0]["id"] == source and path["nodes"][-1]["id"] == target
    assert path["steps"][0]["evidence"], "each step names the statements behind it"
    assert path["steps"][0]["evidence"][0]["dataset"]


def test_graphml_export(it_inv: TestClient) -> None:
    node = _ibrahim(it_inv)
    answer = it_inv.get("/api/graph/graphml", params={"nodes": f"{node},phone:+218912345678"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/graphml+xml")
    root = ET.fromstring(answer.content)
    nodes = root.findall(f"{NS}graph/{NS}node")
    assert {n.get("id") for n in nodes} == {node, "phone:+218912345678"}
    assert len(root.findall(f"{NS}graph/{NS}edge")) == 1


def test_a_node_of_another_agency_is_unknown(gb_inv: TestClient) -> None:
    # Libya's call records are not shared with GB-NCA; its phone numbers are no nodes.
    answer = gb_inv.get("/api/graph/neighbourhood", params={"node": "phone:+218912345678"})
    assert answer.status_code in (200, 404)
    if answer.status_code == 200:
        assert all(e["type"] != "call" for e in answer.json()["edges"])


def test_chart_page(it_inv: TestClient, dpo: TestClient) -> None:
    page = it_inv.get("/chart?node=it-p-001")
    assert page.status_code == 200 and "/static/vendor/cytoscape.min.js" in page.text
    assert "<script>" not in page.text  # every script is a file
    assert dpo.get("/chart").status_code == 403
