"""What a reader may see is read afresh for every request: access withdrawn (a share, a
membership, a case closed, a token) is gone from the very next request, whether the change
came through the service or from the command line (the library, here). Also run on
PostgreSQL (tests/web/test_postgres.py)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of
from unweave.access import cases
from unweave.access.identity import create_token, get_user, revoke_token
from unweave.store.db import Store

CASE = "JIT-RV"


def _post(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    answer = client.post(path, json=body, headers={"X-CSRF-Token": csrf_of(client)})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_access_withdrawn_is_gone_at_the_next_request(
    web_store: Store, it_coord: TestClient, gb_coord: TestClient, gb_inv: TestClient
) -> None:
    _post(it_coord, "/api/cases", {"reference": CASE, "title": "withdrawals"})
    _post(it_coord, f"/api/cases/{CASE}/agencies", {"name": "GB-NCA"})
    _post(gb_coord, f"/api/cases/{CASE}/members", {"name": "gb.inv"})
    arrest = it_coord.get("/api/search?q=Edosa").json()["results"][0]["id"]
    token = create_token(web_store, "gb.inv", "freshness")
    script = TestClient(gb_inv.app, headers={"Authorization": f"Bearer {token}"})

    def seen() -> tuple[int, int, int, int]:
        return (
            gb_inv.get("/api/search?q=Edosa").json()["total"],
            gb_inv.get(f"/api/entities/{arrest}").status_code,
            gb_inv.get(f"/entities/{arrest}").status_code,
            script.get(f"/api/entities/{arrest}").status_code,
        )

    def share() -> int:
        made = _post(it_coord, f"/api/cases/{CASE}/shares", {"dataset": "it_arrests"})
        return int(made[0]["id"])

    assert seen() == (0, 404, 404, 404)
    share_id = share()
    assert seen() == (1, 200, 200, 200)
    # withdrawn through the service: the partner's next request no longer sees it
    gone = it_coord.delete(
        f"/api/cases/{CASE}/shares/{share_id}", headers={"X-CSRF-Token": csrf_of(it_coord)}
    )
    assert gone.status_code == 200, gone.text
    assert seen() == (0, 404, 404, 404)
    # shared again, then the partner taken off the case from the command line
    share_id = share()
    assert seen() == (1, 200, 200, 200)
    cases.remove_member(web_store, CASE, "gb.inv", get_user(web_store, "gb.coord"))
    assert seen() == (0, 404, 404, 404)
    # back in the case, then the case closed
    _post(gb_coord, f"/api/cases/{CASE}/members", {"name": "gb.inv"})
    assert seen() == (1, 200, 200, 200)
    cases.set_status(web_store, CASE, "closed", get_user(web_store, "it.coord"))
    assert seen() == (0, 404, 404, 404)
    # the case's purpose is refused at once too
    assert gb_inv.get(f"/api/search?q=Edosa&case={CASE}").status_code == 404
    # a revoked token is refused at the next request
    assert script.get("/api/me").status_code == 200
    tokens = [t for t in _tokens(web_store) if t[1] == "freshness"]
    revoke_token(web_store, tokens[-1][0], by="test")
    assert script.get("/api/me").status_code == 401
    cases.remove_member(web_store, CASE, "gb.inv", get_user(web_store, "gb.coord"))


def _tokens(store: Store) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from unweave.store.tables import api_tokens

    with store.engine.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(select(api_tokens.c.id, api_tokens.c.name))]
