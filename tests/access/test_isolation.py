"""Adversarial: a reader never meets another agency's data that was not shared with them.

Every read path is probed for every reader who must not see Italy's unshared records
(tests/access/conftest.py): search and its snippets, entity views, merged entities,
membership, counts, FtM and statement exports, the clusters table, graph building and
expansion, and paths. Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from tests.access.conftest import H1_NOTE, H2_NOTE, H3_TEXT, SECRETS, World
from unweave.access.scopes import case_scope, scope_for
from unweave.analyze.investigation import analyse, write_report
from unweave.analyze.paths import shortest_paths
from unweave.errors import NotFound
from unweave.export.ftm import export_entities, export_statements
from unweave.graph.build import GraphFilter, build_network
from unweave.resolve.export import write_clusters
from unweave.store.reader import StoreView
from unweave.store.scope import Scope
from unweave.store.search import search

# Readers who must see none of Italy's unshared records: a member of the joint case, a
# colleague outside it, a partner of the UK's other case, and a data-protection officer.
OUTSIDERS = ["gb_analyst", "gb_outsider", "de_analyst", "dpo"]
SECRET_IDS = ["it-2", "it-9", "it-bridge", "it-rel"]


def _view(world: World, who: str) -> StoreView:
    user = getattr(world, who)
    return StoreView(world.store, scope_for(world.store, user))


def _dump(view: StoreView) -> str:
    out = io.StringIO()
    export_entities(view, out)
    export_statements(view, out)
    write_clusters(view, out)
    return out.getvalue()


def _leaks(text: str) -> list[str]:
    found = [v for v in SECRETS.values() if v.lower() in text.lower()]
    found += [i for i in SECRET_IDS if f'"{i}"' in text or f"{i}," in text or f",{i}" in text]
    return found


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("query", [*SECRETS.values(), "Zainab", "+39 347 123 4567", "3337654321"])
def test_search_finds_nothing_unshared(world: World, who: str, query: str) -> None:
    hits = search(_view(world, who), query)
    shown = json.dumps([[h.entity_id, h.caption, [f.value for f in h.matched]] for h in hits])
    assert not _leaks(shown), shown
    assert not any(f.dataset == "it_sources" for h in hits for f in h.matched)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("entity_id", SECRET_IDS)
def test_unshared_entity_reads_as_unknown(world: World, who: str, entity_id: str) -> None:
    view = _view(world, who)
    with pytest.raises(NotFound) as refused:
        view.entity(entity_id)
    with pytest.raises(NotFound) as unknown:
        view.entity("no-such-id")
    # The same words for "exists elsewhere" and "does not exist", but for the id itself.
    assert str(refused.value).replace(entity_id, "X") == str(unknown.value).replace(
        "no-such-id", "X"
    )
    assert view.members(entity_id) == [entity_id]
    assert view.facts([entity_id]) == []


@pytest.mark.parametrize("who", OUTSIDERS)
def test_exports_and_clusters_hold_nothing_unshared(world: World, who: str) -> None:
    assert _leaks(_dump(_view(world, who))) == []


@pytest.mark.parametrize("who", OUTSIDERS)
def test_counts_reveal_nothing_unshared(world: World, who: str) -> None:
    stats = _view(world, who).stats()
    datasets = {row["dataset"]: row for row in stats["datasets"]}
    assert "it_sources" not in datasets
    if "it_arrests" in datasets:  # only it-1 was shared from it
        assert datasets["it_arrests"]["entities"] == 1


@pytest.mark.parametrize("who", OUTSIDERS)
def test_graph_and_its_expansion_hold_nothing_unshared(world: World, who: str) -> None:
    view = _view(world, who)
    net = build_network(view)
    text = json.dumps([[net.node(i) for i in net.ids], net.edges()], default=str)
    assert _leaks(text) == []
    for node in net.ids:  # expanding any visible node reaches visible nodes only
        for edge in net.edges():
            if node in (edge.get("source"), edge.get("target")):
                assert _leaks(json.dumps(edge, default=str)) == []
    with pytest.raises(NotFound):
        shortest_paths(net, "gb-1", "it-2")


def test_merge_reveals_nothing_to_a_reader_outside_the_case(world: World) -> None:
    outsider = _view(world, "gb_outsider")
    # gb-1 is merged with the Italian it-1; a UK reader outside JIT-1 sees gb-1 alone,
    # under its own id, not under a canonical id that would say "merged with something".
    assert outsider.members("gb-1") == ["gb-1"]
    entity = outsider.entity("gb-1")
    assert entity.id == "gb-1"
    facts = outsider.facts(outsider.members("gb-1"))
    assert {f.dataset for f in facts} == {"gb_intel"} and {f.canonical_id for f in facts} == {
        "gb-1"
    }
    assert "gb-1" not in outsider.canonical_ids()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_records_joined_only_through_an_unseen_record_stay_apart(world: World, who: str) -> None:
    view = _view(world, who)
    everything = StoreView(world.store, Scope.everything())
    assert set(everything.members("gb-2")) == {"gb-2", "gb-3", "it-bridge"}
    if who in ("gb_analyst", "gb_outsider"):
        assert view.members("gb-2") == ["gb-2"] and view.members("gb-3") == ["gb-3"]
        hits = {h.entity_id for h in search(view, "Kofi")} | {
            h.entity_id for h in search(view, "Mensa")
        }
        assert {"gb-2", "gb-3"} <= hits  # two entities, not one
    canonical = view.canonical_ids()
    assert "gb-2" not in canonical and "gb-3" not in canonical


def test_member_of_the_case_sees_what_was_shared_with_its_codes(world: World) -> None:
    view = _view(world, "gb_analyst")
    assert set(view.members("gb-1")) == {"gb-1", "it-1"}
    facts = view.facts(view.members("gb-1"))
    assert {f.dataset for f in facts} == {"gb_intel", "it_arrests", "it_wiretap"}
    # Shared by the owner, the H2 fact comes with its code (to be kept, not passed on).
    notes = {f.value: f.handling for f in facts if f.prop == "notes"}
    assert notes == {H2_NOTE: "H2", H1_NOTE: "H1"}
    assert not any(f.entity_id in SECRET_IDS for f in facts)


def test_dpo_reads_no_data(world: World) -> None:
    view = _view(world, "dpo")
    assert search(view, "Ibrahim") == [] and view.stats()["datasets"] == []
    assert _dump(view).strip() == "entity_id,canonical_id"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_analysis_report_holds_nothing_unshared(world: World, who: str, tmp_path: Path) -> None:
    report = analyse(_view(world, who), GraphFilter(), 1.0)
    assert _leaks(json.dumps(dataclasses.asdict(report), default=str)) == []
    files = write_report(report, tmp_path / who)
    written = "".join(p.read_text(encoding="utf-8") for p in files if p.suffix != ".js")
    assert _leaks(written) == []


def test_a_case_report_shows_the_h3_restriction_of_its_data(world: World, tmp_path: Path) -> None:
    report = analyse(StoreView(world.store, case_scope(world.store, "JIT-1")), GraphFilter(), 1.0)
    page = write_report(report, tmp_path)[0].read_text(encoding="utf-8")
    assert H3_TEXT in page
    assert {h["dataset"] for h in report.handling} >= {"it_restricted", "it_arrests"}
    assert "gb_intel" not in {h["dataset"] for h in report.handling}  # not shared into JIT-1
