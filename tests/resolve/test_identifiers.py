"""Accounts, vehicles and companies with the same identifier are linked by rule."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.resolve.judgements import NEGATIVE, judge
from unweave.resolve.review import explain
from unweave.resolve.run import resolve_store
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope

A = """date,payer,payer_account,payee,payee_account,amount,currency,channel
2025-02-03,Faith Edosa,DE89 3704 0044 0532 0130 00,Blessing Osagie,IT60X0542811101000000123456,2950,EUR,bank
"""
B = """{"id": "b-acct", "schema": "BankAccount", "properties": {"iban": ["DE89370400440532013000"]}}
{"id": "b-car", "schema": "Vehicle", "properties": {"registrationNumber": ["ab-123 cd"]}}
{"id": "b-co", "schema": "Company", "properties": {"name": ["Sole Srl"], "registrationNumber": ["IT 0123456"], "jurisdiction": ["it"]}}
{"id": "b-other", "schema": "Company", "properties": {"name": ["Sole Srl"], "registrationNumber": ["0123456"], "jurisdiction": ["fr"]}}
"""
C = """{"id": "c-car", "schema": "Vehicle", "properties": {"registrationNumber": ["AB123CD"]}}
{"id": "c-co", "schema": "Company", "properties": {"name": ["SOLE S.R.L."], "registrationNumber": ["IT0123456"], "jurisdiction": ["it"]}}
"""


def test_identifiers_link_across_agencies(sqlite_store: Store, tmp_path: Path) -> None:
    ingest_file(sqlite_store, write(tmp_path / "a.csv", A), IngestOptions("de_fiu", "DE-BKA"))
    ingest_file(sqlite_store, write(tmp_path / "b.jsonl", B), IngestOptions("it_x", "IT-SCO"))
    ingest_file(sqlite_store, write(tmp_path / "c.jsonl", C), IngestOptions("gb_x", "GB-NCA"))
    resolve_store(sqlite_store, incremental=False)
    view = StoreView(sqlite_store, Scope.everything())
    assert len(view.members("b-car")) == 2 and "c-car" in view.members("b-car")
    assert view.members("b-co") == ["b-co", "c-co"]  # not the French company of that number
    accounts = view.members("b-acct")
    assert len(accounts) == 2  # the German FIU's account record and the Italian one
    reasons = [j.reason for j in explain(sqlite_store, "b-acct").links]
    assert reasons == ["same IBAN"]  # the kind, not the value, which may be purged later
    # a person's negative judgement stands
    judge(sqlite_store, "b-car", "c-car", NEGATIVE, "anna", "cloned plate")
    resolve_store(sqlite_store, incremental=False)
    assert view.members("b-car") == ["b-car"]
