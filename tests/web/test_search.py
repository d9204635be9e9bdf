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
