"""Phones, e-mails and addresses: shared ones are evidence, never identity.

Relatives, flatmates and victims housed by the same exploiter share a phone and an
address; so a shared one raises the score but can never decide a match alone.
"""

from __future__ import annotations

import re

from rigour.text import jaro_winkler

from unweave.normalize.names import latin
from unweave.normalize.values import phone_e164
from unweave.resolve.compare.evidence import Evidence, missing

_CAVEAT = "evidence, not identity: relatives share them"


def compare_phones(left: list[str], right: list[str], region: str | None = None) -> Evidence:
    """Phones compared in E.164; raw forms are normalised with ``region`` as default."""
    a = {p for p in (phone_e164(x, region) for x in left) if p}
    b = {p for p in (phone_e164(x, region) for x in right) if p}
    if not a or not b:
        return missing("phone", "phone")
    shared = sorted(a & b)
    if shared:
        return Evidence("phone", 0.7, f"shared phone {', '.join(shared)} ({_CAVEAT})", "strong")
    return Evidence("phone", 0.45, "no phone in common", "weak")


def compare_emails(left: list[str], right: list[str]) -> Evidence:
    a, b = {e.strip().lower() for e in left}, {e.strip().lower() for e in right}
    a.discard("")
    b.discard("")
    if not a or not b:
        return missing("email", "e-mail")
    shared = sorted(a & b)
    if shared:
        return Evidence("email", 0.75, f"shared e-mail {', '.join(shared)} ({_CAVEAT})", "strong")
    return Evidence("email", 0.45, "no e-mail in common", "weak")


_NUM = re.compile(r"\d+")


def address_key(raw: str) -> str:
    """Latin, lower case, sorted tokens: word order and punctuation ignored."""
    return " ".join(sorted(latin(raw).split()))


def compare_addresses(left: list[str], right: list[str]) -> Evidence:
    a = [address_key(x) for x in left if x.strip()]
    b = [address_key(x) for x in right if x.strip()]
    if not a or not b:
        return missing("address", "address")
    if set(a) & set(b):
        return Evidence("address", 0.65, f"shared address ({_CAVEAT})", "strong")
    best = max(jaro_winkler(x, y) for x in a for y in b)
    nums_agree = any(set(_NUM.findall(x)) == set(_NUM.findall(y)) for x in a for y in b)
    if best >= 0.9 and nums_agree:
        return Evidence("address", 0.6, f"similar addresses ({best:.2f})", "likely")
    return Evidence("address", 0.45, "different addresses (people move)", "weak")
