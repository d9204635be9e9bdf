"""How well resolution found the scenario's people: records mapped to the truth, pairwise.

The truth says, for every record written, which simulated person it is. Records with an
FtM id are found by it; border records by their record id (the Trip's ``recordId``, whose
``involved`` is the traveller).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from unweave.model import first_value
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.scope import Scope


def person_truth(store: Store, scenario: Path) -> dict[str, str]:
    """Store entity id of every Person record -> the true person id (for a record that
    several people's rows went into, see ``merged_at_ingest``, one of them)."""
    return {k: min(v) for k, v in _people_of_records(store, scenario).items()}


def merged_at_ingest(store: Store, scenario: Path) -> dict[str, set[str]]:
    """Person records that rows of several true people went into when they were loaded
    (two namesakes' border crossings made one traveller): wrong merges that pairwise
    scores over records cannot see, since each record counts as one person."""
    return {k: v for k, v in _people_of_records(store, scenario).items() if len(v) > 1}


def _people_of_records(store: Store, scenario: Path) -> dict[str, set[str]]:
    by_record_id: dict[str, str] = {}
    truth: dict[str, set[str]] = defaultdict(set)
    with (scenario / "truth" / "records.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["entity_id"]:
                truth[row["entity_id"]].add(row["person_id"])
            elif row["record_id"] and row["field"] == "name":
                by_record_id[row["record_id"]] = row["person_id"]
    view = StoreView(store, Scope.everything())
    for trip in view.iter_records(["Trip"]):
        record_id = first_value(trip, "recordId")
        traveller = first_value(trip, "involved")
        if record_id in by_record_id and traveller:
            truth[traveller].add(by_record_id[record_id])
    persons = {e.id for e in view.iter_records(["Person"]) if e.id}
    return {k: v for k, v in truth.items() if k in persons}


@dataclass
class PairwiseScore:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    wrong_merges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        out.update(combinations(sorted(members), 2))
    return out


def pairwise(canonical: dict[str, str], truth: dict[str, str]) -> PairwiseScore:
    """Pairwise precision and recall of a clustering (record -> cluster) on the truth."""
    true_groups: dict[str, list[str]] = defaultdict(list)
    found_groups: dict[str, list[str]] = defaultdict(list)
    for record, person in truth.items():
        true_groups[person].append(record)
        found_groups[canonical.get(record, record)].append(record)
    true_pairs, found_pairs = _pairs(true_groups), _pairs(found_groups)
    wrong = sorted(p for p in found_pairs - true_pairs)
    return PairwiseScore(len(true_pairs), len(found_pairs), len(true_pairs & found_pairs), wrong)


def names_of(person: dict[str, str]) -> list[str]:
    """Every name a true person (a row of truth/persons.csv) can be written under: the
    usual and the native name, the given name alone and with the city (how a phone's
    owner saves a contact), and the name on a forged document."""
    given, surname = person["given_name"], person["surname"]
    names = [f"{given} {surname}", given, f"{given} {person['city']}"]
    if person.get("native_name"):
        names.append(person["native_name"])
        names.append(person["native_name"].split()[0])
    forged = person.get("forged_identity", "").split()
    if len(forged) >= 3:  # "Mirela Hysa 2002-04-10"
        names.append(" ".join(forged[:-1]))
    return [n for n in names if n.strip()]


def name_disagrees(written: list[str], person: dict[str, str]) -> str:
    """Why none of the names a record was written under is a name of its true person
    ("" when one is): a record the truth gives to the wrong person. Spelling noise (a
    typo, another transliteration) still shares a word or a sound with the person's
    name; a name with nothing in common is what a wrong row or id in the truth gives."""
    from rigour.text import jaro_winkler

    from unweave.normalize.names import tokens
    from unweave.resolve.compare.names import compare_names

    if not written:
        return ""
    found = compare_names(written, names_of(person))
    if found.level != "different":
        return ""
    # Transliterations the comparison does not know (Zwetelina / Tsvetelina) still have a
    # word that is close.
    theirs = {t for n in names_of(person) for t in tokens(n)}
    mine = {t for n in written for t in tokens(n)}
    if any(jaro_winkler(a, b) >= 0.75 for a in mine for b in theirs):
        return ""
    return found.reason
