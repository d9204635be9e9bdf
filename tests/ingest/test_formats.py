"""Every format of docs/formats.md, on the bundled examples, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import load_manifest_into
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope


def _entities(store: Store, schema: str) -> list:
    return list(StoreView(store, Scope.everything()).iter_entities([schema]))


def test_examples_load_without_errors(store: Store, examples: Path) -> None:
    reports = load_manifest_into(store, examples / "manifest.yaml")
    assert [r.status for r in reports] == ["done"] * 7
    assert {r.format for r in reports} == {
        "ftm",
        "mapped",
        "travel",
        "calls",
        "transactions",
        "ads",
    }
    assert all(r.rows_rejected == 0 for r in reports)


def test_call_records_become_calls_with_e164_numbers(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    calls = _entities(store, "Call")
    assert len(calls) == 4
    callers = {c.first("callerNumber") for c in calls}
    # 0912345678 read with Libya as default region, 00-prefixed and +-prefixed forms alike
    assert callers == {"+218912345678", "+2348031234567"}
    first = next(c for c in calls if c.first("recordId") == "LT-0001")
    assert first.first("receiverNumber") == "+393471234567"
    assert first.first("duration") == "312"
    assert first.first("startDate") == "2024-09-28T21:14:05"
    assert first.first("description") == "cell TRP-0042"


def test_transactions_become_payments_accounts_and_parties(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    view = StoreView(store, Scope.everything())
    payments = {p.first("transactionNumber"): p for p in _entities(store, "Payment")}
    assert set(payments) == {"DE-STR-1", "DE-STR-2", "DE-MTO-7", "DE-HW-3"}
    bank = payments["DE-STR-1"]
    assert bank.first("amount") == "2950.00" and bank.first("currency") == "EUR"
    assert bank.first("summary") == "bank"
    account = view.entity(bank.first("payerAccount"))
    assert account.schema.name == "BankAccount"
    assert account.first("iban") == "DE89370400440532013000"
    payer = view.entity(bank.first("payer"))
    assert payer.first("name") == "Faith Edosa" and payer.first("country") == "de"
    assert payments["DE-HW-3"].first("summary") == "hawala"
    # The same payer and account across rows is one party
    assert payments["DE-STR-2"].first("payer") == bank.first("payer")


def test_travel_becomes_person_document_and_trip(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    view = StoreView(store, Scope.everything())
    trips = {t.first("recordId"): t for t in _entities(store, "Trip")}
    trip = trips["FCO-25-01932"]
    person = view.entity(trip.first("involved"))
    assert person.first("name") == "MELNYK OLEH"
    assert person.first("birthDate") == "1975-11-03"  # day-first 03/11/1975
    assert person.first("nationality") == "ua"
    assert view.entity(trip.first("startLocation")).first("country") == "pl"
    assert view.entity(trip.first("endLocation")).first("country") == "it"
    assert trip.first("location") == "Roma Fiumicino"
    passports = [p for p in _entities(store, "Passport") if p.first("holder") == person.id]
    assert [p.first("number") for p in passports] == ["FE123456"]
    assert passports[0].first("country") == "ua"


def test_a_traveller_with_a_name_alone_is_one_record_per_crossing(
    store: Store, tmp_path: Path
) -> None:
    # Two SMITH Olivia crossing without a document or a birth date may be two people:
    # making them one traveller at load would merge namesakes before resolution looks.
    from tests.helpers import write
    from unweave.ingest.runner import IngestOptions, ingest_file

    header = "name,birth_date,nationality,document_number,date,from_country,to_country,record_id\n"
    rows = [
        "SMITH Olivia,,GB,,2024-03-01,GB,TR,R1",
        "SMITH Olivia,,GB,,2024-06-11,TR,GB,R2",
        "JONES Megan,1990-02-03,GB,,2024-03-01,GB,TR,R3",
        "JONES Megan,1990-02-03,GB,,2024-03-09,TR,GB,R4",
        "DAVIES Tom,,GB,C0993135,2024-03-01,GB,TR,R5",
        "DAVIES Tom,,GB,C0993135,2024-03-09,TR,GB,R6",
    ]
    write(tmp_path / "border.csv", header + "\n".join(rows) + "\n")
    ingest_file(
        store,
        tmp_path / "border.csv",
        IngestOptions(dataset="gb_border", agency="GB-NCA", format="travel"),
    )
    view = StoreView(store, Scope.everything())
    travellers: dict[str, set[str]] = {}
    for trip in _entities(store, "Trip"):
        name = view.entity(trip.first("involved")).first("name")
        travellers.setdefault(name, set()).add(trip.first("involved"))
    # a name alone: two records; a name and birth date, or a document: one traveller
    assert {name: len(ids) for name, ids in travellers.items()} == {
        "SMITH Olivia": 2,
        "JONES Megan": 1,
        "DAVIES Tom": 1,
    }


def test_ads_become_online_ads(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    ads = {a.first("adId"): a for a in _entities(store, "OnlineAd")}
    assert set(ads) == {"88213", "90017"}
    # A UK local number and its international form are the same phone
    assert ads["88213"].first("phone") == ads["90017"].first("phone") == "+447700900123"
    assert ads["90017"].first("email") == "sweet.girl@mail.example"
    assert ads["88213"].first("statedAge") == "19"
    assert ads["88213"].first("city") == "London"


def test_mapped_csv_and_xlsx(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    view = StoreView(store, Scope.everything())
    events = {e.first("recordId"): e for e in _entities(store, "Event")}
    arrest = events["RM-2025-0412"]
    person = view.entity(arrest.first("involved"))
    assert person.first("name") == "EDOSA Faith"
    assert person.first("birthDate") == "1991-02-14"
    assert person.first("phone") == "+393477654321"  # Italian local number, agency region
    contacts = [p for p in _entities(store, "Person") if "EXH-0031" in (p.first("notes") or "")]
    assert len(contacts) == 4
    assert {c.first("name") for c in contacts} >= {"محمد", "Mama B"}


def test_ftm_entities_keep_ids_and_links(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    view = StoreView(store, Scope.everything())
    link = view.entity("it-rel-001")
    assert link.schema.name == "Associate"
    assert link.first("person") == "it-p-001" and link.first("associate") == "it-p-002"
    ahmed = view.entity("it-p-001")
    assert ahmed.first("phone") == "+218912345678"


def test_every_fact_keeps_its_provenance(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    view = StoreView(store, Scope.everything())
    facts = [f for f in view.facts(["it-p-004"]) if f.prop == "phone"]
    assert len(facts) == 1
    fact = facts[0]
    assert fact.value == "+48512345678" and fact.original_value == "+48 512 345 678"
    assert fact.agency == "IT-SCO" and fact.dataset == "it_persons" and fact.handling == "H0"
    assert fact.source_file.endswith("persons.ftm.json") and fact.source_row == 4
    assert fact.first_seen is not None and fact.last_seen is not None
    h3 = [f for f in view.iter_facts() if f.dataset == "de_transfers"]
    assert h3 and all(f.handling == "H3" and "FIU consent" in (f.conditions or "") for f in h3)
