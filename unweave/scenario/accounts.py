"""Bank accounts: IBANs that pass every check (ISO 7064 and national check digits), and
Nigerian NUBAN account numbers (Nigeria has no IBAN). Fast enough for millions of rows: the
bank and branch part comes from one schwifty-made IBAN per country, the account part is
drawn, and the check digits are computed here."""

from __future__ import annotations

import random
from functools import cache

from schwifty import IBAN

IBAN_COUNTRIES = ("it", "gb", "de", "al", "ro", "bg", "ua", "pl", "ly")

_ODD = [
    1,
    0,
    5,
    7,
    9,
    13,
    15,
    17,
    19,
    21,
    2,
    4,
    18,
    20,
    11,
    3,
    6,
    8,
    12,
    14,
    16,
    10,
    22,
    25,
    24,
    23,
]


@cache
def _template(country: str, bank: int) -> tuple[str, int]:
    """(BBAN without the account part, account length) for one bank of a country."""
    sample = IBAN.random(country.upper(), random=random.Random(f"iban:{country}:{bank}"))
    bban, account = sample.bban, sample.account_code
    if not bban.endswith(account):
        raise ValueError(f"unexpected BBAN layout for {country}")
    return bban[: len(bban) - len(account)], len(account)


def _italian_cin(rest: str) -> str:
    total = 0
    for i, ch in enumerate(rest):
        value = int(ch) if ch.isdigit() else ord(ch) - 65
        total += _ODD[value] if i % 2 == 0 else value
    return chr(65 + total % 26)


def _checksum(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country.upper() + "00")
    return f"{98 - int(digits) % 97:02d}"


def account(country: str, rng: random.Random) -> str:
    """A valid account identifier of ``country``: an IBAN, or a NUBAN elsewhere."""
    if country not in IBAN_COUNTRIES:
        return "".join(str(rng.randrange(10)) for _ in range(10))
    head, length = _template(country, rng.randrange(4))
    number = "".join(str(rng.randrange(10)) for _ in range(length))
    bban = head + number
    if country == "it":
        bban = _italian_cin(bban[1:]) + bban[1:]
    return country.upper() + _checksum(country, bban) + bban
