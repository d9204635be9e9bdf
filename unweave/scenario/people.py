"""Persons: the true identity behind every record, and the background population.

Offenders and victims are few and kept in memory. The background population can be a
million persons, so it is never held: person ``i`` is derived from ``(seed, i)`` alone, and
its household from ``(seed, i // household_size)``, whenever a record needs it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from unweave.scenario import accounts, phones
from unweave.scenario.namebank import Name, pool
from unweave.scenario.rng import derive, pick, weighted

CITIES = {
    "it": ["Roma", "Milano", "Napoli", "Torino", "Palermo", "Bari", "Padova"],
    "gb": ["London", "Birmingham", "Manchester", "Leeds", "Glasgow"],
    "de": ["Berlin", "Hamburg", "München", "Dortmund", "Frankfurt am Main"],
    "ng": ["Lagos", "Benin City", "Abuja", "Kano"],
    "ly": ["Tripoli", "Benghazi", "Sabha", "Misrata"],
}
_STREETS = {
    "it": ("Via {s} {n}", ["Roma", "Garibaldi", "Mazzini", "Dante", "Verdi", "Cavour"]),
    "gb": ("{n} {s} Road", ["Station", "Church", "Victoria", "Park", "Green", "Mill"]),
    "de": ("{s}straße {n}", ["Haupt", "Schul", "Garten", "Bahnhof", "Linden", "Berg"]),
    "ng": ("{n} {s} Street", ["Sapele", "Airport", "Akpakpava", "Ikorodu", "Allen", "Broad"]),
    "ly": ("{s} Street {n}", ["Omar Mukhtar", "Gargaresh", "Jamahiriya", "Sidi Khalifa"]),
}
_DOC = {"ng": "A{d8}", "it": "YA{d7}", "gb": "{d9}", "de": "C{x8}", "vn": "C{d7}", "al": "B{d8}"}


@dataclass(slots=True)
class Phone:
    number: str
    start: date
    end: date
    subscriber: str
    users: tuple[str, ...]
    kind: str  # personal, burner, household


@dataclass(slots=True)
class Victim:
    route: str
    exploitation: str
    recruitment: str
    controls: tuple[str, ...]
    debt: int
    debt_currency: str
    recruited: date
    domestic: bool
    recruiter: str
    exploiter: str
    alias: tuple[Name, Name, date] | None = None  # forged document: given, surname, birth


@dataclass(slots=True)
class Person:
    id: str
    given: Name
    surname: Name
    sex: str
    birth: date
    nationality: str
    country: str
    city: str
    address: str
    document: str
    account: str
    kind: str  # member, victim, background
    phones: list[Phone] = field(default_factory=list)
    role: str = ""
    orgs: list[str] = field(default_factory=list)
    cell: str = ""
    household: str = ""
    namesake_of: str = ""
    victim: Victim | None = None

    def age(self, on: date) -> int:
        years = on.year - self.birth.year
        return years - ((on.month, on.day) < (self.birth.month, self.birth.day))

    def phone_on(self, day: date) -> str | None:
        for phone in self.phones:
            if phone.start <= day <= phone.end:
                return phone.number
        return self.phones[-1].number if self.phones else None


def person_id(index: int) -> str:
    return f"P{index:07d}"


def birth_for_age(rng: random.Random, age: int, on: date) -> date:
    return on - timedelta(days=age * 365 + rng.randint(0, 364))


def document(rng: random.Random, nationality: str) -> str:
    pattern = _DOC.get(nationality, "{L}{d7}")
    out = pattern.replace("{L}", chr(65 + rng.randrange(26)))
    for token, n, alphabet in (("{d7}", 7, "0123456789"), ("{d8}", 8, "0123456789")):
        out = out.replace(token, "".join(rng.choice(alphabet) for _ in range(n)))
    out = out.replace("{d9}", "".join(rng.choice("0123456789") for _ in range(9)))
    return out.replace(
        "{x8}", "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8))
    )


def address(rng: random.Random, country: str, city: str) -> str:
    pattern, streets = _STREETS.get(country, ("{s} {n}", ["Main"]))
    return f"{pattern.format(s=pick(rng, streets), n=rng.randint(1, 180))}, {city}"


def make_person(
    rng: random.Random,
    pid: str,
    nationality: str,
    sex: str,
    age: int,
    country: str,
    city: str,
    kind: str,
    on: date,
) -> Person:
    names = pool(nationality, "female" if sex == "female" else "male")
    return Person(
        id=pid,
        given=pick(rng, names),
        surname=pick(rng, pool(nationality, "surname")),
        sex=sex,
        birth=birth_for_age(rng, age, on),
        nationality=nationality,
        country=country,
        city=city,
        address=address(rng, country, city),
        document=document(rng, nationality),
        account=accounts.account(country, rng),
        kind=kind,
    )


class Background:
    """The non-criminal population, derived person by person from the seed."""

    def __init__(
        self,
        seed: int,
        config: dict[str, Any],
        first_index: int,
        count: int,
        on: date,
        end: date,
        namesakes: dict[str, list[Person]],
    ) -> None:
        self.seed, self.config, self.first, self.count = seed, config, first_index, count
        self.on, self.end = on, end
        self.bg = config["background"]
        self.size = int(self.bg["household_size"])
        self.namesakes = namesakes

    def _household(self, slot: int) -> dict[str, Any]:
        rng = derive(self.seed, "household", slot)
        country = weighted(rng, self.bg["residence"])
        diaspora = self.bg["diaspora"] if country in ("it", "gb", "de") else {}
        foreign = rng.random() < sum(diaspora.values())
        nationality = weighted(rng, diaspora) if foreign else country
        city = pick(rng, CITIES[country])
        family = rng.random() < self.bg["family_household_share"]
        first = self.first + slot * self.size
        return {
            "country": country,
            "nationality": nationality,
            "city": city,
            "family": family,
            "surname": pick(rng, pool(nationality, "surname")),
            "address": address(rng, country, city),
            "phone": phones.mobile(country, rng, check=False),
            "head": person_id(first),
            "members": [
                person_id(first + k)
                for k in range(self.size)
                if first + k < self.first + self.count
            ],
        }

    def get(self, index: int) -> Person:
        """Background person number ``index`` (global person index)."""
        local = index - self.first
        slot = local // self.size
        house = self._household(slot)
        rng = derive(self.seed, "person", index)
        pid = person_id(index)
        head = pid == house["head"]
        sex = "female" if rng.random() < 0.5 else "male"
        low, high = self.config["ages"]["background"]
        age = rng.randint(max(low, 18), high) if head else rng.randint(low, high)
        person = make_person(
            rng,
            pid,
            house["nationality"],
            sex,
            age,
            house["country"],
            house["city"],
            "background",
            self.on,
        )
        person.phones.append(
            Phone(
                phones.mobile(house["country"], rng, check=False),
                self.on,
                self.end,
                pid,
                (pid,),
                "personal",
            )
        )
        if house["family"]:
            person.surname = house["surname"]
            person.address = house["address"]
            person.household = f"H{slot:07d}"
            users = tuple(house["members"])
            shared = Phone(house["phone"], self.on, self.end, house["head"], users, "household")
            if head:
                person.phones = [shared]
            elif rng.random() < 0.5 or age < 12:
                person.phones = [shared]  # no phone of one's own: uses the household's
        elif age < 12:
            person.phones = []
        candidates = self.namesakes.get(person.nationality)
        if candidates and rng.random() < self.bg["namesake_share"]:
            model = pick(rng, candidates)
            person.given, person.surname, person.sex = model.given, model.surname, model.sex
            person.namesake_of = model.id
            if person.birth == model.birth:
                person.birth -= timedelta(days=rng.randint(30, 4000))
        return person

    def indexes(self) -> range:
        return range(self.first, self.first + self.count)
