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

from unweave.linkage import parallel
from unweave.linkage.encode import Index
from unweave.linkage.features import DOCUMENT, IBAN, KIND_NAMES, NUMBER, PHONE

THRESHOLD = 0.75
DATE_WEIGHT = 0.35
NO_DATE_PENALTY = 0.27
PHONE_BONUS = 0.2  # names that nearly agree on persons who share a phone or document number
SKELETON_PENALTY = 0.05  # consonants alone agree: what Arabic script writes
CHUNK = 400_000
IDENTITY_KINDS = (DOCUMENT, IBAN)
SUPPORT = {"same phone": "names and phone", "same document number": "names and document"}


Triple = tuple[np.ndarray, np.ndarray, np.ndarray]


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


PARALLEL_PAIRS = 4_000_000  # fewer candidate pairs than this are matched in-process
PARTS_PER_WORKER = 4


@dataclass(frozen=True)
class Blocks:
    """The blocking keys both indexes hold: rows sorted by key, and per shared key the
    start and count of its rows on each side."""

    ra: np.ndarray
    rb: np.ndarray
    sa: np.ndarray
    ca: np.ndarray
    sb: np.ndarray
    cb: np.ndarray

    @property
    def sizes(self) -> np.ndarray:
        return self.ca.astype(np.int64) * self.cb

    @classmethod
    def of(cls, a: Index, b: Index) -> Blocks:
        return cls(*_join(a.block_keys, a.block_rows, b.block_keys, b.block_rows))


def candidate_chunks(
    blocks: Blocks, which: np.ndarray | None = None, chunk: int = CHUNK
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs of rows sharing a blocking key (of the blocks ``which``, all if None), a chunk
    at a time (a pair may come twice)."""
    which = np.arange(len(blocks.sa)) if which is None else which
    sa, ca, sb, cb = (blocks.sa[which], blocks.ca[which], blocks.sb[which], blocks.cb[which])
    sizes = ca.astype(np.int64) * cb
    bounds = np.cumsum(sizes)
    start = 0
    while start < len(sizes):
        base = bounds[start] - sizes[start]
        stop = int(np.searchsorted(bounds, base + chunk, side="right"))
        if stop <= start:  # one block larger than a chunk: in tiles of rows of ``a``
            width = int(cb[start])
            step = max(1, chunk // width)
            for first in range(0, int(ca[start]), step):
                rows = np.arange(first, min(first + step, int(ca[start])))
                ia = np.repeat(sa[start] + rows, width)
                ib = np.tile(np.arange(sb[start], sb[start] + width), len(rows))
                yield blocks.ra[ia], blocks.rb[ib]
            start += 1
            continue
        sel = slice(start, stop)
        n = sizes[sel]
        total = int(n.sum())
        key = np.repeat(np.arange(stop - start), n)
        offset = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
        nb = cb[sel][key]
        ia = sa[sel][key] + offset // nb
        ib = sb[sel][key] + offset % nb
        yield blocks.ra[ia], blocks.rb[ib]
        start = stop


def balanced_parts(sizes: np.ndarray, parts: int) -> list[np.ndarray]:
    """The blocks split into ``parts`` groups of about the same sum of block-size products
    (blocks shuffled first, so that the large ones, which come together in key order, are
    spread; a fixed seed keeps the split reproducible)."""
    order = np.random.default_rng(0).permutation(len(sizes))
    bounds = np.cumsum(sizes[order])
    if not len(bounds):
        return []
    cuts = np.searchsorted(bounds, np.linspace(0, bounds[-1], parts + 1)[1:-1], side="right")
    return [np.sort(p) for p in np.split(order, cuts) if len(p)]


def _words(bits: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(bits).view(np.uint64)


def _dice(wa: np.ndarray, wb: np.ndarray, pa: np.ndarray, pb: np.ndarray) -> np.ndarray:
    common = np.bitwise_count(wa & wb).sum(axis=1, dtype=np.int32)
    total = pa + pb
    return np.where(total > 0, 2.0 * common / np.maximum(total, 1), 0.0)


def score_pairs(
    ra: np.ndarray, rb: np.ndarray, prep, threshold: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Scores of the pairs of rows, and the pairs themselves; with a threshold, only the
    pairs that reach it (birth dates compared only for pairs whose names could)."""
    (na, sa, da, pna, psa, pda), (nb, sb, db, pnb, psb, pdb) = prep
    names = _dice(na[ra], nb[rb], pna[ra], pnb[rb])
    skeletons = _dice(sa[ra], sb[rb], psa[ra], psb[rb]) - SKELETON_PENALTY
    names = np.maximum(names, skeletons)
    both = (pda[ra] > 0) & (pdb[rb] > 0)
    if threshold is not None:
        best = np.where(both, (1 - DATE_WEIGHT) * names + DATE_WEIGHT, names - NO_DATE_PENALTY)
        keep = np.nonzero(best >= threshold)[0]
        ra, rb, names, both = ra[keep], rb[keep], names[keep], both[keep]
    dates = _dice(da[ra], db[rb], pda[ra], pdb[rb])
    scores = np.where(
        both,
        (1 - DATE_WEIGHT) * names + DATE_WEIGHT * dates,
        names - NO_DATE_PENALTY,
    )
    if threshold is not None:
        keep = np.nonzero(scores >= threshold)[0]
        ra, rb, scores = ra[keep], rb[keep], scores[keep]
    return ra, rb, scores


def _prepare(index: Index):  # type: ignore[no-untyped-def]
    names, skels, dates = _words(index.names), _words(index.skeletons), _words(index.dates)
    pn = np.bitwise_count(names).sum(axis=1, dtype=np.int32)
    ps = np.bitwise_count(skels).sum(axis=1, dtype=np.int32)
    pd = np.bitwise_count(dates).sum(axis=1, dtype=np.int32)
    return names, skels, dates, pn, ps, pd


def _best(ra: np.ndarray, rb: np.ndarray, scores: np.ndarray, width: int) -> Triple:
    """The best score of each pair of rows (a pair met in several blocks comes once)."""
    pair = ra.astype(np.int64) * width + rb
    order = np.lexsort((-scores, pair))
    pair, scores = pair[order], scores[order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    return pair[first] // width, pair[first] % width, scores[first]


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


def _concat(parts: list[Triple]) -> Triple:
    ra, rb, scores = zip(*parts, strict=True)
    return np.concatenate(ra), np.concatenate(rb), np.concatenate(scores)


def filter_hits(
    a: Index, b: Index, threshold: float = THRESHOLD, processes: int | None = None
) -> list[Hit]:
    """Filter pairs within shared blocks that reach the threshold. Large jobs are split
    into groups of blocks of about equal work, matched by forked workers that share the
    filters with this process."""
    blocks = Blocks.of(a, b)
    prep = (_prepare(a), _prepare(b))
    sizes = blocks.sizes
    procs = parallel.workers() if processes is None else processes
    if int(sizes.sum()) < PARALLEL_PAIRS:
        procs = 1
    groups = balanced_parts(sizes, procs * PARTS_PER_WORKER) if procs > 1 else [None]
    width = max(len(b), 1)

    def run(which: np.ndarray | None) -> Triple:
        found = [score_pairs(x, y, prep, threshold) for x, y in candidate_chunks(blocks, which)]
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        return _best(*_concat(found), width)

    results = parallel.fork_map(run, groups, procs)
    if not results:
        return []
    xs, ys, ss = _best(*_concat(results), width)
    return [
        Hit(x, y, round(s, 4), "names and birth dates")
        for x, y, s in zip(xs.tolist(), ys.tolist(), ss.tolist(), strict=True)
    ]


def phone_support(a: Index, b: Index, hits: list[Hit], threshold: float) -> list[Hit]:
    """Persons who share a phone or a document number (its country unknown on one side)
    and whose names (and dates) nearly agree: the same person, more surely than by names
    alone (a namesake rarely has the same phone or number)."""
    phones = [h for h in hits if h.reason in SUPPORT]
    if not phones:
        return []
    ra = np.array([h.row_a for h in phones], dtype=np.int64)
    rb = np.array([h.row_b for h in phones], dtype=np.int64)
    ra, rb, scores = score_pairs(ra, rb, (_prepare(a), _prepare(b)))
    scores = scores + PHONE_BONUS
    why = {(h.row_a, h.row_b): SUPPORT[h.reason] for h in phones}
    return [
        Hit(int(x), int(y), round(min(1.0, float(s)), 4), why[(int(x), int(y))])
        for x, y, s in zip(ra, rb, scores, strict=True)
        if s >= threshold
    ]


def match(a: Index, b: Index, threshold: float = THRESHOLD) -> list[Hit]:
    """Every hit between two indexes, the best reason per pair of entries."""
    best: dict[tuple[int, int], Hit] = {}
    exact = identifier_hits(a, b, (PHONE, DOCUMENT, IBAN))
    support = exact + identifier_hits(a, b, (NUMBER,))
    for hit in filter_hits(a, b, threshold) + phone_support(a, b, support, threshold) + exact:
        pair = (hit.row_a, hit.row_b)
        if pair not in best or (hit.score, hit.reason != "same phone") > (
            best[pair].score,
            best[pair].reason != "same phone",
        ):
            best[pair] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.row_a, h.row_b))


def refs_of(index: Index, row: int) -> str:
    return bytes(index.refs[row]).decode()
