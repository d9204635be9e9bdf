"""Synthetic person records with known duplicates and relatives, for the scale benchmark.

Each true person gets a name (given names include variant groups and Arabic or Cyrillic
script), a birth date, often a passport, a phone and an address, and one agency. About a
fifth of the records are further sightings of an earlier person, with the noise that
agencies produce: variant spellings, other script, token order, typos, a year alone,
day and month swapped, a dropped phone or passport. Some persons get relatives: the same
family name, phone and address, another given name and birth date (they must not match).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

import numpy as np

from unweave.resolve.records import Document, PersonRecord

AGENCIES = ("it-dcsa", "uk-nca", "de-bka", "fr-ocriest", "ly-partner")
GIVEN_VARIANTS = [
    ["Mohammed", "Muhammad", "Mohamed", "محمد"],
    ["Ahmed", "Ahmad", "أحمد"],
    ["Ibrahim", "Ebrahim", "إبراهيم"],
    ["Youssef", "Yusuf", "يوسف"],
    ["Yohannes", "Johannes"],
    ["Mustafa", "Mostafa", "مصطفى"],
    ["Hussein", "Hussain", "حسين"],
    ["Sergei", "Sergey", "Сергей"],
    ["Natalia", "Natalya", "Наталья"],
    ["Aleksandr", "Alexander", "Александр"],
]
_SYL = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "sa",
    "no",
    "di",
    "be",
    "fu",
    "ha",
    "zo",
    "ri",
    "an",
    "el",
    "or",
    "us",
    "ve",
    "ga",
    "to",
    "ni",
    "pe",
    "la",
    "mu",
    "ze",
    "ko",
    "ba",
]
STREETS = [
    "Via Roma",
    "High Street",
    "Hauptstrasse",
    "Rue de la Paix",
    "Shara Omar",
    "Corso Italia",
    "Station Road",
    "Bahnhofstrasse",
    "Avenue Foch",
    "Via Milano",
]
CITIES = ["Palermo", "London", "Berlin", "Paris", "Tripoli", "Catania", "Leeds", "Hamburg"]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(parts)).capitalize()


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4 or not word.isascii():
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.4:
        return word[:i] + word[i + 1 :]
    if op < 0.7:
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


class _People:
    """What the repeat sightings and relatives copy from each first record, as numpy
    columns (about 40 bytes a person, not a Python record): 5 million records fit."""

    def __init__(self, size: int) -> None:
        self.given = np.zeros(size, np.int32)  # index into the given names
        self.surname = np.zeros(size, np.int32)
        self.phone = np.full(size, -1, np.int64)
        self.street = np.full(size, -1, np.int16)  # -1: no address
        self.number = np.zeros(size, np.int16)
        self.city = np.zeros(size, np.int16)
        self.dob = np.zeros(size, np.int32)  # yyyymmdd
        self.doc = np.full(size, -1, np.int64)
        self.male = np.zeros(size, bool)
        self.libyan = np.zeros(size, bool)
        self.group = np.zeros(size, np.int8)
        self.count = 0


def _phones(people: _People, i: int) -> list[str]:
    return [f"+2189{people.phone[i]:08d}"] if people.phone[i] >= 0 else []


def _addresses(people: _People, i: int) -> list[str]:
    if people.street[i] < 0:
        return []
    return [f"{STREETS[people.street[i]]} {people.number[i]}, {CITIES[people.city[i]]}"]


def _dob(people: _People, i: int) -> str:
    d = int(people.dob[i])
    return f"{d // 10000}-{d // 100 % 100:02d}-{d % 100:02d}"


def batches(
    n: int,
    seed: int = 4,
    dup_share: float = 0.2,
    relative_share: float = 0.05,
    chunk: int = 50_000,
) -> Iterator[tuple[list[PersonRecord], list[int]]]:
    """``n`` records in chunks, each with the ids of their true persons (the clusters);
    the same records, in the same order, as ``generate`` returns at once."""
    rng = random.Random(seed)
    surnames = [_word(rng, rng.choice((2, 3, 3, 4))) for _ in range(max(200, n // 40))]
    given_plain = [_word(rng, rng.choice((2, 3))) for _ in range(3000)]
    givens = given_plain + [g[0] for g in GIVEN_VARIANTS]
    given_index = {g: i for i, g in enumerate(givens)}
    n_dup = int(n * dup_share)
    n_base = n - n_dup
    people = _People(n_base)
    records: list[PersonRecord] = []
    truth: list[int] = []
    for pid in range(n_base):
        if pid and rng.random() < relative_share:
            # A relative of an earlier person: same family name, phone, address.
            kin = rng.randrange(pid)
            people.surname[pid] = people.surname[kin]
            people.phone[pid] = people.phone[kin]
            people.street[pid] = people.street[kin]
            people.number[pid], people.city[pid] = people.number[kin], people.city[kin]
        else:
            people.surname[pid] = rng.randrange(len(surnames))
            if rng.random() < 0.8:
                people.phone[pid] = rng.randrange(10**8)
            if rng.random() < 0.7:
                people.street[pid] = rng.randrange(len(STREETS))
                people.number[pid] = rng.randrange(1, 200)
                people.city[pid] = rng.randrange(len(CITIES))
        group = rng.randrange(len(GIVEN_VARIANTS)) if rng.random() < 0.3 else -1
        given = GIVEN_VARIANTS[group][0] if group >= 0 else given_plain[rng.randrange(3000)]
        year = rng.randrange(1950, 2006)
        people.dob[pid] = year * 10000 + rng.randrange(1, 13) * 100 + rng.randrange(1, 29)
        if rng.random() < 0.6:
            people.doc[pid] = rng.randrange(10**7)
        people.given[pid], people.group[pid] = given_index[given], group
        dataset = rng.choice(AGENCIES)
        people.male[pid] = rng.choice(("male", "female")) == "male"
        people.libyan[pid] = rng.random() < 0.5
        records.append(_first_record(people, pid, pid, dataset, givens, surnames))
        truth.append(pid)
        if len(records) >= chunk:
            yield records, truth
            records, truth = [], []
    people.count = n_base
    done = n_base
    for _ in range(n_dup):
        pid = rng.randrange(n_base)
        group = int(people.group[pid])
        given, surname = givens[people.given[pid]], surnames[people.surname[pid]]
        if group >= 0 and rng.random() < 0.6:
            given = rng.choice(GIVEN_VARIANTS[group])
        elif rng.random() < 0.2:
            given = _typo(rng, given)
        if rng.random() < 0.15:
            surname = _typo(rng, surname)
        name = f"{surname} {given}" if rng.random() < 0.2 else f"{given} {surname}"
        dob = _dob(people, pid)
        roll = rng.random()
        if roll < 0.1:
            dob = dob[:4]
        elif roll < 0.15 and int(dob[8:]) <= 12:
            dob = f"{dob[:4]}-{dob[8:]}-{dob[5:7]}"
        elif roll < 0.2:
            dob = ""
        dataset = rng.choice(AGENCIES)
        docs = (
            [Document(f"P{people.doc[pid]:07d}", "passport", "ly")] if people.doc[pid] >= 0 else []
        )
        records.append(
            PersonRecord(
                entity_id=f"r{done}",
                dataset=dataset,
                names=[name],
                birth_dates=[dob] if dob else [],
                gender="male" if people.male[pid] else "female",
                nationalities=["ly"] if people.libyan[pid] else [],
                phones=_phones(people, pid) if rng.random() < 0.5 else [],
                documents=docs if rng.random() < 0.6 else [],
                addresses=_addresses(people, pid) if rng.random() < 0.5 else [],
            )
        )
        truth.append(pid)
        done += 1
        if len(records) >= chunk:
            yield records, truth
            records, truth = [], []
    if records:
        yield records, truth


def _first_record(
    people: _People, pid: int, index: int, dataset: str, givens: list[str], surnames: list[str]
) -> PersonRecord:
    doc = people.doc[pid]
    return PersonRecord(
        entity_id=f"r{index}",
        dataset=dataset,
        names=[f"{givens[people.given[pid]]} {surnames[people.surname[pid]]}"],
        birth_dates=[_dob(people, pid)],
        gender="male" if people.male[pid] else "female",
        nationalities=["ly"] if people.libyan[pid] else [],
        phones=_phones(people, pid),
        documents=[Document(f"P{doc:07d}", "passport", "ly")] if doc >= 0 else [],
        addresses=_addresses(people, pid),
    )


def generate(
    n: int, seed: int = 4, dup_share: float = 0.2, relative_share: float = 0.05
) -> tuple[list[PersonRecord], list[int]]:
    """``n`` records and, for each, the id of the true person (the cluster)."""
    records: list[PersonRecord] = []
    truth: list[int] = []
    for chunk, ids in batches(n, seed, dup_share, relative_share):
        records += chunk
        truth += ids
    return records, truth
