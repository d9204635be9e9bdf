"""What a statement contributes to search: Latin words, name skeletons, compact identifiers.

A name written in Arabic script or with its article apart (Al-Gaddafi) is indexed by its
Arabic consonant keys too (dh = d, q = g = k: "Gaddafi" and "Qadhafi" find القذافي); other
Latin names are not, so "George" does not start finding "Kirk".

Shared by the writer (index side) and the reader (query side), so both normalise alike.
"""

from __future__ import annotations

import re

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from unweave.normalize.names import arabic_search_keys, skeleton_keys, tokens, written_with_article
from unweave.store.tables import IDENTIFIER_TYPES

# FtM's name type, plus the name parts that FtM types as plain strings.
NAME_PROPS = {"firstName", "lastName", "middleName", "secondName", "fatherName", "motherName"}
_COMPACT = re.compile(r"[^0-9a-z]+")


def compact(value: str) -> str:
    return _COMPACT.sub("", value.lower())


def is_searchable(prop: str, prop_type: str) -> bool:
    return prop_type == "name" or prop in NAME_PROPS or prop_type in IDENTIFIER_TYPES


def phone_keys(e164: str) -> list[str]:
    """An E.164 number is found by its full digits and by its national number alone."""
    digits = e164.lstrip("+")
    # Country calling codes are prefix-free and 1 to 3 digits long.
    for size in (1, 2, 3):
        if int(digits[:size] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            return [digits, digits[size:]]
    return [digits]


def terms(prop: str, prop_type: str, value: str, original: str | None) -> tuple[str, str, str]:
    """(words, skeletons, identifiers) for one statement."""
    if prop_type == "name" or prop in NAME_PROPS:
        texts = {value, original or value}
        words = {t for text in texts for t in tokens(text)}
        skels = {s for text in texts for s in skeleton_keys(text)}
        for text in texts:
            toks = tokens(text)
            if written_with_article(text, toks):
                skels.update(k for t in toks if not t.isdigit() for k in arabic_search_keys(t))
        return " ".join(sorted(words)), " ".join(sorted(skels)), ""
    if prop_type == "phone":
        return "", "", " ".join(phone_keys(value) if value.startswith("+") else [compact(value)])
    if prop_type == "email":
        return " ".join(tokens(value)), "", compact(value)
    return "", "", compact(value)
