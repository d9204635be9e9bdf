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
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from unweave.linkage.features import Features
from unweave.linkage.keys import PartnershipKey

NAME_BITS, SKELETON_BITS, DATE_BITS = 1024, 512, 256
NAME_K, DATE_K = 8, 8
BLOCK_BITS = 22
REF_BYTES = 12


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
        """Skeleton with birth year; pairs of skeletons (for a missing or wrong year)."""
        keys = sorted(feats.name_keys)
        out = {f"sy:{k}|{y}" for k in keys for y in feats.years}
        out |= {f"ss:{a}|{b}" for i, a in enumerate(keys) for b in keys[i + 1 :]}
        if len(keys) == 1 and not feats.years:
            out.add(f"s:{keys[0]}")
        return out

    def encode(self, entries: list[Features]) -> tuple[Index, list[tuple[str, Features]]]:
        """The index (padding included, order shuffled) and each real entry's reference."""
        p = self.params
        n_real = len(entries)
        n_pad = int(np.ceil(n_real * p.padding)) if n_real else 0
        total = n_real + n_pad
        names = np.zeros((total, p.name_bits // 8), dtype=np.uint8)
        skels = np.zeros((total, p.skeleton_bits // 8), dtype=np.uint8)
        dates = np.zeros((total, p.date_bits // 8), dtype=np.uint8)
        order = self._rng.permutation(total)
        refs = [secrets.token_hex(REF_BYTES) for _ in range(total)]
        bk: list[int] = []
        br: list[int] = []
        ih: list[int] = []
        ik: list[int] = []
        ir: list[int] = []
        mapping: list[tuple[str, Features]] = []
        for i, feats in enumerate(entries):
            row = int(order[i])
            mapping.append((refs[row], feats))
            if feats.names:
                names[row] = np.frombuffer(self.filter("name", feats.names, p.name_bits), np.uint8)
            if feats.skeletons:
                skels[row] = np.frombuffer(
                    self.filter("skeleton", feats.skeletons, p.skeleton_bits), np.uint8
                )
            if feats.dates:
                dates[row] = np.frombuffer(self.filter("date", feats.dates, p.date_bits), np.uint8)
            for value in self.block_values(feats) if feats.names else ():
                bk.append(self.block(value))
                br.append(row)
            for kind, value in sorted(feats.identifiers):
                ih.append(self.identifier_hash(kind, value))
                ik.append(kind)
                ir.append(row)
        for arr in (names, skels, dates):
            self._flip(arr)
        self._pad(order[n_real:], names, skels, dates, (bk, br), (ih, ik, ir), n_real)
        index = Index(
            refs=np.array(refs, dtype="S24"),
            names=names,
            skeletons=skels,
            dates=dates,
            block_keys=np.array(bk, dtype=np.uint32),
            block_rows=np.array(br, dtype=np.uint32),
            id_hashes=np.array(ih, dtype=np.uint64),
            id_kinds=np.array(ik, dtype=np.uint8),
            id_rows=np.array(ir, dtype=np.uint32),
        )
        return index, mapping

    def _pad(self, rows, names, skels, dates, blocks, ids, n_real) -> None:  # type: ignore[no-untyped-def]
        """Decoys shaped like real entries: weights, block and identifier counts drawn
        from the real ones."""
        if not len(rows) or not n_real:
            return
        rng = self._rng
        name_w = np.unpackbits(names, axis=1).sum(axis=1)
        skel_w = np.unpackbits(skels, axis=1).sum(axis=1)
        date_w = np.unpackbits(dates, axis=1).sum(axis=1)
        real = np.setdiff1d(np.arange(len(names)), rows)
        per_block = np.bincount(np.array(blocks[1], dtype=np.int64), minlength=len(names))
        kinds = np.array(ids[1] or [1], dtype=np.uint8)
        per_id = np.bincount(np.array(ids[2], dtype=np.int64), minlength=len(names))
        for row in rows:
            like = int(rng.choice(real))
            for arr, weight, bits in (
                (names, name_w[like], self.params.name_bits),
                (skels, skel_w[like], self.params.skeleton_bits),
                (dates, date_w[like], self.params.date_bits),
            ):
                bitrow = np.zeros(bits, dtype=bool)
                bitrow[rng.choice(bits, size=int(weight), replace=False)] = True
                arr[row] = np.packbits(bitrow)
            for _ in range(int(per_block[like])):
                blocks[0].append(int(rng.integers(0, 2**self.params.block_bits)))
                blocks[1].append(int(row))
            for _ in range(int(per_id[like])):
                ids[0].append(int(rng.integers(0, 2**63)))
                ids[1].append(int(rng.choice(kinds)))
                ids[2].append(int(row))
