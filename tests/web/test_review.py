"""The review queue and judgements, within the reader's scope."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of


def test_queue_shows_pairs_with_their_explanation(it_inv: TestClient) -> None:
    data = it_inv.get("/api/review").json()
    assert data["pairs"] and data["can_judge"]
    pair = data["pairs"][0]
    assert pair["evidence"] and {"feature", "level", "reason"} <= set(pair["evidence"][0])
    assert pair["left"]["caption"] and pair["right"]["datasets"]


def test_another_agency_does_not_see_the_pairs(gb_inv: TestClient, it_inv: TestClient) -> None:
    # Both pending pairs involve IT-SCO's border records, not shared into the case.
    assert gb_inv.get("/api/review").json()["pairs"] == []
    border = it_inv.get("/api/review").json()["pairs"][0]["right"]["record"]
    headers = {"X-CSRF-Token": csrf_of(gb_inv)}
    unseen = gb_inv.post(
        "/api/review/judgements",
        json={"left": "it-p-004", "right": border, "judgement": "negative", "reason": "x"},
        headers=headers,
    )
    # Answered as an unknown id would be (the message repeats only what was asked).
    assert unseen.status_code == 404
    assert unseen.json()["message"] == f"no entity {border!r}"
    # Two shared records of IT-SCO: visible to GB-NCA, but not theirs to judge.
    theirs = gb_inv.post(
        "/api/review/judgements",
        json={"left": "it-p-004", "right": "it-p-001", "judgement": "negative", "reason": "x"},
        headers=headers,
    )
    assert theirs.status_code == 403


def test_judge_from_the_page_and_undo_through_the_api(it_inv: TestClient, web_store) -> None:  # type: ignore[no-untyped-def]
    page = it_inv.get("/review").text
    left = re.search(r'name="left" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    right = re.search(r'name="right" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    csrf = csrf_of(it_inv, "/review")
    answer = it_inv.post(
        "/review",
        data={
            "left": left,
            "right": right,
            "judgement": "positive",
            "reason": "same passport",
            "csrf_token": csrf,
        },  # fmt: skip
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/review?done=positive"
    entity = it_inv.get(f"/api/entities/{left}").json()
    assert set(entity["records"]) >= {left, right}
    undo = it_inv.post(
        "/api/review/judgements",
        json={"left": left, "right": right, "judgement": "undo", "reason": "too quick"},
        headers={"X-CSRF-Token": csrf},
    ).json()
    assert undo["ok"] and right not in undo["records"]
    from unweave.store import audit

    assert audit.query(web_store, user="it.inv", action="judgement")


def test_a_victim_liaison_may_not_judge(app, web_store) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import login
    from unweave.access.identity import add_user

    add_user(web_store, "it.vl", "IT-SCO", "victim_liaison", "a long test password")
    client = login(TestClient(app), "it.vl")
    assert client.get("/api/review").json()["can_judge"] is False
    answer = client.post(
        "/api/review/judgements",
        json={"left": "it-p-001", "right": "it-p-002", "judgement": "negative", "reason": "x"},
        headers={"X-CSRF-Token": csrf_of(client)},
    )
    assert answer.status_code == 403
