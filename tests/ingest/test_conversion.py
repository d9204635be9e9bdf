"""The reading side's shortcuts keep the results of the long way round."""

from __future__ import annotations

import pickle

from followthemoney import Statement

from unweave.ingest.draft import Context, EntityDraft, RowError
from unweave.ingest.rows import Chunk, RowResult
from unweave.store.writer import prepare, statement_key


def test_statement_key_is_ftms() -> None:
    for value, lang in (("+218912345678", None), ("Мельник Олег", "ukr"), ("x.y@z", None)):
        expected = Statement.make_key("ly_calls", "ly_calls-abc", "name", value, False, lang)
        assert statement_key("ly_calls", "ly_calls-abc", "name", value, lang) == expected


def test_cleaning_once_per_value_keeps_region_and_warnings() -> None:
    libya, italy = Context(region="ly"), Context(region="it")
    first = EntityDraft("Call", "c1", libya)
    again = EntityDraft("Call", "c2", libya)
    elsewhere = EntityDraft("Call", "c3", italy)
    for draft in (first, again, elsewhere):
        draft.add("callerNumber", "0912345678", field="caller")
        draft.add("receiverNumber", "12", field="callee")  # too short: kept, with a warning
    assert first.facts[0].value == again.facts[0].value == "+218912345678"
    assert elsewhere.facts[0].value == "+390912345678"  # the default region still counts
    for draft in (first, again, elsewhere):
        assert draft.facts[1].value == "12"
        assert [f for f, _ in draft.warnings] == ["callee"]  # every time, cached or not


def test_chunks_cross_processes_whole() -> None:
    good = RowResult(1, [prepare("d", "e1", "Person", "name", "name", "Ana", "ANA")])
    bad = RowResult(2, error=RowError("entity has no id", field="id"), record={"x": 1})
    warned = RowResult(3, warnings=[("phone", "kept as written")])
    back = pickle.loads(pickle.dumps(Chunk([good, bad, warned], 1234)))
    assert back.position == 1234
    assert [r.row for r in back.rows] == [1, 2, 3]
    assert back.rows[0].statements == good.statements
    assert back.rows[1].error is not None and back.rows[1].error.field == "id"
    assert back.rows[1].record == {"x": 1}
    assert back.rows[2].warnings == [("phone", "kept as written")]
