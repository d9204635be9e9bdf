"""Statement store: agencies, datasets, ingestion runs, statements and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

IDENTIFIERS = "prop_type IN ('phone', 'identifier', 'email', 'checksum')"

# SQLite: an external-content FTS5 table over search_terms, kept in step by triggers, so a
# purge of statements (retention) also empties the full-text index.
SQLITE_FTS = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        words, skeletons, identifiers,
        content='search_terms', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms BEGIN
        INSERT INTO search_fts(rowid, words, skeletons, identifiers)
        VALUES (new.rowid, new.words, new.skeletons, new.identifiers);
    END""",
    """CREATE TRIGGER search_terms_ad AFTER DELETE ON search_terms BEGIN
        INSERT INTO search_fts(search_fts, rowid, words, skeletons, identifiers)
        VALUES ('delete', old.rowid, old.words, old.skeletons, old.identifiers);
    END""",
]

# PostgreSQL: full text over all three columns with the 'simple' configuration (names are
# not a language: no stemming), and trigram indexes for partial identifiers.
POSTGRES_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX ix_search_terms_fts ON search_terms USING gin (
        to_tsvector('simple', words || ' ' || skeletons || ' ' || identifiers))""",
    "CREATE INDEX ix_search_terms_ident_trgm ON search_terms USING gin (identifiers gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(8), nullable=False),
    )
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id"), nullable=False),
        sa.Column("handling", sa.String(2), nullable=False),
        sa.Column("conditions", sa.Text),
        sa.Column("legal_basis", sa.Text),
        sa.Column("retention_until", sa.Date),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_rejected", sa.Integer, nullable=False),
        sa.Column("statements_new", sa.Integer, nullable=False),
        sa.Column("statements_seen", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("errors", sa.Text),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
    )
    op.create_index("ix_ingest_runs_dataset_hash", "ingest_runs", ["dataset_id", "content_hash"])
    op.create_table(
        "statements",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(160), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("prop", sa.String(64), nullable=False),
        sa.Column("prop_type", sa.String(32), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("original_value", sa.Text),
        sa.Column("lang", sa.String(8)),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("handling", sa.String(2), nullable=False),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("source_row", sa.Integer),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("ingest_runs.id"), nullable=False),
        sa.Column("last_run_id", sa.Integer, sa.ForeignKey("ingest_runs.id"), nullable=False),
    )
    op.create_index("ix_statements_entity", "statements", ["entity_id"])
    op.create_index(
        "ix_statements_identifier",
        "statements",
        ["prop_type", "value"],
        sqlite_where=sa.text(IDENTIFIERS),
        postgresql_where=sa.text(IDENTIFIERS),
    )
    op.create_index("ix_statements_last_run", "statements", ["last_run_id"])
    op.create_table(
        "search_terms",
        sa.Column("statement_id", sa.String(40), sa.ForeignKey("statements.id"), primary_key=True),
        sa.Column("entity_id", sa.String(160), nullable=False),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id"), nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        sa.Column("skeletons", sa.Text, nullable=False),
        sa.Column("identifiers", sa.Text, nullable=False),
    )
    op.create_index("ix_search_terms_dataset", "search_terms", ["dataset_id"])
    dialect = op.get_bind().dialect.name
    for ddl in SQLITE_FTS if dialect == "sqlite" else POSTGRES_SEARCH:
        op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    for table in ("search_terms", "statements", "ingest_runs", "datasets", "agencies"):
        op.drop_table(table)
