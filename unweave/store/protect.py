"""Victims' records stored encrypted: which records, which fields, and how they are shown.

A person is recorded as a victim by a ``VictimIdentification`` entity naming them
(Unweave's FtM extension, unweave/schema/). From then on these records are *protected*:

- the person's own record ("identified"),
- the identity documents it holds, Passport or Identification with it as ``holder``
  ("document"),
- every record resolution merges with one of those ("resolved"),

and of each protected record every identifying statement (IDENTIFYING_TYPES below) has
its ``value`` and ``original_value`` encrypted with AES-GCM (store/vault.py), its id
replaced by a keyed one, and its search terms by keyed blind tokens. New statements of a
protected record are encrypted before they are written; records that become protected
later (a victim identified in a later file, a merge by resolution) are re-protected by
``protect_store``, run at the end of every ingest and resolution run. A protected record
stays protected: an undone merge does not put anything back in clear.

Reading (store/reader.py): a reader whose scope may reveal victims, with the key present,
sees the values decrypted; any other reader sees the name replaced by a pseudonym
(``Victim V-7F3A09``) and no other identifying statement at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select, text

from unweave.store.registry import utcnow
from unweave.store.searchterms import is_searchable, terms
from unweave.store.tables import (
    HOLDER_SQL,
    VICTIM_MARKER_SQL,
    clusters,
    search_terms,
    statements,
    victims,
)
from unweave.store.vault import Keyring, VictimKey, pseudonym, require_keyring

MARKER_SCHEMA, MARKER_PROP = "VictimIdentification", "person"
DOCUMENT_SCHEMATA = ("Passport", "Identification")
# The declared list: FtM property types whose values identify a person, or may (a free
# text, a number such as a stated age). A type that is neither here nor in CLEAR_TYPES is
# treated as identifying too: the list fails closed.
IDENTIFYING_TYPES = frozenset(
    {
        "name",  # name, alias, firstName, lastName, fatherName... (typed name or string)
        "date",  # birthDate, deathDate, a document's issue and expiry dates
        "address",  # address, birthPlace (string: see below)
        "phone",
        "email",
        "identifier",  # passportNumber, idNumber, socialSecurityNumber, a document number
        "checksum",  # image hashes (photos)
        "url",  # profiles, photos on the web
        "ip",
        "string",  # birthPlace, firstName, lastName, position, ... written as free strings
        "text",  # notes, summaries, descriptions
        "html",
        "json",
        "number",  # height, weight, stated age
        "mimetype",
    }
)
# Kept in clear: what relates records (entity ids), and what victim-support statistics
# need by country and gender. Neither is ever used alone by a score or a filter.
CLEAR_TYPES = frozenset({"entity", "country", "gender", "topic", "language"})

F = TypeVar("F")


def identifying(prop: str, prop_type: str) -> bool:
    return prop != "id" and prop_type not in CLEAR_TYPES


# ---- sealing (write side) ------------------------------------------------------------


def blind_terms(key: VictimKey, found: tuple[str, str, str]) -> tuple[str, str, str]:
    """Search terms as keyed tokens: found only by a reader holding the key."""
    words, skels, idents = found
    return (
        " ".join(key.blind(f"w:{t}") for t in words.split()),
        " ".join(key.blind(f"s:{t}") for t in skels.split()),
        " ".join(key.blind(f"i:{t}") for t in idents.split()),
    )


def seal_row(key: VictimKey, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A statement row (store/writer.py's column order) with its identifying value sealed."""
    sid, entity_id, schema, prop, prop_type, value, original, *rest = row
    sealed_original = key.encrypt(original, entity_id, f"{prop}~") if original else None
    out = [key.statement_id(sid), entity_id, schema, prop, prop_type]
    out += [key.encrypt(value, entity_id, prop), sealed_original, *rest[:-1], key.id]
    return tuple(out)


def key_for_victims_of(file: str) -> Keyring:
    """The victim key a load of ``file`` needs; a ConfigError saying why if none is set."""
    return require_keyring(
        f"{file} records victims, whose identifying fields are stored encrypted"
    )


class Protector:
    """The writer's side: which records are protected, and sealing a batch before it goes."""

    def __init__(self, conn: Connection) -> None:
        self.protected: set[str] = set(conn.execute(select(victims.c.entity_id)).scalars())
        self._ring: Keyring | None = None
        self.file = ""

    def ring(self) -> Keyring:
        if self._ring is None:
            self._ring = key_for_victims_of(self.file or "this load")
        return self._ring

    def prescan(self, path: Path, encoding: str) -> None:
        """The persons an FtM file identifies as victims, anywhere in it, before loading:
        so that none of their facts is written in clear first (a quick pass over lines
        naming the schema; the load itself reports any error in them)."""
        with path.open(encoding=encoding, errors="replace") as lines:
            for line in lines:
                if MARKER_SCHEMA not in line:
                    continue
                try:
                    data = json.loads(line)
                    if data.get("schema") == MARKER_SCHEMA:
                        people = data.get("properties", {}).get(MARKER_PROP, [])
                        self.protected.update(p for p in people if isinstance(p, str))
                except (ValueError, AttributeError):
                    continue

    def seal(self, rows: dict[str, tuple[Any, ...]], search: dict[str, tuple[Any, ...]]) -> None:
        """Seal, in place, the rows of protected records (known, or marked in this batch)."""
        for row in rows.values():
            if row[2] == MARKER_SCHEMA and row[3] == MARKER_PROP:
                self.protected.add(row[5])
        for row in rows.values():
            if row[2] in DOCUMENT_SCHEMATA and row[3] == "holder" and row[5] in self.protected:
                self.protected.add(row[1])
        wanted = [k for k, r in rows.items() if r[1] in self.protected and identifying(r[3], r[4])]
        if not wanted:
            return
        key = self.ring().current
        for plain in wanted:
            sealed = seal_row(key, rows.pop(plain))
            rows[sealed[0]] = sealed
            found = search.pop(plain, None)
            if found is not None:
                search[sealed[0]] = (sealed[0], found[1], found[2], *blind_terms(key, found[3:]))


# ---- re-protection of stored records -------------------------------------------------


def _chunks(ids: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _victim_records(conn: Connection) -> dict[str, str]:
    """entity id -> basis, for every record that must be protected now."""
    found = {r.entity_id: r.basis for r in conn.execute(select(victims))}
    # The conditions written out, as the partial indexes are (store/tables.py): SQLite
    # uses a partial index only for a query that repeats its condition literally.
    marked = select(statements.c.value).where(text(VICTIM_MARKER_SQL))
    for entity_id in conn.execute(marked.distinct()).scalars():
        found.setdefault(entity_id, "identified")
    todo = sorted(found)
    while todo:  # documents of merged records, records merged with documents...
        new: dict[str, str] = {}
        for ids in _chunks(todo):
            canon = select(clusters.c.canonical_id).where(clusters.c.entity_id.in_(ids))
            mates = select(clusters.c.entity_id).where(clusters.c.canonical_id.in_(canon))
            new.update((e, "resolved") for e in conn.execute(mates).scalars())
            docs = select(statements.c.entity_id).where(
                text(HOLDER_SQL),
                statements.c.schema.in_(DOCUMENT_SCHEMATA),
                statements.c.value.in_(ids),
            )
            new.update((e, "document") for e in conn.execute(docs.distinct()).scalars())
        todo = sorted(e for e in new if e not in found)
        found.update((e, new[e]) for e in todo)
    return found


STATEMENT_FIELDS = [c.name for c in statements.columns]


def protect_store(conn: Connection, why: str = "the store records victims") -> int:
    """Protect every record that should be and is not yet; returns statements sealed.

    Idempotent: a second run finds nothing in clear and changes nothing.
    """
    wanted = _victim_records(conn)
    known = set(conn.execute(select(victims.c.entity_id)).scalars())
    new = [{"entity_id": e, "basis": b, "since": utcnow()} for e, b in wanted.items()]
    new = [row for row in new if row["entity_id"] not in known]
    if new:
        conn.execute(insert(victims), new)
    sealed = 0
    ring: Keyring | None = None
    for ids in _chunks(sorted(wanted)):
        rows = conn.execute(
            select(statements).where(
                statements.c.entity_id.in_(ids), statements.c.key_id.is_(None)
            )
        ).all()
        rows = [r for r in rows if identifying(r.prop, r.prop_type)]
        if not rows:
            continue
        ring = ring or require_keyring(why)
        sealed += _reseal(conn, ring.current, rows)
    return sealed


def _reseal(conn: Connection, key: VictimKey, rows: list[Any]) -> int:
    """Replace clear rows by sealed ones (new ids), with blind search terms."""
    old_ids = [r.id for r in rows]
    found = {
        r.statement_id: r
        for r in conn.execute(select(search_terms).where(search_terms.c.statement_id.in_(old_ids)))
    }
    conn.execute(delete(search_terms).where(search_terms.c.statement_id.in_(old_ids)))
    existing = set(
        conn.execute(
            select(statements.c.id).where(
                statements.c.id.in_([key.statement_id(i) for i in old_ids])
            )
        ).scalars()
    )
    new_rows, new_terms = [], []
    for r in rows:
        row = dict(r._mapping)
        sealed = seal_row(key, tuple(row[c] for c in STATEMENT_FIELDS))
        if sealed[0] in existing:
            continue  # seen again after it was protected: the sealed row is already there
        new_rows.append(dict(zip(STATEMENT_FIELDS, sealed, strict=True)))
        if is_searchable(r.prop, r.prop_type):
            clear = terms(r.prop, r.prop_type, r.value, r.original_value)
            t = found.get(r.id)
            words, skels, idents = blind_terms(key, clear)
            dataset_id = t.dataset_id if t is not None else r.dataset_id
            new_terms.append(
                {
                    "statement_id": sealed[0],
                    "entity_id": r.entity_id,
                    "dataset_id": dataset_id,
                    "words": words,
                    "skeletons": skels,
                    "identifiers": idents,
                }
            )
    conn.execute(delete(statements).where(statements.c.id.in_(old_ids)))
    if new_rows:
        conn.execute(insert(statements), new_rows)
    if new_terms:
        conn.execute(insert(search_terms), new_terms)
    return len(rows)


def has_protected(conn: Connection) -> bool:
    query = select(func.count()).select_from(victims)
    return bool(conn.execute(query).scalar())


# ---- reading -------------------------------------------------------------------------


def shown(fact: F, key_id: str | None, reveal: bool, ring: Keyring | None) -> F | None:
    """A sealed fact as this reader may see it: decrypted, pseudonymised or left out."""
    if key_id is None:
        return fact
    f: Any = fact
    if reveal and ring is not None:
        value = ring.decrypt(f.value, f.entity_id, f.prop)
        original = f.original_value and ring.decrypt(f.original_value, f.entity_id, f.prop + "~")
        return replace(f, value=value, original_value=original)  # type: ignore[no-any-return]
    if f.prop == "name":
        return replace(f, value=pseudonym(f.canonical_id), original_value=None)  # type: ignore[no-any-return]
    return None


def compact(store: Any) -> None:
    """After values were sealed in place: leave no copy of the clear ones in the files.

    SQLite overwrites deleted content (``secure_delete``, store/db.py); the FTS5 index
    still holds the old tokens in its segments until they are merged, and the write-ahead
    log the old pages until it is truncated. PostgreSQL keeps dead row versions until a
    vacuum.
    """
    if store.dialect == "sqlite":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM statements, search_terms")


def audit_text(store: Any, text: str, entity_ids: Iterable[str]) -> str:
    """What the audit trail may keep of a query: sealed if it found a victim's record.

    The trail is hash-chained and never rewritten, so a victim's name typed into a search
    must be sealed before it is written (readable with the key: Keyring.decrypt with
    entity "audit" and property "query").
    """
    ids = sorted(set(entity_ids))
    if not ids:
        return text
    with store.engine.connect() as conn:
        found = conn.execute(
            select(func.count()).select_from(victims).where(victims.c.entity_id.in_(ids))
        ).scalar()
    if not found:
        return text
    return require_keyring("a search found victims").current.encrypt(text, "audit", "query")
