"""Arabic consonant keys in the search rows of names already stored.

Names written in Arabic script or with the article apart (Al-Gaddafi) are now indexed by
their Arabic consonant keys too (store/searchterms.py), so "Gaddafi" finds القذافي. This
rewrites the search rows of such names stored before. A victim's sealed name can only be
reindexed with the victim key: it gains its keys when the key is next rotated
(`unweave victims rotate`), which re-seals every sealed row.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import re

import sqlalchemy as sa
from alembic import op

from unweave.store.searchterms import NAME_PROPS, terms

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# A cheap first look; searchterms.terms decides (Arabic script, or al/el/ul as a word).
_MAYBE_ARABIC = re.compile(r"[\u0600-\u06ff]|(?i:(?:^|[^a-z])(?:al|el|ul)(?:[^a-z]|$))")
_BATCH = 1_000


def _stale_rows(conn: sa.Connection) -> list[dict]:
    props = ", ".join(f"'{p}'" for p in sorted(NAME_PROPS))
    rows = conn.execute(
        sa.text(
            "SELECT st.statement_id, st.entity_id, st.dataset_id, st.words, st.skeletons, "
            "st.identifiers, s.prop, s.prop_type, s.value, s.original_value "
            "FROM search_terms st JOIN statements s ON s.id = st.statement_id "
            f"WHERE s.key_id IS NULL AND (s.prop_type = 'name' OR s.prop IN ({props}))"
        )
    )
    stale = []
    for r in rows:
        if not (_MAYBE_ARABIC.search(r.value) or _MAYBE_ARABIC.search(r.original_value or "")):
            continue
        words, skeletons, identifiers = terms(r.prop, r.prop_type, r.value, r.original_value)
        if skeletons != r.skeletons:
            stale.append(
                {
                    "statement_id": r.statement_id,
                    "entity_id": r.entity_id,
                    "dataset_id": r.dataset_id,
                    "words": words,
                    "skeletons": skeletons,
                    "identifiers": identifiers,
                }
            )
    return stale


def upgrade() -> None:
    conn = op.get_bind()
    stale = _stale_rows(conn)
    # Delete and insert rather than update: SQLite's full-text table follows search_terms
    # through its insert and delete triggers only.
    for start in range(0, len(stale), _BATCH):
        batch = stale[start : start + _BATCH]
        conn.execute(
            sa.text("DELETE FROM search_terms WHERE statement_id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": [row["statement_id"] for row in batch]},
        )
        conn.execute(
            sa.text(
                "INSERT INTO search_terms (statement_id, entity_id, dataset_id, words, "
                "skeletons, identifiers) VALUES (:statement_id, :entity_id, :dataset_id, "
                ":words, :skeletons, :identifiers)"
            ),
            batch,
        )


def downgrade() -> None:
    # The extra keys only widen what a search finds; the older code reads them unchanged.
    pass
