"""Encoding and matching over forked workers give what one process gives."""

from __future__ import annotations

import random

import numpy as np
import pytest

from benchmarks.linkage_scale import person, write
from unweave.linkage import encode as encode_mod
from unweave.linkage import match as match_mod
from unweave.linkage.encode import Encoder, Params
from unweave.linkage.features import person_features
from unweave.linkage.keys import PartnershipKey

KEY = PartnershipKey(b"0123456789abcdef0123456789abcdef")


def _by_entity(index, mapping) -> dict[str, tuple[bytes, bytes, bytes, tuple[int, ...]]]:  # type: ignore[no-untyped-def]
    row = {ref: i for i, ref in enumerate(index.refs.astype(str))}
    blocks: dict[int, list[int]] = {}
    for k, r in zip(index.block_keys.tolist(), index.block_rows.tolist(), strict=True):
        blocks.setdefault(r, []).append(k)
    out = {}
    for ref, f in mapping:
        i = row[ref]
        out[f.entity_id] = (
            index.names[i].tobytes(),
            index.skeletons[i].tobytes(),
            index.dates[i].tobytes(),
            tuple(sorted(blocks.get(i, []))),
        )
    return out


def test_workers_give_the_same_index_and_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    people = [person(rng) for _ in range(1500)]
    recs_a = [write(p, rng, i) for i, p in enumerate(people)]
    recs_b = [write(p, rng, i, noisy=True) for i, p in enumerate(people[:600])]
    monkeypatch.setattr(encode_mod, "PARALLEL_ENTRIES", 0)
    monkeypatch.setattr(match_mod, "PARALLEL_PAIRS", 0)
    params = Params(flip=0.0, padding=0.0)
    one = Encoder(KEY, params).encode(recs_a, person_features, processes=1)
    two = Encoder(KEY, params).encode(recs_a, person_features, processes=2)
    assert len(one[1]) == len(two[1]) == 1500
    assert _by_entity(*one) == _by_entity(*two)
    # Padding rows are shaped like real ones and take part in blocking.
    padded, mapping = Encoder(KEY, Params(padding=0.1)).encode(recs_b, person_features, 2)
    assert len(padded) == 660 and len(mapping) == 600
    assert len(np.unique(padded.block_rows)) == 660
    b, _ = Encoder(KEY, params).encode(recs_b, person_features, processes=1)
    serial = match_mod.filter_hits(one[0], b, processes=1)
    forked = match_mod.filter_hits(one[0], b, processes=2)
    assert serial and {(h.row_a, h.row_b, h.score) for h in serial} == {
        (h.row_a, h.row_b, h.score) for h in forked
    }
    # Blocks larger than a chunk are cut in tiles: the same pairs, never a whole block held.
    blocks = match_mod.Blocks.of(one[0], b)

    def pairs(chunks: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[int, int]]:
        xs = np.concatenate([x for x, _ in chunks]).tolist()
        ys = np.concatenate([y for _, y in chunks]).tolist()
        return sorted(zip(xs, ys, strict=True))

    tiles = list(match_mod.candidate_chunks(blocks, chunk=7))
    assert max(len(x) for x, _ in tiles) <= 7
    assert pairs(tiles) == pairs(list(match_mod.candidate_chunks(blocks)))
