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


def upgrade() -> None:
    op.add_column("statements", sa.Column("key_id", sa.String(16)))
    op.create_table(
        "victims",
        sa.Column("entity_id", sa.String(160), primary_key=True),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("since", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("victims")
    op.drop_column("statements", "key_id")  # SQLite 3.35+ drops a column in place
