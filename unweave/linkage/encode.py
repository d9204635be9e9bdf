"""Keyed Bloom-filter encodings (CLKs), keyed identifier hashes and keyed blocking keys.

Each feature string is hashed once with keyed BLAKE2b (a MAC, faster than HMAC-SHA256 in
Python) under the key of its purpose; the digest gives ``k`` bit positions in the filter
(names: 1024 bits, consonant skeletons: 512, birth dates: 256). Exact identifiers are
HMAC-SHA256 under their own key, truncated to 64 bits. Hardening
against frequency attacks, all of it keyed by the partnership's secret:

- every feature is typed (``b:`` bigram, ``s:`` skeleton, ``y:`` year...), so one bigram in
  two roles lands on unrelated bits, and no position can be computed without the key;
- each set bit is flipped with probability ``flip`` (BLIP randomised response): two records
  with the same name and birth date do not give the same filter;
- blocking keys are truncated to ``block_bits`` bits, so each block also holds strangers;
- random *padding* entries, with the weight and block count of real ones, hide how many
  persons an agency holds; they map to no entity in the owner's store;
- references are random, new for every index: two indexes of one agency cannot be joined on
  them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from unweave.linkage import parallel
from unweave.linkage.features import Features
from unweave.linkage.keys import PartnershipKey

NAME_BITS, SKELETON_BITS, DATE_BITS = 1024, 512, 256
NAME_K, DATE_K = 8, 8
BLOCK_BITS = 22
REF_BYTES = 12
PARALLEL_ENTRIES = 50_000  # fewer entries than this are encoded in-process
Featurize = Callable[[Any], Features | None]


@dataclass
class Params:
    name_bits: int = NAME_BITS
    skeleton_bits: int = SKELETON_BITS
    date_bits: int = DATE_BITS
    name_k: int = NAME_K
    date_k: int = DATE_K
    block_bits: int = BLOCK_BITS
    flip: float = 0.01
    padding: float = 0.1


@dataclass
class _Rows:
    kept: list[Features]  # entity id and dataset only
    names: np.ndarray
    skeletons: np.ndarray
    dates: np.ndarray
    block_keys: np.ndarray
    block_rows: np.ndarray
    id_hashes: np.ndarray
    id_kinds: np.ndarray
    id_rows: np.ndarray


def _cat(parts: list[np.ndarray], dtype: type = np.int64) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


@dataclass
class Index:
    """Arrays of one index; row ``i`` of each per-entry array is the entry ``refs[i]``."""

    refs: np.ndarray  # S24: opaque references, hex
    names: np.ndarray  # uint8 (n, name_bits / 8)
    skeletons: np.ndarray  # uint8 (n, skeleton_bits / 8): consonant skeletons only
    dates: np.ndarray  # uint8 (n, date_bits / 8)
    block_keys: np.ndarray  # uint32
    block_rows: np.ndarray  # uint32: the entry each block key belongs to
    id_hashes: np.ndarray  # uint64: keyed hashes of exact identifiers
    id_kinds: np.ndarray  # uint8: phone, document, iban (the kind, never the value)
    id_rows: np.ndarray  # uint32
    header: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.refs)


class Encoder:
    def __init__(self, key: PartnershipKey, params: Params | None = None) -> None:
        self.params = params or Params()
        self._name_key = key.derive("name")
        self._skeleton_key = key.derive("skeleton")
        self._date_key = key.derive("date")
        self._id_key = key.derive("identifier")
        self._block_key = key.derive("block")
        self._rng = np.random.default_rng(secrets.randbits(128))
        self.positions = lru_cache(maxsize=500_000)(self._positions)
        self.filter = lru_cache(maxsize=200_000)(self._filter)
        self.block = lru_cache(maxsize=500_000)(self._block)

    def _positions(self, purpose: str, feature: str) -> int:
        """The feature's bits in the filter of its purpose, as an integer mask."""
        p = self.params
        key, bits, k = {
            "name": (self._name_key, p.name_bits, p.name_k),
            "skeleton": (self._skeleton_key, p.skeleton_bits, p.name_k),
            "date": (self._date_key, p.date_bits, p.date_k),
        }[purpose]
        digest = hashlib.blake2b(feature.encode(), key=key, digest_size=2 * k).digest()
        mask = 0
        for i in range(k):
            mask |= 1 << (int.from_bytes(digest[2 * i : 2 * i + 2], "little") % bits)
        return mask

    def _filter(self, purpose: str, feats: frozenset[str], bits: int) -> bytes:
        mask = 0
        for feat in feats:
            mask |= self.positions(purpose, feat)
        return mask.to_bytes(bits // 8, "little")

    def _flip(self, arr: np.ndarray) -> None:
        """Randomised response on the filters that hold something (empty ones stay empty)."""
        if not self.params.flip:
            return
        bits = arr.shape[1] * 8
        used = np.nonzero(arr.any(axis=1))[0]
        for start in range(0, len(used), 20_000):
            rows = used[start : start + 20_000]
            counts = self._rng.binomial(bits, self.params.flip, size=len(rows))
            noise = np.zeros((len(rows), bits), dtype=bool)
            noise[
                np.repeat(np.arange(len(rows)), counts), self._rng.integers(0, bits, counts.sum())
            ] = True
            arr[rows] ^= np.packbits(noise, axis=1, bitorder="little")

    def identifier_hash(self, kind: int, value: str) -> int:
        digest = hmac.new(self._id_key, f"{kind}:{value}".encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "little")

    def _block(self, value: str) -> int:
        digest = hashlib.blake2b(value.encode(), key=self._block_key, digest_size=4).digest()
        return int.from_bytes(digest, "little") >> (32 - self.params.block_bits)

    def block_values(self, feats: Features) -> set[str]:
        """Skeleton with birth year; pairs of skeletons (for a missing or wrong year).

        A pair of keys of which one holds the other (``lxndr`` and ``xndr``: the article
        dropped; ``ngc`` and ``ngcnh``: a compound of two tokens) is one name, not two: such
        pairs made the largest blocks and find nothing that the name's other keys miss. So did
        pairs of two keys of two consonants (``ng`` and ``th``: Nguyen Thi)."""
        keys = sorted(feats.name_keys)
        out = {f"sy:{k}|{y}" for k in keys for y in feats.years}
        pairs = {
            f"ss:{a}|{b}"
            for i, a in enumerate(keys)
            for b in keys[i + 1 :]
            if a not in b and b not in a and max(len(a), len(b)) > 2
        }
        out |= pairs
        if not pairs and not feats.years:
            out |= {f"s:{k}" for k in keys}
        return out

    def _rows(self, entries: Sequence[Any], features: Featurize | None) -> _Rows:
        """The filters, blocking keys and identifier hashes of some entries (their rows
        numbered from 0), before randomised response and shuffling."""
        p = self.params
        names, skels, dates = bytearray(), bytearray(), bytearray()
        zero_n, zero_s, zero_d = (
            bytes(p.name_bits // 8),
            bytes(p.skeleton_bits // 8),
            bytes(p.date_bits // 8),
        )
        bk: list[int] = []
        br: list[int] = []
        ih: list[int] = []
        ik: list[int] = []
        ir: list[int] = []
        kept: list[Features] = []
        for item in entries:
            feats = features(item) if features is not None else item
            if feats is None:
                continue
            row = len(kept)
            kept.append(Features(feats.entity_id, feats.dataset))
            names += self.filter("name", feats.names, p.name_bits) if feats.names else zero_n
            skels += (
                self.filter("skeleton", feats.skeletons, p.skeleton_bits)
                if feats.skeletons
                else zero_s
            )
            dates += self.filter("date", feats.dates, p.date_bits) if feats.dates else zero_d
            for value in self.block_values(feats) if feats.names else ():
                bk.append(self.block(value))
                br.append(row)
            for kind, value in sorted(feats.identifiers):
                ih.append(self.identifier_hash(kind, value))
                ik.append(kind)
                ir.append(row)

        def arr(buf: bytearray, bits: int) -> np.ndarray:
            return np.frombuffer(bytes(buf), np.uint8).reshape(-1, bits // 8)

        return _Rows(
            kept,
            arr(names, p.name_bits),
            arr(skels, p.skeleton_bits),
            arr(dates, p.date_bits),
            np.array(bk, dtype=np.int64),
            np.array(br, dtype=np.int64),
            np.array(ih, dtype=np.uint64),
            np.array(ik, dtype=np.uint8),
            np.array(ir, dtype=np.int64),
        )

    def encode(
        self,
        entries: Sequence[Any],
        features: Featurize | None = None,
        processes: int | None = None,
    ) -> tuple[Index, list[tuple[str, Features]]]:
        """The index (padding included, order shuffled) and each real entry's reference.

        ``entries`` are Features, or records that ``features`` turns into Features (or None:
        left out). Many entries are encoded by forked workers, a slice each."""
        p = self.params
        procs = parallel.workers() if processes is None else processes
        if len(entries) < PARALLEL_ENTRIES:
            procs = 1
        step = -(-len(entries) // (procs * 4)) if procs > 1 else max(len(entries), 1)
        slices = [entries[i : i + step] for i in range(0, len(entries), step)] or [entries]
        parts = parallel.fork_map(lambda part: self._rows(part, features), slices, procs)
        n_real = sum(len(r.kept) for r in parts)
        n_pad = int(np.ceil(n_real * p.padding)) if n_real else 0
        total = n_real + n_pad
        order = self._rng.permutation(total)
        names = np.zeros((total, p.name_bits // 8), dtype=np.uint8)
        skels = np.zeros((total, p.skeleton_bits // 8), dtype=np.uint8)
        dates = np.zeros((total, p.date_bits // 8), dtype=np.uint8)
        pool = secrets.token_bytes(REF_BYTES * total).hex()  # one call, not one per entry
        refs = [pool[i : i + 2 * REF_BYTES] for i in range(0, len(pool), 2 * REF_BYTES)]
        bk: list[np.ndarray] = []
        br: list[np.ndarray] = []
        ih: list[np.ndarray] = []
        ik: list[np.ndarray] = []
        ir: list[np.ndarray] = []
        mapping: list[tuple[str, Features]] = []
        first = 0
        for part in parts:
            rows = order[first : first + len(part.kept)]
            names[rows], skels[rows], dates[rows] = part.names, part.skeletons, part.dates
            mapping += [(refs[int(r)], f) for r, f in zip(rows, part.kept, strict=True)]
            bk.append(part.block_keys)
            br.append(rows[part.block_rows])
            ih.append(part.id_hashes)
            ik.append(part.id_kinds)
            ir.append(rows[part.id_rows])
            first += len(part.kept)
        for arr in (names, skels, dates):
            self._flip(arr)
        blocks, ids = self._pad(
            order[n_real:],
            (names, skels, dates),
            (_cat(bk), _cat(br)),
            (_cat(ih, np.uint64), _cat(ik, np.uint8), _cat(ir)),
        )
        index = Index(
            refs=np.array(refs, dtype="S24"),
            names=names,
            skeletons=skels,
            dates=dates,
            block_keys=blocks[0].astype(np.uint32),
            block_rows=blocks[1].astype(np.uint32),
            id_hashes=ids[0].astype(np.uint64),
            id_kinds=ids[1].astype(np.uint8),
            id_rows=ids[2].astype(np.uint32),
        )
        return index, mapping

    def _pad(self, rows: np.ndarray, arrays: tuple[np.ndarray, ...], blocks, ids) -> tuple:  # type: ignore[no-untyped-def, type-arg]
        """Decoys shaped like real entries: weights, block and identifier counts drawn
        from the real ones. Returns the blocks and identifiers with the decoys'."""
        real = np.setdiff1d(np.arange(len(arrays[0])), rows)
        if not len(rows) or not len(real):
            return blocks, ids
        rng = self._rng
        like = rng.choice(real, size=len(rows))
        for arr in arrays:
            weight = np.bitwise_count(arr).sum(axis=1)[like]
            bits = arr.shape[1] * 8
            for start in range(0, len(rows), 4096):
                w = weight[start : start + 4096]
                noise = rng.random((len(w), bits))
                kth = np.sort(noise, axis=1)[np.arange(len(w)), np.maximum(w, 1) - 1]
                set_ = (noise <= kth[:, None]) & (w[:, None] > 0)
                arr[rows[start : start + 4096]] = np.packbits(set_, axis=1, bitorder="little")
        per_block = np.bincount(blocks[1].astype(np.int64), minlength=len(arrays[0]))[like]
        per_id = np.bincount(ids[2].astype(np.int64), minlength=len(arrays[0]))[like]
        kinds = ids[1] if len(ids[1]) else np.array([1], dtype=np.uint8)
        n_ids = int(per_id.sum())
        blocks = (
            np.concatenate(
                [blocks[0], rng.integers(0, 2**self.params.block_bits, per_block.sum())]
            ),
            np.concatenate([blocks[1], np.repeat(rows, per_block)]),
        )
        ids = (
            np.concatenate([ids[0], rng.integers(0, 2**63, n_ids).astype(np.uint64)]),
            np.concatenate([ids[1], rng.choice(kinds, n_ids).astype(np.uint8)]),
            np.concatenate([ids[2], np.repeat(rows, per_id)]),
        )
        return blocks, ids
