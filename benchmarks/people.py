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


def generate(n: int, seed: int = 4, dup_share: float = 0.2, relative_share: float = 0.05):
    """``n`` records and, for each, the id of the true person (the cluster)."""
    rng = random.Random(seed)
    surnames = [_word(rng, rng.choice((2, 3, 3, 4))) for _ in range(max(200, n // 40))]
    given_plain = [_word(rng, rng.choice((2, 3))) for _ in range(3000)]
    records: list[PersonRecord] = []
    truth: list[int] = []
    people: list[tuple[int, PersonRecord, int]] = []  # (person id, first record, group)
    n_dup = int(n * dup_share)
    n_base = n - n_dup
    for pid in range(n_base):
        if people and rng.random() < relative_share:
            # A relative of an earlier person: same family name, phone, address.
            _, kin, _ = people[rng.randrange(len(people))]
            surname = kin.names[0].split()[-1]
            phones, addresses = list(kin.phones), list(kin.addresses)
        else:
            surname = rng.choice(surnames)
            phones = [f"+2189{rng.randrange(10**8):08d}"] if rng.random() < 0.8 else []
            addresses = (
                [f"{rng.choice(STREETS)} {rng.randrange(1, 200)}, {rng.choice(CITIES)}"]
                if rng.random() < 0.7
                else []
            )
        group = rng.randrange(len(GIVEN_VARIANTS)) if rng.random() < 0.3 else -1
        given = GIVEN_VARIANTS[group][0] if group >= 0 else rng.choice(given_plain)
        year = rng.randrange(1950, 2006)
        dob = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        docs = (
            [Document(f"P{rng.randrange(10**7):07d}", "passport", "ly")]
            if rng.random() < 0.6
            else []
        )
        rec = PersonRecord(
            entity_id=f"r{len(records)}",
            dataset=rng.choice(AGENCIES),
            names=[f"{given} {surname}"],
            birth_dates=[dob],
            gender=rng.choice(("male", "female")),
            nationalities=["ly"] if rng.random() < 0.5 else [],
            phones=phones,
            documents=docs,
            addresses=addresses,
        )
        records.append(rec)
        truth.append(pid)
        people.append((pid, rec, group))
    for _ in range(n_dup):
        pid, base, group = people[rng.randrange(len(people))]
        given, surname = base.names[0].rsplit(" ", 1)
        if group >= 0 and rng.random() < 0.6:
            given = rng.choice(GIVEN_VARIANTS[group])
        elif rng.random() < 0.2:
            given = _typo(rng, given)
        if rng.random() < 0.15:
            surname = _typo(rng, surname)
        name = f"{surname} {given}" if rng.random() < 0.2 else f"{given} {surname}"
        dob = base.birth_dates[0]
        roll = rng.random()
        if roll < 0.1:
            dob = dob[:4]
        elif roll < 0.15 and int(dob[8:]) <= 12:
            dob = f"{dob[:4]}-{dob[8:]}-{dob[5:7]}"
        elif roll < 0.2:
            dob = ""
        records.append(
            PersonRecord(
                entity_id=f"r{len(records)}",
                dataset=rng.choice(AGENCIES),
                names=[name],
                birth_dates=[dob] if dob else [],
                gender=base.gender,
                nationalities=base.nationalities,
                phones=base.phones if rng.random() < 0.5 else [],
                documents=base.documents if rng.random() < 0.6 else [],
                addresses=base.addresses if rng.random() < 0.5 else [],
            )
        )
        truth.append(pid)
    return records, truth
