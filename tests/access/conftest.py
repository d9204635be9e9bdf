"""Two agencies and a partner, their data, users and cases: the world the access tests probe.

Italy (IT-SCO) holds arrests (H0, one fact of them under H2), a wiretap dataset (H1), a
source register (H2) and a restricted dataset (H3). The UK (GB-NCA) holds intelligence of
its own. Italy shares two persons into the joint case JIT-1, of which the UK is a member;
the UK opens GB-2 with Germany (DE-BKA) and may pass on what it received, but never H2.
Resolution has merged a UK record with an Italian one, and two UK records only through an
Italian record the UK never received.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from unweave.access import cases, identity
from unweave.access.identity import User
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.resolve.judgements import POSITIVE, judge
from unweave.store.db import Store, open_store
from unweave.store.registry import add_agency, add_dataset

PASSWORD = "correct horse battery"
H3_TEXT = "Not to be disclosed to the defence before 2027"

# Values of Italy's that the UK (and Germany) must never meet unless shared.
SECRETS = {
    "it-2": "Blessing OSAGIE",  # an associate of the shared person, not shared
    "it-9": "Zainab QUIRINALE",  # in the H2 source register, never shared
    "it-bridge": "Kofi ZANARDELLI",  # the Italian record that joins two UK records
}
H2_NOTE = "source FALCON reports the debts"  # H2 fact of a shared person
H1_NOTE = "wiretap transcript 17"  # H1 fact of a shared person


def _entity(eid: str, schema: str, **props: list[str]) -> str:
    return json.dumps({"id": eid, "schema": schema, "properties": props})


def _load(store: Store, tmp: Path, name: str, dataset: str, lines: list[str], **opts) -> None:  # type: ignore[no-untyped-def]
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_file(store, path, IngestOptions(dataset=dataset, format="ftm", user="loader", **opts))


@dataclass
class World:
    store: Store
    it_coord: User
    it_analyst: User
    gb_coord: User
    gb_analyst: User
    gb_outsider: User  # a UK analyst who is not a member of JIT-1
    de_analyst: User
    de_coord: User
    dpo: User


# Real argon2id, with cheap parameters: the worlds hash eight passwords each, and the
# cost of hashing is not what these tests are about (test_identity.py uses the defaults).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def build_world(store: Store, tmp_path: Path) -> World:
    saved = identity._hasher
    identity._hasher = CHEAP_HASHER
    try:
        return _build_world(store, tmp_path)
    finally:
        identity._hasher = saved


def _build_world(store: Store, tmp_path: Path) -> World:
    add_agency(store, "IT-SCO", "Servizio Centrale Operativo", "it")
    add_agency(store, "GB-NCA", "National Crime Agency", "gb")
    add_agency(store, "DE-BKA", "Bundeskriminalamt", "de")
    add_dataset(store, "it_arrests", "IT-SCO", "H0")
    add_dataset(store, "it_wiretap", "IT-SCO", "H1")
    add_dataset(store, "it_sources", "IT-SCO", "H2")
    add_dataset(store, "it_restricted", "IT-SCO", "H3", conditions=H3_TEXT)
    add_dataset(store, "gb_intel", "GB-NCA", "H0")
    _load(
        store,
        tmp_path,
        "arrests.json",
        "it_arrests",
        [
            _entity(
                "it-1",
                "Person",
                name=["IBRAHIM Ahmed"],
                passportNumber=["P1234567"],
                birthDate=["1979-04-12"],
                phone=["+218 91 234 5678"],
            ),
            _entity("it-2", "Person", name=[SECRETS["it-2"]], phone=["+39 347 123 4567"]),
            _entity("it-bridge", "Person", name=[SECRETS["it-bridge"]], birthDate=["1990"]),
            _entity("it-rel", "Associate", person=["it-1"], associate=["it-2"]),
        ],
    )
    _load(
        store,
        tmp_path,
        "arrests-informant.json",
        "it_arrests",
        [_entity("it-1", "Person", notes=[H2_NOTE])],
        handling="H2",
    )
    _load(
        store, tmp_path, "wiretap.json", "it_wiretap", [_entity("it-1", "Person", notes=[H1_NOTE])]
    )
    _load(
        store,
        tmp_path,
        "sources.json",
        "it_sources",
        [_entity("it-9", "Person", name=[SECRETS["it-9"]], phone=["+39 333 765 4321"])],
    )
    _load(
        store,
        tmp_path,
        "restricted.json",
        "it_restricted",
        [_entity("it-3", "Person", name=["Marco ROSSI"])],
    )
    _load(
        store,
        tmp_path,
        "intel.json",
        "gb_intel",
        [
            _entity("gb-1", "Person", name=["Ahmad Ebrahim"], passportNumber=["P1234567"]),
            _entity("gb-2", "Person", name=["Kofi Mensah"]),
            _entity("gb-3", "Person", name=["K. Mensa"]),
        ],
    )
    for a, b in (("gb-1", "it-1"), ("gb-2", "it-bridge"), ("it-bridge", "gb-3")):
        judge(store, a, b, POSITIVE, "tester", "same person")
    from unweave.resolve.clusters import rebuild

    with store.engine.begin() as conn:
        rebuild(conn)

    def user(name: str, agency: str, role: str) -> User:
        return identity.add_user(store, name, agency, role, PASSWORD)

    w = World(
        store=store,
        it_coord=user("it_coord", "IT-SCO", "coordinator"),
        it_analyst=user("it_analyst", "IT-SCO", "analyst"),
        gb_coord=user("gb_coord", "GB-NCA", "coordinator"),
        gb_analyst=user("gb_analyst", "GB-NCA", "analyst"),
        gb_outsider=user("gb_outsider", "GB-NCA", "analyst"),
        de_analyst=user("de_analyst", "DE-BKA", "analyst"),
        de_coord=user("de_coord", "DE-BKA", "coordinator"),
        dpo=user("gb_dpo", "GB-NCA", "dpo"),
    )
    cases.create_case(store, "JIT-1", "Joint investigation Italy-UK", w.it_coord)
    cases.add_agency(store, "JIT-1", "GB-NCA", w.it_coord)
    cases.add_member(store, "JIT-1", "gb_coord", w.gb_coord)
    cases.add_member(store, "JIT-1", "gb_analyst", w.gb_coord)
    cases.share_entities(store, "JIT-1", ["it-1", "it-3"], w.it_coord)
    cases.create_case(store, "GB-2", "UK-Germany labour exploitation", w.gb_coord)
    cases.add_agency(store, "GB-2", "DE-BKA", w.gb_coord)
    cases.add_member(store, "GB-2", "de_analyst", w.de_coord)
    return w


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One world per backend for the read-only probes (building it hashes eight passwords)."""
    tmp = tmp_path_factory.mktemp("world")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_server").create_database(
            f"world_{tmp.name[-12:]}".lower()
        )
    store = open_store(url)
    yield build_world(store, tmp)
    store.close()


@pytest.fixture
def fresh_world(store: Store, tmp_path: Path) -> World:
    """A world of its own, for tests that change shares and cases."""
    return build_world(store, tmp_path)
