"""Uploading a file into a dataset of the user's own agency."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of

CSV = "id,name,phone\nup-1,Test Person,+39 333 000 1111\n"


def test_upload_into_an_own_dataset(it_coord: TestClient, web_store) -> None:  # type: ignore[no-untyped-def]
    from unweave.store.registry import add_dataset

    add_dataset(web_store, "it_uploads", "IT-SCO", "H0")
    csrf = csrf_of(it_coord)
    answer = it_coord.post(
        "/api/ingest",
        data={"dataset": "it_uploads", "format": "ftm"},
        files={"file": ("people.ftm.json", b'{"id": "up-1", "schema": "Person", '
                        b'"properties": {"name": ["Upload Person"]}}\n')},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "done" and answer.json()["statements_new"] > 0
    assert it_coord.get("/api/search?q=Upload Person").json()["total"] == 1
    page = it_coord.post(
        "/ingest",
        data={"dataset": "it_uploads", "csrf_token": csrf},
        files={"file": ("people.ftm.json", b'{"id": "up-1", "schema": "Person", '
                        b'"properties": {"name": ["Upload Person"]}}\n')},
    )  # fmt: skip
    assert page.status_code == 200 and "unchanged" in page.text


def test_bad_input_names_the_file_and_row(it_coord: TestClient) -> None:
    answer = it_coord.post(
        "/api/ingest",
        data={"dataset": "it_uploads", "format": "ftm"},
        files={"file": ("bad.ftm.json", b'{"id": "x", "schema": "Nope"}\n')},
        headers={"X-CSRF-Token": csrf_of(it_coord)},
    )
    body = answer.json()
    assert answer.status_code == 400 and body["error"] == "ingest_rejected"
    assert body["problems"] and body["problems"][0]["row"] == 1
    assert "bad.ftm.json" in body["message"] and "/tmp" not in body["message"]


def test_no_upload_into_another_agencys_dataset(gb_coord: TestClient) -> None:
    answer = gb_coord.post(
        "/api/ingest",
        data={"dataset": "it_persons"},
        files={"file": ("x.ftm.json", b"{}\n")},
        headers={"X-CSRF-Token": csrf_of(gb_coord)},
    )
    assert answer.status_code == 403
