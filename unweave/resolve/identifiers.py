"""Things that are the same by their identifier: accounts, wallets, vehicles, organisations.

The reasons name the kind of identifier, never its value: judgements and the audit trail
outlive a retention purge, and must not keep the purged data.

A bank account seen by two agencies under the same IBAN is one account; a car with the
same plate is one car; a company with the same registration number in the same
jurisdiction is one company. These link at once, as judgements of ``unweave:rule`` naming
the identifier, and are never written over a pair a person has judged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from followthemoney import StatementEntity

from unweave.model import first_value
from unweave.resolve.compare.assets import plate
from unweave.resolve.records import doc_number
from unweave.store.reader import StoreView

SCHEMATA = ("BankAccount", "CryptoWallet", "Vehicle", "Organization", "Company")


def identifier_keys(entity: StatementEntity) -> list[tuple[str, str]]:
    """(key, what it is) under which this entity is the same as any other with that key."""
    schema = entity.schema.name
    keys: list[tuple[str, str]] = []
    if schema == "BankAccount":
        keys += [(f"iban:{v}", "IBAN") for v in entity.get("iban")]
        bank = (first_value(entity, "bankName") or "").strip().lower()
        keys += [
            (f"acct:{bank}:{doc_number(v)}", "account number at the same bank")
            for v in entity.get("accountNumber")
            if bank and doc_number(v)
        ]
    elif schema == "CryptoWallet":
        keys += [(f"wallet:{v.strip()}", "wallet address") for v in entity.get("publicKey")]
    elif schema == "Vehicle":
        keys += [
            (f"plate:{plate(v)}", "number plate")
            for v in entity.get("registrationNumber")
            if len(plate(v)) >= 4
        ]
    elif entity.schema.is_a("Organization"):
        jurisdiction = first_value(entity, "jurisdiction") or first_value(entity, "country")
        keys += [
            (f"reg:{jurisdiction}:{doc_number(v)}", "registration number and jurisdiction")
            for v in entity.get("registrationNumber", quiet=True)
            if jurisdiction and doc_number(v)
        ]
    return keys


def identifier_pairs(entities: Iterable[StatementEntity]) -> list[tuple[str, str, str]]:
    """(left, right, reason) chaining the records that share an identifier."""
    groups: dict[str, list[str]] = defaultdict(list)
    label: dict[str, str] = {}
    for entity in entities:
        if entity.id is None:
            continue
        for key, what in identifier_keys(entity):
            groups[key].append(entity.id)
            label[key] = what
    pairs = []
    for key, ids in sorted(groups.items()):
        ids = sorted(set(ids))
        for left, right in zip(ids, ids[1:], strict=False):
            pairs.append((left, right, f"same {label[key]}"))
    return pairs


def records_with_identifiers(view: StoreView) -> list[StatementEntity]:
    return list(view.iter_records(SCHEMATA))
