"""Hit/no-hit linkage: indexes built, their references, notifications, requests.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linkage_indexes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id"), nullable=False),
        sa.Column("datasets", sa.Text, nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.Column("padding", sa.Integer, nullable=False),
        sa.Column("built_by", sa.String(128), nullable=False),
        sa.Column("built_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "linkage_refs",
        sa.Column("ref", sa.String(24), primary_key=True),
        sa.Column("index_id", sa.String(32), sa.ForeignKey("linkage_indexes.id"), nullable=False),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("entity_id", sa.String(160), nullable=False),
    )
    op.create_index("ix_linkage_refs_index", "linkage_refs", ["index_id"])
    op.create_index("ix_linkage_refs_entity", "linkage_refs", ["entity_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(24)),
        sa.Column("partner", sa.String(128)),
        sa.Column("case_reference", sa.String(64)),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime),
    )
    op.create_index("ix_notifications_user", "notifications", ["user_id"])
    op.create_table(
        "linkage_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(24), sa.ForeignKey("linkage_refs.ref"), nullable=False),
        sa.Column("requester", sa.String(128), nullable=False),
        sa.Column("case_reference", sa.String(64)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answered_by", sa.String(128)),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("answer_note", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("linkage_requests")
    op.drop_table("notifications")
    op.drop_table("linkage_refs")
    op.drop_table("linkage_indexes")
