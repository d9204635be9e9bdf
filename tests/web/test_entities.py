"""The entity profile: provenance of every fact, relationships, cases, merge; escaping."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _osagie(client: TestClient) -> str:
    return client.get("/api/search?q=Osagie").json()["results"][0]["id"]


def test_every_fact_carries_its_provenance(it_inv: TestClient) -> None:
    entity = it_inv.get(f"/api/entities/{_osagie(it_inv)}").json()
    assert entity["schema"] == "Person" and len(entity["records"]) == 2
    phones = entity["properties"]["phone"]
    assert {p["dataset"] for p in phones} == {"it_persons", "it_arrests"}
    fact = next(p for p in phones if p["dataset"] == "it_arrests")
    assert fact["agency"] == "IT-SCO" and fact["handling"] == "H1"
    assert fact["source_file"] == "arrests.csv" and fact["source_row"] == 2
    assert fact["original"] == "+39 347 123 4567" and fact["first_seen"] and fact["last_seen"]
    assert {r["schema"] for r in entity["relationships"]} >= {"Associate", "Event"}
    assert entity["cases"] == [{"reference": "JIT-T", "title": "test case"}]
    assert entity["merge"]["links"], "the merge is explained by its judgements"


def test_h3_conditions_are_shown(it_inv: TestClient, web_store) -> None:  # type: ignore[no-untyped-def]
    from unweave.access.identity import add_user

    add_user(web_store, "de.inv", "DE-BKA", "investigator", "a long test password")
    from tests.web.conftest import login

    client = login(TestClient(it_inv.app), "de.inv")
    hits = client.get("/api/search?q=DE89 3704 0044 0532 0130 00").json()["results"]
    assert hits
    entity = client.get(f"/api/entities/{hits[0]['id']}").json()
    facts = [f for fs in entity["properties"].values() for f in fs]
    assert any(f["handling"] == "H3" and "FIU consent" in (f["conditions"] or "") for f in facts)


def test_the_partner_sees_only_the_shared_facts(gb_inv: TestClient, it_inv: TestClient) -> None:
    merged = _osagie(it_inv)
    entity_id = _osagie(gb_inv)
    # The partner sees the shared record alone: not even the merged entity's id, which
    # would tell that IT-SCO holds more on her.
    assert entity_id == "it-p-002" != merged
    assert gb_inv.get(f"/api/entities/{merged}").status_code == 404
    seen = gb_inv.get(f"/api/entities/{entity_id}").json()
    datasets = {f["dataset"] for fs in seen["properties"].values() for f in fs}
    assert datasets == {"it_persons"}
    assert seen["records"] == ["it-p-002"]  # the arrest record's id is not shown either
    assert "it_arrests" not in str(seen)
    assert all(r["schema"] != "Event" for r in seen["relationships"])
    page = gb_inv.get(f"/entities/{entity_id}").text
    assert "arrests.csv" not in page and "persons.ftm.json" in page


def test_markup_in_a_name_shows_as_text(it_inv: TestClient) -> None:
    page = it_inv.get("/entities/it-x-001")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Mallory" in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    search = it_inv.get("/search?q=Mallory").text
    assert "<script>alert" not in search and "&lt;script&gt;" in search


def test_a_read_is_audited(it_inv: TestClient, web_store) -> None:  # type: ignore[no-untyped-def]
    from unweave.store import audit

    it_inv.get("/api/entities/it-p-001?case=JIT-T")
    entries = audit.query(web_store, user="it.inv", action="read", case_id="JIT-T")
    assert any(e.entity_id for e in entries)
