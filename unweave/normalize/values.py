"""Phones, IBANs, countries and dates: normalised at ingest, original kept beside them."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

import phonenumbers
from followthemoney.types import registry
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

_DIGITS = re.compile(r"[^\d+]")


@lru_cache(maxsize=100_000)
def phone_e164(raw: str, region: str | None = None) -> str | None:
    """A phone in E.164, with the agency's country as the default region.

    '00218912345678', '+218 91 234 5678' and (in Libya) '0912345678' all give
    '+218912345678'. Numbers that phonenumbers deems impossible give None.
    """
    text = raw.strip()
    if not text:
        return None
    compact = _DIGITS.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    try:
        parsed = phonenumbers.parse(compact, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def iban(raw: str) -> str | None:
    """A validated IBAN in compact form, or None if the checksum or format is wrong."""
    try:
        return str(IBAN(raw).compact)
    except (SchwiftyException, ValueError):
        return None


def country(raw: str) -> str | None:
    """An ISO 3166 code (FtM's lower-case form) from a name, alpha-2 or alpha-3 code."""
    return registry.country.clean(raw, fuzzy=True)


_DAY_FIRST = (
    ("%d/%m/%Y", 10),
    ("%d.%m.%Y", 10),
    ("%d-%m-%Y", 10),
    ("%d/%m/%Y %H:%M", 19),
    ("%d/%m/%Y %H:%M:%S", 19),
    ("%d.%m.%Y %H:%M:%S", 19),
    ("%m/%Y", 7),
)


@lru_cache(maxsize=200_000)
def date(raw: str) -> str | None:
    """A date kept at the precision it was given: '1985' stays a year, '03/1985' a month.

    ISO dates (with or without time) and day-first European forms are understood.
    """
    text = raw.strip()
    if not text:
        return None
    cleaned = registry.date.clean(text)
    if cleaned is not None:
        return cleaned
    for fmt, _ in _DAY_FIRST:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%m/%Y":
            return parsed.strftime("%Y-%m")
        if "%H" in fmt:
            return parsed.strftime("%Y-%m-%dT%H:%M:%S")
        return parsed.strftime("%Y-%m-%d")
    return None
