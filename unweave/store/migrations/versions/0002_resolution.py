"""Resolution: judgements, resolution runs and records, candidate pairs, clusters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("left_id", sa.String(160), nullable=False),
        sa.Column("right_id", sa.String(160), nullable=False),
        sa.Column("judgement", sa.String(8), nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_judgements_pair", "judgements", ["left_id", "right_id"])
    op.create_index("ix_judgements_right", "judgements", ["right_id"])
    op.create_table(
        "resolution_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("engine", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("pairs", sa.Integer, nullable=False),
        sa.Column("linked", sa.Integer, nullable=False),
        sa.Column("review", sa.Integer, nullable=False),
        sa.Column("model", sa.Text),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
    )
    op.create_table(
        "resolution_records",
        sa.Column("entity_id", sa.String(160), primary_key=True),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("resolution_runs.id"), nullable=False),
    )
    op.create_table(
        "match_candidates",
        sa.Column("left_id", sa.String(160), primary_key=True),
        sa.Column("right_id", sa.String(160), primary_key=True),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("resolution_runs.id"), nullable=False),
    )
    op.create_index("ix_match_candidates_decision", "match_candidates", ["decision"])
    op.create_table(
        "clusters",
        sa.Column("entity_id", sa.String(160), primary_key=True),
        sa.Column("canonical_id", sa.String(160), nullable=False),
    )
    op.create_index("ix_clusters_canonical", "clusters", ["canonical_id"])


def downgrade() -> None:
    for table in (
        "clusters",
        "match_candidates",
        "resolution_records",
        "resolution_runs",
        "judgements",
    ):
        op.drop_table(table)
