"""What victim protection costs: ingest, re-protection of records identified later, reads.

    nice -n 10 .venv/bin/python -m benchmarks.victims [--persons N]

N persons (FtM JSON lines, eight identifying facts each) are loaded three ways into fresh
SQLite stores: none a victim; all recorded as victims in the same file (sealed as they are
written); all recorded as victims by a second file (re-protection of stored records, then
FTS merge and WAL truncation). Then every entity is read by a reader who may see victims
(decryption) and by one who may not (pseudonyms).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store.db import open_store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope


def _persons(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            props = {
                "name": [f"Person{i} Surname{i % 997}"],
                "firstName": [f"Person{i}"],
                "lastName": [f"Surname{i % 997}"],
                "birthDate": [f"19{70 + i % 30}-0{1 + i % 9}-1{i % 10}"],
                "phone": [f"+39 347 {i:07d}"],
                "passportNumber": [f"YA{i:07d}"],
                "email": [f"p{i}@mail.example"],
                "address": [f"Via Roma {i % 300}, Napoli"],
                "nationality": ["ng"],
            }
            out.write(json.dumps({"id": f"p-{i}", "schema": "Person", "properties": props}) + "\n")


def _markers(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            props = {"person": [f"p-{i}"], "date": ["2025-03-14"]}
            out.write(
                json.dumps(
                    {"id": f"vi-{i}", "schema": "VictimIdentification", "properties": props}
                )
                + "\n"
            )


def _timed(label: str, fn, results: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    results[label] = time.perf_counter() - start
    print(f"{label:44} {results[label]:7.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    n = parser.parse_args().persons
    root = Path(tempfile.mkdtemp(prefix="uw-victims-"))
    persons, markers = root / "persons.ftm.json", root / "markers.ftm.json"
    _persons(persons, n)
    _markers(markers, n)
    both = root / "both.ftm.json"
    both.write_text(persons.read_text() + markers.read_text())
    results: dict[str, float] = {}
    opts = IngestOptions(dataset="bench", agency="IT-SCO")
    clear = open_store(f"sqlite:///{root / 'clear.db'}")
    _timed(
        f"ingest {n} persons, none a victim", lambda: ingest_file(clear, persons, opts), results
    )
    sealed = open_store(f"sqlite:///{root / 'sealed.db'}")
    _timed(
        f"ingest {n} persons, all victims (same file)",
        lambda: ingest_file(sealed, both, opts),
        results,
    )
    later = open_store(f"sqlite:///{root / 'later.db'}")
    ingest_file(later, persons, opts)
    _timed(
        f"identify {n} stored persons as victims",
        lambda: ingest_file(later, markers, opts),
        results,
    )
    for label, view in (
        ("read all, clear store", StoreView(clear, Scope.everything())),
        ("read all, victims decrypted", StoreView(sealed, Scope.everything())),
        ("read all, victims pseudonymised", StoreView(sealed, Scope(None, reveal_victims=False))),
    ):
        _timed(label, lambda v=view: sum(1 for _ in v.iter_entities(["Person"])), results)
    for name in ("clear", "sealed"):
        print(f"size of {name}.db: {(root / f'{name}.db').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
