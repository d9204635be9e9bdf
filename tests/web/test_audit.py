"""The data-protection officer reads the audit trail, not the data."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_officer_reads_the_trail_of_their_agency(
    dpo: TestClient, it_inv: TestClient, gb_inv: TestClient
) -> None:
    it_inv.get("/api/entities/it-p-001?case=JIT-T")
    gb_inv.get("/api/entities/it-p-001")
    data = dpo.get("/api/audit?action=read").json()
    users = {e["user"] for e in data["entries"]}
    assert "it.inv" in users and "gb.inv" not in users  # only IT-SCO's users
    assert any(e["case"] == "JIT-T" for e in data["entries"])
    assert dpo.get("/api/audit?user=gb.inv").json()["entries"] == []
    verified = dpo.get("/api/audit/verify").json()
    assert verified["intact"] is True and verified["head"]["seq"] > 0
    page = dpo.get("/audit")
    assert page.status_code == 200 and "intact" in page.text


def test_the_officer_sees_no_data(dpo: TestClient) -> None:
    for path in ("/api/search?q=Osagie", "/api/entities/it-p-002", "/api/review",
                 "/api/graph/neighbourhood?node=it-p-001", "/api/analysis/money"):  # fmt: skip
        answer = dpo.get(path)
        assert answer.status_code == 403, path
        assert "OSAGIE" not in answer.text
    home = dpo.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/audit"


def test_an_investigator_does_not_read_the_trail(it_inv: TestClient) -> None:
    assert it_inv.get("/api/audit").status_code == 403
    assert it_inv.get("/api/audit/verify").status_code == 403
