"""Cases and sharing through the API and the pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of


def test_cases_of_a_member(gb_inv: TestClient) -> None:
    listed = gb_inv.get("/api/cases").json()
    assert [c["reference"] for c in listed] == ["JIT-T"]
    case = gb_inv.get("/api/cases/JIT-T").json()
    assert case["case"]["agencies"] == ["GB-NCA", "IT-SCO"]
    assert [s["dataset"] for s in case["shares"]] == ["it_persons"]
    assert "JIT-T" in gb_inv.get("/cases").text
    assert gb_inv.get("/api/cases/NOPE").status_code == 404


def test_share_and_withdraw(it_coord: TestClient, gb_inv: TestClient) -> None:
    csrf = csrf_of(it_coord)
    assert gb_inv.get("/api/search?q=Edosa").json()["total"] == 0
    made = it_coord.post(
        "/api/cases/JIT-T/shares", json={"dataset": "it_arrests"}, headers={"X-CSRF-Token": csrf}
    )
    assert made.status_code == 200, made.text
    share_id = made.json()[0]["id"]
    assert gb_inv.get("/api/search?q=Edosa").json()["total"] == 1
    page = it_coord.post(
        "/cases/JIT-T/revoke", data={"share_id": share_id, "csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert page.status_code == 303
    assert gb_inv.get("/api/search?q=Edosa").json()["total"] == 0
    shares = it_coord.get("/api/cases/JIT-T").json()["shares"]
    assert any(s["id"] == share_id and s["revoked_at"] for s in shares)
    # The partner no longer sees the withdrawn share's row at all.
    assert all(s["id"] != share_id for s in gb_inv.get("/api/cases/JIT-T").json()["shares"])


def test_share_entities_from_the_page(it_coord: TestClient, gb_inv: TestClient) -> None:
    csrf = csrf_of(it_coord, "/cases/JIT-T")
    answer = it_coord.post(
        "/cases/JIT-T/share", data={"entities": "it-p-001", "csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303


def test_partners_cannot_share_what_is_not_theirs(gb_coord: TestClient) -> None:
    answer = gb_coord.post(
        "/api/cases/JIT-T/shares",
        json={"dataset": "it_arrests"},
        headers={"X-CSRF-Token": csrf_of(gb_coord)},
    )
    assert answer.status_code == 403


def test_open_a_case(it_coord: TestClient, it_inv: TestClient) -> None:
    csrf = csrf_of(it_coord)
    made = it_coord.post(
        "/api/cases", json={"reference": "JIT-NEW", "title": "new"}, headers={"X-CSRF-Token": csrf}
    )
    assert made.status_code == 200 and made.json()["owner"] == "IT-SCO"
    added = it_coord.post(
        "/api/cases/JIT-NEW/members", json={"name": "it.inv"}, headers={"X-CSRF-Token": csrf}
    )
    assert "it.inv" in added.json()["members"]
    agency = it_coord.post(
        "/api/cases/JIT-NEW/agencies", json={"name": "GB-NCA"}, headers={"X-CSRF-Token": csrf}
    )
    assert agency.json()["agencies"] == ["GB-NCA", "IT-SCO"]
    assert it_inv.post(
        "/api/cases", json={"reference": "X", "title": "x"},
        headers={"X-CSRF-Token": csrf_of(it_inv)},
    ).status_code == 403  # fmt: skip
