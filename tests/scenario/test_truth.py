"""The ground truth is consistent, and the victims meet the published shares."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.scenario.conftest import read_csv
from unweave.scenario import organisations, victims
from unweave.scenario.config import load_config, window
from unweave.scenario.organisations import ROLES


def test_every_record_names_a_true_person(small: tuple[Path, Any]) -> None:
    root = small[0]
    persons = {r["person_id"] for r in read_csv(root / "truth" / "persons.csv")}
    records = read_csv(root / "truth" / "records.csv")
    assert len(persons) == 300
    assert records
    assert all(r["person_id"] in persons for r in records)
    rows: dict[str, int] = defaultdict(int)
    for r in records:
        rows[r["file"]] = max(rows[r["file"]], int(r["row"]))
        assert (root / r["file"]).is_file()
    for rel, last in rows.items():
        lines = (root / rel).read_text(encoding="utf-8").count("\n")
        if rel.endswith(".ftm.jsonl"):  # arrest events name no one themselves
            assert last <= lines
        else:  # every row of the other files names someone
            assert last == (lines - 1 if rel.endswith(".csv") else lines)
    travel = [r for r in records if r["file"].endswith("border.csv")]
    assert travel and all(r["record_id"] for r in travel)
    cases = [r for r in records if r["file"].endswith(".ftm.jsonl")]
    assert cases and all(r["entity_id"] for r in cases)


def test_roles_victims_and_organisations(small: tuple[Path, Any]) -> None:
    root = small[0]
    persons = read_csv(root / "truth" / "persons.csv")
    orgs = {r["organisation_id"] for r in read_csv(root / "truth" / "organisations.csv")}
    for p in persons:
        if p["kind"] == "member":
            assert p["role"] in ROLES and p["organisation"]
            assert set(p["organisation"].split(";")) <= orgs
        elif p["kind"] == "victim":
            assert p["victim"] == "1" and p["role"] == "victim"
            assert p["exploitation"] and p["means_of_control"] and p["route"]
            assert p["organisation"] in orgs
        else:
            assert p["kind"] == "background"
            assert not p["role"] and not p["organisation"] and p["victim"] == "0"
    assert any(";" in p["organisation"] for p in persons)  # a shared broker


def test_relatives_share_phone_and_address_and_namesakes_differ(
    small: tuple[Path, Any],
) -> None:
    root = small[0]
    persons = {r["person_id"]: r for r in read_csv(root / "truth" / "persons.csv")}
    households: dict[str, list[dict[str, str]]] = defaultdict(list)
    for p in persons.values():
        if p["household"]:
            households[p["household"]].append(p)
    families = [m for m in households.values() if len(m) > 1]
    assert families
    for members in families:
        assert len({m["person_id"] for m in members}) == len(members)
        assert len({m["address"] for m in members}) == 1
    shared = [r for r in read_csv(root / "truth" / "phones.csv") if r["kind"] == "household"]
    assert shared
    for phone in shared:
        users = phone["users"].split(";")
        assert len({persons[u]["household"] for u in users}) == 1
    namesakes = [p for p in persons.values() if p["namesake_of"]]
    for p in namesakes:
        model = persons[p["namesake_of"]]
        assert (p["given_name"], p["surname"]) == (model["given_name"], model["surname"])
        assert p["birth_date"] != model["birth_date"] and p["person_id"] != model["person_id"]


def test_calibration_on_a_medium_population() -> None:
    config = load_config()
    start, end = window(config)
    orgs, people = organisations.build(11, config, 12, start, end)
    found = victims.build(11, config, 600, orgs, people, start, end)
    assert len(found) == 600
    targets = config["targets"]
    shares = {
        "female_share": sum(v.sex == "female" for v in found) / len(found),
        "child_share": sum(v.victim is not None and v.age(v.victim.recruited) < 18 for v in found)
        / len(found),
        "cross_border_share": sum(v.victim is not None and not v.victim.domestic for v in found)
        / len(found),
    }
    for name, share in shares.items():
        target = targets[name]
        assert abs(share - target["value"]) <= target["tolerance"], (name, share)
    assert all(v.victim and v.victim.exploitation for v in found)
    assert all(v.victim and v.victim.controls[0].startswith("MethodsOfControl") for v in found)


def test_route_shares_average_to_the_published_targets() -> None:
    """The per-route shares in config.yaml, weighted by route, meet the targets."""
    config = load_config()
    routes = config["routes"].values()
    total = sum(r["weight"] for r in routes)
    means = {
        "female_share": sum(r["weight"] * r["female"] for r in routes) / total,
        "child_share": sum(r["weight"] * r["child"] for r in routes) / total,
        "cross_border_share": sum(r["weight"] * (1 - r["domestic"]) for r in routes) / total,
    }
    for name, mean in means.items():
        target = config["targets"][name]
        assert abs(mean - target["value"]) <= target["tolerance"] / 2, (name, mean)


def _written_names(root: Path) -> list[tuple[str, str, str]]:
    """(file, name as written, true person) of every CSV record the truth names."""
    files: dict[str, list[dict[str, str]]] = {}
    out = []
    for t in read_csv(root / "truth" / "records.csv"):
        if not t["file"].endswith(("contacts.csv", "subscribers.csv", "border.csv")):
            continue
        if t["file"] not in files:
            files[t["file"]] = read_csv(root / t["file"])
        out.append((t["file"], files[t["file"]][int(t["row"]) - 1][t["field"]], t["person_id"]))
    return out


def test_a_record_is_written_under_a_name_of_its_person(small: tuple[Path, Any]) -> None:
    """A contact saved as "Rudina Birmingham" is truth-linked to the person Rudina of
    Birmingham, whose border crossings on a forged passport read "HYSA Mirela": the truth
    is right when every record carries a name its person has (forged ones included)."""
    from unweave.scenario.evaluate import name_disagrees

    root = small[0]
    persons = {r["person_id"]: r for r in read_csv(root / "truth" / "persons.csv")}
    written = _written_names(root)
    kinds = {f.rsplit("/", 1)[-1] for f, _, _ in written}
    assert kinds == {"contacts.csv", "subscribers.csv", "border.csv"}
    wrong = [(f, n) for f, n, pid in written if name_disagrees([n], persons[pid])]
    assert wrong == []
    # The check does catch a truth that names the wrong person: shift every contact's
    # person by one row.
    contacts = [(n, pid) for f, n, pid in written if f.endswith("contacts.csv")]
    shifted = [(n, contacts[i - 1][1]) for i, (n, _) in enumerate(contacts)]
    caught = sum(1 for n, pid in shifted if name_disagrees([n], persons[pid]))
    assert caught >= 0.8 * len(shifted)


def test_forged_identities_are_names_of_their_person() -> None:
    from unweave.scenario.evaluate import name_disagrees, names_of

    person = {
        "given_name": "Rudina",
        "surname": "Muça",
        "city": "Birmingham",
        "native_name": "",
        "forged_identity": "Mirela Hysa 2002-04-10",
    }
    assert "Mirela Hysa" in names_of(person)
    assert name_disagrees(["HYSA Mirela"], person) == ""
    assert name_disagrees(["Rudina Birmingham"], person) == ""
    assert name_disagrees(["Tsvetelina Dimitrova"], person) != ""
