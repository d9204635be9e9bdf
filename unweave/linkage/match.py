"""Matching two indexes: exact keyed identifiers, and Dice on the filters within blocks.

No key is needed to match: a node that holds two indexes learns which entries meet, with a
score, and nothing of what they encode. Identifier hits (the same keyed phone, document or
IBAN hash) score 1. Filter pairs are compared only within shared keyed blocking keys, in
chunks of pairs, with numpy's popcount over 64-bit words; the score is the names' Dice
coefficient, combined with the birth dates' where both entries have one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from unweave.linkage.encode import Index
from unweave.linkage.features import DOCUMENT, IBAN, KIND_NAMES

THRESHOLD = 0.77
DATE_WEIGHT = 0.35
NO_DATE_PENALTY = 0.2
PHONE_BONUS = 0.2  # names that nearly agree on persons who share a phone
SKELETON_PENALTY = 0.05  # consonants alone agree: what Arabic script writes
CHUNK = 400_000
IDENTITY_KINDS = (DOCUMENT, IBAN)


@dataclass(frozen=True)
class Hit:
    row_a: int
    row_b: int
    score: float
    reason: str  # "names and birth dates", "same document", ...


def _join(keys_a: np.ndarray, rows_a: np.ndarray, keys_b: np.ndarray, rows_b: np.ndarray):  # type: ignore[no-untyped-def]
    """Ranges of equal keys on both sides: (start_a, count_a, start_b, count_b), sorted."""
    oa, ob = np.argsort(keys_a, kind="stable"), np.argsort(keys_b, kind="stable")
    ka, kb = keys_a[oa], keys_b[ob]
    ua, sa, ca = np.unique(ka, return_index=True, return_counts=True)
    ub, sb, cb = np.unique(kb, return_index=True, return_counts=True)
    _, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    return rows_a[oa], rows_b[ob], sa[ia], ca[ia], sb[ib], cb[ib]


def candidate_chunks(
    a: Index, b: Index, chunk: int = CHUNK
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs of rows sharing a blocking key, a chunk at a time (a pair may come twice)."""
    ra, rb, sa, ca, sb, cb = _join(a.block_keys, a.block_rows, b.block_keys, b.block_rows)
    sizes = ca.astype(np.int64) * cb
    bounds = np.cumsum(sizes)
    start = 0
    while start < len(sizes):
        base = bounds[start] - sizes[start]
        stop = int(np.searchsorted(bounds, base + chunk, side="right"))
        stop = max(stop, start + 1)
        sel = slice(start, stop)
        n = sizes[sel]
        total = int(n.sum())
        key = np.repeat(np.arange(stop - start), n)
        offset = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
        nb = cb[sel][key]
        ia = sa[sel][key] + offset // nb
        ib = sb[sel][key] + offset % nb
        yield ra[ia], rb[ib]
        start = stop


def _words(bits: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(bits).view(np.uint64)


def _dice(wa: np.ndarray, wb: np.ndarray, pa: np.ndarray, pb: np.ndarray) -> np.ndarray:
    common = np.bitwise_count(wa & wb).sum(axis=1, dtype=np.int32)
    total = pa + pb
    return np.where(total > 0, 2.0 * common / np.maximum(total, 1), 0.0)


def score_pairs(a: Index, b: Index, ra: np.ndarray, rb: np.ndarray, prep) -> np.ndarray:  # type: ignore[no-untyped-def]
    (na, sa, da, pna, psa, pda), (nb, sb, db, pnb, psb, pdb) = prep
    names = _dice(na[ra], nb[rb], pna[ra], pnb[rb])
    skeletons = _dice(sa[ra], sb[rb], psa[ra], psb[rb]) - SKELETON_PENALTY
    names = np.maximum(names, skeletons)
    both = (pda[ra] > 0) & (pdb[rb] > 0)
    dates = _dice(da[ra], db[rb], pda[ra], pdb[rb])
    return np.where(
        both,
        (1 - DATE_WEIGHT) * names + DATE_WEIGHT * dates,
        names - NO_DATE_PENALTY,
    )


def _prepare(index: Index):  # type: ignore[no-untyped-def]
    names, skels, dates = _words(index.names), _words(index.skeletons), _words(index.dates)
    pn = np.bitwise_count(names).sum(axis=1, dtype=np.int32)
    ps = np.bitwise_count(skels).sum(axis=1, dtype=np.int32)
    pd = np.bitwise_count(dates).sum(axis=1, dtype=np.int32)
    return names, skels, dates, pn, ps, pd


def identifier_hits(a: Index, b: Index, kinds: tuple[int, ...] | None = None) -> list[Hit]:
    out: list[Hit] = []
    for kind in kinds or tuple(KIND_NAMES):
        ma, mb = a.id_kinds == kind, b.id_kinds == kind
        ra, rb, sa, ca, sb, cb = _join(
            a.id_hashes[ma], a.id_rows[ma], b.id_hashes[mb], b.id_rows[mb]
        )
        for i in range(len(sa)):
            for x in ra[sa[i] : sa[i] + ca[i]]:
                for y in rb[sb[i] : sb[i] + cb[i]]:
                    out.append(Hit(int(x), int(y), 1.0, f"same {KIND_NAMES[kind]}"))
    return out


def filter_hits(a: Index, b: Index, threshold: float = THRESHOLD) -> list[Hit]:
    prep = (_prepare(a), _prepare(b))
    best: dict[tuple[int, int], float] = {}
    for ra, rb in candidate_chunks(a, b):
        scores = score_pairs(a, b, ra, rb, prep)
        keep = np.nonzero(scores >= threshold)[0]
        for x, y, s in zip(
            ra[keep].tolist(), rb[keep].tolist(), scores[keep].tolist(), strict=True
        ):
            if s > best.get((x, y), -1.0):
                best[(x, y)] = s
    return [Hit(x, y, round(s, 4), "names and birth dates") for (x, y), s in best.items()]


def phone_support(a: Index, b: Index, hits: list[Hit], threshold: float) -> list[Hit]:
    """Persons who share a phone and whose names (and dates) nearly agree: the same person,
    more surely than by names alone (a namesake rarely has the same phone)."""
    phones = [h for h in hits if h.reason == "same phone"]
    if not phones:
        return []
    ra = np.array([h.row_a for h in phones], dtype=np.int64)
    rb = np.array([h.row_b for h in phones], dtype=np.int64)
    scores = score_pairs(a, b, ra, rb, (_prepare(a), _prepare(b))) + PHONE_BONUS
    return [
        Hit(int(x), int(y), round(min(1.0, float(s)), 4), "names and phone")
        for x, y, s in zip(ra, rb, scores, strict=True)
        if s >= threshold
    ]


def match(a: Index, b: Index, threshold: float = THRESHOLD) -> list[Hit]:
    """Every hit between two indexes, the best reason per pair of entries."""
    best: dict[tuple[int, int], Hit] = {}
    exact = identifier_hits(a, b)
    for hit in filter_hits(a, b, threshold) + phone_support(a, b, exact, threshold) + exact:
        pair = (hit.row_a, hit.row_b)
        if pair not in best or (hit.score, hit.reason != "same phone") > (
            best[pair].score,
            best[pair].reason != "same phone",
        ):
            best[pair] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.row_a, h.row_b))


def refs_of(index: Index, row: int) -> str:
    return bytes(index.refs[row]).decode()
