"""Cases and sharing: who may share what, H2 never passed on, withdrawal, closing, purpose,
judicial use (H1) and H3 restrictions shown with the data. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json

import pytest

from tests.access.conftest import H1_NOTE, H2_NOTE, H3_TEXT, World
from unweave.access import cases
from unweave.access.scopes import scope_for
from unweave.errors import Forbidden, NotFound
from unweave.export.ftm import export_entities
from unweave.store import audit
from unweave.store.reader import StoreView
from unweave.store.search import search


def _view(world: World, who: str, **kwargs) -> StoreView:  # type: ignore[no-untyped-def]
    return StoreView(world.store, scope_for(world.store, getattr(world, who), **kwargs))


def _notes(view: StoreView, entity_id: str) -> dict[str, str]:
    facts = view.facts(view.members(entity_id))
    return {f.value: f.handling for f in facts if f.prop == "notes"}


def test_passed_on_share_never_carries_h2(fresh_world: World) -> None:
    w = fresh_world
    with pytest.raises(NotFound):
        _view(w, "de_analyst").entity("it-1")
    shares = cases.share_entities(w.store, "GB-2", ["gb-1"], w.gb_coord)
    assert {s.passed_on for s in shares} == {False, True}  # gb-1 is GB's, it-1 Italy's
    assert sum(cases.count_withheld(w.store, s) for s in shares) == 1
    german = _view(w, "de_analyst")
    assert set(german.members("gb-1")) == {"gb-1", "it-1"}
    assert _notes(german, "gb-1") == {H1_NOTE: "H1"}  # H1 may travel on; H2 never
    assert not any(H2_NOTE in json.dumps(h.caption) for h in search(german, "Ibrahim"))


def test_an_entity_seen_only_under_h2_cannot_be_passed_on(fresh_world: World) -> None:
    w = fresh_world
    cases.share_entities(w.store, "JIT-1", ["it-9"], w.it_coord)  # the owner may share H2
    assert _view(w, "gb_analyst").entity("it-9")
    with pytest.raises(Forbidden, match="H2"):
        cases.share_entities(w.store, "GB-2", ["it-9"], w.gb_coord)
    with pytest.raises(NotFound):
        _view(w, "de_analyst").entity("it-9")


def test_a_recipient_cannot_share_a_dataset_or_consent_for_the_owner(fresh_world: World) -> None:
    w = fresh_world
    with pytest.raises(Forbidden):
        cases.share_dataset(w.store, "GB-2", "it_arrests", w.gb_coord)
    with pytest.raises(Forbidden, match="consent"):
        cases.share_entities(w.store, "GB-2", ["it-1"], w.gb_coord, judicial_consent=True)


def test_only_coordinators_of_member_agencies_share(fresh_world: World) -> None:
    w = fresh_world
    with pytest.raises(Forbidden):
        cases.share_entities(w.store, "JIT-1", ["it-2"], w.it_analyst)
    with pytest.raises(NotFound):  # Germany is not a member of JIT-1: no such case for it
        cases.share_entities(w.store, "JIT-1", ["gb-1"], w.de_coord)
    with pytest.raises(NotFound):  # nor may it learn the case exists
        cases.get_case(w.store, "JIT-1", w.de_analyst)
    # An agency adds its own users, not another's; whether the name exists is not told.
    with pytest.raises(NotFound) as other_agency:
        cases.add_member(w.store, "JIT-1", "gb_outsider", w.it_coord)
    with pytest.raises(NotFound) as unknown:
        cases.add_member(w.store, "JIT-1", "nobody_at_all", w.it_coord)
    assert str(other_agency.value).replace("gb_outsider", "X") == str(unknown.value).replace(
        "nobody_at_all", "X"
    )
    # Germany, a member of GB-2 but not its owner, removes only its own users.
    with pytest.raises(NotFound, match="that you may add or remove"):
        cases.remove_member(w.store, "GB-2", "gb_analyst", w.de_coord)
    assert (
        "de_analyst" not in cases.remove_member(w.store, "GB-2", "de_analyst", w.gb_coord).members
    )


def test_withdrawing_a_share_closes_it_and_what_was_passed_on(fresh_world: World) -> None:
    w = fresh_world
    cases.share_entities(w.store, "GB-2", ["it-1"], w.gb_coord)
    assert _view(w, "de_analyst").entity("it-1")
    for share in cases.list_shares(w.store, "JIT-1", w.it_coord):
        if share.entity_id == "it-1":
            cases.revoke_share(w.store, "JIT-1", share.id, w.it_coord)
    for who in ("gb_analyst", "de_analyst"):
        with pytest.raises(NotFound):
            _view(w, who).entity("it-1")
    withdrawn = [s for s in cases.list_shares(w.store, "JIT-1", w.it_coord) if s.revoked_at]
    assert withdrawn and all(s.entity_id == "it-1" for s in withdrawn)  # kept on record
    with pytest.raises(NotFound):  # only the sharing agency withdraws its shares
        cases.revoke_share(w.store, "GB-2", withdrawn[0].id, w.gb_coord)


def test_a_closed_case_opens_nothing(fresh_world: World) -> None:
    w = fresh_world
    assert _view(w, "gb_analyst").entity("it-3")
    with pytest.raises(Forbidden):
        cases.set_status(w.store, "JIT-1", "closed", w.gb_coord)  # not the owner
    cases.set_status(w.store, "JIT-1", "closed", w.it_coord)
    with pytest.raises(NotFound):
        _view(w, "gb_analyst").entity("it-3")
    with pytest.raises(Forbidden):
        cases.share_entities(w.store, "JIT-1", ["it-2"], w.it_coord)


def test_working_for_a_case_sees_only_that_case(fresh_world: World) -> None:
    w = fresh_world
    assert _view(w, "gb_analyst", case="JIT-1").entity("it-1")
    cases.add_member(w.store, "GB-2", "gb_analyst", w.gb_coord)
    for_gb2 = _view(w, "gb_analyst", case="GB-2")
    assert for_gb2.scope.purpose == "GB-2"
    assert set(for_gb2.members("gb-1")) == {"gb-1"}  # it-1 came through JIT-1 only
    with pytest.raises(NotFound):
        scope_for(w.store, w.gb_outsider, case="JIT-1")  # not a member: as if unknown


def test_judicial_use_needs_the_owners_consent_for_h1(fresh_world: World) -> None:
    w = fresh_world
    judicial = _view(w, "gb_analyst", judicial=True)
    assert _notes(judicial, "gb-1") == {}  # H1 and H2 of Italy's left out
    assert {f.dataset for f in judicial.facts(judicial.members("gb-1"))} >= {"it_arrests"}
    cases.share_entities(w.store, "JIT-1", ["it-1"], w.it_coord, judicial_consent=True)
    judicial = _view(w, "gb_analyst", judicial=True)
    assert _notes(judicial, "gb-1") == {H1_NOTE: "H1", H2_NOTE: "H2"}
    own = _view(w, "it_analyst", judicial=True)  # an agency's own data is always its own
    assert _notes(own, "it-1") == {H1_NOTE: "H1", H2_NOTE: "H2"}


def test_h3_restriction_is_shown_with_the_data(fresh_world: World) -> None:
    view = _view(fresh_world, "gb_analyst")
    facts = view.facts(["it-3"])
    assert facts and {(f.handling, f.conditions) for f in facts} == {("H3", H3_TEXT)}
    hit = next(h for h in search(view, "Rossi") if h.entity_id == "it-3")
    assert H3_TEXT in hit.codes
    out = io.StringIO()
    export_entities(view, out)
    exported = [json.loads(line) for line in out.getvalue().splitlines()]
    assert next(e for e in exported if e["id"] == "it-3")["handling_conditions"] == [H3_TEXT]


def test_every_case_change_and_share_is_audited_with_its_case(fresh_world: World) -> None:
    entries = [e for e in audit.query(fresh_world.store, case_id="JIT-1")]
    actions = [(e.action, e.user) for e in entries]
    assert ("case", "it_coord") in actions and ("share", "it_coord") in actions
    assert ("case", "gb_coord") in actions  # gb_coord added the UK's members
    assert all(e.case_id == "JIT-1" for e in entries)
    assert audit.verify(fresh_world.store) == []


def test_what_a_partner_passed_on_goes_no_further(fresh_world: World) -> None:
    w = fresh_world
    cases.share_entities(w.store, "GB-2", ["it-1"], w.gb_coord)  # passed on, without H2
    cases.add_member(w.store, "GB-2", "de_coord", w.de_coord)
    assert _view(w, "de_coord").entity("it-1")
    cases.create_case(w.store, "DE-3", "Germany alone", w.de_coord)
    # Germany received gb-1 from its owner (the UK) and it-1 from the UK, not from Italy:
    # passing the merged entity on shares the UK's record only.
    shares = cases.share_entities(w.store, "DE-3", ["it-1"], w.de_coord)
    assert {(s.entity_id, s.owner) for s in shares} == {("gb-1", "GB-NCA")}
    for share in cases.list_shares(w.store, "GB-2", w.gb_coord):
        if share.owner == "GB-NCA":
            cases.revoke_share(w.store, "GB-2", share.id, w.gb_coord)
    with pytest.raises(Forbidden, match="goes no further"):
        cases.share_entities(w.store, "DE-3", ["it-1"], w.de_coord)
