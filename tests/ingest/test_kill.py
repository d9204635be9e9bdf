"""A process killed in the middle of an ingest leaves the store as it was (a real SIGKILL)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

from tests.helpers import counts, load_manifest_into
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store.db import Store
from unweave.store.tables import ingest_runs


def _big_calls(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("caller,callee,start,duration\n")
        for i in range(rows):
            caller, callee = f"+2189{i % 10_000_000:08d}", f"+39347{i % 9_000_000:07d}"
            fh.write(f"{caller},{callee},2024-01-01T{i % 24:02d}:00:00,{i % 900}\n")
    return path


def _wait_until_writing(proc: subprocess.Popen[bytes], store: Store) -> None:
    """Until the ingest is inside its transaction, plus a few seconds of writing.

    SQLite keeps an uncommitted transaction in its page cache, invisible from outside, so
    there we wait for the write lock (a reserved lock makes BEGIN IMMEDIATE fail at once).
    """
    deadline = time.time() + 60
    while time.time() < deadline:
        assert proc.poll() is None, "the ingest ended before it could be killed"
        if store.is_sqlite:
            probe = sqlite3.connect(store.url.removeprefix("sqlite:///"), timeout=0)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.rollback()
            except sqlite3.OperationalError:  # locked: the ingest holds the write lock
                break
            finally:
                probe.close()
        else:
            with store.engine.connect() as conn:
                busy = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                        "AND query ILIKE 'INSERT INTO statements%'"
                    )
                ).scalar()
            if busy:
                break
        time.sleep(0.1)
    else:
        raise AssertionError("the ingest never started writing")
    time.sleep(3)
    assert proc.poll() is None, "the ingest ended before it could be killed"


def test_killed_ingest_leaves_the_store_consistent(
    store: Store, store_url: str, examples: Path, tmp_path: Path
) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    before = counts(store)
    big = _big_calls(tmp_path / "big.csv", 400_000)
    env = {**os.environ, "UNWEAVE_BATCH_SIZE": "5000"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "unweave",
            "ingest",
            str(big),
            "--dataset",
            "big",
            "--agency",
            "LY-CID",
            "--db",
            store_url,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_writing(proc, store)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store.engine.dispose()  # forget pooled connections from before the kill
    if store.is_sqlite:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            conn.execute(text("INSERT INTO search_fts(search_fts) VALUES('integrity-check')"))
    assert counts(store) == before
    with store.engine.connect() as conn:
        runs = conn.execute(select(func.count()).where(ingest_runs.c.file == str(big))).scalar()
    assert runs == 0  # the run was part of the transaction that died

    # and the same file loads completely afterwards (a smaller copy keeps the test short)
    small = _big_calls(tmp_path / "small.csv", 2_000)
    report = ingest_file(store, small, IngestOptions(dataset="big", agency="LY-CID"))
    assert report.status == "done" and report.rows_read == 2_000
