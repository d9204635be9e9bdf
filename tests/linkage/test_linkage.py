"""Indexes, matching and the command-line contract, on real SQLite stores."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.linkage.data import GERMANY, ITALY, coordinator, load
from unweave.access import cases
from unweave.access.identity import authenticate
from unweave.cli.main import app
from unweave.errors import InvalidInput
from unweave.linkage import indexfile
from unweave.linkage.exchange import local_match
from unweave.linkage.keys import PartnershipKey
from unweave.linkage.notify import answer_request, inbox, request_information
from unweave.linkage.refs import build_index, lookup
from unweave.store import audit
from unweave.store.db import open_store

KEY = PartnershipKey(b"0123456789abcdef0123456789abcdef")
PASSWORD = "a long enough password 123"


@pytest.fixture
def two(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'node.db'}")
    load(store, tmp_path, "IT-SCO", "it_persons", ITALY)
    load(store, tmp_path, "DE-BKA", "de_persons", GERMANY)
    coordinator(store, "it_coord", "IT-SCO")
    coordinator(store, "de_coord", "DE-BKA")
    return store


def _entities(store, index, hits):  # type: ignore[no-untyped-def]
    owned = lookup(store, [h[0] for h in hits] + [h[1] for h in hits])
    return {(owned[a].entity_id, owned[b].entity_id) for a, b, _ in hits}


def test_arabic_script_meets_latin_and_identifiers_meet(two) -> None:  # type: ignore[no-untyped-def]
    a = build_index(two, ["it_persons"], KEY, "tester")
    b = build_index(two, ["de_persons"], KEY, "tester")
    hits = local_match(two, a, b, "tester")
    found = _entities(two, a, hits)
    assert ("it-1", "de-1") in found  # محمد عبد الرحمن = Mohammed Abdelrahman
    assert ("it-2", "de-2") in found  # day and month swapped, the passport spaced
    assert ("it-4", "de-4") in found  # the IBAN
    assert not any(x == "it-3" for x, _ in found)
    # The owners' coordinators were told, with the reference and no personal data.
    it_coord = authenticate(two, "it_coord", PASSWORD)
    notes = inbox(two, it_coord)
    assert notes and all(n.kind == "hit" for n in notes)
    assert not any("Osagie" in n.message or "1990" in n.message for n in notes)
    actions = {e.action for e in audit.query(two)}
    assert {"linkage_index", "linkage_query", "linkage_hit", "linkage_notify"} <= actions


def test_tampered_or_foreign_index_is_refused(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = build_index(two, ["it_persons"], KEY, "tester")
    path = tmp_path / "it.idx"
    indexfile.write(index, KEY, path)
    assert len(indexfile.read(path, KEY)) == len(index)
    data = bytearray(path.read_bytes())
    data[-200] ^= 0x01
    (tmp_path / "bad.idx").write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="altered"):
        indexfile.read(tmp_path / "bad.idx", KEY)
    with pytest.raises(InvalidInput, match="another partnership"):
        indexfile.read(path, PartnershipKey(b"another partnership's key 000000"))
    text = path.read_bytes().replace(b'"agency": "IT-SCO"', b'"agency": "DE-BKA"')
    (tmp_path / "forged.idx").write_bytes(text)
    with pytest.raises(InvalidInput, match="signature"):
        indexfile.read(tmp_path / "forged.idx", KEY)


def test_request_answered_by_sharing_or_declining(two) -> None:  # type: ignore[no-untyped-def]
    a = build_index(two, ["it_persons"], KEY, "tester")
    b = build_index(two, ["de_persons"], KEY, "tester")
    hits = local_match(two, a, b, "tester")
    it_coord = authenticate(two, "it_coord", PASSWORD)
    de_coord = authenticate(two, "de_coord", PASSWORD)
    cases.create_case(two, "JIT-1", "joint team", it_coord)
    cases.add_agency(two, "JIT-1", "DE-BKA", it_coord)
    ref = hits[0][0]
    first = request_information(two, ref, "DE-BKA", "same target?", "JIT-1")
    assert any(n.kind == "request" for n in inbox(two, it_coord))
    entity = lookup(two, [ref])[ref].entity_id
    assert answer_request(two, first, it_coord, share=[entity], case_reference="JIT-1") == "shared"
    assert [s.entity_id for s in cases.list_shares(two, "JIT-1", it_coord)] == [entity]
    second = request_information(two, ref, "DE-BKA", "again", "JIT-1")
    assert answer_request(two, second, it_coord, note="not now") == "declined"
    with pytest.raises(Exception, match="answered already"):
        answer_request(two, second, it_coord)
    del de_coord


def test_deconfliction_alerts_both_case_coordinators(two) -> None:  # type: ignore[no-untyped-def]
    it_coord = authenticate(two, "it_coord", PASSWORD)
    de_coord = authenticate(two, "de_coord", PASSWORD)
    cases.create_case(two, "IT-OP", "Italian operation", it_coord)
    cases.create_case(two, "DE-OP", "German operation", de_coord)
    cases.share_entities(two, "IT-OP", ["it-2"], it_coord)
    cases.share_entities(two, "DE-OP", ["de-2"], de_coord)
    a = build_index(two, ["it_persons"], KEY, "tester")
    b = build_index(two, ["de_persons"], KEY, "tester")
    local_match(two, a, b, "tester")
    for user, case in ((it_coord, "IT-OP"), (de_coord, "DE-OP")):
        alerts = [n for n in inbox(two, user) if n.kind == "deconfliction"]
        assert [n.case_reference for n in alerts] == [case]


def test_cli_contract(two, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "node.db")
    runner = CliRunner()
    monkeypatch.delenv("UNWEAVE_LINKAGE_KEY", raising=False)
    result = runner.invoke(
        app, ["linkage", "encode", "--dataset", "it_persons", "-o", "x", "--db", db]
    )
    assert result.exit_code != 0 and "UNWEAVE_LINKAGE_KEY" in (result.exception.hint or "")  # type: ignore[union-attr]
    monkeypatch.setenv("UNWEAVE_LINKAGE_KEY", "the partnership's shared secret")
    for name in ("it", "de"):
        out = tmp_path / f"{name}.idx"
        result = runner.invoke(
            app, ["linkage", "encode", "--dataset", f"{name}_persons", "-o", str(out), "--db", db]
        )
        assert result.exit_code == 0, result.output
    hits = tmp_path / "hits.csv"
    result = runner.invoke(
        app,
        [
            "linkage",
            "match",
            str(tmp_path / "it.idx"),
            str(tmp_path / "de.idx"),
            "-o",
            str(hits),
            "--db",
            db,
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(hits.open()))
    assert rows[0] == ["ref_a", "ref_b", "score"] and len(rows) >= 4
    refs = tmp_path / "refs.csv"
    key_file = tmp_path / "key"
    key_file.write_text("the partnership's shared secret")
    monkeypatch.delenv("UNWEAVE_LINKAGE_KEY")
    result = runner.invoke(
        app,
        [
            "linkage",
            "refs",
            "-o",
            str(refs),
            "--index",
            str(tmp_path / "it.idx"),
            "--key-file",
            str(key_file),
            "--db",
            db,
        ],
    )
    assert result.exit_code == 0, result.output
    mapped = dict(csv.reader(refs.open()))
    assert mapped.pop("ref") == "entity_id"
    assert {r[0] for r in rows[1:]} <= set(mapped)
    assert set(mapped.values()) == {"it-1", "it-2", "it-3", "it-4"}


def test_refs_of_an_index_built_elsewhere_are_refused(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from unweave.errors import ConfigError
    from unweave.linkage.refs import write_refs

    with pytest.raises(ConfigError, match="not built on this node"):
        write_refs(two, tmp_path / "refs.csv", "tester", "0" * 32)
    assert not (tmp_path / "refs.csv").exists()
