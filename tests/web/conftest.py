"""A store shared by the web tests: the bundled examples, resolved, with users of two
agencies and a case in which IT-SCO shares its persons (not its arrests) with GB-NCA."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import EXAMPLES
from unweave.access import cases
from unweave.access.identity import add_user
from unweave.ingest.manifest import ingest_manifest
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.resolve.run import resolve_store
from unweave.store.db import Store, open_store
from unweave.store.registry import add_dataset
from unweave.web.app import create_app

DATA = Path(__file__).parent / "data"
PASSWORD = "a long test password"
CASE = "JIT-T"
USERS = {
    "it.inv": ("IT-SCO", "investigator"),
    "it.coord": ("IT-SCO", "coordinator"),
    "it.dpo": ("IT-SCO", "dpo"),
    "gb.inv": ("GB-NCA", "investigator"),
    "gb.coord": ("GB-NCA", "coordinator"),
}


def build_web_store(url: str) -> Store:
    """The shared store on SQLite or PostgreSQL (tests/web/test_postgres.py)."""
    store = open_store(url)
    ingest_manifest(store, EXAMPLES / "manifest.yaml")
    add_dataset(store, "it_notes", "IT-SCO", "H0")
    ingest_file(store, DATA / "xss.ftm.json", IngestOptions(dataset="it_notes", user="test"))
    resolve_store(store, "duckdb", 0.95, incremental=False, user="test")
    made = {name: add_user(store, name, a, r, PASSWORD) for name, (a, r) in USERS.items()}
    owner, partner = made["it.coord"], made["gb.coord"]
    cases.create_case(store, CASE, "test case", owner)
    cases.add_agency(store, CASE, "GB-NCA", owner)
    cases.add_member(store, CASE, "it.inv", owner)
    cases.add_member(store, CASE, "gb.inv", partner)
    cases.add_member(store, CASE, "gb.coord", partner)
    cases.share_dataset(store, CASE, "it_persons", owner)
    return store


def make_app(store: Store):  # type: ignore[no-untyped-def]
    mp = pytest.MonkeyPatch()
    mp.setenv("UNWEAVE_COOKIE_SECURE", "0")  # plain http on the test client
    application = create_app(store, host="127.0.0.1", secret="test-secret")
    mp.undo()
    return application


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("web")
    store = build_web_store(f"sqlite:///{folder / 'store.db'}")
    yield store
    store.close()


@pytest.fixture(scope="session")
def app(web_store: Store):  # type: ignore[no-untyped-def]
    return make_app(web_store)


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(client: TestClient, page: str = "/cases") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found is not None
    return found.group(1)


@pytest.fixture
def anon(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app)


@pytest.fixture
def it_inv(app) -> TestClient:  # type: ignore[no-untyped-def]
    return login(TestClient(app), "it.inv")


@pytest.fixture
def gb_inv(app) -> TestClient:  # type: ignore[no-untyped-def]
    return login(TestClient(app), "gb.inv")


@pytest.fixture
def it_coord(app) -> TestClient:  # type: ignore[no-untyped-def]
    return login(TestClient(app), "it.coord")


@pytest.fixture
def gb_coord(app) -> TestClient:  # type: ignore[no-untyped-def]
    return login(TestClient(app), "gb.coord")


@pytest.fixture
def dpo(app) -> TestClient:  # type: ignore[no-untyped-def]
    return login(TestClient(app), "it.dpo")
