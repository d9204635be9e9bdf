"""Bad input is refused with file, row and field named, and nothing stored is lost.

Each case runs on a store that already holds the examples; afterwards the store must hold
exactly what it held before, and the refusal must be recorded as a failed run.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers import counts, load_manifest_into, write
from unweave.errors import IngestRejected
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store.db import Store
from unweave.store.tables import ingest_runs

PERSON = {"id": "x1", "schema": "Person", "properties": {"name": ["Ada Obi"]}}
CALLS_HEADER = "caller,callee,start,duration\n"


def _jsonl(*objs: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


def _xlsx_bytes(tmp_path: Path) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "phone"])
    for i in range(200):
        book.active.append([f"Person {i}", f"+44 7700 900{i:03d}"])
    path = tmp_path / "full.xlsx"
    book.save(path)
    return path.read_bytes()


CASES = {
    "malformed JSON line": (
        "p.jsonl",
        lambda tmp: _jsonl(PERSON) + '{"id": "x2", "schema": "Person", "properties": }\n',
        {},
        (2, None, "malformed JSON"),
    ),
    "unknown schema": (
        "p.jsonl",
        lambda tmp: _jsonl(PERSON, {"id": "x2", "schema": "Smuggler", "properties": {}}),
        {},
        (2, "schema", "unknown schema 'Smuggler'"),
    ),
    "unknown property": (
        "p.jsonl",
        lambda tmp: _jsonl(
            PERSON, {"id": "x2", "schema": "Person", "properties": {"shoe": ["42"]}}
        ),
        {},
        (2, "properties.shoe", "has no property 'shoe'"),
    ),
    "an id already stored under another schema": (
        "p.jsonl",
        lambda tmp: _jsonl({"id": "it-p-001", "schema": "Vehicle", "properties": {}}),
        {},
        (1, "schema", "is already a Person"),
    ),
    "one id under two schemata in one file": (
        "p.jsonl",
        lambda tmp: _jsonl(PERSON, {"id": "x1", "schema": "Vehicle", "properties": {}}),
        {},
        (2, "schema", "is already a Person"),
    ),
    "truncated JSON lines": (
        "p.jsonl",
        lambda tmp: _jsonl(PERSON, PERSON | {"id": "x2"})[:-25],
        {},
        (2, None, "truncated"),
    ),
    "missing mapped column": (
        "arrests.csv",
        lambda tmp: "arrest_no,surname,birth_date\nRM-1,EDOSA,1991\n",
        {"mapping": "MAPPING"},
        (0, "given_name", "column missing"),
    ),
    "missing required column": (
        "calls.csv",
        lambda tmp: "caller,callee,duration\n0912345678,0912345679,10\n",
        {},
        (0, "start", "column missing"),
    ),
    "bad value in a row": (
        "calls.csv",
        lambda tmp: (
            CALLS_HEADER + "0912345678,0912345679,2024-01-01,10\n"
            "0912345678,0912345679,2024-01-02,ten\n"
        ),
        {},
        (2, "duration", "not a number of seconds"),
    ),
    "not UTF-8": (
        "calls.csv",
        lambda tmp: (
            (CALLS_HEADER + "0912345678,0912345679,2024-01-01,10\n").encode()
            + "0912345678,Müller Façade résumé,2024-01-02,10\n".encode("cp1252")
        ),
        {},
        (2, None, "not valid utf-8 text"),
    ),
    "UTF-16 file": (
        "calls.csv",
        lambda tmp: (CALLS_HEADER + "0912345678,0912345679,2024-01-01,10\n").encode("utf-16"),
        {},
        (None, None, "UTF-16"),
    ),
    "tab-separated file": (
        "calls.tsv",
        lambda tmp: "caller\tcallee\tstart\n0912345678\t0912345679\t2024-01-01\n",
        {},
        (None, None, "tab-separated"),
    ),
    "binary file": (
        "calls.csv",
        lambda tmp: CALLS_HEADER.encode() + bytes(range(256)) * 8,
        {},
        (None, None, "looks binary"),
    ),
    "truncated XLSX": (
        "contacts.xlsx",
        lambda tmp: _xlsx_bytes(tmp)[:1500],
        {"mapping": "MAPPING"},
        (None, None, "not a readable XLSX"),
    ),
    "empty file": ("calls.csv", lambda tmp: "", {}, (None, None, "empty")),
    "file over the size limit": (
        "calls.csv",
        lambda tmp: CALLS_HEADER + "0912345678,0912345679,2024-01-01,10\n" * 100,
        {"max_size": 1000},
        (None, None, "over the limit"),
    ),
}

MAPPINGS = {
    "arrests.csv": "examples/it/arrests.mapping.yaml",
    "contacts.xlsx": "examples/gb/phone_extraction.mapping.yaml",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_and_nothing_is_lost(
    case: str, store: Store, examples: Path, tmp_path: Path
) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    before = counts(store)
    name, content, extra, (row, field, message) = CASES[case]
    path = write(tmp_path / "in" / name, content(tmp_path))
    options = IngestOptions(dataset="it_persons", **extra)
    if extra.get("mapping"):
        options.mapping = examples.parent / MAPPINGS[name]
    with pytest.raises(IngestRejected) as caught:
        ingest_file(store, path, options)
    error = caught.value
    assert str(path) in error.message
    assert all(p.file == str(path) for p in error.problems)
    assert any(
        p.row == row and p.field == field and message in p.message for p in error.problems
    ), error.problems
    assert "nothing was stored" in error.message
    assert counts(store) == before
    with store.engine.connect() as conn:
        failed = conn.execute(select(ingest_runs).where(ingest_runs.c.status == "failed")).all()
    assert len(failed) == 1 and message in failed[0].errors


def test_not_utf8_names_the_likely_encoding_and_option(
    sqlite_store: Store, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "calls.csv",
        (CALLS_HEADER + "0912345678,Müller Façade à côté,2024-01-02,10\n").encode("cp1252"),
    )
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sqlite_store, path, IngestOptions(dataset="d", agency="LY-CID"))
    assert "--encoding" in (caught.value.hint or "")
    assert "looks like" in caught.value.problems[0].message
    report = ingest_file(
        sqlite_store, path, IngestOptions(dataset="d", agency="LY-CID", encoding="cp1252")
    )
    assert report.status == "done"


def test_errors_are_listed_up_to_a_limit(sqlite_store: Store, tmp_path: Path) -> None:
    rows = "".join(f"0912345678,0912345679,2024-01-01,bad{i}\n" for i in range(30))
    path = write(tmp_path / "calls.csv", CALLS_HEADER + rows)
    with pytest.raises(IngestRejected) as caught:
        ingest_file(sqlite_store, path, IngestOptions(dataset="d", agency="LY-CID", max_errors=5))
    assert len(caught.value.problems) == 5 and caught.value.truncated
    assert [p.row for p in caught.value.problems] == [1, 2, 3, 4, 5]


def test_skip_invalid_loads_valid_rows_and_reports_the_rest(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "calls.csv",
        CALLS_HEADER
        + "0912345678,0912345679,2024-01-01,10\n"
        + "0912345678,,2024-01-02,10\n"
        + "0912345678,0912345679,2024-01-03,abc\n"
        + "0912345678,0912345679,2024-01-04,20\n",
    )
    report_path = tmp_path / "rejected.csv"
    report = ingest_file(
        store,
        path,
        IngestOptions(dataset="d", agency="LY-CID", skip_invalid=True, report=report_path),
    )
    assert report.status == "partial"
    assert report.rows_read == 4 and report.rows_rejected == 2
    assert report.statements_new == 2 * 5
    with report_path.open(encoding="utf-8") as fh:
        rejected = list(csv.DictReader(fh))
    assert [(r["row"], r["field"]) for r in rejected] == [("2", "callee"), ("3", "duration")]
    assert json.loads(rejected[1]["record"])["duration"] == "abc"


def test_unreadable_value_in_a_good_row_is_kept_with_a_warning(
    sqlite_store: Store, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "p.jsonl",
        _jsonl(
            {
                "id": "x",
                "schema": "Person",
                "properties": {"name": ["A"], "phone": ["12"], "birthDate": ["sometime in 1980"]},
            }
        ),
    )
    report = ingest_file(sqlite_store, path, IngestOptions(dataset="d", agency="LY-CID"))
    assert report.status == "done"
    fields = sorted(w.field or "" for w in report.warnings)
    assert fields == ["properties.birthDate", "properties.phone"]
    assert all(w.row == 1 for w in report.warnings)
    from unweave.store.reader import StoreView
    from unweave.store.scope import Scope

    entity = StoreView(sqlite_store, Scope.everything()).entity("x")
    assert entity.first("phone") == "12"
    assert entity.first("birthDate") == "sometime in 1980"


def test_a_refused_file_creates_no_agency_or_dataset(sqlite_store: Store, tmp_path: Path) -> None:
    from unweave.store.registry import list_agencies, list_datasets

    with pytest.raises(IngestRejected):
        ingest_file(sqlite_store, tmp_path / "missing.csv", IngestOptions("gb_new", "GB-NCA"))
    with pytest.raises(IngestRejected):
        ingest_file(sqlite_store, write(tmp_path / "e.csv", ""), IngestOptions("gb_new", "GB-NCA"))
    assert list_agencies(sqlite_store) == [] and list_datasets(sqlite_store) == []


def test_a_corrected_mapping_loads_the_same_file_again(
    sqlite_store: Store, tmp_path: Path
) -> None:
    rows = "name,phone\nAda Obi,+39 347 123 4567\n"
    table = write(tmp_path / "t.csv", rows)
    mapping = write(
        tmp_path / "m.yaml",
        "entities:\n  p:\n    schema: Person\n    keys: [name]\n    properties:\n"
        "      name: {column: name}\n",
    )
    first = ingest_file(sqlite_store, table, IngestOptions("d", "IT-SCO", mapping=mapping))
    write(mapping, mapping.read_text() + "      phone: {column: phone}\n")
    second = ingest_file(sqlite_store, table, IngestOptions("d", "IT-SCO", mapping=mapping))
    assert first.status == second.status == "done" and second.statements_new == 1


def test_h3_conditions_come_from_the_dataset(sqlite_store: Store, tmp_path: Path) -> None:
    from unweave.errors import ConfigError

    path = write(tmp_path / "p.jsonl", _jsonl(PERSON))
    ingest_file(sqlite_store, path, IngestOptions("d", "IT-SCO"))
    with pytest.raises(ConfigError):
        ingest_file(
            sqlite_store, path, IngestOptions("d", handling="H3", conditions="no court use")
        )
