"""Organisations, bank accounts and vehicles: the other things a network shares."""

from __future__ import annotations

import re

from rigour.names import replace_org_types_compare
from rigour.text import levenshtein

from unweave.normalize.names import latin
from unweave.normalize.values import iban
from unweave.resolve.compare.evidence import Evidence, missing
from unweave.resolve.records import doc_number

_ALNUM = re.compile(r"[^A-Z0-9]")


def org_name_key(raw: str) -> str:
    """Latin tokens, legal forms unified ("S.R.L." = "srl", "GmbH" = "gmbh"), then removed."""
    compared = latin(replace_org_types_compare(raw))
    return " ".join(t for t in compared.split() if t not in _LEGAL_FORMS)


_LEGAL_FORMS = frozenset(
    {
        "ltd",
        "llc",
        "inc",
        "srl",
        "spa",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "bv",
        "nv",
        "plc",
        "ooo",
        "jsc",
        "co",
        "llp",
        "lp",
        "sas",
        "as",
        "ab",
        "oy",
        "kg",
        "ug",
        "doo",
        "sro",
        "kft",
    }
)


def compare_org_names(a: str, b: str) -> Evidence:
    ka, kb = org_name_key(a), org_name_key(b)
    if not ka or not kb:
        return missing("org_name", "organisation name")
    if ka == kb:
        return Evidence(
            "org_name", 0.9, f'"{a}" and "{b}" are one name (legal form aside)', "exact"
        )
    if sorted(ka.split()) == sorted(kb.split()):
        return Evidence("org_name", 0.8, f'"{a}" and "{b}": same words, other order', "strong")
    if levenshtein(ka, kb) <= max(1, len(ka) // 10):
        return Evidence("org_name", 0.7, f'"{a}" and "{b}" differ by a few letters', "likely")
    return Evidence("org_name", 0.1, f'"{a}" and "{b}" are different names', "different")


def compare_registration(
    a: str, b: str, country_a: str | None = None, country_b: str | None = None
) -> Evidence:
    na, nb = doc_number(a), doc_number(b)
    if not na or not nb:
        return missing("registration", "registration number")
    if country_a and country_b and country_a != country_b:
        return Evidence("registration", 0.5, "registered in different countries", "weak")
    if na == nb:
        return Evidence("registration", 1.0, f"same registration number {na}", "exact")
    return Evidence("registration", 0.05, f"registration numbers {na} and {nb}", "different")


def compare_bank_accounts(
    a_iban: str | None,
    b_iban: str | None,
    a_account: str | None = None,
    b_account: str | None = None,
    a_bank: str | None = None,
    b_bank: str | None = None,
) -> Evidence:
    """IBANs when both have one; else account number together with the bank (BIC or name)."""
    ia, ib = iban(a_iban or ""), iban(b_iban or "")
    if ia and ib:
        if ia == ib:
            return Evidence("bank_account", 1.0, f"same IBAN {ia}", "exact")
        return Evidence("bank_account", 0.0, f"IBANs {ia} and {ib}", "different")
    # An IBAN embeds the domestic account number: compare that with a bare account number.
    acc_a = doc_number(a_account or "") or (ia[-len(doc_number(b_account or "")) :] if ia else "")
    acc_b = doc_number(b_account or "") or (ib[-len(doc_number(a_account or "")) :] if ib else "")
    if not acc_a or not acc_b:
        return missing("bank_account", "account number")
    bank_a, bank_b = latin(a_bank or ""), latin(b_bank or "")
    if acc_a == acc_b:
        if bank_a and bank_b and bank_a != bank_b:
            return Evidence("bank_account", 0.4, f"account {acc_a} at different banks", "weak")
        return Evidence("bank_account", 0.9, f"same account number {acc_a}", "exact")
    return Evidence("bank_account", 0.0, f"accounts {acc_a} and {acc_b}", "different")


def plate(raw: str) -> str:
    """A number plate without spaces, dashes and case: "AB-123 CD" -> "AB123CD"."""
    return _ALNUM.sub("", raw.upper())


def compare_plates(
    a: str, b: str, country_a: str | None = None, country_b: str | None = None
) -> Evidence:
    pa, pb = plate(a), plate(b)
    if not pa or not pb:
        return missing("plate", "number plate")
    if country_a and country_b and country_a != country_b:
        return Evidence("plate", 0.3, f"plates {pa} and {pb} of different countries", "weak")
    if pa == pb:
        return Evidence("plate", 1.0, f"same plate {pa}", "exact")
    if len(pa) >= 5 and levenshtein(pa, pb) == 1:
        return Evidence("plate", 0.6, f"plates {pa} and {pb} differ by one character", "likely")
    return Evidence("plate", 0.0, f"plates {pa} and {pb}", "different")
