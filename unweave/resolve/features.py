"""Pre-normalised columns derived in Python, so that the engine's SQL stays simple.

Splink compares columns with SQL on DuckDB or Spark. Everything that needs Python (ICU
transliteration, variant groups, skeletons, phonetic codes, E.164, document numbers) is
computed here once per record, and the comparison levels only test equality, array overlap
or string distance on the results. The same frame feeds every backend.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pandas as pd
import pyarrow as pa

from unweave.normalize.names import (
    canonical_of,
    name_skeleton,
    phonetic,
    romanisation_fold,
    skeleton,
    word_tokens,
)
from unweave.resolve.compare.contact import address_key
from unweave.resolve.compare.dates import parts
from unweave.resolve.records import PersonRecord, doc_number

# Column name -> kind, in the order of the frame ("list" columns hold arrays of strings).
COLUMNS: dict[str, str] = {
    "unique_id": "str",
    "dataset": "str",
    "name": "str",  # first name as written, for display
    "name_sorted": "str",  # Latin tokens, sorted: token order ignored
    "name_canon": "str",  # variant-group canonical tokens, sorted
    "name_skel": "str",  # consonant skeletons of the canonical tokens, sorted
    "name_phon": "str",  # metaphone codes of the canonical tokens, sorted
    "name_fold": "str",  # canonical tokens in one romanisation (w = v, j = y ...), sorted
    "name_first": "str",  # the first canonical token as written (given or family name)
    "name_part_a": "str",  # first canonical token, in the order of their folded forms
    "name_part_b": "str",  # last canonical token, in the order of their folded forms
    "name_lpart_a": "str",  # first of the sorted Latin tokens
    "name_lpart_b": "str",  # last of the sorted Latin tokens
    "name_tokens": "list",  # canonical tokens of every name of the record
    # The exact-name keys of every name of the record (aliases, other spellings), so that
    # the strong levels compare all names, not only the first.
    "name_sorteds": "list",
    "name_canons": "list",
    "name_skels": "list",
    "name_folds": "list",
    "name_family": "list",  # canonical tokens known to be family names
    "name_given": "list",  # the other canonical tokens, where the family name is known
    "dob": "str",  # the most precise birth date, as given
    "birth_year": "str",
    "birth_month": "str",
    "birth_day": "str",
    "doc_number": "str",  # the first document's number
    "doc_numbers": "list",
    "doc_keys": "list",  # "country:number" where the country is known
    "phone": "str",
    "phones": "list",
    # Phones every record of this batch carrying it names the same person by (one name's
    # words inside the other's): not a household's or an exploiter's phone used by others.
    "phones_personal": "list",
    "emails": "list",
    "address": "str",
    "address_keys": "list",
    "address_tokens": "list",  # the words of every address, once each
    "gender": "str",
    "nationalities": "list",
}


@lru_cache(maxsize=100_000)
def name_features(name: str) -> tuple[Any, ...]:
    """(sorted, canonical, skeleton, phonetic, first token, canonical tokens, folded, first
    and last canonical token in folded order, letters joined, their skeleton) of one name."""
    toks = word_tokens(name)
    canon = canonical_of(toks)
    skels = sorted(s for s in (name_skeleton(t) for t in canon) if s)
    phons = sorted(p for p in (phonetic(t) for t in canon) if p)
    # Parts are aligned on their folded forms: Jordanka Petrow against PETROV Yordanka
    # pairs the given names and the family names, as sorting the spellings would not.
    by_fold = sorted(canon, key=lambda t: (romanisation_fold(t), t))
    return (
        " ".join(sorted(toks)),
        " ".join(sorted(canon)),
        " ".join(skels),
        " ".join(phons),
        canon[0] if canon else "",
        tuple(canon),
        " ".join(sorted(romanisation_fold(t) for t in canon)),
        by_fold[0] if by_fold else "",
        by_fold[-1] if by_fold else "",
        "".join(toks),
        skeleton("".join(toks)),
    )


def _with_joined(keys: list[str] | None, feats: list[tuple[Any, ...]], index: int) -> Any:
    """Keys with each name's letters joined in written order: a space typed in the wrong
    place ("Bailey Gree n", "مصطف ىبن علي") does not hide the same name."""
    joined = [f[index] for f in feats if len(f[index]) >= 5]
    out = list(keys or [])
    out.extend(j for j in joined if j not in out)
    return out or None


def _keys(feats: list[tuple[Any, ...]], index: int) -> list[str] | None:
    out: list[str] = []
    for f in feats:
        if f[index] and f[index] not in out:
            out.append(f[index])
    return out or None


def _capitalised_family(name: str) -> list[str]:
    """The words of a name written in capitals beside others that are not ("LUPU Mihai",
    "AL-TARHOUNI Khalifa"): the police convention for the family name."""
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    caps = [w for w in words if w.isupper() and sum(c.isalpha() for c in w) >= 2]
    if not caps or len(caps) == len(words):
        return []
    return caps


def family_tokens(rec: PersonRecord) -> list[str]:
    """Canonical tokens of the record's family names (declared or written in capitals)."""
    raw = list(rec.family_names)
    for name in rec.names:
        raw.extend(_capitalised_family(name))
    out: list[str] = []
    for text in raw:
        out.extend(t for t in canonical_of(word_tokens(text)) if t not in out)
    return out


def _most_precise(dates: list[str]) -> str | None:
    return max(dates, key=len) if dates else None


def _none_if_empty(values: list[str]) -> list[str] | None:
    return values or None


def record_row(rec: PersonRecord) -> dict[str, Any]:
    """The engine's row for one record; empty values are None (SQL NULL)."""
    feats = [name_features(n) for n in rec.names if n.strip()]
    first = feats[0] if feats else None
    all_tokens: list[str] = []
    for f in feats:
        all_tokens.extend(t for t in f[5] if t not in all_tokens)
    family = family_tokens(rec)
    given = [t for t in all_tokens if t not in family] if family else []
    dob = _most_precise(rec.birth_dates)
    year, month, day = parts(dob) if dob else (None, None, None)
    numbers = [n for n in (doc_number(d.number) for d in rec.documents) if n]
    keys = [f"{d.country}:{doc_number(d.number)}" for d in rec.documents if d.country]
    addresses = [address_key(a) for a in rec.addresses if a.strip()]
    return {
        "unique_id": rec.entity_id,
        "dataset": rec.dataset,
        "name": rec.names[0] if rec.names else None,
        "name_sorted": first[0] or None if first else None,
        "name_canon": first[1] or None if first else None,
        "name_skel": first[2] or None if first else None,
        "name_phon": first[3] or None if first else None,
        "name_fold": first[6] or None if first else None,
        "name_first": first[4] or None if first else None,
        "name_part_a": first[7] or None if first else None,
        "name_part_b": first[8] or None if first else None,
        "name_lpart_a": first[0].split(" ")[0] or None if first else None,
        "name_lpart_b": first[0].split(" ")[-1] or None if first else None,
        "name_tokens": _none_if_empty(all_tokens),
        "name_sorteds": _with_joined(_keys(feats, 0), feats, 9),
        "name_canons": _keys(feats, 1),
        "name_skels": _with_joined(_keys(feats, 2), feats, 10),
        "name_folds": _keys(feats, 6),
        "name_family": _none_if_empty(family),
        "name_given": _none_if_empty(given),
        "dob": dob,
        "birth_year": None if year is None else f"{year:04d}",
        "birth_month": None if month is None else f"{month:02d}",
        "birth_day": None if day is None else f"{day:02d}",
        "doc_number": numbers[0] if numbers else None,
        "doc_numbers": _none_if_empty(numbers),
        "doc_keys": _none_if_empty(keys),
        "phone": rec.phones[0] if rec.phones else None,
        "phones": _none_if_empty(list(rec.phones)),
        "phones_personal": _none_if_empty(list(rec.phones)),  # narrowed by the batch
        "emails": _none_if_empty([e.lower() for e in rec.emails]),
        "address": addresses[0] if addresses else None,
        "address_keys": _none_if_empty(addresses),
        "address_tokens": _none_if_empty(sorted({t for a in addresses for t in a.split()})),
        "gender": rec.gender,
        "nationalities": _none_if_empty(list(rec.nationalities)),
    }


SCHEMA = pa.schema(
    [
        (col, pa.list_(pa.string()) if kind == "list" else pa.string())
        for col, kind in COLUMNS.items()
    ]
)


CHUNK = 20_000  # records turned into row dicts at a time; Arrow holds the rest compactly


def feature_table(records: Iterable[PersonRecord]) -> pa.Table:
    """One row per record with every column of ``COLUMNS``, as Arrow (compact, zero-copy
    into DuckDB).

    Records are derived a chunk at a time, so the Python row dicts of only one chunk are
    alive at once (at 1 million records the dicts alone would take more than a gigabyte);
    the records themselves may be a generator.
    """
    # Building millions of small objects makes the cyclic GC rescan everything again and
    # again (half of the time at 1 million records); none of them form cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        names: dict[str, set[frozenset[str]]] = {}
        chunks: list[pa.Table] = []
        batch: list[dict[str, Any]] = []
        for rec in records:
            batch.append(record_row(rec))
            if len(batch) >= CHUNK:
                chunks.append(_chunk(batch, names))
                batch = []
        if batch or not chunks:
            chunks.append(_chunk(batch, names))
        table = pa.concat_tables(chunks)
        del chunks
        return _narrow_personal_phones(table, _shared_phones(names))
    finally:
        if enabled:
            gc.enable()


def _chunk(rows: list[dict[str, Any]], names: dict[str, set[frozenset[str]]]) -> pa.Table:
    for row in rows:
        if row["name_tokens"]:
            tokens = frozenset(row["name_tokens"])
            for phone in row["phones"] or ():
                names.setdefault(phone, set()).add(tokens)
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def _shared_phones(names: dict[str, set[frozenset[str]]]) -> set[str]:
    """Phones carried under two names of which neither lies inside the other: a phone is
    no one person's as soon as two records carrying it name people apart (LUPU Ion and
    Maria Lupu on a household phone; the exploiter who registered the phone a victim
    uses). Records without a name say nothing either way."""
    shared = set()
    for phone, sets in names.items():
        if len(sets) < 2:
            continue
        items = list(sets)
        if any(not (a <= b or b <= a) for i, a in enumerate(items) for b in items[i + 1 :]):
            shared.add(phone)
    return shared


def _narrow_personal_phones(table: pa.Table, shared: set[str]) -> pa.Table:
    if not shared:
        return table
    personal = [
        [p for p in phones if p not in shared] or None if phones else None
        for phones in table.column("phones").to_pylist()
    ]
    index = table.schema.get_field_index("phones_personal")
    return table.set_column(
        index, SCHEMA.field("phones_personal"), pa.array(personal, pa.list_(pa.string()))
    )


def feature_frame(records: Iterable[PersonRecord]) -> pd.DataFrame:
    """The same as a pandas frame, for inspection and tests."""
    return feature_table(records).to_pandas()
