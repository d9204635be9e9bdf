"""What of a record goes into an index: name and birth-date features, exact identifiers.

Names are normalised with the functions resolution uses (``unweave.normalize.names``):
transliteration to Latin, compounds joined and variant groups (Mohammed = Muhammad = محمد),
consonant skeletons (what Arabic script writes: "mhmd"), the Arabic article dropped. A
record's features are strings such as ``b:mu`` (a bigram of a canonical token) or ``s:mhmd``
(a skeleton); they never leave the node in clear: ``encode`` hashes them with the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from unweave.normalize.names import (
    canonical_of,
    phonetic,
    skeleton,
    skeleton_keys_of,
    word_tokens,
)
from unweave.normalize.values import iban as clean_iban
from unweave.resolve.records import PersonRecord, doc_number

MAX_NAMES = 4  # more names than this per record add weight, not recall
PHONE, DOCUMENT, IBAN, NUMBER = 1, 2, 3, 4
# NUMBER: a document's number without its country (one side may not know the country): not
# a hit by itself, only support for names that nearly agree, as a shared phone is.
KIND_NAMES = {PHONE: "phone", DOCUMENT: "document", IBAN: "iban", NUMBER: "document number"}


@dataclass
class Features:
    """One index entry before encoding: the owner's entity id stays on the owner's node."""

    entity_id: str
    dataset: str
    # Frozen sets, shared between records with the same name or date (the caches below), so
    # that a million entries do not hold a million copies.
    names: frozenset[str] = frozenset()
    skeletons: frozenset[str] = frozenset()  # the consonant part of ``names``
    dates: frozenset[str] = frozenset()
    years: frozenset[str] = frozenset()
    name_keys: frozenset[str] = frozenset()  # skeletons, for blocking
    identifiers: frozenset[tuple[int, str]] = frozenset()


def _bigrams(token: str) -> list[str]:
    padded = f"_{token}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


@lru_cache(maxsize=200_000)
def name_features(name: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(features for the filter, its skeleton features, skeleton keys for blocking) of one
    name in any script."""
    # Transliterated word by word (the cache then serves every repeated given name or
    # surname), compounds joined and variant groups applied, as resolution does.
    toks = [t for t in canonical_of(word_tokens(name)) if not t.isdigit()]
    out: set[str] = set()
    # A token with the Arabic article attached (altrhwny, "الترهوني") also gives the features
    # of its form without it (trhwny = Tarhuni), as resolution's skeleton keys drop it.
    bare = [t[2:] for t in toks if t[:2] in ("al", "el") and len(t) > 4]
    for tok in toks + bare:
        out.add("t:" + tok)
        out.update("b:" + g for g in _bigrams(tok))
        skel = skeleton(tok)
        if len(skel) >= 2:
            out.add("s:" + skel)
            out.update("k:" + g for g in _bigrams(skel))
        code = phonetic(tok)
        if code:  # Metaphone, as resolution compares: almagariaf = almqryf, ali = ly
            out.add("p:" + code)
            out.update("q:" + g for g in _bigrams(code))
    keys = skeleton_keys_of(toks)
    out.update("s:" + k for k in keys)
    skeletal = frozenset(f for f in out if f[0] in "skpq")
    return frozenset(out), skeletal, frozenset(k for k in keys if len(k) >= 2)


@lru_cache(maxsize=100_000)
def date_features(value: str) -> frozenset[str]:
    """A birth date at its precision; day and month also unordered (swapped by a clerk).
    No feature holds a month or a day alone: two strangers born on the same day of
    different years are not nearly the same date."""
    parts = value[:10].split("-")
    out = {"y:" + parts[0]}
    if len(parts) >= 2:
        out.add("ym:" + "-".join(parts[:2]))
    if len(parts) == 3:
        out.add("ymd:" + value[:10])
        out.add("dm:" + "-".join(sorted(parts[1:])))
        out.add("ydm:" + parts[0] + "-".join(sorted(parts[1:])))
    return frozenset(out)


def document_key(number: str, country: str | None) -> str:
    return f"{(country or '?').lower()}:{doc_number(number)}"


def _union(sets: list[frozenset[str]]) -> frozenset[str]:
    if not sets:
        return frozenset()
    return sets[0] if len(sets) == 1 else frozenset().union(*sets)


def person_features(rec: PersonRecord) -> Features:
    found = [name_features(n) for n in rec.names[:MAX_NAMES]]
    dates = [v for v in rec.birth_dates if v[:4].isdigit()]
    country = rec.nationalities[0] if rec.nationalities else None
    ids = {(PHONE, p) for p in rec.phones}
    ids |= {(DOCUMENT, document_key(d.number, d.country or country)) for d in rec.documents}
    ids |= {
        (NUMBER, doc_number(d.number)) for d in rec.documents if len(doc_number(d.number)) >= 6
    }
    return Features(
        rec.entity_id,
        rec.dataset,
        names=_union([f[0] for f in found]),
        skeletons=_union([f[1] for f in found]),
        name_keys=_union([f[2] for f in found]),
        dates=_union([date_features(v) for v in dates]),
        years=frozenset(v[:4] for v in dates),
        identifiers=frozenset(ids),
    )


def account_features(entity_id: str, dataset: str, ibans: list[str]) -> Features | None:
    found = frozenset((IBAN, v) for v in (clean_iban(raw) for raw in ibans) if v)
    return Features(entity_id, dataset, identifiers=found) if found else None
