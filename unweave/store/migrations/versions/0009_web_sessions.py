"""Web sessions: the hash of each browser session's token, its user, CSRF token and expiry;
and an index of the statements that point at an entity (the entity page's relationships).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
    )
    references = "prop_type = 'entity'"
    op.create_index(
        "ix_statements_reference",
        "statements",
        ["value"],
        sqlite_where=sa.text(references),
        postgresql_where=sa.text(references),
    )


def downgrade() -> None:
    op.drop_index("ix_statements_reference", table_name="statements")
    op.drop_table("web_sessions")
