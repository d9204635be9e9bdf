"""Search through the API and the page: scripts, phone formats, facets, scopes."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_search_across_scripts_and_phone_formats(it_inv: TestClient) -> None:
    arabic = it_inv.get("/api/search?q=Mohammed").json()
    assert any("محمد" in r["caption"] for r in arabic["results"])
    for written in ("0912345678", "+218 91 234 5678", "00218912345678"):
        found = it_inv.get("/api/search", params={"q": written}).json()
        assert found["total"] >= 1, written
        assert any(m["value"] == "+218912345678" for r in found["results"] for m in r["matched"])


def test_facets_count_and_filter(it_inv: TestClient) -> None:
    data = it_inv.get("/api/search?q=Osagie").json()
    assert data["facets"]["agency"] == {"IT-SCO": 1}
    assert set(data["facets"]["dataset"]) >= {"it_persons", "it_arrests"}
    only = it_inv.get("/api/search?q=Osagie&dataset=it_arrests").json()
    assert only["total"] == 1 and only["filters"]["dataset"] == "it_arrests"
    none = it_inv.get("/api/search?q=Osagie&schema=Company").json()
    assert none["total"] == 0


def test_another_agency_sees_only_what_was_shared(gb_inv: TestClient) -> None:
    shared = gb_inv.get("/api/search?q=Osagie").json()
    assert shared["total"] == 1
    hit = shared["results"][0]
    assert hit["datasets"] == ["it_persons"]  # her arrest record is not shared
    assert gb_inv.get("/api/search?q=Edosa").json()["total"] == 0
    page = gb_inv.get("/search?q=Edosa")
    assert "EDOSA" not in page.text and "0 results" in page.text


def test_search_page_shows_facets_and_links(it_inv: TestClient) -> None:
    page = it_inv.get("/search?q=Osagie")
    assert page.status_code == 200
    assert 'class="facet' in page.text and "/entities/" in page.text
    assert "it_arrests" in page.text


def test_search_for_a_case_is_audited_with_its_purpose(gb_inv: TestClient, web_store) -> None:  # type: ignore[no-untyped-def]
    from unweave.store import audit

    gb_inv.get("/api/search?q=Osagie&case=JIT-T")
    entries = audit.query(web_store, user="gb.inv", action="search", case_id="JIT-T")
    assert entries
    assert "Osagie" not in entries[0].detail  # no personal data in the trail
    assert gb_inv.get("/api/search?q=x&case=NOT-MINE").status_code == 404


def test_a_broad_search_says_it_ranked_only_the_first_candidates(
    it_inv: TestClient, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from unweave.store import search

    monkeypatch.setattr(search, "CANDIDATES", 1)
    monkeypatch.setattr("unweave.web.routes.search.CANDIDATES", 1)
    data = it_inv.get("/api/search?q=a").json()
    assert data["complete"] is False and data["best"] == 60 and data["total"] == 1
    page = it_inv.get("/search?q=a")
    assert "More than 1 entities match" in page.text
    monkeypatch.undo()
    assert it_inv.get("/api/search?q=Osagie").json()["complete"] is True


def test_a_busy_store_answers_503_with_retry_after(web_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A pool of two connections (a request holds one for its reads and may nest a second:
    # store/rawsql.py, one_connection), both held here: the request waits 0.2 s, then is
    # told to retry.
    import pytest

    from tests.web.conftest import login
    from unweave.store.db import open_store
    from unweave.web.app import create_app

    url = str(web_store.engine.url)
    tiny = open_store(url, pool_size=2, pool_timeout=0.2)
    tiny.engine.pool._max_overflow = 0  # type: ignore[attr-defined]  # exactly two
    mp = pytest.MonkeyPatch()
    mp.setenv("UNWEAVE_COOKIE_SECURE", "0")
    client = login(TestClient(create_app(tiny, secret="s", threads=2)), "it.inv")
    mp.undo()
    with tiny.engine.connect(), tiny.engine.connect():
        answer = client.get("/api/search?q=Osagie")
        page = client.get("/search?q=Osagie", headers={"accept": "text/html"})
    assert answer.status_code == 503 and answer.headers["retry-after"] == "2"
    assert answer.json()["error"] == "busy" and set(answer.json()) == {
        "ok",
        "status",
        "error",
        "message",
        "hint",
        "problems",
    }
    assert page.status_code == 503 and page.headers["retry-after"] == "2"
    assert client.get("/api/search?q=Osagie").status_code == 200  # free again
    tiny.close()
