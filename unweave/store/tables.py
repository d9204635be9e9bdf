"""The store's tables, in SQLAlchemy Core. Alembic migrations create them (store/migrations).

A fact is a row of ``statements``: one value of one property of one entity, with the
dataset it came from, its handling code, the file and row it was read from, and when it was
first and last seen. Everything else (entities, search, the graph) is derived from it.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    text,
)

HANDLING_CODES = ("H0", "H1", "H2", "H3")
IDENTIFIER_TYPES = ("phone", "identifier", "email", "checksum")  # FtM type names
IDENTIFIER_TYPES_SQL = "prop_type IN ('phone', 'identifier', 'email', 'checksum')"

VICTIM_MARKER_SQL = "schema = 'VictimIdentification' AND prop = 'person'"
HOLDER_SQL = "prop = 'holder'"

metadata = MetaData()

agencies = Table(
    "agencies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("country", String(8), nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("agency_id", Integer, ForeignKey("agencies.id"), nullable=False),
    Column("handling", String(2), nullable=False),
    # The restriction text of an H3 dataset, shown wherever its data appears.
    Column("conditions", Text),
    Column("legal_basis", Text),
    Column("retention_until", Date),
    # A legal hold keeps a dataset past its retention date (a court or an inquiry needs it).
    Column("legal_hold", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime, nullable=False),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("file", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("format", String(32), nullable=False),
    # done, unchanged (same content already loaded), partial (--skip-invalid), failed
    Column("status", String(16), nullable=False),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("statements_new", Integer, nullable=False, default=0),
    Column("statements_seen", Integer, nullable=False, default=0),
    Column("warnings", Integer, nullable=False, default=0),
    Column("errors", Text),  # JSON list of problems, capped
    Column("started_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Index("ix_ingest_runs_dataset_hash", "dataset_id", "content_hash"),
)

statements = Table(
    "statements",
    metadata,
    # FtM's statement key: sha1 of dataset, entity, property and value. Loading the same
    # fact again finds this key and only moves last_seen.
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(160), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("prop_type", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text),
    Column("lang", String(8)),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("handling", String(2), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer),
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False),
    Column("last_run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False),
    # The key that encrypted value and original_value (a victim's identifying field,
    # store/protect.py); None: stored in clear.
    Column("key_id", String(16)),
    Index("ix_statements_entity", "entity_id"),
    # Shared identifiers link entities (the same phone, passport, IBAN): index those values
    # only; names and texts are found through the search index instead.
    Index(
        "ix_statements_identifier",
        "prop_type",
        "value",
        sqlite_where=text(IDENTIFIER_TYPES_SQL),
        postgresql_where=text(IDENTIFIER_TYPES_SQL),
    ),
    Index("ix_statements_last_run", "last_run_id"),
    # Who is recorded as a victim, and the documents a person holds: looked up at the end
    # of every ingest and resolution run (store/protect.py), so indexed (small: few rows).
    Index(
        "ix_statements_victim_marker",
        "value",
        sqlite_where=text(VICTIM_MARKER_SQL),
        postgresql_where=text(VICTIM_MARKER_SQL),
    ),
    Index(
        "ix_statements_holder",
        "value",
        sqlite_where=text(HOLDER_SQL),
        postgresql_where=text(HOLDER_SQL),
    ),
)

# What search matches on, one row per searchable statement (names, phones, identifiers,
# e-mails, IBANs). SQLite mirrors it into an FTS5 table by triggers; PostgreSQL indexes it
# with full text and trigram indexes. Both are created by the migration.
search_terms = Table(
    "search_terms",
    metadata,
    Column("statement_id", String(40), ForeignKey("statements.id"), primary_key=True),
    Column("entity_id", String(160), nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("words", Text, nullable=False),  # Latin tokens of names and texts
    Column("skeletons", Text, nullable=False),  # consonant skeletons of name tokens
    Column("identifiers", Text, nullable=False),  # compact phones, documents, IBANs
    Index("ix_search_terms_dataset", "dataset_id"),
)

# The records whose identifying fields are stored encrypted: persons recorded as victims
# (basis "identified", by a VictimIdentification), their identity documents ("document")
# and the records resolution merged with them ("resolved"). Ids only, never a value.
victims = Table(
    "victims",
    metadata,
    Column("entity_id", String(160), primary_key=True),
    Column("basis", String(16), nullable=False),
    Column("since", DateTime, nullable=False),
)

# Resolution. Judgements are the record of who decided that two entities are (or are not)
# the same, and why: append-only; the latest judgement on a pair is in force, and an undo
# is a new row. Clusters and candidate pairs are derived from them and from the engine,
# and are rewritten by each resolution run.
judgements = Table(
    "judgements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("left_id", String(160), nullable=False),  # left_id < right_id
    Column("right_id", String(160), nullable=False),
    # positive, negative, unsure, or undo (withdraws the pair's previous judgement)
    Column("judgement", String(8), nullable=False),
    Column("user", String(128), nullable=False),  # a person, or unweave:engine / unweave:rule
    Column("reason", Text, nullable=False),
    Column("score", Float),
    Column("created_at", DateTime, nullable=False),
    Index("ix_judgements_pair", "left_id", "right_id"),
    Index("ix_judgements_right", "right_id"),
)

resolution_runs = Table(
    "resolution_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("engine", String(16), nullable=False),
    Column("mode", String(16), nullable=False),  # full or incremental
    Column("threshold", Float, nullable=False),
    Column("records", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("linked", Integer, nullable=False),
    Column("review", Integer, nullable=False),
    Column("model", Text),  # the trained Splink model (JSON), reused by incremental runs
    Column("started_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
)

# The records a run has seen, with a fingerprint of what it compared: an incremental run
# resolves only records that are new or changed since.
resolution_records = Table(
    "resolution_records",
    metadata,
    Column("entity_id", String(160), primary_key=True),
    Column("fingerprint", String(40), nullable=False),
    Column("run_id", Integer, ForeignKey("resolution_runs.id"), nullable=False),
)

# Candidate pairs of the latest runs, with the engine's explanation (the review queue).
match_candidates = Table(
    "match_candidates",
    metadata,
    Column("left_id", String(160), primary_key=True),
    Column("right_id", String(160), primary_key=True),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("decision", String(16), nullable=False),  # identifier, match, review
    Column("reason", Text, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON: [{feature, level, weight}]
    Column("run_id", Integer, ForeignKey("resolution_runs.id"), nullable=False),
    Index("ix_match_candidates_decision", "decision"),
)

# Which canonical entity each resolved record belongs to (records alone are not listed).
clusters = Table(
    "clusters",
    metadata,
    Column("entity_id", String(160), primary_key=True),
    Column("canonical_id", String(160), nullable=False),
    Index("ix_clusters_canonical", "canonical_id"),
)

# The audit trail: append-only, each entry holding the hash of the one before, so that an
# entry altered, deleted, inserted or moved is found by `unweave audit verify`.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False),
    Column("user", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity_id", String(160)),
    Column("case_id", String(64)),  # the purpose of an access made for a case
    Column("detail", Text, nullable=False),  # JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_user", "user"),
    Index("ix_audit_entity", "entity_id"),
)

# The head of the chain, one row: appends lock it, so entries are written one at a time.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# Identity: users of an agency with a role; API tokens for scripts (only their hash kept).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("agency_id", Integer, ForeignKey("agencies.id"), nullable=False),
    Column("role", String(32), nullable=False),
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 of the token
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
)

# Cases and sharing. A case has an owning agency and member agencies and users; an agency
# shares a dataset (whole) or chosen entities of it into a case. A share is withdrawn by
# setting revoked_at, never by deleting the row: who was allowed to see what, and when,
# stays on record for the data-protection officer.
cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(64), nullable=False, unique=True),  # e.g. JIT-2026-01
    Column("title", Text, nullable=False),
    Column("owner_agency_id", Integer, ForeignKey("agencies.id"), nullable=False),
    Column("status", String(16), nullable=False),  # active or closed
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

case_agencies = Table(
    "case_agencies",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True),
    Column("agency_id", Integer, ForeignKey("agencies.id"), primary_key=True),
    Column("added_by", String(128), nullable=False),
    Column("added_at", DateTime, nullable=False),
)

case_members = Table(
    "case_members",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("added_by", String(128), nullable=False),
    Column("added_at", DateTime, nullable=False),
)

case_shares = Table(
    "case_shares",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("entity_id", String(160)),  # None: the whole dataset
    # The agency that shared it: the dataset's owner, or a recipient passing on what it
    # received (then H2 statements are never part of the share).
    Column("shared_by_agency_id", Integer, ForeignKey("agencies.id"), nullable=False),
    Column("shared_by", String(128), nullable=False),
    # The owner's consent to use the shared H1 facts in judicial proceedings.
    Column("judicial_consent", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("revoked_by", String(128)),
    Index("ix_case_shares_case", "case_id"),
    Index("ix_case_shares_dataset", "dataset_id"),
)

# Hit/no-hit linkage. An index built by this node: its entries' opaque references map back
# to entities only here (``linkage_refs``); the partner sees references, never entity ids.
linkage_indexes = Table(
    "linkage_indexes",
    metadata,
    Column("id", String(32), primary_key=True),  # random, in the index file's header
    Column("agency_id", Integer, ForeignKey("agencies.id"), nullable=False),
    Column("datasets", Text, nullable=False),  # JSON list of dataset names
    Column("entries", Integer, nullable=False),  # real entries (padding not counted)
    Column("padding", Integer, nullable=False),
    Column("built_by", String(128), nullable=False),
    Column("built_at", DateTime, nullable=False),
)

# Public keys (Ed25519, base64) of the agencies whose signed indexes this node accepts,
# its own included; a revoked key verifies nothing more.
linkage_agency_keys = Table(
    "linkage_agency_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency", String(32), nullable=False),
    Column("public_key", String(64), nullable=False, unique=True),
    Column("registered_by", String(128), nullable=False),
    Column("registered_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("revoked_by", String(128)),
)

linkage_refs = Table(
    "linkage_refs",
    metadata,
    Column("ref", String(24), primary_key=True),
    Column("index_id", String(32), ForeignKey("linkage_indexes.id"), nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("entity_id", String(160), nullable=False),
    Index("ix_linkage_refs_index", "index_id"),
    Index("ix_linkage_refs_entity", "entity_id"),
)

# Notifications to users (hits on the agency's references, requests, deconfliction
# alerts); the message never holds personal data, only references, agencies and cases.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("kind", String(32), nullable=False),  # hit, request, answer, deconfliction
    Column("ref", String(24)),
    Column("partner", String(128)),  # the other side: agency code and contact
    Column("case_reference", String(64)),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("read_at", DateTime),
    Index("ix_notifications_user", "user_id"),
)

# A partner's request for information about a reference that hit, and the owner's answer:
# entities shared into a case, or declined. The answer is stamped, never erased.
linkage_requests = Table(
    "linkage_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(24), ForeignKey("linkage_refs.ref"), nullable=False),
    Column("requester", String(128), nullable=False),
    Column("case_reference", String(64)),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("status", String(16), nullable=False),  # open, shared, declined
    Column("answered_by", String(128)),
    Column("answered_at", DateTime),
    Column("answer_note", Text),
)

# Sessions of the web interface: the browser holds a random token in a cookie, the store
# only its SHA-256. Logging out (or expiry) ends a session for good; the CSRF token of the
# session's forms is kept beside it.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
)

# Relationships point at an entity by its id (an Associate's person, a Payment's payer):
# the entity page finds what points at an entity through this index.
ENTITY_REFERENCES_SQL = "prop_type = 'entity'"
Index(
    "ix_statements_reference",
    statements.c.value,
    sqlite_where=text(ENTITY_REFERENCES_SQL),
    postgresql_where=text(ENTITY_REFERENCES_SQL),
)
