"""Judgements are append-only; positives join transitively; negatives keep people apart;
canonical ids survive re-runs; undo is a new row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from unweave.errors import ConfigError
from unweave.resolve import clusters as clustering
from unweave.resolve.judgements import (
    NEGATIVE,
    POSITIVE,
    UNDO,
    UNSURE,
    history,
    in_force,
    judge,
)
from unweave.store.db import Store
from unweave.store.tables import clusters, judgements


def _rebuild(store: Store) -> dict[str, str]:
    with store.engine.begin() as conn:
        mapping, _ = clustering.rebuild(conn)
    return mapping


def test_positive_judgements_are_transitive(store: Store) -> None:
    judge(store, "a", "b", POSITIVE, "anna", "same passport")
    judge(store, "c", "b", POSITIVE, "anna", "same phone and birth date")
    mapping = _rebuild(store)
    assert mapping["a"] == mapping["b"] == mapping["c"]
    assert mapping["a"].startswith("uw-")


def test_negative_judgement_keeps_clusters_apart(store: Store) -> None:
    judge(store, "a", "b", POSITIVE, "anna", "same passport")
    judge(store, "c", "d", POSITIVE, "anna", "same passport")
    judge(store, "a", "d", NEGATIVE, "ben", "brothers: other birth dates")
    judge(store, "b", "c", POSITIVE, "unweave:engine", "p=0.97")
    with store.engine.begin() as conn:
        mapping, conflicts = clustering.rebuild(conn)
    assert mapping["a"] == mapping["b"] != mapping["c"] == mapping["d"]
    assert [(c.left_id, c.right_id) for c in conflicts] == [("b", "c")]


def test_undo_is_a_new_row_and_withdraws_the_judgement(store: Store) -> None:
    judge(store, "a", "b", POSITIVE, "anna", "same passport")
    assert "a" in _rebuild(store)
    judge(store, "b", "a", UNDO, "anna", "passport was a forgery")
    assert _rebuild(store) == {}
    with store.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(judgements)).scalar()
        assert rows == 2  # nothing deleted
        assert in_force(conn) == {}
        kinds = [j.judgement for j in history(conn, ["a"])]
    assert kinds == [POSITIVE, UNDO]


def test_latest_judgement_is_in_force(store: Store) -> None:
    judge(store, "a", "b", UNSURE, "anna", "photo unclear")
    judge(store, "a", "b", NEGATIVE, "ben", "fingerprints differ")
    with store.engine.connect() as conn:
        force = in_force(conn)
    assert [j.judgement for j in force.values()] == [NEGATIVE]
    assert force[("a", "b")].user == "ben"


def test_canonical_ids_are_stable_across_rebuilds(store: Store) -> None:
    judge(store, "a", "b", POSITIVE, "anna", "same passport")
    judge(store, "x", "y", POSITIVE, "anna", "same passport")
    first = _rebuild(store)
    assert _rebuild(store) == first  # same judgements, same ids
    judge(store, "b", "c", POSITIVE, "anna", "same phone")  # the cluster grows
    grown = _rebuild(store)
    assert grown["c"] == grown["a"] == first["a"]
    assert grown["x"] == first["x"]
    judge(store, "a", "b", UNDO, "anna", "mistake")  # split: {a} alone, {b, c} keeps the id
    split = _rebuild(store)
    assert "a" not in split and split["b"] == split["c"] == first["a"]


def test_judgements_need_a_user_a_reason_and_two_entities(store: Store) -> None:
    with pytest.raises(ConfigError):
        judge(store, "a", "a", POSITIVE, "anna", "same")
    with pytest.raises(ConfigError):
        judge(store, "a", "b", POSITIVE, "anna", " ")
    with pytest.raises(ConfigError):
        judge(store, "a", "b", "maybe", "anna", "x")
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(clusters)).scalar() == 0
