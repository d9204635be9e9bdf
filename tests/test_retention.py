"""Retention: an expired dataset is purged with nothing left behind, unless under hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from tests.helpers import load_manifest_into
from unweave.resolve.run import resolve_store
from unweave.retention import apply, set_hold
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope
from unweave.store.search import search
from unweave.store.tables import (
    clusters,
    datasets,
    ingest_runs,
    judgements,
    match_candidates,
    resolution_records,
    search_terms,
    statements,
)


def _count(store: Store, table, *where) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0
        )


def test_purge_leaves_nothing_behind(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")  # it_border expires 2031-12-31
    resolve_store(store, incremental=False)
    border = StoreView(store, Scope.everything())
    border_people = {f.entity_id for f in border.iter_facts() if f.dataset == "it_border"}
    assert _count(store, judgements) > 0
    assert search(border, "A07654321")
    purges, held = apply(store, date(2032, 1, 1), "dpo")
    assert [p.dataset for p in purges] == ["it_border"] and held == []
    assert purges[0].statements > 0 and purges[0].entities_gone == len(border_people)
    assert _count(store, datasets, datasets.c.name == "it_border") == 0
    assert _count(store, statements, statements.c.entity_id.in_(border_people)) == 0
    assert _count(store, search_terms, search_terms.c.entity_id.in_(border_people)) == 0
    if store.is_sqlite:
        with store.engine.connect() as conn:
            conn.execute(text("INSERT INTO search_fts(search_fts) VALUES('integrity-check')"))
            rows = conn.execute(text("SELECT count(*) FROM search_fts")).scalar()
        assert rows == _count(store, search_terms)
    for column in (judgements.c.left_id, judgements.c.right_id):
        assert _count(store, judgements, column.in_(border_people)) == 0
    assert _count(store, match_candidates, match_candidates.c.left_id.in_(border_people)) == 0
    assert _count(store, match_candidates, match_candidates.c.right_id.in_(border_people)) == 0
    assert _count(store, clusters, clusters.c.entity_id.in_(border_people)) == 0
    assert (
        _count(store, resolution_records, resolution_records.c.entity_id.in_(border_people)) == 0
    )
    assert _count(store, ingest_runs, ingest_runs.c.file.like("%border.csv")) == 0
    assert search(StoreView(store, Scope.everything()), "A07654321") == []
    entry = audit.query(store, action="purge")[0]
    assert '"dataset": "it_border"' in entry.detail and entry.user == "dpo"
    assert audit.verify(store) == []
    # every surviving cluster still has at least two records with statements
    with store.engine.connect() as conn:
        sizes = conn.execute(
            select(clusters.c.canonical_id, func.count()).group_by(clusters.c.canonical_id)
        ).all()
    assert all(n >= 2 for _, n in sizes)


def test_legal_hold_keeps_an_expired_dataset(store: Store, examples: Path) -> None:
    load_manifest_into(store, examples / "manifest.yaml")
    set_hold(store, "it_border", True, "dpo")
    before = _count(store, statements)
    purges, held = apply(store, date(2032, 1, 1), "dpo")
    assert purges == [] and held == ["it_border"]
    assert _count(store, statements) == before
    set_hold(store, "it_border", False, "dpo")
    assert [p.dataset for p in apply(store, date(2032, 1, 1), "dpo", dry_run=True)[0]] == [
        "it_border"
    ]
    assert _count(store, statements) == before  # a dry run changes nothing
    assert [p.dataset for p in apply(store, date(2031, 12, 31), "dpo")[0]] == []  # not yet
