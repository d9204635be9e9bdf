"""Adversarial, second pass: oracles a reader could use to learn of records they cannot see.

Each test is a way found by review in which a UK reader could learn something of Italy's
unshared records (tests/access/conftest.py): a merged entity's id computed from all its
records, hostile entity ids in the scope condition of search, and the like.
"""

from __future__ import annotations

from tests.access.conftest import World
from unweave.access.scopes import scope_for
from unweave.resolve.clusters import new_canonical_id, rebuild
from unweave.resolve.judgements import POSITIVE, judge
from unweave.store.reader import StoreView
from unweave.store.scope import Scope


def _view(world: World, who: str) -> StoreView:
    return StoreView(world.store, scope_for(world.store, getattr(world, who)))


def test_a_merged_entity_id_does_not_tell_of_unseen_members(fresh_world: World) -> None:
    w = fresh_world
    # gb-2 and gb-3 are now judged the same directly: the UK sees them as one entity,
    # of a cluster that also holds the Italian it-bridge.
    judge(w.store, "gb-2", "gb-3", POSITIVE, "tester", "same person")
    with w.store.engine.begin() as conn:
        rebuild(conn)
    full = StoreView(w.store, Scope.everything()).facts(["gb-2"])[0].canonical_id
    assert full == new_canonical_id({"gb-2", "gb-3", "it-bridge"})
    for who in ("gb_analyst", "gb_outsider"):
        view = _view(w, who)
        assert view.members("gb-2") == ["gb-2", "gb-3"]
        shown = {f.canonical_id for f in view.facts(view.members("gb-2"))}
        # The cluster's id is a hash of all its members: shown to the UK it would let them
        # test guesses of Italy's record ids (and tell that the cluster holds more).
        assert shown != {full}
        assert shown <= {"gb-2", "gb-3", new_canonical_id({"gb-2", "gb-3"})}
        seen = view.canonical_ids()
        assert {seen["gb-2"], seen["gb-3"]} == shown and full not in seen.values()
        entity = view.entity(shown.pop())
        assert entity.id != full


def _candidates(world: World, pairs: list[tuple[str, str, float]]) -> None:
    from datetime import datetime

    from unweave.store.tables import match_candidates, resolution_runs

    with world.store.engine.begin() as conn:
        run = conn.execute(
            resolution_runs.insert().values(
                engine="test",
                mode="full",
                threshold=0.9,
                records=0,
                pairs=0,
                linked=0,
                review=len(pairs),
                started_at=datetime(2026, 12, 1),
            )
        ).inserted_primary_key[0]
        for a, b, p in pairs:
            conn.execute(
                match_candidates.insert().values(
                    left_id=a,
                    right_id=b,
                    probability=p,
                    weight=0.0,
                    decision="review",
                    reason="name",
                    evidence="[]",
                    run_id=run,
                )
            )


def test_review_queue_does_not_tell_of_joins_through_unseen_records(fresh_world: World) -> None:
    from unweave.resolve.review import queue

    w = fresh_world
    # gb-2 and gb-3 are joined only through Italy's it-bridge; gb-1 through it-1 (shared
    # with gb_analyst, not with gb_outsider).
    _candidates(w, [("gb-2", "gb-3", 0.5), ("gb-1", "gb-2", 0.5)])
    assert [(c.left_id, c.right_id) for c in queue(w.store)] == [("gb-1", "gb-2")]
    outsider = queue(w.store, view=_view(w, "gb_outsider"))
    # For the UK the two are apart: the pair is theirs to judge, and absent it would tell
    # that something they cannot see already joins them.
    assert {(c.left_id, c.right_id) for c in outsider} == {("gb-2", "gb-3"), ("gb-1", "gb-2")}
    # Every UK record is alone for the outsider: every pair is worth the same to them.
    assert len({c.value for c in outsider}) == 1


HOSTILE_IDS = ["q'1", "c:olon", "b\\:ack", "p%ct", "x') OR 1=1 OR ('", 'd"q', "w::x", "e\\"]


def test_search_scope_holds_with_hostile_entity_ids(fresh_world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.access.conftest import SECRETS, _entity, _load
    from unweave.access import cases
    from unweave.store.search import search

    w = fresh_world
    names = [
        f"Hostile {w}"
        for w in (
            "ALFANO",
            "BRAVETTI",
            "CORTESE",
            "DURANTE",
            "EMANUELLI",
            "FOSCARI",
            "GALLO",
            "IACONO",
        )
    ]
    lines = [_entity(e, "Person", name=[n]) for e, n in zip(HOSTILE_IDS, names, strict=True)]
    _load(w.store, tmp_path, "hostile.json", "it_arrests", lines)
    cases.share_entities(w.store, "JIT-1", HOSTILE_IDS, w.it_coord)
    view = _view(w, "gb_analyst")
    for eid, name in zip(HOSTILE_IDS, names, strict=True):
        assert [h.entity_id for h in search(view, name)] == [eid], eid
        assert view.entity(eid).id == eid
    for secret in SECRETS.values():  # the scope condition still holds
        assert search(view, secret) == []
    assert search(_view(w, "gb_outsider"), "Hostile") == []
