"""Partner agencies' public keys, which verify who built a linkage index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linkage_agency_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency", sa.String(32), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False, unique=True),
        sa.Column("registered_by", sa.String(128), nullable=False),
        sa.Column("registered_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoked_by", sa.String(128)),
    )


def downgrade() -> None:
    op.drop_table("linkage_agency_keys")
