"""Hit/no-hit on the simulated scenario, by pair of agencies (`make bench-linkage`).

Generates a scenario, loads it, and builds one index per agency (all its datasets). For
each pair of agencies, the hits between their indexes are scored against the truth: a hit
is correct when both records are the same simulated person. Beside it, on the same pairs,
the resolution engine on the raw data (both agencies' records in clear, as if pooled), and
clkhash + anonlink on generically cleaned names and birth dates (the baseline a user would
try first), when they are installed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks.resolve_scenario import pairs_of
from unweave.ingest.manifest import ingest_manifest
from unweave.linkage.encode import Encoder, Params
from unweave.linkage.keys import PartnershipKey
from unweave.linkage.match import THRESHOLD, match, refs_of
from unweave.linkage.refs import entries_of
from unweave.resolve.records import PersonRecord
from unweave.resolve.run import load_records, resolve_store
from unweave.scenario.evaluate import person_truth
from unweave.scenario.generate import generate
from unweave.store.db import open_store
from unweave.store.registry import list_datasets
from unweave.store.tables import clusters

KEY = PartnershipKey(b"benchmark-partnership-secret-000")


def agency_of(dataset: str) -> str:
    return dataset.split("_", 1)[0]


def pr(found: set[tuple[str, str]], true: set[tuple[str, str]]) -> dict[str, float]:
    correct = len(found & true)
    return {
        "precision": correct / len(found) if found else 1.0,
        "recall": correct / len(true) if true else 1.0,
        "found": len(found),
        "true": len(true),
    }


def clkhash_pairs(
    records: dict[str, list[PersonRecord]], a: str, b: str, threshold: float
) -> set[tuple[str, str]] | None:
    try:
        import anonlink
        from clkhash import clk
        from clkhash.comparators import get_comparator
        from clkhash.field_formats import (
            BitsPerTokenStrategy,
            FieldHashingProperties,
            StringSpec,
        )
        from clkhash.schema import Schema
    except ImportError:
        return None
    bigrams = get_comparator({"type": "ngram", "n": 2})
    fields = [
        StringSpec("name", FieldHashingProperties(bigrams, BitsPerTokenStrategy(20))),
        StringSpec("dob", FieldHashingProperties(bigrams, BitsPerTokenStrategy(10))),
    ]
    schema = Schema(fields, 1024)

    def rows(recs: list[PersonRecord]) -> list[tuple[str, str]]:
        return [
            ((r.names[0] if r.names else "").strip().lower(), (r.birth_dates or [""])[0])
            for r in recs
        ]

    secret = "benchmark-secret"
    ca = clk.generate_clks(rows(records[a]), schema, secret, max_workers=1)
    cb = clk.generate_clks(rows(records[b]), schema, secret, max_workers=1)
    candidates = anonlink.candidate_generation.find_candidate_pairs(
        [ca, cb], anonlink.similarities.dice_coefficient_accelerated, threshold
    )
    solution = anonlink.solving.greedy_solve(candidates)
    out: set[tuple[str, str]] = set()
    for group in solution:
        ids = {ds: rec for ds, rec in group}
        if 0 in ids and 1 in ids:
            x, y = records[a][ids[0]].entity_id, records[b][ids[1]].entity_id
            out.add((min(x, y), max(x, y)))
    return out


def run(size: str, seed: int, threshold: float) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="unweave-linkage-"))
    generate(seed, size, work / "scenario")
    store = open_store(f"sqlite:///{work / 'store.db'}")
    ingest_manifest(store, work / "scenario" / "manifest.yaml")
    truth = person_truth(store, work / "scenario")
    by_agency: dict[str, list[int]] = defaultdict(list)
    for dataset in list_datasets(store):
        by_agency[agency_of(dataset.name)].append(dataset.id)

    indexes, refmaps, encode_seconds, entries = {}, {}, 0.0, 0
    for agency, ids in sorted(by_agency.items()):
        feats = entries_of(store, ids)
        t = time.perf_counter()
        index, mapping = Encoder(KEY, Params()).encode(feats)
        encode_seconds += time.perf_counter() - t
        entries += len(feats)
        indexes[agency] = index
        refmaps[agency] = {ref: f.entity_id for ref, f in mapping}

    records = [r for r in load_records(store) if r.entity_id in truth]
    info = {r.entity_id: r for r in records}
    per_agency: dict[str, list[PersonRecord]] = defaultdict(list)
    for r in records:
        per_agency[agency_of(r.dataset)].append(r)

    t = time.perf_counter()
    resolve_store(store, threshold=0.95, incremental=False)
    resolve_seconds = time.perf_counter() - t
    with store.engine.connect() as conn:
        canon = {r.entity_id: r.canonical_id for r in conn.execute(select(clusters))}
    groups: dict[str, list[str]] = defaultdict(list)
    true_groups: dict[str, list[str]] = defaultdict(list)
    for rid in info:
        groups[canon.get(rid, rid)].append(rid)
        true_groups[truth[rid]].append(rid)
    raw_found, true_all = pairs_of(groups), pairs_of(true_groups)

    def identified(rid: str) -> bool:
        rec = info[rid]
        return bool(rec.birth_dates or rec.documents)

    def ident(found: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {p for p in found if identified(p[0]) and identified(p[1])}

    pairs: dict[str, Any] = {}
    match_seconds = 0.0
    for a, b in combinations(sorted(per_agency), 2):

        def cross(found: set[tuple[str, str]], a: str = a, b: str = b) -> set[tuple[str, str]]:
            return {
                p
                for p in found
                if p[0] in info
                and p[1] in info
                and {agency_of(info[p[0]].dataset), agency_of(info[p[1]].dataset)} == {a, b}
            }

        true = cross(true_all)
        true_id = {p for p in true if identified(p[0]) and identified(p[1])}
        if not true:
            continue
        t = time.perf_counter()
        hits = match(indexes[a], indexes[b], threshold)
        match_seconds += time.perf_counter() - t
        found: set[tuple[str, str]] = set()
        with_phones: set[tuple[str, str]] = set()
        for h in hits:
            x = refmaps[a].get(refs_of(indexes[a], h.row_a))
            y = refmaps[b].get(refs_of(indexes[b], h.row_b))
            if x is None or y is None:
                continue  # a padding entry
            pair = (min(x, y), max(x, y))
            with_phones.add(pair)
            if h.reason != "same phone":
                found.add(pair)
        base = clkhash_pairs(per_agency, a, b, threshold)
        pairs[f"{a}–{b}"] = {
            "linkage": pr(ident(cross(found)), true_id),
            "linkage_all": pr(cross(found), true),
            "with_phones": pr(cross(with_phones), true),
            "raw": pr(ident(cross(raw_found)), true_id),
            "raw_all": pr(cross(raw_found), true),
            "clkhash": None if base is None else pr(ident(cross(base)), true_id),
        }
    return {
        "size": size,
        "entries": entries,
        "encode_rate": entries / encode_seconds,
        "match_seconds": match_seconds,
        "resolve_seconds": resolve_seconds,
        "pairs": pairs,
        "threshold": threshold,
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"Scenario `{result['size']}`, one index per agency ({result['entries']:,} entries); "
        f"threshold {result['threshold']}; encoding {result['encode_rate']:,.0f} entries/s; "
        f"all pairs matched in {result['match_seconds']:.2f} s (resolution on the raw data "
        f"{result['resolve_seconds']:.0f} s).",
        "",
        "Pairs whose records both carry a birth date or a document (identity can be "
        "established on them); hits on names, birth dates and documents, phones apart:",
        "",
        "| agencies | true pairs | hits P | hits R | raw resolution P | raw R | R ratio "
        "| clkhash+anonlink P | R |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, s in result["pairs"].items():
        ours, raw, base = s["linkage"], s["raw"], s["clkhash"]
        ratio = ours["recall"] / raw["recall"] if raw["recall"] else float("nan")
        b = f"{base['precision']:.3f} | {base['recall']:.3f}" if base else "not installed | –"
        lines.append(
            f"| {label} | {ours['true']} | {ours['precision']:.3f} | {ours['recall']:.3f} | "
            f"{raw['precision']:.3f} | {raw['recall']:.3f} | {ratio:.2f} | {b} |"
        )
    lines += [
        "",
        "All true pairs (contact-list entries without birth date or document included), "
        "and with phone hits counted as person hits:",
        "",
        "| agencies | true pairs | hits P | hits R | with phones P | R | raw P | raw R |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, s in result["pairs"].items():
        o, w, r = s["linkage_all"], s["with_phones"], s["raw_all"]
        lines.append(
            f"| {label} | {o['true']} | {o['precision']:.3f} | {o['recall']:.3f} | "
            f"{w['precision']:.3f} | {w['recall']:.3f} | "
            f"{r['precision']:.3f} | {r['recall']:.3f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args()
    print(render(run(args.size, args.seed, args.threshold)))


if __name__ == "__main__":
    main()
