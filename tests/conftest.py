"""Shared fixtures: real SQLite files in temporary folders and a real PostgreSQL server.

`store_url` runs a test once per backend; the PostgreSQL server starts on first use and is
skipped with a visible reason only where its binaries are absent.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pgserver import PostgresServer, find_bin
from unweave.store.db import Store, open_store

# The simulated scenario records victims, whose identifying fields are stored encrypted: the
# tests run with a key of their own (tests/store/test_victims.py changes it where needed).
TEST_VICTIM_KEY = "dW53ZWF2ZS10ZXN0LWtleS0wMDAwMDAwMDAwMDAwMDA="
os.environ.setdefault("UNWEAVE_VICTIM_KEY", TEST_VICTIM_KEY)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_db_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    if not (find_bin("initdb") and find_bin("pg_ctl")):
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed on this machine")
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server = request.getfixturevalue("pg_server")
    return server.create_database(f"t{next(_db_counter)}_{tmp_path.name[-20:]}".lower())


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of examples/, so tests may change files without touching the repository."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target
