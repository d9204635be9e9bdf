"""Hits read without their facts (``search(..., facts=False)``, what the web's facets count)
carry what their facts give: the same schema, datasets, agencies, handling codes and
conditions, for every reader, with merged entities split as each reader sees them; their
facts read afterwards (``with_facts``) are the entity's, as its page shows them. Run on
SQLite and on PostgreSQL (the world of tests/access/conftest.py)."""

from __future__ import annotations

import pytest

from tests.access.conftest import SECRETS, World
from unweave.access.scopes import scope_for
from unweave.store.facts import entity_from_facts
from unweave.store.reader import StoreView
from unweave.store.search import SearchHit, search, with_facts

READERS = ["it_coord", "it_analyst", "gb_coord", "gb_analyst", "gb_outsider"]
QUERIES = [
    "Ibrahim",
    "Ahmad Ebrahim",
    "Kofi",
    "Mensa",
    "Rossi",
    "P1234567",
    "+218 91 234 5678",
    *SECRETS.values(),
]


def _shown(hit: SearchHit) -> tuple[object, ...]:
    return (hit.entity_id, hit.schema, hit.score, hit.datasets, hit.agencies, hit.handling,
            hit.conditions, hit.records, [f.id for f in hit.matched], hit.caption)  # fmt: skip


@pytest.mark.parametrize("who", READERS)
def test_hits_without_their_facts_carry_what_the_facts_give(world: World, who: str) -> None:
    view = StoreView(world.store, scope_for(world.store, getattr(world, who)))
    found = 0
    for query in QUERIES:
        whole = search(view, query, limit=60)
        light = search(view, query, limit=60, facts=False)
        assert all(not h.facts and not h.matched for h in light)
        with_facts(view, light)
        assert [_shown(h) for h in light] == [_shown(h) for h in whole], query
        for hit in whole:
            facts = hit.facts
            assert facts == view.facts(view.members(hit.entity_id)), (query, hit.entity_id)
            assert hit.schema == entity_from_facts(facts).schema.name
            assert hit.caption == entity_from_facts(facts).caption  # facts.caption_of
            assert hit.datasets == sorted({f.dataset for f in facts})
            assert hit.agencies == sorted({f.agency for f in facts})
            assert hit.handling == sorted({f.handling for f in facts})
            conditions = {f.conditions for f in facts if f.handling == "H3" and f.conditions}
            assert hit.conditions == sorted(conditions)
            assert hit.matched and {f.id for f in hit.matched} <= {f.id for f in facts}
            found += 1
    assert found  # every reader finds something of their own or shared with them


def test_a_hit_is_read_without_its_facts_only_when_asked(world: World) -> None:
    view = StoreView(world.store, scope_for(world.store, world.it_coord))
    (hit, *_) = search(view, "Ibrahim", facts=False)
    with pytest.raises(ValueError, match="not read"):
        _ = hit.caption


@pytest.mark.parametrize("who", READERS)
def test_the_scope_on_search_rows_finds_what_the_join_to_statements_finds(
    world: World, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = StoreView(world.store, scope_for(world.store, getattr(world, who)))
    on_rows = [[_shown(h) for h in search(view, q)] for q in QUERIES]
    monkeypatch.setattr(StoreView, "search_rows_sql", lambda self: None)  # join statements
    assert [[_shown(h) for h in search(view, q)] for q in QUERIES] == on_rows


def test_a_grant_withholding_codes_is_checked_on_the_statements(world: World) -> None:
    from unweave.store.scope import Grant, Scope

    withheld = Scope((Grant(1), Grant(2, withheld=frozenset({"H2"}))), reader="x")
    assert StoreView(world.store, withheld).search_rows_sql() is None
    entities = Scope((Grant(1), Grant(2, frozenset({"it-1"}))), reader="x")
    assert "st.entity_id IN ('it-1')" in (StoreView(world.store, entities).search_rows_sql() or "")


def test_a_hit_whose_facts_are_gone_by_the_second_read_is_not_shown(world: World) -> None:
    from unweave.store.scope import Scope

    view = StoreView(world.store, scope_for(world.store, world.gb_analyst))
    hits = search(view, "Ibrahim", facts=False)
    assert hits
    # as if the share were withdrawn between the summaries and the facts
    assert with_facts(StoreView(world.store, Scope(grants=())), hits) == []
    assert [h.entity_id for h in with_facts(view, hits)] == [h.entity_id for h in hits]
