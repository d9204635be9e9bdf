"""Hit/no-hit at scale: encode two indexes of 1,000,000 entries and match them.

Synthetic persons from the scenario's name bank (Latin and native scripts, variant
spellings), birth dates from 1950 to 2005; the second index holds 10% of the first's
persons written differently (another spelling or script, day and month swapped now and
then), the rest strangers. The name bank has a few hundred names per country; surnames are
blended from two of them (half of one, half of another) so that a million people do not
share a few thousand full names, and given names stay as few as the bank's: blocks are
still larger than in real data. Reports the
encoding rate, matching time, hits and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from unweave.linkage import indexfile, parallel
from unweave.linkage.encode import Encoder, Params
from unweave.linkage.features import person_features
from unweave.linkage.keys import PartnershipKey
from unweave.linkage.match import THRESHOLD, filter_hits
from unweave.linkage.signing import Signer
from unweave.resolve.records import PersonRecord
from unweave.scenario.namebank import Name, countries, pool

KEY = PartnershipKey(b"benchmark-partnership-secret-000")
SIGNER = Signer(Ed25519PrivateKey.from_private_bytes(b"benchmark-agency-signing-key-000"))
TRUST = {SIGNER.public_key: "bench"}


def _spelling(name, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    if name.native and rng.random() < 0.5:
        return str(name.native)
    return str(rng.choice(name.latin))


def _blend(a: Name, b: Name) -> Name:
    """A surname made of two of the bank's: the bank alone has too few for 1M people."""

    def cut(x: str, y: str) -> str:
        return x[: max(2, len(x) // 2)] + y[len(y) // 2 :].lower()

    native = cut(a.native, b.native) if a.native and b.native else None
    return Name(native, tuple(cut(v, b.usual) for v in a.latin))


def person(rng: random.Random) -> tuple:  # type: ignore[type-arg]
    country = rng.choice(countries())
    given = rng.choice(pool(country, rng.choice(("male", "female"))))
    surnames = pool(country, "surname")
    surname = _blend(rng.choice(surnames), rng.choice(surnames))
    if rng.random() < 0.3:  # a third name (father's or middle name) now and then
        surname = Name(
            surname.native, tuple(f"{rng.choice(surnames).usual} {v}" for v in surname.latin)
        )
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(56 * 365))
    return country, given, surname, born.isoformat()


def write(p: tuple, rng: random.Random, i: int, noisy: bool = False) -> PersonRecord:  # type: ignore[type-arg]
    _, given, surname, born = p
    name = f"{_spelling(given, rng)} {_spelling(surname, rng)}"
    if noisy and rng.random() < 0.3:
        name = f"{_spelling(surname, rng).upper()} {_spelling(given, rng)}"
    if noisy and rng.random() < 0.1 and int(born[8:]) <= 12:
        born = f"{born[:5]}{born[8:]}-{born[5:7]}"
    return PersonRecord(f"e{i}", "bench", names=[name], birth_dates=[born])


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak() -> str:
    """This process's peak and its largest worker's (pages shared with the parent count in
    both: the sum overstates the machine's peak)."""
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"{peak_mib():,.0f} + worker {worker:,.0f} MiB"


def encode(n: int, folder: Path) -> float:
    """Encode both indexes into ``folder`` with the truth as pairs of rows; entries/s
    (feature extraction and filters, over the workers of ``unweave.linkage.parallel``)."""
    rng = random.Random(7)
    people = [person(rng) for _ in range(n)]
    shared = rng.sample(range(n), n // 10)
    records = {
        "a": [write(p, rng, i) for i, p in enumerate(people)],
        "b": [write(people[i], rng, j, noisy=True) for j, i in enumerate(shared)]
        + [write(person(rng), rng, len(shared) + k) for k in range(n - len(shared))],
    }
    del people
    seconds = 0.0
    rows = []
    for name in ("a", "b"):
        t = time.perf_counter()
        index, mapping = Encoder(KEY, Params(padding=0.0)).encode(
            records.pop(name), person_features
        )
        seconds += time.perf_counter() - t
        index.header["agency"] = "bench"
        indexfile.write(index, KEY, SIGNER, folder / f"{name}.idx")
        where = {bytes(r).decode(): i for i, r in enumerate(index.refs)}
        rows.append(np.array([where[ref] for ref, _ in mapping], dtype=np.int64))
        del index, mapping, where
    truth = np.array([(rows[0][i], rows[1][j]) for j, i in enumerate(shared)], dtype=np.int64)
    np.save(folder / "truth.npy", truth)
    return 2 * n / seconds


def match(folder: Path, threshold: float) -> None:
    """In its own process: load both indexes, match, print seconds, quality and memory."""
    a, b = (indexfile.read(folder / f"{x}.idx", KEY, TRUST) for x in "ab")
    truth = {(int(x), int(y)) for x, y in np.load(folder / "truth.npy")}
    t = time.perf_counter()
    hits = filter_hits(a, b, threshold)
    seconds = time.perf_counter() - t
    found = {(h.row_a, h.row_b) for h in hits}
    correct = len(found & truth)
    print(
        f"{seconds:.0f} s | {len(a.block_keys) + len(b.block_keys):,} | {len(hits):,} | "
        f"{correct / len(found) if found else 1:.3f} | {correct / len(truth):.3f} | "
        f"{peak()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--match-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.match_only:
        match(args.match_only, args.threshold)
        return
    n = args.entries
    folder = Path(tempfile.mkdtemp(prefix="unweave-linkage-scale-"))
    rate = encode(n, folder)
    print(
        f"encoding {n:,} + {n:,} entries on {parallel.workers()} worker(s): "
        f"{rate:,.0f} entries/s, peak {peak()}"
    )
    command = [sys.executable, "-m", "benchmarks.linkage_scale", "--match-only", str(folder)]
    matched = subprocess.run(
        [*command, "--threshold", str(args.threshold)], capture_output=True, text=True, check=True
    ).stdout.strip()
    print("| entries | matching | blocking keys | hits | precision | recall | peak memory |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {n:,} × {n:,} | {matched} |")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
