"""The migrations build exactly the tables the code declares, and can be undone."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from unweave.store.db import Store
from unweave.store.tables import metadata

# The search index is dialect-specific DDL (FTS5 tables, GIN indexes), made by the migration
# and not declared as tables.
SEARCH_DDL = {"ix_search_terms_fts", "ix_search_terms_ident_trgm"}


def _is_search_ddl(item: tuple) -> bool:
    kind, obj = item[0], item[1]
    name = getattr(obj, "name", "") or ""
    return (kind == "remove_table" and name.startswith("search_fts")) or (
        kind == "remove_index" and name in SEARCH_DDL
    )


def test_migrated_schema_matches_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if not _is_search_ddl(d)] == []
    assert any(_is_search_ddl(d) for d in diff)  # and the search index is there


def test_downgrade_to_base_and_up_again(store: Store) -> None:
    config = store._alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert "statements" not in inspect(store.engine).get_table_names()
    store.migrate()
    assert store.current_revision() == store.head_revision()
    assert "statements" in inspect(store.engine).get_table_names()
