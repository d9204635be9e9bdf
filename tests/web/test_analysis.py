"""The analysis report of a case, the timeline, routes and money."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient


def _report(client: TestClient, case: str) -> dict:  # type: ignore[type-arg]
    for _ in range(240):
        answer = client.get("/api/analysis/report", params={"case": case})
        if answer.status_code == 200:
            return answer.json()
        assert answer.status_code == 202 and answer.json()["status"] == "preparing"
        time.sleep(0.5)
    raise AssertionError("the report was never ready")


def test_report_of_a_case(it_inv: TestClient, gb_inv: TestClient) -> None:
    mine = _report(it_inv, "JIT-T")["report"]
    assert mine["nodes"] > 0 and mine["key_players"]
    assert {h["agency"] for h in mine["handling"]} == {"IT-SCO"}
    theirs = _report(gb_inv, "JIT-T")["report"]
    datasets = {h["dataset"] for h in theirs["handling"]}
    assert "it_persons" in datasets and "it_arrests" not in datasets
    page = gb_inv.get("/report?case=JIT-T")
    assert page.status_code == 200 and "Key players" in page.text
    assert "it_arrests" not in page.text


def test_report_page_while_preparing_reloads_itself(it_coord: TestClient) -> None:
    page = it_coord.get("/report")
    assert page.status_code == 200
    if "preparing" in page.text:
        assert '<meta http-equiv="refresh"' in page.text


def test_timeline(it_inv: TestClient) -> None:
    data = it_inv.get("/api/analysis/timeline").json()
    assert data["total"] == len(data["events"]) or len(data["events"]) == 2000
    dates = [e["date"] for e in data["events"]]
    assert dates == sorted(dates)
    page = it_inv.get("/timeline")
    assert page.status_code == 200 and "/static-lib/plotly.min.js" in page.text


def test_routes_and_money(it_inv: TestClient, web_store) -> None:  # type: ignore[no-untyped-def]
    routes = it_inv.get("/api/analysis/routes").json()
    assert set(routes["sankey"]) == {"nodes", "source", "target", "value"}
    money = it_inv.get("/api/analysis/money").json()
    assert set(money) == {"flows", "countries", "circles"}
    assert it_inv.get("/routes").status_code == 200
    assert it_inv.get("/money").status_code == 200
    assert (
        it_inv.get("/static-lib/plotly.min.js")
        .headers["content-type"]
        .startswith("text/javascript")
    )


def test_money_of_another_agency_stays_hidden(app, web_store) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import login
    from unweave.access.identity import add_user

    add_user(web_store, "de.analyst", "DE-BKA", "analyst", "a long test password")
    germany = login(TestClient(app), "de.analyst")
    flows = germany.get("/api/analysis/money").json()["flows"]
    assert flows, "DE-BKA sees its own transfers"
    italy = login(TestClient(app), "it.inv").get("/api/analysis/money").json()["flows"]
    assert italy == []  # the German transfers are not shared with anyone
