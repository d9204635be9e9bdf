"""Small helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from unweave.ingest.manifest import ingest_manifest
from unweave.ingest.runner import IngestReport
from unweave.store.db import Store
from unweave.store.tables import ingest_runs, search_terms, statements


def load_manifest_into(store: Store, manifest: Path) -> list[IngestReport]:
    return ingest_manifest(store, manifest)


def counts(store: Store) -> dict[str, int]:
    """Everything a failed ingest must leave exactly as it was."""
    with store.engine.connect() as conn:
        result = {
            "statements": conn.execute(select(func.count()).select_from(statements)).scalar(),
            "search_terms": conn.execute(select(func.count()).select_from(search_terms)).scalar(),
            "runs_ok": conn.execute(
                select(func.count())
                .select_from(ingest_runs)
                .where(ingest_runs.c.status.in_(("done", "partial", "unchanged")))
            ).scalar(),
        }
        if store.is_sqlite:
            result["fts"] = conn.execute(text("SELECT count(*) FROM search_fts")).scalar()
    return {k: int(v or 0) for k, v in result.items()}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
