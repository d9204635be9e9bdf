"""Search across scripts, spellings and phone formats, within the reader's scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import load_manifest_into
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.registry import list_datasets
from unweave.store.scope import Scope
from unweave.store.search import search


@pytest.fixture
def loaded(store: Store, examples: Path) -> Store:
    load_manifest_into(store, examples / "manifest.yaml")
    return store


def _names(store: Store, query: str, scope: Scope | None = None) -> set[str]:
    hits = search(StoreView(store, scope or Scope.everything()), query)
    return {h.caption for h in hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Mohammed", "محمد عبد الرحمن"),  # Latin meets Arabic on the consonant skeleton
        ("Muhammad Abdelrahman", "محمد عبد الرحمن"),
        ("Melnyk", "Мельник Олег"),  # Ukrainian romanisation meets Cyrillic
        ("melnik oleg", "Мельник Олег"),
        ("Oleh Melnyk", "MELNYK OLEH"),  # token order does not matter
        ("nguyen van duc", "NGUYEN Van Duc"),  # diacritics folded
        ("Ibrahim", "IBRAHIM Ahmed"),
        ("osag", "OSAGIE Blessing"),  # prefix of a name
    ],
)
def test_names_in_any_script(loaded: Store, query: str, expected: str) -> None:
    assert expected in _names(loaded, query)


@pytest.mark.parametrize(
    "query", ["0912345678", "+218 91 234 5678", "00218912345678", "091-234-5678", "218912345678"]
)
def test_phone_in_any_format(loaded: Store, query: str) -> None:
    hits = search(StoreView(loaded, Scope.everything()), query)
    assert "IBRAHIM Ahmed" in {h.caption for h in hits}
    assert sum(1 for h in hits if h.schema == "Call") == 4


@pytest.mark.parametrize(
    ("query", "schema"),
    [
        ("A07654321", "Passport"),
        ("a07654321", "Passport"),
        ("DE89 3704 0044 0532 0130 00", "BankAccount"),
        ("DE89370400440532013000", "BankAccount"),
        ("sweet.girl@mail.example", "OnlineAd"),
    ],
)
def test_identifiers(loaded: Store, query: str, schema: str) -> None:
    hits = search(StoreView(loaded, Scope.everything()), query)
    assert schema in {h.schema for h in hits}


def test_no_match_and_empty_query(loaded: Store) -> None:
    view = StoreView(loaded, Scope.everything())
    assert search(view, "Zebulon Quartermaine") == []
    assert search(view, "   ") == []


def test_search_sees_only_the_readers_datasets(loaded: Store) -> None:
    ids = {d.name: d.id for d in list_datasets(loaded)}
    only_border = Scope.of([ids["it_border"]])
    assert _names(loaded, "Melnyk", only_border) == {"MELNYK OLEH"}
    # the phone is in it_persons, ly_calls and the GB extraction, none of them visible
    assert search(StoreView(loaded, only_border), "0912345678") == []
    assert search(StoreView(loaded, Scope.of([])), "Melnyk") == []


def test_matched_statements_are_only_visible_ones(loaded: Store) -> None:
    ids = {d.name: d.id for d in list_datasets(loaded)}
    calls_only = Scope.of([ids["ly_calls"]])
    hits = search(StoreView(loaded, calls_only), "0912345678")
    assert hits and all(f.dataset == "ly_calls" for h in hits for f in h.matched)
    assert all(h.datasets == ["ly_calls"] for h in hits)


def test_sqlite_full_text_index_stays_in_step_with_the_search_rows(
    sqlite_store: Store, examples: Path
) -> None:
    # search rows are written a batch at a time through a temporary table: the FTS5 index
    # must hold exactly them, across loads (a batch of 1 makes every row its own batch)
    from unweave.ingest.runner import IngestOptions, ingest_file

    load_manifest_into(sqlite_store, examples / "manifest.yaml")
    opts = IngestOptions(dataset="it_persons_again", agency="IT-SCO", batch_size=1)
    ingest_file(sqlite_store, examples / "it" / "persons.ftm.json", opts)
    with sqlite_store.engine.begin() as conn:
        # rank 1: FTS5 compares its index with the content table, raises if they differ
        conn.exec_driver_sql(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"
        )
    assert "IBRAHIM Ahmed" in _names(sqlite_store, "Ibrahim")


def test_another_agencys_many_matches_never_crowd_out_a_readers_own(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The candidates are capped in the index query, after the scope condition: ten people
    # of GB-NCA loaded first, all matching, leave room for IT-SCO's one under a cap of 3.
    from tests.helpers import write
    from unweave.ingest.runner import IngestOptions, ingest_file
    from unweave.store import search as search_module

    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    many = "".join(
        f'{{"id": "gb{i}", "schema": "Person", "properties": {{"name": ["Osagie Edosa {i}"]}}}}\n'
        for i in range(10)
    )
    write(tmp_path / "gb.jsonl", many)
    write(
        tmp_path / "it.jsonl",
        '{"id": "it1", "schema": "Person", "properties": {"firstName": ["Blessing"], '
        '"lastName": ["Osagie"], "name": ["Blessing Osagie"]}}\n',
    )
    ingest_file(store, tmp_path / "gb.jsonl", IngestOptions(dataset="gb_p", agency="GB-NCA"))
    ingest_file(store, tmp_path / "it.jsonl", IngestOptions(dataset="it_p", agency="IT-SCO"))
    ids = {d.name: d.id for d in list_datasets(store)}
    own = search(StoreView(store, Scope.of([ids["it_p"]])), "Osagie")
    assert [h.entity_id for h in own] == ["it1"] and own.complete
    everyone = search(StoreView(store, Scope.everything()), "Osagie")
    assert len(everyone) == 3 and not everyone.complete  # said so, not silently cut
    # a word and its prefix in different statements of one person, with a rare word
    assert [h.entity_id for h in search(StoreView(store, Scope.everything()), "bless osag")] == [
        "it1"
    ]
    # whole words rank above prefixes
    assert search(StoreView(store, Scope.of([ids["it_p"]])), "Osag Blessing")[0].score == 5.0


ARABIC_NAMES = (
    '{"id": "ly1", "schema": "Person", "properties": {"name": ["طارق القذافي"]}}\n'
    '{"id": "ly2", "schema": "Person", "properties": {"name": ["سلمى المقريف"]}}\n'
    '{"id": "gb1", "schema": "Person", "properties": {"name": ["AL-GADDAFI Tariq"]}}\n'
    '{"id": "gb2", "schema": "Person", "properties": {"name": ["Grace Quist"]}}\n'
)


def _ids(store: Store, query: str) -> set[str]:
    return {h.entity_id for h in search(StoreView(store, Scope.everything()), query)}


def _load_arabic_names(store: Store, tmp_path: Path) -> None:
    from tests.helpers import write
    from unweave.ingest.runner import IngestOptions, ingest_file

    write(tmp_path / "names.jsonl", ARABIC_NAMES)
    ingest_file(store, tmp_path / "names.jsonl", IngestOptions(dataset="mix", agency="GB-NCA"))


def test_arabic_names_are_found_by_their_romanisations(store: Store, tmp_path: Path) -> None:
    _load_arabic_names(store, tmp_path)
    # q = g = k, dh = d, the article dropped: none of these meet on the plain skeleton
    assert _ids(store, "Gaddafi") == {"ly1", "gb1"}
    assert _ids(store, "Qadhafi Tariq") == {"ly1", "gb1"}
    assert _ids(store, "Magarief") == {"ly2"}
    assert _ids(store, "al-Gaddafi") >= {"ly1", "gb1"}
    # a name written in Latin alone keeps its letters: k does not find q
    assert _ids(store, "Kuist") == set()
    assert _ids(store, "Quist") == {"gb2"}


def test_migration_adds_the_arabic_keys_to_names_stored_before(
    store: Store, tmp_path: Path
) -> None:
    from alembic import command
    from sqlalchemy import text

    from unweave.normalize.names import skeleton_keys

    _load_arabic_names(store, tmp_path)
    # the search rows as the code before migration 0011 wrote them
    with store.engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT st.statement_id, st.entity_id, st.dataset_id, st.words, "
                "st.identifiers, s.value FROM search_terms st "
                "JOIN statements s ON s.id = st.statement_id WHERE s.prop = 'name'"
            )
        ).all()
        for r in rows:
            conn.execute(
                text("DELETE FROM search_terms WHERE statement_id = :id"), {"id": r.statement_id}
            )
            conn.execute(
                text("INSERT INTO search_terms VALUES (:sid, :eid, :did, :w, :s, :i)"),
                {
                    "sid": r.statement_id,
                    "eid": r.entity_id,
                    "did": r.dataset_id,
                    "w": r.words,
                    "s": " ".join(sorted(skeleton_keys(r.value))),
                    "i": r.identifiers,
                },
            )
    assert _ids(store, "Gaddafi") == {"gb1"}  # the old rows: found by its Latin word alone
    config = store._alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
    store.migrate()
    assert _ids(store, "Gaddafi") == {"ly1", "gb1"}
    assert _ids(store, "Quist") == {"gb2"}
    if store.engine.dialect.name == "sqlite":
        with store.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"
            )
