"""Border crossings as evidence: a crossing back the other way within about a month.

The comparison (compare/travel.py) and the keys the SQL level overlaps, the crossings a
record takes from Trip entities, what decide() makes of a crossing back where something
else contradicts, and the engine on DuckDB: a trip out and home under one name links; a
crossing home that fits a father and his son of one name is left for a person to judge.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from unweave.model import model as ftm
from unweave.resolve import model
from unweave.resolve.compare.travel import compare_crossings, leg_keys, return_keys, route
from unweave.resolve.engine import (
    COMPARISONS,
    CROSSING_NOT_COUNTED,
    MATCH,
    REVIEW,
    TORN,
    EngineConfig,
    ResolutionEngine,
    decide,
)
from unweave.resolve.records import records_from_entities

from .conftest import background, person, travellers


def _meet(a: str, b: str) -> bool:
    return bool(set(return_keys([a])) & set(leg_keys([b])))


def test_a_crossing_back_within_a_month_meets_and_later_ones_do_not() -> None:
    out = date(2024, 3, 2)
    for days in range(0, 60):
        back = f"{out + timedelta(days=days)} tn>gb"
        met = _meet(f"{out} gb>tn", back)
        assert met == _meet(back, f"{out} gb>tn")  # either record may be the left one
        if days <= 30:
            assert met, days
        if days >= 40:
            assert not met, days
    # The same way twice, or another pair of countries, is no crossing back.
    assert not _meet("2024-03-02 gb>tn", "2024-03-10 gb>tn")
    assert not _meet("2024-03-02 gb>tn", "2024-03-10 tn>it")


def test_the_route_key_is_the_same_out_and_home() -> None:
    assert route(["2024-03-02 gb>tn"]) == route(["2024-03-20 tn>gb"]) == "gb|tn"
    assert route(["not a day gb>tn", "2024-03-20 tn>gb"]) == "gb|tn"
    assert route([]) is None


def test_compare_crossings_says_which_crossings_and_how_far_apart() -> None:
    found = compare_crossings(["2023-01-05 it>al", "2024-03-02 gb>tn"], ["2024-03-20 tn>gb"])
    assert found.level == "likely" and "18 days apart" in found.reason
    assert "2024-03-02 gb>tn" in found.reason and "2024-03-20 tn>gb" in found.reason
    later = compare_crossings(["2024-03-02 gb>tn"], ["2024-06-20 tn>gb"])
    assert later.level == "weak" and later.score < 0.5
    assert compare_crossings([], ["2024-06-20 tn>gb"]).level == "missing"


def _make(schema: str, eid: str, **props: Any) -> Any:
    entity = ftm.make_entity(schema)
    entity.id = eid
    for prop, values in props.items():
        entity.add(prop, values)
    return entity


def test_records_take_their_crossings_from_trips() -> None:
    entities = [
        _make("Person", "p1", name="Karim Haddad"),
        _make("Address", "gb", full="GB", country="gb"),
        _make("Address", "tn", full="TN", country="tn"),
        _make("Trip", "t2", involved="p1", startDate="2024-03-20", startLocation="tn",
              endLocation="gb"),
        _make("Trip", "t1", involved="p1", startDate="2024-03-02", startLocation="gb",
              endLocation="tn"),
        # No day, or a place without a country: not a crossing that can be compared.
        _make("Trip", "t3", involved="p1", startLocation="gb", endLocation="tn"),
        _make("Address", "x", full="somewhere"),
        _make("Trip", "t4", involved="p1", startDate="2024-05-01", startLocation="x",
              endLocation="gb"),
    ]  # fmt: skip
    (record,) = records_from_entities(entities)
    assert record.crossings == ["2024-03-02 gb>tn", "2024-03-20 tn>gb"]


def _pair(probability: float, weight: float, **levels: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"unique_id_l": levels.pop("left", "a"),
                           "unique_id_r": levels.pop("right", "b")}  # fmt: skip
    row |= {"match_probability": probability, "match_weight": weight}
    for name in COMPARISONS:
        row[f"{name}_level"] = levels.get(name)
        row[f"mw_{name}"] = levels.get(f"mw_{name}", 0.0)
    return row


def test_a_crossing_back_is_not_counted_against_a_contradiction() -> None:
    same, back = model.NAME_SAME[0], model.CROSSED_BACK
    # Two passports of one name, one crossing out and the other home: without the trip's
    # +6 the pair is worth +2 (probability 0.8), under the threshold: review.
    pair = _pair(0.996, 8.0, name=same, travel=back, mw_travel=6.0,
                 document="different document numbers")  # fmt: skip
    decided = decide(pd.DataFrame([pair]), EngineConfig())
    assert list(decided["decision"]) == [REVIEW]
    assert decided["travel_level"][0] == CROSSING_NOT_COUNTED
    assert decided["mw_travel"][0] == 0.0
    assert decided["match_probability"][0] == pytest.approx(0.8)
    # Nothing contradicting: the same pair is a match.
    clean = _pair(0.996, 8.0, name=same, travel=back, mw_travel=6.0)
    assert list(decide(pd.DataFrame([clean]), EngineConfig())["decision"]) == [MATCH]


def test_a_record_crossing_back_with_two_people_held_apart_goes_to_review() -> None:
    same, back = model.NAME_SAME[0], model.CROSSED_BACK
    father = _pair(0.99, 7.0, left="home", right="father", name=same, travel=back,
                   mw_travel=6.0)  # fmt: skip
    son = _pair(0.99, 7.0, left="home", right="son", name=same, travel=back, mw_travel=6.0)
    apart = _pair(0.02, -5.0, left="father", right="son", name=same,
                  birth_date=model.DOB_DIFFERENT[1])  # fmt: skip
    decided = decide(pd.DataFrame([father, son, apart]), EngineConfig())
    by = {(a, b): (d, r) for a, b, d, r in decided[["left_id", "right_id", "decision", "reason"]]
          .itertuples(index=False)}  # fmt: skip
    assert by[("home", "father")] == (REVIEW, TORN)
    assert by[("home", "son")] == (REVIEW, TORN)
    # A pair the database dropped under its floor is held apart too.
    decided = decide(pd.DataFrame([father, son]), EngineConfig())
    assert list(decided["decision"]) == [REVIEW, REVIEW]
    # Two records of one name that nothing tells apart: each crossing back is a match.
    unsure = _pair(0.3, -1.0, left="father", right="son", name=same)
    decided = decide(pd.DataFrame([father, son, unsure]), EngineConfig())
    assert list(decided["decision"]) == [MATCH, MATCH, REVIEW]


@pytest.fixture(scope="module")
def decisions() -> dict[frozenset[str], tuple[str, str, str]]:
    records = background(300) + travellers() + [
        person("tr-1", "gb", "Karim Haddad", crossings=["2024-03-02 gb>tn"]),
        person("tr-2", "gb", "HADDAD Karim", crossings=["2024-03-20 tn>gb"]),
        person("tr-3", "gb", "Karim Haddad", crossings=["2024-07-02 gb>tn"]),
        # A typo, no birth date on one side: met by the name's skeleton and the route.
        person("ly-1", "ly", "Khadija Tarhuni", "1956-07-09", crossings=["2023-05-11 ly>ma"]),
        person("ly-2", "ly", "Khadiaj Tarhuni", crossings=["2023-06-06 ma>ly"]),
        # A father and his son, both Ivan Kravchenko, left in the same weeks; one of them
        # came home, on a record with a name only.
        person("fs-father", "de", "Ivan Kravchenko", "1953-04-08",
               crossings=["2024-04-20 de>ua"]),
        person("fs-son", "de", "KRAVCHENKO Ivan", "1961-09-13", crossings=["2024-04-10 de>ua"]),
        person("fs-home", "de", "Ivan Kravchenko", crossings=["2024-04-28 ua>de"]),
    ]  # fmt: skip
    pairs = ResolutionEngine("duckdb", EngineConfig()).resolve(records).pairs
    return {
        frozenset((a, b)): (d, r, t)
        for a, b, d, r, t in pairs[["left_id", "right_id", "decision", "reason", "travel_level"]]
        .itertuples(index=False)
    }  # fmt: skip


def test_a_trip_out_and_home_under_one_name_links(decisions) -> None:
    assert decisions[frozenset(("tr-1", "tr-2"))][0] == MATCH
    assert decisions[frozenset(("ly-1", "ly-2"))][0] == MATCH
    found = sum(decisions.get(frozenset((f"tv{i}-out", f"tv{i}-home")), ("",))[0] == MATCH
                for i in range(150))  # fmt: skip
    assert found >= 140


def test_a_trip_months_later_or_a_trip_two_people_made_does_not(decisions) -> None:
    later = decisions[frozenset(("tr-1", "tr-3"))]
    assert later[0] == REVIEW and "nothing else to compare" in later[1]
    for who in ("fs-father", "fs-son"):
        assert decisions[frozenset(("fs-home", who))][:2] == (REVIEW, TORN)
    assert decisions.get(frozenset(("fs-father", "fs-son")), ("",))[0] != MATCH
