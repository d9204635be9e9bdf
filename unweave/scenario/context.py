"""What every activity generator shares: the persons, the organisations, the open files."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from unweave.scenario.organisations import Organisation
from unweave.scenario.people import Background, Person
from unweave.scenario.writers import Sink, Truth

# file name and format per kind of record
KINDS = {
    "travel": ("border.csv", "travel"),
    "calls": ("calls.csv", "calls"),
    "transactions": ("transactions.csv", "transactions"),
    "ads": ("ads.jsonl", "ads"),
    "cases": ("cases.ftm.jsonl", "ftm"),
    "subscribers": ("subscribers.csv", "mapped"),
    "contacts": ("contacts.csv", "mapped"),
}


@dataclass
class Context:
    seed: int
    config: dict[str, Any]
    root: Path
    start: date
    end: date
    people: dict[str, Person]
    orgs: list[Organisation]
    background: Background
    truth: Truth
    sinks: dict[tuple[str, str], Sink] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    ids: Counter[tuple[str, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._bg = lru_cache(maxsize=8192)(self.background.get)
        self._orgs = {o.id: o for o in self.orgs}
        self.victims_of: dict[str, list[Person]] = {}
        for person in self.people.values():
            if person.kind == "victim":
                self.victims_of.setdefault(person.orgs[0], []).append(person)

    def org(self, oid: str) -> Organisation:
        return self._orgs[oid]

    @property
    def agencies(self) -> dict[str, dict[str, Any]]:
        return self.config["agencies"]  # type: ignore[no-any-return]

    def sink(self, agency: str, kind: str) -> Sink:
        key = (agency, kind)
        if key not in self.sinks:
            name, fmt = KINDS[kind]
            mapping = f"{agency}/{kind}.mapping.yaml" if fmt == "mapped" else ""
            self.sinks[key] = Sink(self.root, f"{agency}/{name}", fmt, f"{agency}_{kind}", mapping)
        return self.sinks[key]

    def person(self, pid: str) -> Person:
        found = self.people.get(pid)
        if found is not None:
            return found
        return self._bg(int(pid[1:]))

    def background_id(self, rng: random.Random) -> str:
        bg = self.background
        return f"P{bg.first + rng.randrange(max(bg.count, 1)):07d}"

    def background_near(self, index: int, offset: int) -> str:
        bg = self.background
        return f"P{min(max(index + offset, bg.first), bg.first + bg.count - 1):07d}"

    def code(self, agency: str) -> str:
        return str(self.agencies[agency]["code"])

    def next_id(self, agency: str, kind: str) -> str:
        self.ids[(agency, kind)] += 1
        return f"{self.code(agency)}-{kind[:3].upper()}-{self.ids[(agency, kind)]:08d}"

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()
        self.truth.close()
