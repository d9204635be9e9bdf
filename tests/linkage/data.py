"""Two agencies' small files: the same people written differently, and strangers."""

from __future__ import annotations

import json
from pathlib import Path

from unweave.access.identity import add_user
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.linkage import signing
from unweave.store.db import Store

ITALY = [
    {
        "id": "it-1",
        "schema": "Person",
        "properties": {
            "name": ["محمد عبد الرحمن"],
            "birthDate": ["1990-01-15"],
            "nationality": ["ly"],
            "phone": ["+218 91 234 5678"],
        },
    },
    {
        "id": "it-2",
        "schema": "Person",
        "properties": {
            "name": ["OSAGIE Blessing"],
            "birthDate": ["1984-03-02"],
            "nationality": ["ng"],
            "passportNumber": ["A07654321"],
        },
    },
    {
        "id": "it-3",
        "schema": "Person",
        "properties": {
            "name": ["Giulia Bianchi"],
            "birthDate": ["1971-07-30"],
            "phone": ["+39 347 123 4567"],
        },
    },
    {
        "id": "it-4",
        "schema": "BankAccount",
        "properties": {"iban": ["DE89 3704 0044 0532 0130 00"]},
    },
]
GERMANY = [
    {
        "id": "de-1",
        "schema": "Person",
        "properties": {
            "name": ["Mohammed Abdelrahman"],
            "birthDate": ["1990-01-15"],
            "nationality": ["ly"],
        },
    },
    {
        "id": "de-2",
        "schema": "Person",
        "properties": {
            "name": ["Blessing Osagie"],
            "birthDate": ["1984-02-03"],
            "nationality": ["ng"],
            "passportNumber": ["A0765 4321"],
        },
    },
    {
        "id": "de-3",
        "schema": "Person",
        "properties": {
            "name": ["Олег Мельник"],
            "birthDate": ["1988-11-05"],
            "phone": ["+49 151 2345 6789"],
        },
    },
    {"id": "de-4", "schema": "BankAccount", "properties": {"iban": ["DE89370400440532013000"]}},
]
BRITAIN = [
    {
        "id": "gb-1",
        "schema": "Person",
        "properties": {"name": ["Oleh Melnyk"], "birthDate": ["1988-11-05"]},
    },
    {
        "id": "gb-2",
        "schema": "Person",
        "properties": {
            "name": ["John Carter"],
            "birthDate": ["1965-05-05"],
            "phone": ["+44 7700 900123"],
        },
    },
]

# Every personal value of either side, as written (the privacy test looks for these).
SECRETS = [
    "محمد عبد الرحمن",
    "Mohammed Abdelrahman",
    "OSAGIE Blessing",
    "Blessing Osagie",
    "Giulia Bianchi",
    "Олег Мельник",
    "Oleh Melnyk",
    "John Carter",
    "1990-01-15",
    "1984-03-02",
    "1984-02-03",
    "1971-07-30",
    "1988-11-05",
    "1965-05-05",
    "+218912345678",
    "+393471234567",
    "+4915123456789",
    "+447700900123",
    "A07654321",
    "DE89370400440532013000",
]


def load(store: Store, tmp: Path, agency: str, dataset: str, rows: list[dict]) -> None:
    path = tmp / f"{dataset}.ftm.json"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    ingest_file(store, path, IngestOptions(dataset=dataset, agency=agency, handling="H0"))


def coordinator(store: Store, name: str, agency: str) -> None:
    add_user(store, name, agency, "coordinator", "a long enough password 123")


# One signing key per agency, made once for the test session (Ed25519 keys are cheap).
SIGNERS = {code: signing.generate() for code in ("IT-SCO", "DE-BKA", "GB-NCA")}


def register_keys(store: Store, *agencies: str) -> dict[str, str]:
    """Register the agencies' public keys on this node; the node's trust."""
    for code in agencies:
        signing.register(store, code, SIGNERS[code].public_key, "admin")
    return signing.trusted(store)
