"""Key rotation: re-encrypt every victim value sealed under an older key with the current one.

The new key goes on the first line of ``UNWEAVE_VICTIM_KEY_FILE``, the old one on a line
after it; ``unweave victims rotate`` then re-seals each statement still under an old key
(new ciphertext, new keyed id, new blind search tokens), in one transaction. Afterwards
no statement names the old key and the old line can be deleted from the file.
"""

from __future__ import annotations

from typing import Any

from followthemoney import Statement
from sqlalchemy import delete, func, insert, select

from unweave.store import audit
from unweave.store.db import Store
from unweave.store.protect import STATEMENT_FIELDS, blind_terms, compact, seal_row
from unweave.store.searchterms import is_searchable, terms
from unweave.store.tables import datasets, search_terms, statements
from unweave.store.vault import require_keyring


def key_ids(store: Store) -> dict[str, int]:
    """How many statements each key sealed (what a rotation has left to do)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(statements.c.key_id, func.count())
            .where(statements.c.key_id.is_not(None))
            .group_by(statements.c.key_id)
        ).all()
    return {str(k): int(n) for k, n in rows}


def rotate(store: Store, user: str) -> int:
    """Re-seal under the current key; returns how many statements were re-sealed."""
    ring = require_keyring("rotation re-encrypts the victims' values")
    key = ring.current
    done = 0
    with store.engine.begin() as conn:
        names = dict(conn.execute(select(datasets.c.id, datasets.c.name)).all())
        rows = conn.execute(
            select(statements).where(
                statements.c.key_id.is_not(None), statements.c.key_id != key.id
            )
        ).all()
        for start in range(0, len(rows), 500):
            done += _reseal(conn, ring, key, list(rows[start : start + 500]), names)
        audit.append(conn, user, "victims", {"rotated": done, "key": key.id})
    if done:
        compact(store)
    return done


def _reseal(conn: Any, ring: Any, key: Any, rows: list[Any], names: dict[int, str]) -> int:
    old_ids = [r.id for r in rows]
    new_rows, new_terms = [], []
    for r in rows:
        value = ring.decrypt(r.value, r.entity_id, r.prop)
        original = r.original_value and ring.decrypt(r.original_value, r.entity_id, r.prop + "~")
        plain_id = Statement.make_key(
            names[r.dataset_id], r.entity_id, r.prop, value, False, r.lang
        )
        clear = dict(r._mapping) | {"id": plain_id, "value": value, "original_value": original}
        sealed = seal_row(key, tuple(clear[c] for c in STATEMENT_FIELDS))
        new_rows.append(dict(zip(STATEMENT_FIELDS, sealed, strict=True)))
        if is_searchable(r.prop, r.prop_type):
            words, skels, idents = blind_terms(key, terms(r.prop, r.prop_type, value, original))
            new_terms.append(
                {
                    "statement_id": sealed[0],
                    "entity_id": r.entity_id,
                    "dataset_id": r.dataset_id,
                    "words": words,
                    "skeletons": skels,
                    "identifiers": idents,
                }
            )
    conn.execute(delete(search_terms).where(search_terms.c.statement_id.in_(old_ids)))
    conn.execute(delete(statements).where(statements.c.id.in_(old_ids)))
    conn.execute(insert(statements), new_rows)
    if new_terms:
        conn.execute(insert(search_terms), new_terms)
    return len(rows)
