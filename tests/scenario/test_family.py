"""Nigeria's records hold the Family ties it would know; each agency has its own truth."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tests.scenario.conftest import read_csv


def _entities(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    return {e["id"]: e for e in map(json.loads, lines)}


def test_nigeria_records_the_family_ties_of_its_victims(small: tuple[Path, Any]) -> None:
    root = small[0]
    persons = {r["person_id"]: r for r in read_csv(root / "truth" / "persons.csv")}
    ties = read_csv(root / "truth" / "relatives.csv")
    assert ties, "seed 7, small: Nigerian victims returned or reported missing"
    who = {r["entity_id"]: r["person_id"] for r in read_csv(root / "truth" / "records.csv")}
    cases = _entities(root / "ng" / "cases.ftm.jsonl")
    sealed = {
        p for e in cases.values() if e["schema"] == "VictimIdentification"
        for p in e["properties"]["person"]
    }  # fmt: skip
    for tie in ties:
        victim, kin = persons[tie["person_id"]], persons[tie["relative_id"]]
        assert victim["victim"] == "1" and victim["nationality"] == "ng"
        assert kin["kind"] == "background" and kin["country"] == kin["nationality"] == "ng"
        assert kin["birth_date"] < victim["birth_date"]
        if tie["relationship"] in ("mother", "uncle"):
            assert int(kin["age"]) - int(victim["age"]) >= 17
        family = list(cases.values())[int(tie["row"]) - 1]
        assert family["schema"] == "Family" and tie["file"] == "ng/cases.ftm.jsonl"
        props = family["properties"]
        assert props["relationship"] == [tie["relationship"]]
        (record,), (relative,) = props["person"], props["relative"]
        assert who[record] == victim["person_id"] and who[relative] == kin["person_id"]
        assert record in sealed  # the victim's record is sealed at ingest
        assert cases[relative]["properties"]["address"] == [kin["address"]]
    for agency in ("it", "gb", "de", "ly"):  # only Nigeria sees the family at home
        found = _entities(root / agency / "cases.ftm.jsonl").values()
        assert not [e for e in found if e["schema"] == "Family"]


def test_truth_is_split_by_agency(small: tuple[Path, Any]) -> None:
    root = small[0]
    whole = read_csv(root / "truth" / "records.csv")
    folders = sorted(p.name for p in (root / "truth" / "agencies").iterdir())
    assert folders == sorted({r["file"].split("/")[0] for r in whole})
    parts: Counter[tuple[str, ...]] = Counter()
    for agency in folders:
        rows = read_csv(root / "truth" / "agencies" / agency / "records.csv")
        assert rows and all(r["file"].startswith(f"{agency}/") for r in rows)
        assert all(r["dataset"].startswith(f"{agency}_") for r in rows)
        parts.update(tuple(r.values()) for r in rows)
    assert parts == Counter(tuple(r.values()) for r in whole)
