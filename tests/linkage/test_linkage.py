"""Indexes, matching and the command-line contract, on real SQLite stores."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.linkage.data import GERMANY, ITALY, SIGNERS, coordinator, load, register_keys
from unweave.access import cases
from unweave.access.identity import authenticate
from unweave.cli.main import app
from unweave.errors import ConfigError, InvalidInput
from unweave.linkage import indexfile, signing
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
    register_keys(store, "IT-SCO", "DE-BKA")
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
    trust = signing.trusted(two)
    index = build_index(two, ["it_persons"], KEY, "tester")
    path = tmp_path / "it.idx"
    indexfile.write(index, KEY, SIGNERS["IT-SCO"], path)
    assert len(indexfile.read(path, KEY, trust)) == len(index)
    data = bytearray(path.read_bytes())
    data[-200] ^= 0x01
    (tmp_path / "bad.idx").write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="altered"):
        indexfile.read(tmp_path / "bad.idx", KEY, trust)
    with pytest.raises(InvalidInput, match="another partnership"):
        indexfile.read(path, PartnershipKey(b"another partnership's key 000000"), trust)
    text = path.read_bytes().replace(b'"agency": "IT-SCO"', b'"agency": "DE-BKA"')
    (tmp_path / "forged.idx").write_bytes(text)
    with pytest.raises(InvalidInput, match="signature"):
        indexfile.read(tmp_path / "forged.idx", KEY, trust)


def test_an_index_not_signed_by_the_agency_it_names_is_refused(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A partner holds the partnership key, so the HMAC holds on its forgery: the agency's
    signature is what refuses it."""
    trust = signing.trusted(two)
    index = build_index(two, ["it_persons"], KEY, "tester")
    # Germany builds an index claiming to be Italy's, and signs it with its own key.
    forged = indexfile.dumps(index, KEY, SIGNERS["DE-BKA"])
    with pytest.raises(InvalidInput, match="signed by DE-BKA, not by IT-SCO"):
        indexfile.loads(forged, KEY, trust)
    # ... or with a key nobody registered.
    stray = indexfile.dumps(index, KEY, signing.generate())
    with pytest.raises(InvalidInput, match="not registered"):
        indexfile.loads(stray, KEY, trust)
    # The signature covers the header: the key swapped after signing does not verify.
    good = indexfile.dumps(index, KEY, SIGNERS["IT-SCO"])
    swapped = good.replace(
        SIGNERS["IT-SCO"].public_key.encode(), SIGNERS["DE-BKA"].public_key.encode()
    )
    with pytest.raises(InvalidInput, match="signature"):
        indexfile.loads(swapped, KEY, trust)
    assert len(indexfile.loads(good, KEY, trust)) == len(index)
    # A revoked key verifies nothing more; keys are listed with who registered them.
    signing.revoke(two, "IT-SCO", SIGNERS["IT-SCO"].public_key, "admin")
    with pytest.raises(InvalidInput, match="not registered"):
        indexfile.loads(good, KEY, signing.trusted(two))
    listed = {(k.agency, k.revoked_at is not None) for k in signing.list_keys(two)}
    assert listed == {("IT-SCO", True), ("DE-BKA", False)}
    with pytest.raises(ConfigError, match="registered for IT-SCO"):
        signing.register(two, "DE-BKA", SIGNERS["IT-SCO"].public_key, "admin")
    with pytest.raises(ConfigError, match="not an Ed25519 key"):
        signing.register(two, "GB-NCA", "not a key", "admin")
    registered = [e for e in audit.query(two) if e.action == "linkage_key"]
    assert len(registered) == 3  # two registered, one revoked


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


def test_a_dataset_shared_into_a_case_makes_its_entities_targets(two) -> None:  # type: ignore[no-untyped-def]
    """Italy's whole dataset is shared into its case, Germany shares one entity: a hit on
    any Italian entity of the dataset alerts both coordinators; a closed case does not."""
    it_coord = authenticate(two, "it_coord", PASSWORD)
    de_coord = authenticate(two, "de_coord", PASSWORD)
    cases.create_case(two, "IT-WHOLE", "Italian operation", it_coord)
    cases.share_dataset(two, "IT-WHOLE", "it_persons", it_coord)
    cases.create_case(two, "IT-OLD", "closed operation", it_coord)
    cases.share_dataset(two, "IT-OLD", "it_persons", it_coord)
    cases.set_status(two, "IT-OLD", "closed", it_coord)
    cases.create_case(two, "DE-OP", "German operation", de_coord)
    cases.share_entities(two, "DE-OP", ["de-4"], de_coord)  # the IBAN hit
    a = build_index(two, ["it_persons"], KEY, "tester")
    b = build_index(two, ["de_persons"], KEY, "tester")
    local_match(two, a, b, "tester")
    it_alerts = [n for n in inbox(two, it_coord) if n.kind == "deconfliction"]
    de_alerts = [n for n in inbox(two, de_coord) if n.kind == "deconfliction"]
    assert [n.case_reference for n in it_alerts] == ["IT-WHOLE"]
    assert [n.case_reference for n in de_alerts] == ["DE-OP"]
    hit_refs = {n.ref for n in de_alerts}
    assert {lookup(two, hit_refs)[r].entity_id for r in hit_refs} == {"de-4"}


def test_cli_contract(two, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "node.db")
    runner = CliRunner()
    monkeypatch.delenv("UNWEAVE_LINKAGE_KEY", raising=False)
    result = runner.invoke(
        app, ["linkage", "encode", "--dataset", "it_persons", "-o", "x", "--db", db]
    )
    assert result.exit_code != 0 and "UNWEAVE_LINKAGE_KEY" in (result.exception.hint or "")  # type: ignore[union-attr]
    monkeypatch.setenv("UNWEAVE_LINKAGE_KEY", "the partnership's shared secret")
    result = runner.invoke(
        app, ["linkage", "encode", "--dataset", "it_persons", "-o", "x", "--db", db]
    )
    assert result.exit_code != 0 and "signing key" in str(result.exception)
    for name, agency in (("it", "IT-SCO"), ("de", "DE-BKA")):
        monkeypatch.setenv("UNWEAVE_LINKAGE_SIGNING_KEY", signing.private_text(SIGNERS[agency]))
        out = tmp_path / f"{name}.idx"
        result = runner.invoke(
            app,
            ["linkage", "encode", "--dataset", f"{name}_persons", "-o", str(out), "--db", db]
            + ["--as", f"{name}_coord"],
        )
        assert result.exit_code == 0, result.output
    built = [e for e in audit.query(two, action="linkage_index")]
    assert {e.user for e in built} == {"it_coord", "de_coord"}
    # Germany's key cannot sign an index of Italy's, nor a German user index Italy's data.
    result = runner.invoke(
        app, ["linkage", "encode", "--dataset", "it_persons", "-o", "y", "--db", db]
    )
    assert result.exit_code != 0 and "not registered for IT-SCO" in str(result.exception)
    result = runner.invoke(
        app,
        ["linkage", "encode", "--dataset", "it_persons", "-o", "y", "--db", db]
        + ["--as", "de_coord"],
    )
    assert result.exit_code != 0 and "none named 'it_persons'" in str(result.exception)
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
    # A user gets the references of their own agency's indexes only.
    result = runner.invoke(
        app, ["linkage", "refs", "-o", str(refs), "--db", db, "--as", "de_coord"]
    )
    assert result.exit_code == 0, result.output
    mapped = dict(csv.reader(refs.open()))
    assert mapped.pop("ref") == "entity_id"
    assert mapped and all(e.startswith("de-") for e in mapped.values())
    assert audit.query(two, action="linkage_refs")[0].user == "de_coord"


def test_refs_of_an_index_built_elsewhere_are_refused(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from unweave.linkage.refs import write_refs

    with pytest.raises(ConfigError, match="not built on this node"):
        write_refs(two, tmp_path / "refs.csv", "tester", "0" * 32)
    assert not (tmp_path / "refs.csv").exists()
