"""One JSON error shape everywhere (as datasette pins its error_body), and no leaks."""

from __future__ import annotations

from fastapi.testclient import TestClient

from unweave.errors import Forbidden, IngestRejected, InvalidInput, NotFound, Problem
from unweave.web.errors import body_for, error_body

SHAPE = {"ok", "status", "error", "message", "hint", "problems"}


def test_the_shape_is_pinned() -> None:
    assert error_body(404, "not_found", "no entity 'x'") == {
        "ok": False,
        "status": 404,
        "error": "not_found",
        "message": "no entity 'x'",
        "hint": None,
        "problems": [],
    }


def test_unweave_errors_map_to_statuses() -> None:
    assert body_for(NotFound("no x"))["status"] == 404
    assert body_for(Forbidden("no"))["status"] == 403
    bad = body_for(InvalidInput("f.csv", "not a date", row=3, field="born"))
    assert (bad["status"], bad["error"]) == (400, "invalid_input")
    assert bad["problems"] == [
        {"file": "f.csv", "row": 3, "field": "born", "message": "not a date"}
    ]
    refused = body_for(IngestRejected("f.csv", [Problem("f.csv", 2, "a", "x")]))
    assert refused["error"] == "ingest_rejected" and len(refused["problems"]) == 1


def test_every_kind_of_failure_answers_the_same_shape(
    anon: TestClient, it_inv: TestClient, dpo: TestClient
) -> None:
    answers = {
        401: anon.get("/api/search?q=x"),
        404: it_inv.get("/api/entities/nothing-here"),
        400: it_inv.get("/api/search?q=x&limit=100000"),
        403: dpo.get("/api/search?q=x"),
        405: it_inv.delete("/api/search?q=x"),
    }
    for status, answer in answers.items():
        body = answer.json()
        assert answer.status_code == status, body
        assert set(body) == SHAPE and body["ok"] is False and body["status"] == status
    assert answers[400].json()["problems"][0]["field"] == "query.limit"
    # An unknown route answers in the same shape too.
    missing = it_inv.get("/api/no-such-thing")
    assert missing.status_code == 404 and set(missing.json()) == SHAPE


def test_a_server_error_says_nothing_about_the_data(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import login
    from unweave.web.routes import search

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret value OSAGIE Blessing +393471234567")

    monkeypatch.setattr(search, "search", broken)
    client = login(TestClient(app, raise_server_exceptions=False), "it.inv")
    answer = client.get("/api/search?q=Osagie")
    assert answer.status_code == 500
    assert answer.json() == {
        "ok": False,
        "status": 500,
        "error": "server_error",
        "message": "the server could not answer this request",
        "hint": None,
        "problems": [],
    }
    assert "OSAGIE" not in answer.text


def test_another_agencys_entity_answers_like_an_unknown_one(
    it_inv: TestClient, gb_inv: TestClient
) -> None:
    # EDOSA Faith is known only from IT-SCO's arrests, which are not shared.
    hits = it_inv.get("/api/search?q=Edosa").json()["results"]
    assert hits, "the owner finds her"
    hidden = hits[0]["id"]
    theirs = gb_inv.get(f"/api/entities/{hidden}").json()
    unknown = gb_inv.get("/api/entities/no-such-id").json()
    assert theirs["status"] == unknown["status"] == 404
    assert theirs["message"].replace(hidden, "ID") == unknown["message"].replace(
        "no-such-id", "ID"
    )
    assert "EDOSA" not in str(theirs) and "Faith" not in str(theirs)
    page = gb_inv.get(f"/entities/{hidden}", headers={"accept": "text/html"})
    assert page.status_code == 404 and "EDOSA" not in page.text
