"""The columns of each input format, exactly as docs/formats.md specifies them, and the
layout of the tables written with an FtM mapping (subscriber records, phone contacts)."""

from __future__ import annotations

COLUMNS: dict[str, list[str]] = {
    "calls": ["caller", "callee", "start", "duration", "call_id", "cell"],
    "transactions": [
        "transaction_id",
        "date",
        "payer",
        "payer_account",
        "payer_country",
        "payee",
        "payee_account",
        "payee_country",
        "amount",
        "currency",
        "channel",
        "provider",
        "purpose",
    ],
    "travel": [
        "name",
        "birth_date",
        "gender",
        "nationality",
        "document_number",
        "document_type",
        "document_country",
        "date",
        "from_country",
        "to_country",
        "crossing_point",
        "vehicle",
        "record_id",
    ],
    # mapped tables (format `mapped`), described by the mapping files below
    "subscribers": [
        "phone",
        "subscriber_name",
        "birth_date",
        "address",
        "document_number",
        "activated",
    ],
    "contacts": ["owner_phone", "contact_name", "contact_phone"],
}

# FtM mappings (FtM's own mapping format) for the mapped tables.
MAPPINGS: dict[str, dict] = {
    "subscribers": {
        "entities": {
            "subscriber": {
                "schema": "Person",
                "keys": ["subscriber_name", "birth_date", "document_number"],
                "properties": {
                    "name": {"column": "subscriber_name"},
                    "birthDate": {"column": "birth_date"},
                    "address": {"column": "address"},
                    "idNumber": {"column": "document_number"},
                    "phone": {"column": "phone"},
                },
            }
        }
    },
    "contacts": {
        "entities": {
            "owner": {
                "schema": "Person",
                "keys": ["owner_phone"],
                "properties": {"phone": {"column": "owner_phone"}},
            },
            "contact": {
                "schema": "Person",
                "keys": ["owner_phone", "contact_phone", "contact_name"],
                "properties": {
                    "name": {"column": "contact_name"},
                    "phone": {"column": "contact_phone"},
                },
            },
            "link": {
                "schema": "Associate",
                "keys": ["owner_phone", "contact_phone", "contact_name"],
                "key_literal": "link",
                "properties": {
                    "person": {"entity": "owner"},
                    "associate": {"entity": "contact"},
                    "relationship": {"literal": "phone contact"},
                },
            },
        }
    },
}
