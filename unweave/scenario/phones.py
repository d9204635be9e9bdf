"""Mobile numbers in each country's real numbering plan, and the way agencies write them.

Prefixes are learnt once from phonenumbers' own metadata: a prefix is kept when random
numbers under it are valid mobiles. Numbers drawn under those prefixes are then valid, and
are checked again where they are cheap to check (offenders and victims).
"""

from __future__ import annotations

import random
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType


@cache
def _plan(country: str) -> tuple[int, int, tuple[str, ...]]:
    """(calling code, national number length, valid mobile prefixes) for a country."""
    region = country.upper()
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if example is None:
        raise ValueError(f"no mobile numbering plan for {country!r}")
    nsn = phonenumbers.national_significant_number(example)
    probe = random.Random(f"plan:{country}")
    prefixes = []
    for head in range(10, 100):
        prefix = str(head)
        ok = 0
        for _ in range(4):
            rest = "".join(probe.choice("0123456789") for _ in range(len(nsn) - len(prefix)))
            number = phonenumbers.parse(f"+{example.country_code}{prefix}{rest}")
            if phonenumbers.number_type(number) in (
                PhoneNumberType.MOBILE,
                PhoneNumberType.FIXED_LINE_OR_MOBILE,
            ):
                ok += 1
        if ok == 4:
            prefixes.append(prefix)
    if not prefixes:
        prefixes = [nsn[:2]]
    return int(example.country_code or 0), len(nsn), tuple(prefixes)


def mobile(country: str, rng: random.Random, check: bool = True) -> str:
    """A mobile number of ``country`` in E.164."""
    code, length, prefixes = _plan(country)
    for _ in range(20):
        prefix = prefixes[rng.randrange(len(prefixes))]
        rest = "".join(str(rng.randrange(10)) for _ in range(length - len(prefix)))
        e164 = f"+{code}{prefix}{rest}"
        if not check or phonenumbers.is_valid_number(phonenumbers.parse(e164)):
            return e164
    return e164


@lru_cache(maxsize=65536)
def _forms(e164: str) -> tuple[str, str, str]:
    """(region, national form, international form) of a number, computed once."""
    number = phonenumbers.parse(e164)
    region = (phonenumbers.region_code_for_number(number) or "").lower()
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return region, national, phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def written(e164: str, agency_country: str, rng: random.Random) -> str:
    """The number as an agency writes it: its own numbers in national form, others with
    00 or + in front, with or without spaces."""
    region, national, international = _forms(e164)
    style = rng.random()
    if region == agency_country and style < 0.6:
        return national.replace(" ", "") if style < 0.2 else national
    if style < 0.75:
        return international
    if style < 0.9:
        return "00" + e164[1:]
    return e164


def region(e164: str) -> str:
    """The lower-case ISO country of a number in E.164 ('' if none)."""
    return _forms(e164)[0]
