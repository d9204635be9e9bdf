"""Victims' identifying fields: unreadable in the database, shown only to roles that need them.

Every test runs on a real SQLite file and a real PostgreSQL. "Unreadable" is checked on what
an intruder holding the database would have: the raw bytes of the SQLite file and its
write-ahead log (FTS5 segments included), and on PostgreSQL every text column of every
table (and a pg_dump where the binary is installed).
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import String, Text, func, inspect, select, text
from sqlalchemy.engine import make_url

from tests.conftest import EXAMPLES
from tests.helpers import write
from tests.pgserver import find_bin
from unweave.access import identity
from unweave.access.scopes import scope_for
from unweave.errors import ConfigError, NotFound
from unweave.export.ftm import export_entities, export_statements
from unweave.graph.build import build_network
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.normalize.names import skeleton_keys
from unweave.resolve import clusters as clustering
from unweave.resolve.judgements import POSITIVE, judge
from unweave.resolve.run import load_records
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.protect import protect_store
from unweave.store.reader import StoreView
from unweave.store.rekey import key_ids, rotate
from unweave.store.scope import Scope
from unweave.store.search import _summaries, search
from unweave.store.tables import statements, victims
from unweave.store.vault import new_secret, pseudonym

VICTIMS = EXAMPLES / "it" / "victims.ftm.json"
# Every form in which the two victims' identifying values could be recovered: as written,
# normalised (E.164), compact digits and national numbers, lower and upper case,
# transliterated (the Cyrillic name in Latin), dates, documents, e-mail and address words.
FORMS = [
    "Ehigiator", "EHIGIATOR Joy", "+2348035550199", "2348035550199", "8035550199",
    "803 555 0199", "A09876543", "2003-06-21", "joy.ehigiator@mail.example", "Domitiana",
    "Benin City", "30,000 EUR",
    "Коваленко", "Олена", "kovalenko", "olena", "+380671234567", "380671234567",
    "671234567", "2001-02-09",
]  # fmt: skip
# Consonant skeletons are what search compares names on: none may be left in clear either.
SKELETONS = sorted({k for n in ("Ehigiator", "Kovalenko") for k in skeleton_keys(n) if len(k) > 3})
HIDDEN = {"reveal_victims": False}


def _opts(dataset: str = "it_victims") -> IngestOptions:
    return IngestOptions(dataset=dataset, agency="IT-SCO")


def _dump(store: Store, tmp_path: Path) -> bytes:
    """What an intruder holding the database reads, lower-cased."""
    if store.is_sqlite:
        # FTS5 stores its terms prefix-compressed: list them too, as the index has them.
        with store.engine.begin() as conn:
            conn.execute(
                text("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_fts, 'row')")
            )
            terms = " ".join(conn.execute(text("SELECT term FROM temp.vocab")).scalars())
        store.close()  # every connection closed: nothing held back in memory
        path = Path(make_url(store.url).database or "")
        found = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        return b"".join([p.read_bytes() for p in found] + [terms.encode()]).lower()
    parts: list[str] = []
    with store.engine.connect() as conn:
        insp = inspect(conn)
        for table in insp.get_table_names():
            for col in insp.get_columns(table):
                if isinstance(col["type"], String | Text):
                    rows = conn.execute(text(f'SELECT "{col["name"]}" FROM "{table}"')).scalars()
                    parts += [str(v) for v in rows if v is not None]
    pg_dump = find_bin("pg_dump")
    if pg_dump:
        url = make_url(store.url)
        dumped = subprocess.run(
            [pg_dump, "-h", str(url.host), "-p", str(url.port), "-U", "postgres", url.database],
            capture_output=True,
            check=True,
        ).stdout
        parts.append(dumped.decode())
    return "\n".join(parts).encode().lower()


def _leaks(data: bytes) -> list[str]:
    return [f for f in FORMS + SKELETONS if f.lower().encode() in data]


def _resealed(store: Store) -> int:
    """How many stored statements the last ingest had to seal after writing them in clear."""
    (entry,) = audit.query(store, action="ingest", limit=1)
    return int(json.loads(entry.detail)["resealed"])


def test_victim_fields_are_unreadable_in_the_raw_database(store: Store, tmp_path: Path) -> None:
    # Small batches: the persons are written batches before the lines naming them victims.
    report = ingest_file(store, VICTIMS, IngestOptions("it_victims", "IT-SCO", batch_size=3))
    assert report.status == "done"
    assert _resealed(store) == 0  # found ahead: never written in clear, not even for a while
    data = _dump(store, tmp_path)
    assert _leaks(data) == []
    # The check can fail: the suspect in the same file is stored in clear, and found.
    assert b"osagie" in data and b"+393471234567" in data


def test_a_person_recorded_as_victim_later_is_protected(store: Store, tmp_path: Path) -> None:
    lines = VICTIMS.read_text(encoding="utf-8").splitlines()
    first = write(tmp_path / "persons.ftm.json", "\n".join(lines[:3]) + "\n")
    later = write(tmp_path / "identified.ftm.json", "\n".join(lines[3:5]) + "\n")
    ingest_file(store, first, _opts("it_persons"))
    view = StoreView(store, Scope(None, **HIDDEN))  # type: ignore[arg-type]
    assert "EHIGIATOR Joy" in view.entity("it-v-001").get("name")  # not yet a victim
    ingest_file(store, later, _opts("it_referrals"))
    assert _resealed(store) == 15  # the 15 identifying statements of the earlier file
    assert view.entity("it-v-001").get("name") == [pseudonym("it-v-001")]
    with store.engine.begin() as conn:
        basis = dict(conn.execute(select(victims.c.entity_id, victims.c.basis)).all())
        assert protect_store(conn) == 0  # idempotent: nothing left in clear
    assert basis == {"it-v-001": "identified", "it-v-001-pp": "document", "it-v-002": "identified"}
    assert _leaks(_dump(store, tmp_path)) == []


def test_readers_without_the_role_see_a_pseudonym_everywhere(store: Store) -> None:
    ingest_file(store, VICTIMS, _opts())
    hidden = StoreView(store, Scope(None, **HIDDEN))  # type: ignore[arg-type]
    entity = hidden.entity("it-v-001")
    assert entity.caption == pseudonym("it-v-001") == "Victim V-4E5B57"
    assert set(entity.properties) == {"name", "gender", "nationality"}
    assert hidden.entity("it-v-002").caption == pseudonym("it-v-002")
    assert hidden.entity("it-v-001-pp").get("number") == []
    # No search finds them by name, phone or document: that would tell who is a victim.
    for query in ("Ehigiator", "Joy", "+234 803 555 0199", "A09876543", "Коваленко"):
        assert search(hidden, query) == [], query
    assert [h.caption for h in search(hidden, "Osagie")] == ["OSAGIE Blessing"]
    # What a search's facets count of a victim's record is what its facts show this reader.
    for view in (hidden, StoreView(store, Scope.of([1], reveal_victims=True))):
        for record in ("it-v-001", "it-v-001-pp"):
            summary = {(r[2], r[3], r[5]) for r in _summaries(view, {record})}
            assert summary == {(f.schema, f.dataset, f.handling) for f in view.facts([record])}
    for export in (export_entities, export_statements):
        out = io.StringIO()
        export(hidden, out)
        assert pseudonym("it-v-001") in out.getvalue()
        assert [f for f in FORMS if f.lower() in out.getvalue().lower()] == []
    graph = build_network(hidden)
    assert graph.node("it-v-001")["label"] == pseudonym("it-v-001")
    assert not [n for n in graph.ids if "234803" in n or "A0987" in n]


def test_readers_with_the_role_see_the_values(store: Store) -> None:
    ingest_file(store, VICTIMS, _opts())
    view = StoreView(store, Scope.of([1], reveal_victims=True))
    entity = view.entity("it-v-001")
    assert entity.get("name") == ["EHIGIATOR Joy"]
    assert entity.get("phone") == ["+2348035550199"]
    assert entity.get("passportNumber") == ["A09876543"]
    facts = {f.prop: f for f in view.facts(["it-v-001"])}
    assert facts["phone"].original_value == "+234 803 555 0199"
    # Found by whole name tokens, full or national phone numbers, documents (blind tokens).
    for query in ("Ehigiator", "joy ehigiator", "+234 803 555 0199", "A09876543", "Олена"):
        hits = search(view, query)
        assert [h.entity_id for h in hits][:1] in (["it-v-001"], ["it-v-002"]), query
        assert hits[0].caption in ("EHIGIATOR Joy", "Коваленко Олена")
    assert graph_label(view) == "EHIGIATOR Joy"


def graph_label(view: StoreView) -> str:
    return str(build_network(view).node("it-v-001")["label"])


def test_a_missing_or_wrong_key_is_a_clear_error(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UNWEAVE_VICTIM_KEY")
    with pytest.raises(ConfigError, match="no victim key: .*victims.ftm.json records victims"):
        ingest_file(store, VICTIMS, _opts())
    with store.engine.connect() as conn:  # refused whole: nothing stored
        assert conn.execute(select(func.count()).select_from(statements)).scalar() == 0
    monkeypatch.setenv("UNWEAVE_VICTIM_KEY", new_secret())
    ingest_file(store, VICTIMS, _opts())
    monkeypatch.setenv("UNWEAVE_VICTIM_KEY", new_secret())  # another key
    with pytest.raises(ConfigError, match="encrypted with key [0-9a-f]{8}, which is not the key"):
        StoreView(store, Scope.everything()).entity("it-v-001")
    with pytest.raises(ConfigError):
        load_records(store)
    monkeypatch.setenv("UNWEAVE_VICTIM_KEY", base64.b64encode(b"short").decode())
    with pytest.raises(ConfigError, match="must be 32 bytes"):
        StoreView(store, Scope.everything()).entity("it-v-001")
    monkeypatch.delenv("UNWEAVE_VICTIM_KEY")
    with pytest.raises(ConfigError, match="no victim key: resolution"):
        load_records(store)
    # Without the key, even the administrator sees the pseudonym, never the ciphertext.
    assert StoreView(store, Scope.everything()).entity("it-v-001").caption.startswith("Victim")


def test_an_altered_ciphertext_does_not_decrypt(store: Store) -> None:
    ingest_file(store, VICTIMS, _opts())
    with store.engine.begin() as conn:
        row = conn.execute(
            select(statements.c.id, statements.c.value).where(
                statements.c.entity_id == "it-v-001", statements.c.prop == "phone"
            )
        ).one()
        # Moved onto another victim's row: the entity id is bound to the ciphertext.
        conn.execute(
            statements.update()
            .where(statements.c.entity_id == "it-v-002", statements.c.prop == "phone")
            .values(value=row.value)
        )
    with pytest.raises(ConfigError, match="does not decrypt"):
        StoreView(store, Scope.everything()).entity("it-v-002")


def test_loading_again_adds_nothing_and_merges_are_protected(store: Store, tmp_path: Path) -> None:
    ingest_file(store, VICTIMS, _opts())
    # The same facts in another file: found under their keyed ids, nothing new.
    again = write(tmp_path / "again.ftm.json", VICTIMS.read_text(encoding="utf-8"))
    assert ingest_file(store, again, _opts()).statements_new == 0
    # Another agency's record of the same woman, in clear, merged with hers by a judgement.
    other = write(
        tmp_path / "gb.ftm.json",
        json.dumps(
            {
                "id": "gb-x-9",
                "schema": "Person",
                "properties": {"name": ["Joy Ehigiator"], "phone": ["+234 803 555 0199"]},
            }
        )
        + "\n",
    )
    ingest_file(store, other, IngestOptions(dataset="gb_x", agency="GB-NCA"))
    judge(store, "it-v-001", "gb-x-9", POSITIVE, "analyst", "same phone, same name")
    with store.engine.begin() as conn:
        clustering.rebuild(conn)
        assert protect_store(conn) == 2  # the name and the phone of gb-x-9
        assert protect_store(conn) == 0
    hidden = StoreView(store, Scope(None, **HIDDEN))  # type: ignore[arg-type]
    merged = hidden.entity("gb-x-9")
    assert merged.caption.startswith("Victim V-") and "phone" not in merged.properties
    assert set(StoreView(store, Scope.everything()).entity("gb-x-9").get("name")) == {
        "EHIGIATOR Joy",
        "Joy Ehigiator",
    }


REFERRALS_MAPPING = """\
entities:
  person:
    schema: Person
    keys: [ref_no]
    properties:
      name: {columns: [surname, given_name], join: " "}
      birthDate: {column: birth_date}
      phone: {column: phone}
  identification:
    schema: VictimIdentification
    keys: [ref_no, identified_on]
    properties:
      person: {entity: person}
      date: {column: identified_on}
      authority: {literal: "Squadra Mobile di Caserta"}
"""


def test_a_mapped_table_records_victims_row_by_row(store: Store, tmp_path: Path) -> None:
    table = write(
        tmp_path / "referrals.csv",
        "ref_no,surname,given_name,birth_date,phone,identified_on\n"
        "NRM-1,EHIGIATOR,Joy,2003-06-21,+234 803 555 0199,2025-03-14\n",
    )
    mapping = write(tmp_path / "referrals.yaml", REFERRALS_MAPPING)
    opts = IngestOptions(dataset="it_referrals", agency="IT-SCO", mapping=mapping)
    assert ingest_file(store, table, opts).status == "done"
    hidden = StoreView(store, Scope(None, **HIDDEN))  # type: ignore[arg-type]
    (person,) = [e for e in hidden.iter_entities(["Person"])]
    assert person.caption == pseudonym(str(person.id))
    assert _leaks(_dump(store, tmp_path)) == []


def test_keys_rotate(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = new_secret(), new_secret()
    monkeypatch.setenv("UNWEAVE_VICTIM_KEY", old)
    ingest_file(store, VICTIMS, _opts())
    (old_id,) = key_ids(store)
    keyfile = write(tmp_path / "victim.key", f"{new}\n{old}\n")
    monkeypatch.delenv("UNWEAVE_VICTIM_KEY")
    monkeypatch.setenv("UNWEAVE_VICTIM_KEY_FILE", str(keyfile))
    view = StoreView(store, Scope.everything())
    assert view.entity("it-v-001").caption == "EHIGIATOR Joy"  # the old key still reads
    sealed = sum(key_ids(store).values())
    assert rotate(store, "dpo") == sealed and rotate(store, "dpo") == 0
    (new_id,) = key_ids(store)
    assert new_id != old_id
    write(keyfile, f"{new}\n")  # the old key is gone
    assert StoreView(store, Scope.everything()).entity("it-v-001").caption == "EHIGIATOR Joy"
    hits = search(StoreView(store, Scope.everything()), "+234 803 555 0199")
    assert [h.entity_id for h in hits] == ["it-v-001"]
    again = write(tmp_path / "again.ftm.json", VICTIMS.read_text(encoding="utf-8"))
    assert ingest_file(store, again, _opts()).statements_new == 0


def test_only_the_roles_that_need_them_see_victims(store: Store) -> None:
    ingest_file(store, VICTIMS, _opts())
    seen = {}
    for role in ("analyst", "coordinator", "investigator", "victim_liaison", "dpo"):
        user = identity.add_user(store, f"u_{role}", "IT-SCO", role, "correct horse battery")
        view = StoreView(store, scope_for(store, user))
        try:
            seen[role] = view.entity("it-v-001").caption
        except NotFound:
            seen[role] = None
    assert seen == {
        "analyst": pseudonym("it-v-001"),
        "coordinator": pseudonym("it-v-001"),
        "investigator": "EHIGIATOR Joy",
        "victim_liaison": "EHIGIATOR Joy",
        "dpo": None,  # reads the audit trail, not the data
    }
