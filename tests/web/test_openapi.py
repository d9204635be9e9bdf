"""Schemathesis against the OpenAPI description: no operation answers a server error.

Bounded: a few generated examples per operation, as an API token of an investigator (the
mutations that need another role are refused, which is part of what is checked). Every
error answers the one JSON shape.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from unweave.access.identity import create_token

SHAPE = {"ok", "status", "error", "message", "hint", "problems"}


@pytest.fixture(scope="module")
def api_schema(app) -> Any:  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@pytest.fixture(scope="module")
def token(web_store) -> str:  # type: ignore[no-untyped-def]
    return create_token(web_store, "it.inv", "schemathesis")


def test_no_server_error(api_schema: Any, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    tested = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=4, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, response.text)
            if response.status_code >= 400:
                assert set(response.json()) == SHAPE, (case.method, case.path)

        check()
        tested += 1
    assert tested >= 17


def test_the_description_covers_every_area(app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    paths = TestClient(app).get("/api/openapi.json").json()["paths"]
    for path in ("/api/search", "/api/entities/{entity_id}", "/api/review",
                 "/api/review/judgements", "/api/graph/neighbourhood", "/api/graph/paths",
                 "/api/graph/graphml", "/api/analysis/report", "/api/analysis/timeline",
                 "/api/analysis/routes", "/api/analysis/money", "/api/cases",
                 "/api/cases/{reference}/shares", "/api/audit", "/api/audit/verify",
                 "/api/ingest", "/api/me"):  # fmt: skip
        assert path in paths, path
