"""Victim protection: the key id of encrypted statements, and the protected records.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


MARKER = "schema = 'VictimIdentification' AND prop = 'person'"
HOLDER = "prop = 'holder'"


def upgrade() -> None:
    op.add_column("statements", sa.Column("key_id", sa.String(16)))
    for name, where in (("ix_statements_victim_marker", MARKER), ("ix_statements_holder", HOLDER)):
        op.create_index(
            name,
            "statements",
            ["value"],
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
    op.create_table(
        "victims",
        sa.Column("entity_id", sa.String(160), primary_key=True),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("since", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("victims")
    op.drop_index("ix_statements_holder", "statements")
    op.drop_index("ix_statements_victim_marker", "statements")
    op.drop_column("statements", "key_id")  # SQLite 3.35+ drops a column in place
