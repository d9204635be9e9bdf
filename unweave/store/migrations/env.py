"""Alembic environment: Unweave runs migrations from code (unweave.store.db.migrate)."""

from alembic import context

from unweave.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
