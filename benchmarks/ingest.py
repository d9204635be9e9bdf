"""Ingest benchmark (`make bench-ingest`): statements per second and peak memory.

- rate into SQLite and into PostgreSQL (a server started like the tests start it), for call
  records (CSV) and FtM persons (JSON lines);
- peak memory (max RSS of the ingest process and its reading process) while streaming a
  file of 5 million statements.
Results are printed and appended to benchmarks/RESULTS.md by hand from that output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.datagen import CALL_STATEMENTS_PER_ROW, calls_csv, persons_jsonl


def run_ingest(path: Path, db: str, dataset: str) -> tuple[float, dict]:
    """Ingest in a fresh process (as a user would), return seconds and the run's counts."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from unweave.store.db import open_store\n"
        "from unweave.ingest.runner import ingest_file, IngestOptions\n"
        "def cpu(who):\n"
        "    u = resource.getrusage(who)\n"
        "    return u.ru_utime + u.ru_stime\n"
        "store = open_store(sys.argv[2])\n"
        "t, c = time.perf_counter(), cpu(resource.RUSAGE_SELF)\n"
        "r = ingest_file(store, Path(sys.argv[1]), IngestOptions(dataset=sys.argv[3], "
        "agency='LY-CID'))\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'new': r.statements_new, "
        "'rows': r.rows_read, 'status': r.status, "
        "'writer_cpu': cpu(resource.RUSAGE_SELF) - c, "
        "'reader_cpu': cpu(resource.RUSAGE_CHILDREN)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), db, dataset],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["seconds"], result


def cpu_per(result: dict) -> str:
    """CPU time per statement of the writing and the reading process: unlike the rate, it
    hardly moves with the machine's load (the PostgreSQL server's own CPU is not in it; a
    file under 8 MB is read in the writing process, so all of it counts as "writer")."""
    per = 1e6 / max(result["new"], 1)
    return (
        f"CPU µs/statement: writer {result['writer_cpu'] * per:.1f}, "
        f"reader {result['reader_cpu'] * per:.1f}"
    )


def peak_rss_mb() -> float:
    """Largest resident set of any finished child (the ingest and its reading process)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000, help="rows per rate file")
    parser.add_argument(
        "--big", type=int, default=5_000_000, help="statements in memory test (0: skip it)"
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="unweave-bench-"))
    print(f"# ingest benchmark, {time.strftime('%Y-%m-%d')}, {machine()}")
    calls = calls_csv(work / "calls.csv", args.rows)
    persons = persons_jsonl(work / "persons.jsonl", args.rows)
    results = []
    backends = [("SQLite", f"sqlite:///{work / 'bench.db'}")]
    server = None
    if not args.skip_postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.pgserver import PostgresServer

        server = PostgresServer().start()
        backends.append(("PostgreSQL", server.create_database("bench")))
    try:
        for backend, url in backends:
            for label, path, dataset in (
                ("call records CSV", calls, "calls"),
                ("FtM persons JSONL", persons, "persons"),
            ):
                seconds, result = run_ingest(path, url, dataset)
                rate = result["new"] / seconds
                results.append((backend, label, result["new"], seconds, rate))
                print(
                    f"{backend:10} {label:18} {result['new']:>10,} statements "
                    f"{seconds:7.1f} s {rate:>10,.0f} statements/s  {cpu_per(result)}"
                )
    finally:
        if server is not None:
            server.stop()

    if not args.big:
        shutil.rmtree(work)
        return
    rows = args.big // CALL_STATEMENTS_PER_ROW
    big = calls_csv(work / "big.csv", rows)
    size_mb = big.stat().st_size / 1e6
    seconds, result = run_ingest(big, f"sqlite:///{work / 'big.db'}", "big")
    print(
        f"streaming {result['new']:,} statements ({size_mb:,.0f} MB CSV) into SQLite: "
        f"{seconds:.0f} s, {result['new'] / seconds:,.0f} statements/s, "
        f"peak memory {peak_rss_mb():.0f} MB; {cpu_per(result)}"
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
