"""The single read path: entities assembled from the statements a reader may see."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import load_manifest_into, write
from unweave.errors import NotFound
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.registry import get_dataset
from unweave.store.scope import Scope


def test_entity_from_two_agencies_shows_each_reader_its_own(store: Store, tmp_path: Path) -> None:
    # Two agencies hold facts on the same FtM id (as after an exchange of FtM files).
    write(
        tmp_path / "a.jsonl", '{"id": "p", "schema": "Person", "properties": {"name": ["Ada"]}}\n'
    )
    write(
        tmp_path / "b.jsonl",
        '{"id": "p", "schema": "Person", "properties": {"birthDate": ["1990"], '
        '"phone": ["+447700900123"]}}\n',
    )
    ingest_file(store, tmp_path / "a.jsonl", IngestOptions(dataset="a", agency="IT-SCO"))
    ingest_file(store, tmp_path / "b.jsonl", IngestOptions(dataset="b", agency="GB-NCA"))
    a, b = get_dataset(store, "a").id, get_dataset(store, "b").id
    both = StoreView(store, Scope.everything()).entity("p")
    assert both.first("name") == "Ada" and both.first("birthDate") == "1990"
    only_a = StoreView(store, Scope.of([a])).entity("p")
    assert only_a.get("birthDate") == [] and only_a.get("phone") == []
    assert {f.dataset for f in StoreView(store, Scope.of([b])).facts(["p"])} == {"b"}


def test_invisible_and_missing_entities_look_the_same(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    border = get_dataset(store, "it_border").id
    view = StoreView(store, Scope.of([border]))
    with pytest.raises(NotFound) as hidden:
        view.entity("it-p-001")
    with pytest.raises(NotFound) as missing:
        view.entity("no-such-entity")
    assert str(hidden.value).replace("it-p-001", "X") == str(missing.value).replace(
        "no-such-entity", "X"
    )


def test_stats_count_only_what_the_reader_sees(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    everything = StoreView(store, Scope.everything()).stats()
    assert {r["agency"] for r in everything["agencies"]} == {
        "DE-BKA",
        "GB-NCA",
        "IT-SCO",
        "LY-CID",
    }
    calls = get_dataset(store, "ly_calls").id
    limited = StoreView(store, Scope.of([calls])).stats()
    assert [r["dataset"] for r in limited["datasets"]] == ["ly_calls"]
    assert limited["schemata"] == [{"schema": "Call", "entities": 4}]


def test_iter_entities_streams_every_visible_entity_once(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    entities = list(StoreView(store, Scope.everything()).iter_entities())
    ids = [e.id for e in entities]
    assert len(ids) == len(set(ids))
    stats = StoreView(store, Scope.everything()).stats()
    assert sum(r["entities"] for r in stats["datasets"]) == len(ids)


def test_merged_entity_reveals_no_invisible_member(store: Store, tmp_path: Path) -> None:
    from unweave.resolve.clusters import rebuild
    from unweave.resolve.judgements import POSITIVE, judge

    write(
        tmp_path / "de.jsonl",
        '{"id": "de-1", "schema": "Person", "properties": {"name": ["Ada Obi"]}}\n',
    )
    write(
        tmp_path / "gb.jsonl",
        '{"id": "gb-src-77", "schema": "Person", "properties": {"name": ["Informant"]}}\n',
    )
    ingest_file(store, tmp_path / "de.jsonl", IngestOptions(dataset="de_a", agency="DE-BKA"))
    ingest_file(store, tmp_path / "gb.jsonl", IngestOptions(dataset="gb_b", agency="GB-NCA"))
    judge(store, "de-1", "gb-src-77", POSITIVE, "gb-analyst", "same person")
    with store.engine.begin() as conn:
        rebuild(conn)
    de = StoreView(store, Scope.of([get_dataset(store, "de_a").id]))
    assert de.members("de-1") == ["de-1"]
    assert de.canonical_ids() == {}  # alone for this reader: not shown as merged at all
    assert de.entity("de-1").get("name") == ["Ada Obi"] and de.entity("de-1").id == "de-1"
    with pytest.raises(NotFound):  # not an oracle on the other agency's ids
        de.entity("gb-src-77")
    everyone = StoreView(store, Scope.everything())
    assert everyone.members("de-1") == ["de-1", "gb-src-77"]
