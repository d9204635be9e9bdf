"""Resolution on the simulated scenario (`make bench-resolve` runs it after Febrl4 and scale).

Generates a scenario, loads it into a fresh SQLite store, runs `unweave resolve` and scores
the clusters against the truth: pairwise precision and recall overall, by script of the
names (Latin, Arabic, Cyrillic) and by pair of agencies, and whether any relatives or
namesakes were merged. Beside it, in the same run, plain Splink with its library's default
comparisons on generically cleaned columns: the baseline a user would try first.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from benchmarks.plain_splink import plain_linker
from unweave.ingest.manifest import ingest_manifest
from unweave.resolve.compare.contact import address_key
from unweave.resolve.compare.dates import compare_birth_dates
from unweave.resolve.compare.documents import compare_documents
from unweave.resolve.compare.travel import compare_crossings
from unweave.resolve.records import PersonRecord
from unweave.resolve.run import load_records, resolve_store
from unweave.scenario.evaluate import merged_at_ingest, name_disagrees, person_truth
from unweave.scenario.generate import generate
from unweave.store.db import open_store
from unweave.store.tables import clusters, match_candidates

ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def script(rec: PersonRecord) -> str:
    text = " ".join(rec.names)
    if ARABIC.search(text):
        return "Arabic"
    if CYRILLIC.search(text):
        return "Cyrillic"
    return "Latin"


def agency(rec: PersonRecord) -> str:
    return rec.dataset.split("_", 1)[0]


def pairs_of(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        out.update(combinations(sorted(members), 2))
    return out


def scores(
    found: set[tuple[str, str]], true: set[tuple[str, str]], key: Any
) -> dict[str, dict[str, float]]:
    """Precision and recall overall and per group of a pair (``key(pair) -> label``)."""
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in found | true:
        for label in {"all", key(pair)}:
            by[label]["found"] += pair in found
            by[label]["true"] += pair in true
            by[label]["correct"] += pair in found and pair in true
    return {
        label: {
            "precision": c["correct"] / c["found"] if c["found"] else 1.0,
            "recall": c["correct"] / c["true"] if c["true"] else 1.0,
            "true_pairs": c["true"],
        }
        for label, c in sorted(by.items())
    }


def baseline(records: list[PersonRecord], threshold: float) -> set[tuple[str, str]]:
    """Plain Splink: default library comparisons on generically cleaned columns."""
    linker = plain_linker(records)
    pred = linker.inference.predict(threshold_match_probability=threshold)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold
    ).as_pandas_dataframe()
    groups: dict[str, list[str]] = defaultdict(list)
    for uid, cid in zip(clustered.unique_id, clustered.cluster_id, strict=True):
        groups[str(cid)].append(str(uid))
    return pairs_of(groups)


def shared_evidence(a: PersonRecord, b: PersonRecord, crossings: bool = True) -> str:
    """What two records have in common besides a name ("" for nothing): a phone, an
    identity document, a compatible birth date, an address or a crossing back."""
    if set(a.phones) & set(b.phones):
        return "phone"
    if compare_documents(a.documents, b.documents).level in ("exact", "likely"):
        return "document"
    if compare_birth_dates(a.birth_dates, b.birth_dates).level in ("exact", "strong", "likely"):
        return "birth date"
    if {address_key(x) for x in a.addresses} & {address_key(x) for x in b.addresses}:
        return "address"
    if crossings and compare_crossings(a.crossings, b.crossings).level == "likely":
        return "crossing back"
    return ""


def _root(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def findable(
    groups: dict[str, list[str]], info: dict[str, PersonRecord], crossings: bool = True
) -> set[tuple[str, str]]:
    """True pairs the data can join at all: the two records are connected, through records
    of the same person, by shared evidence (a phone, document, birth date, address or a
    crossing back).
    A pair of which one record shares nothing but a name with every other record of its
    person (a contact entry on a phone no other record carries, a border record with a
    name only, a crossing on a forged passport) can only be found on the name alone,
    which namesakes share."""
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        parent = {m: m for m in members}
        for a, b in combinations(members, 2):
            if shared_evidence(info[a], info[b], crossings):
                parent[_root(parent, a)] = _root(parent, b)
        by: dict[str, list[str]] = defaultdict(list)
        for m in members:
            by[_root(parent, m)].append(m)
        out |= pairs_of(by)
    return out


def _describe(rec: PersonRecord) -> str:
    docs = [f"{d.number}/{d.country or '?'}" for d in rec.documents]
    return (
        f"{rec.dataset}: {' | '.join(rec.names)}; born {rec.birth_dates or '-'}; "
        f"documents {docs or '-'}; phones {rec.phones or '-'}; addresses {rec.addresses or '-'}; "
        f"crossings {rec.crossings or '-'}"
    )


def write_misses(path: Path, missed: set[tuple[str, str]], info: dict[str, PersonRecord]) -> None:
    """The true pairs left apart, both records described (synthetic data only)."""
    with path.open("w", encoding="utf-8") as fh:
        for a, b in sorted(missed):
            fh.write(f"{_describe(info[a])}\n{_describe(info[b])}\n\n")


def run(size: str, seed: int, threshold: float, misses: Path | None = None) -> dict[str, Any]:
    """Generate, ingest, resolve and score in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="unweave-resolve-") as tmp:
        return _measure(Path(tmp), size, seed, threshold, misses)


def _measure(
    work: Path, size: str, seed: int, threshold: float, misses: Path | None
) -> dict[str, Any]:
    generate(seed, size, work / "scenario")
    store = open_store(f"sqlite:///{work / 'store.db'}")
    ingest_manifest(store, work / "scenario" / "manifest.yaml")
    truth = person_truth(store, work / "scenario")
    records = [r for r in load_records(store) if r.entity_id in truth]
    info = {r.entity_id: r for r in records}

    t = time.perf_counter()
    summary = resolve_store(store, threshold=threshold, incremental=False)
    ours_seconds = time.perf_counter() - t
    with store.engine.connect() as conn:
        mapping = {r.entity_id: r.canonical_id for r in conn.execute(select(clusters))}
    groups: dict[str, list[str]] = defaultdict(list)
    true_groups: dict[str, list[str]] = defaultdict(list)
    for rid in info:
        groups[mapping.get(rid, rid)].append(rid)
        true_groups[truth[rid]].append(rid)
    found, true = pairs_of(groups), pairs_of(true_groups)
    with store.engine.connect() as conn:
        queued = conn.execute(
            select(match_candidates.c.left_id, match_candidates.c.right_id).where(
                match_candidates.c.decision == "review"
            )
        )
        # the share of the review queue a person would find to be one person
        review_true = sum(1 for a, b in queued if tuple(sorted((a, b))) in true)
    if misses is not None:
        write_misses(misses, true - found, info)

    t = time.perf_counter()
    base = baseline(records, threshold)
    base_seconds = time.perf_counter() - t

    def by_script(p: tuple[str, str]) -> str:
        return "script " + "–".join(sorted((script(info[p[0]]), script(info[p[1]]))))

    def by_agency(p: tuple[str, str]) -> str:
        return "agencies " + "–".join(sorted((agency(info[p[0]]), agency(info[p[1]]))))

    persons = pd.read_csv(
        work / "scenario" / "truth" / "persons.csv", dtype=str, keep_default_na=False
    )
    household = dict(zip(persons.person_id, persons.household, strict=True))
    namesake = dict(zip(persons.person_id, persons.namesake_of, strict=True))
    wrong = [p for p in found - true]
    relatives = sum(
        1
        for a, b in wrong
        if household.get(truth[a]) and household.get(truth[a]) == household.get(truth[b])
    )
    namesakes = sum(
        1
        for a, b in wrong
        if namesake.get(truth[a]) == truth[b] or namesake.get(truth[b]) == truth[a]
    )

    # Pairs an identity can be established on: both records carry a birth date or a
    # document. Contact-list entries ("Йорданка Dortmund" with a phone) are in the truth but
    # only a shared phone links them, which is evidence, not identity.
    def identified(rec: PersonRecord) -> bool:
        return bool(rec.birth_dates or rec.documents)

    true_id = {p for p in true if identified(info[p[0]]) and identified(info[p[1]])}
    found_id = {p for p in found if p[0] in info and p[1] in info}

    # Stricter: the two records carry the same kind of identifying detail (both a birth
    # date, or both a document), so that comparing them can establish identity at all; a
    # record with a birth date only against one with a document only meets on the name.
    def comparable(p: tuple[str, str]) -> bool:
        a, b = info[p[0]], info[p[1]]
        return bool((a.birth_dates and b.birth_dates) or (a.documents and b.documents))

    true_cmp = {p for p in true_id if comparable(p)}
    true_findable = findable(true_groups, info)
    person_rows = {r["person_id"]: r for r in persons.to_dict("records")}
    inconsistent = sum(
        1 for rid, rec in info.items() if name_disagrees(rec.names, person_rows[truth[rid]])
    )
    return {
        "findable": scores(found, true_findable, lambda p: "all")["all"],
        # As measured before crossings were compared (a shared phone, document, birth
        # date or address only), to compare with the figures of earlier sessions.
        "findable_without_crossings": scores(
            found, findable(true_groups, info, crossings=False), lambda p: "all"
        )["all"],
        "truth_inconsistent": inconsistent,
        "merged_at_ingest": len(merged_at_ingest(store, work / "scenario")),
        "identifiable": scores(found_id, true_id, lambda p: "all")["all"],
        "comparable": scores(found_id, true_cmp, lambda p: "all")["all"],
        "size": size,
        "records": len(records),
        "persons": len(true_groups),
        "ours": {
            "seconds": ours_seconds,
            "script": scores(found, true, by_script),
            "agency": scores(found, true, by_agency),
            "review_queue": summary.review,
            "review_true": review_true,
        },
        "baseline": {"seconds": base_seconds, "all": scores(base, true, lambda p: "all")["all"]},
        "relatives_merged": relatives,
        "namesakes_merged": namesakes,
    }


def f1(s: dict[str, float]) -> float:
    p, r = s["precision"], s["recall"]
    return 2 * p * r / (p + r) if p + r else 0.0


def render(result: dict[str, Any]) -> str:
    ours, base = result["ours"], result["baseline"]
    overall = ours["script"]["all"]
    lines = [
        f"Scenario `{result['size']}`: {result['records']:,} person records of "
        f"{result['persons']:,} people.",
        "",
        "| | precision | recall | F1 | time |",
        "| --- | --- | --- | --- | --- |",
        f"| Unweave | {overall['precision']:.4f} | {overall['recall']:.4f} | {f1(overall):.4f} "
        f"| {ours['seconds']:.1f} s |",
        f"| plain Splink (defaults) | {base['all']['precision']:.4f} | "
        f"{base['all']['recall']:.4f} | {f1(base['all']):.4f} | {base['seconds']:.1f} s |",
        "",
        f"On pairs whose two records both carry a birth date or a document "
        f"({result['identifiable']['true_pairs']} true pairs): recall "
        f"{result['identifiable']['recall']:.4f}; on those whose two records both carry a "
        f"birth date or both a document ({result['comparable']['true_pairs']} true pairs): "
        f"recall {result['comparable']['recall']:.4f}.",
        "",
        f"Pairs the data can join at all (connected through records of the person by a "
        f"shared phone, document, birth date, address or crossing back; "
        f"{result['findable']['true_pairs']} true pairs): recall "
        f"{result['findable']['recall']:.4f} (without the crossings: "
        f"{result['findable_without_crossings']['true_pairs']} true pairs, recall "
        f"{result['findable_without_crossings']['recall']:.4f}). The other "
        f"{overall['true_pairs'] - result['findable']['true_pairs']} true pairs share a "
        f"name only. Records whose name is no name of their true person (a truth error): "
        f"{result['truth_inconsistent']}. Records made of several people's rows at load "
        f"(wrong merges before resolution): {result['merged_at_ingest']}.",
        "",
        f"Relatives merged: {result['relatives_merged']}; namesakes merged: "
        f"{result['namesakes_merged']}; pairs left for review: {ours['review_queue']}, "
        f"of which {ours['review_true']} one person.",
        "",
        "| group | true pairs | precision | recall |",
        "| --- | --- | --- | --- |",
    ]
    for kind in ("script", "agency"):
        for label, s in ours[kind].items():
            if label == "all":
                continue
            lines.append(
                f"| {label} | {s['true_pairs']} | {s['precision']:.4f} | {s['recall']:.4f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--misses", type=Path, help="write the missed true pairs to this file")
    args = parser.parse_args()
    print(render(run(args.size, args.seed, args.threshold, args.misses)))


if __name__ == "__main__":
    main()
