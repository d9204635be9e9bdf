"""Pre-normalised columns derived in Python, so that the engine's SQL stays simple.

Splink compares columns with SQL on DuckDB or Spark. Everything that needs Python (ICU
transliteration, variant groups, skeletons, phonetic codes, E.164, document numbers) is
computed here once per record, and the comparison levels only test equality, array overlap
or string distance on the results. The same frame feeds every backend.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from unweave.errors import ConfigError
from unweave.normalize.names import (
    arabic_skeleton,
    canonical_of,
    canonical_token,
    name_skeleton,
    phonetic,
    romanisation_fold,
    skeleton,
    word_tokens,
    written_with_article,
)
from unweave.resolve.compare.contact import address_key
from unweave.resolve.compare.dates import parts
from unweave.resolve.compare.travel import leg_keys, return_keys, route
from unweave.resolve.records import ArrowRecords, PersonRecord, doc_number

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
    "name_askel": "str",  # consonants as Arabic is romanised (q = g = k, al- dropped), sorted
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
    "name_askels": "list",
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
    "trip_route": "str",  # the first crossing's two countries, sorted (a blocking key)
    "trip_legs": "list",  # each border crossing's route and period (compare/travel.py)
    "trip_returns": "list",  # the keys a crossing back would have
}


@lru_cache(maxsize=262_144)
def _word(word: str) -> tuple[str, ...]:
    """The Latin tokens of one written word (``word_tokens`` of one word, cached)."""
    return tuple(word_tokens(word))


@lru_cache(maxsize=262_144)
def _plain_canonical(token: str) -> str | None:
    """The canonical form of a token no compound rule touches, else None."""
    canonical = canonical_token(token)
    return canonical if canonical_of([token, "x"])[0] == canonical else None


@lru_cache(maxsize=262_144)
def _token_keys(token: str) -> tuple[str, str, str, str, str]:
    """(skeleton, phonetic code, romanisation fold, Arabic consonants, the same with the
    article dropped) of one canonical token."""
    return (
        name_skeleton(token),
        phonetic(token),
        romanisation_fold(token),
        arabic_skeleton(token),
        arabic_skeleton(token, article=True),
    )


@lru_cache(maxsize=65_536)
def name_features(name: str) -> tuple[Any, ...]:
    """(sorted, canonical, skeleton, phonetic, first token, canonical tokens, folded, first
    and last canonical token in folded order, letters joined, their skeleton, Arabic
    consonants) of one name."""
    toks = [t for w in name.split() for t in _word(w)]
    plain = [_plain_canonical(t) for t in toks]
    canon: list[str] = canonical_of(toks) if None in plain else plain  # type: ignore[assignment]
    keys = [_token_keys(t) for t in canon]
    skels = sorted(k[0] for k in keys if k[0])
    phons = sorted(k[1] for k in keys if k[1])
    # Parts are aligned on their folded forms: Jordanka Petrow against PETROV Yordanka
    # pairs the given names and the family names, as sorting the spellings would not.
    by_fold = sorted(zip((k[2] for k in keys), canon, strict=True))
    joined = "".join(toks)
    arabic = 4 if written_with_article(name, toks) else 3
    askels = sorted(k[arabic] for k in keys if k[arabic])
    return (
        " ".join(sorted(toks)),
        " ".join(sorted(canon)),
        " ".join(skels),
        " ".join(phons),
        canon[0] if canon else "",
        tuple(canon),
        " ".join(f for f, _ in by_fold),
        by_fold[0][1] if by_fold else "",
        by_fold[-1][1] if by_fold else "",
        joined,
        skeleton(joined),
        " ".join(askels),
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


def _family_of(names: tuple[str, ...], declared: tuple[str, ...]) -> list[str]:
    raw = list(declared)
    for name in names:
        raw.extend(_capitalised_family(name))
    out: list[str] = []
    for text in raw:
        out.extend(t for t in canonical_of(word_tokens(text)) if t not in out)
    return out


def family_tokens(rec: PersonRecord) -> list[str]:
    """Canonical tokens of the record's family names (declared or written in capitals)."""
    return _family_of(tuple(rec.names), tuple(rec.family_names))


def _first_or_none(first: tuple[Any, ...] | None, index: int) -> str | None:
    return (first[index] or None) if first else None


@lru_cache(maxsize=65_536)
def _name_block(names: tuple[str, ...], declared: tuple[str, ...]) -> tuple[Any, ...]:
    """Every name column of a record with these names (COLUMNS from "name" to
    "name_given"). Names repeat across records: derived once."""
    feats = [name_features(n) for n in names if n.strip()]
    first = feats[0] if feats else None
    all_tokens: list[str] = []
    for f in feats:
        all_tokens.extend(t for t in f[5] if t not in all_tokens)
    family = _family_of(names, declared)
    given = [t for t in all_tokens if t not in family] if family else []
    sorted_first = first[0].split(" ") if first else None
    return (
        names[0] if names else None,
        _first_or_none(first, 0),
        _first_or_none(first, 1),
        _first_or_none(first, 2),
        _first_or_none(first, 3),
        _first_or_none(first, 6),
        _first_or_none(first, 11),
        _first_or_none(first, 4),
        _first_or_none(first, 7),
        _first_or_none(first, 8),
        (sorted_first[0] or None) if sorted_first else None,
        (sorted_first[-1] or None) if sorted_first else None,
        all_tokens or None,
        _with_joined(_keys(feats, 0), feats, 9),
        _keys(feats, 1),
        _with_joined(_keys(feats, 2), feats, 10),
        _keys(feats, 6),
        _keys(feats, 11),
        family or None,
        given or None,
    )


@lru_cache(maxsize=65_536)
def _date_block(dob: str) -> tuple[str | None, str | None, str | None]:
    year, month, day = parts(dob)
    return (
        None if year is None else f"{year:04d}",
        None if month is None else f"{month:02d}",
        None if day is None else f"{day:02d}",
    )


_address_key = lru_cache(maxsize=65_536)(address_key)


def _row(rec: PersonRecord) -> tuple[Any, ...]:
    """The engine's row for one record, in the order of COLUMNS; empty values are None."""
    names = _name_block(tuple(rec.names), tuple(rec.family_names))
    dob = max(rec.birth_dates, key=len) if rec.birth_dates else None
    year, month, day = _date_block(dob) if dob else (None, None, None)
    docs = rec.documents
    if docs:
        numbers = [n for n in (doc_number(d.number) for d in docs) if n]
        keys = [f"{d.country}:{doc_number(d.number)}" for d in docs if d.country]
    else:
        numbers = keys = []
    phones = list(rec.phones) or None
    addresses = [_address_key(a) for a in rec.addresses if a.strip()]
    return (
        rec.entity_id,
        rec.dataset,
        *names,
        dob,
        year,
        month,
        day,
        numbers[0] if numbers else None,
        numbers or None,
        keys or None,
        rec.phones[0] if rec.phones else None,
        phones,
        phones,  # phones_personal: narrowed by the batch (_narrow_personal_phones)
        [e.lower() for e in rec.emails] or None,
        addresses[0] if addresses else None,
        addresses or None,
        sorted({t for a in addresses for t in a.split()}) or None if addresses else None,
        rec.gender,
        list(rec.nationalities) or None,
        route(rec.crossings),
        leg_keys(rec.crossings) or None,
        return_keys(rec.crossings) or None,
    )


def record_row(rec: PersonRecord) -> dict[str, Any]:
    """The engine's row for one record as a dict of ``COLUMNS``; empty values are None."""
    return dict(zip(COLUMNS, _row(rec), strict=True))


SCHEMA = pa.schema(
    [
        (col, pa.list_(pa.string()) if kind == "list" else pa.string())
        for col, kind in COLUMNS.items()
    ]
)


CHUNK = 50_000  # records derived at a time; Arrow holds the rest compactly
PARALLEL_MIN = 200_000  # fewer records than this are derived in this process


def _chunk_table(records: list[PersonRecord]) -> pa.Table:
    rows = [_row(rec) for rec in records]
    if not rows:
        return SCHEMA.empty_table()
    arrays = [
        pa.array(values, type=field.type)
        for values, field in zip(zip(*rows, strict=True), SCHEMA, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


_FORKED: Sequence[PersonRecord] = []  # the records a forked worker reads its ranges from


def _forked_chunk(bounds: tuple[int, int]) -> pa.Table:
    return _chunk_table(list(_FORKED[bounds[0] : bounds[1]]))


def workers() -> int:
    """Processes deriving features (``UNWEAVE_RESOLVE_WORKERS``, default: the cores, at
    most 4)."""
    raw = os.environ.get("UNWEAVE_RESOLVE_WORKERS", "")
    if raw.strip():
        try:
            return max(1, int(raw))
        except ValueError as exc:
            raise ConfigError(
                f"UNWEAVE_RESOLVE_WORKERS must be a whole number, not {raw!r}"
            ) from exc
    return max(1, min(4, len(os.sched_getaffinity(0))))


def _parallel_tables(records: Sequence[PersonRecord], n_workers: int) -> list[pa.Table]:
    """Chunks derived by forked worker processes, which read the records they inherit
    (nothing is pickled on the way in; each chunk comes back as an Arrow table)."""
    global _FORKED
    bounds = [(i, min(i + CHUNK, len(records))) for i in range(0, len(records), CHUNK)]
    _FORKED = records
    try:
        with multiprocessing.get_context("fork").Pool(n_workers) as pool:
            return list(pool.imap(_forked_chunk, bounds))
    finally:
        _FORKED = []


def feature_table(records: Iterable[PersonRecord], n_workers: int | None = None) -> pa.Table:
    """One row per record with every column of ``COLUMNS``, as Arrow (compact, zero-copy
    into DuckDB).

    Records are derived a chunk at a time, so the Python rows of only one chunk are alive
    at once; the records may be a generator. A large list (or ``ArrowRecords``) is split
    over worker processes (``workers()``).
    """
    # Building millions of small objects makes the cyclic GC rescan everything again and
    # again (half of the time at 1 million records); none of them form cycles.
    enabled, held = gc.isenabled(), isinstance(records, list | ArrowRecords)
    gc.disable()
    try:
        n_workers = workers() if n_workers is None else n_workers
        if held and n_workers > 1 and len(records) >= PARALLEL_MIN:  # type: ignore[arg-type]
            chunks = _parallel_tables(records, n_workers)  # type: ignore[arg-type]
        else:
            chunks = []
            batch: list[PersonRecord] = []
            for rec in records:
                batch.append(rec)
                if len(batch) >= CHUNK:
                    chunks.append(_chunk_table(batch))
                    batch = []
            if batch or not chunks:
                chunks.append(_chunk_table(batch))
        table = pa.concat_tables(chunks)
        del chunks
        return _narrow_personal_phones(table, _shared_phones(table))
    finally:
        if enabled:
            gc.enable()


def _shared_phones(table: pa.Table) -> set[str]:
    """Phones carried under two names of which neither lies inside the other: a phone is
    no one person's as soon as two records carrying it name people apart (LUPU Ion and
    Maria Lupu on a household phone; the exploiter who registered the phone a victim
    uses). Records without a name say nothing either way."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.register("features", table.select(["phones", "name_tokens"]))
        rows = con.execute(
            "WITH x AS (SELECT unnest(phones) AS phone, list_sort(list_distinct(name_tokens))"
            " AS toks FROM features WHERE phones IS NOT NULL AND name_tokens IS NOT NULL)"
            " SELECT phone, list(DISTINCT toks) FROM x GROUP BY phone"
            " HAVING count(DISTINCT toks) >= 2"
        ).fetchall()
    finally:
        con.close()
    shared = set()
    for phone, token_lists in rows:
        items = [frozenset(t) for t in token_lists]
        if any(not (a <= b or b <= a) for i, a in enumerate(items) for b in items[i + 1 :]):
            shared.add(phone)
    return shared


def _narrow_personal_phones(table: pa.Table, shared: set[str]) -> pa.Table:
    if not shared:
        return table
    phones = table.column("phones").combine_chunks()
    flat = pc.list_flatten(phones)
    parents = np.asarray(pc.list_parent_indices(phones))
    keep = np.asarray(pc.invert(pc.is_in(flat, pa.array(sorted(shared), pa.string()))))
    counts = np.bincount(parents[keep], minlength=len(phones))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    personal = pa.ListArray.from_arrays(
        pa.array(offsets), flat.filter(pa.array(keep)), mask=pa.array(counts == 0)
    )
    index = table.schema.get_field_index("phones_personal")
    return table.set_column(index, SCHEMA.field("phones_personal"), personal)


def feature_frame(records: Iterable[PersonRecord]) -> pd.DataFrame:
    """The same as a pandas frame, for inspection and tests."""
    return feature_table(records).to_pandas()
