"""Small hand-made cases: the issue's hard examples, relatives and namesakes."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from unweave.normalize.values import phone_e164
from unweave.resolve.records import Document, PersonRecord


def person(eid: str, dataset: str, name: str, dob: str | None = None, **kw) -> PersonRecord:
    return PersonRecord(eid, dataset, names=[name], birth_dates=[dob] if dob else [], **kw)


def background(n: int = 400, seed: int = 7) -> list[PersonRecord]:
    """Unrelated people, some seen twice by two agencies, so that EM has something to learn."""
    rng = random.Random(seed)
    syl = ["ka", "lo", "mi", "ra", "te", "sa", "no", "di", "be", "fu", "ha", "zo", "ri"]
    out = []
    for i in range(n):
        given = "".join(rng.choice(syl) for _ in range(3)).capitalize()
        family = "".join(rng.choice(syl) for _ in range(3)).capitalize()
        dob = f"{rng.randrange(1950, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        phone = [f"+39333{rng.randrange(10**7):07d}"]
        doc = [Document(f"YA{rng.randrange(10**7):07d}", "passport", "it")]
        out.append(person(f"bg{i}", "agency-a", f"{given} {family}", dob, phones=phone,
                          documents=doc))  # fmt: skip
        if i % 3 == 0:
            out.append(person(f"bg{i}-b", "agency-b", f"{family} {given}", dob, phones=phone,
                              documents=doc if i % 2 else []))  # fmt: skip
    return out


def travellers(n: int = 150, seed: int = 11) -> list[PersonRecord]:
    """Residents who fly out and home: the crossing out with a birth date and a passport,
    the crossing home with a name only (what the border records in these data often
    are), so that EM learns what a crossing back is worth."""
    rng = random.Random(seed)
    syl = ["ar", "be", "ci", "do", "el", "fa", "gu", "ho", "in", "ju", "ke", "lu", "mo"]
    places = ["tn", "tr", "eg", "ma", "al", "pk", "ng", "ro"]
    out = []
    for i in range(n):
        name = "".join(rng.choice(syl) for _ in range(3)).capitalize() + " Tra" + str(i)
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
        home = day + timedelta(days=rng.randrange(3, 28))
        place = rng.choice(places)
        dob = f"{rng.randrange(1950, 2005)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"
        doc = [Document(f"TR{rng.randrange(10**7):07d}", "passport", "gb")]
        out.append(person(f"tv{i}-out", "gb_travel", name, dob, documents=doc,
                          crossings=[f"{day} gb>{place}"]))  # fmt: skip
        out.append(person(f"tv{i}-home", "gb_travel", name,
                          crossings=[f"{home} {place}>gb"]))  # fmt: skip
    return out


@pytest.fixture(scope="session")
def hard_cases() -> list[PersonRecord]:
    libya = "ly"
    return [
        # One trafficker, three agencies, three spellings and two scripts.
        # The phone as each agency wrote it, normalised at ingest with its own country.
        person(
            "it-1",
            "it",
            "IBRAHIM AHMED",
            "1984-07-12",
            phones=[phone_e164("+218 91 234 5678", "IT")],
        ),  # fmt: skip
        person(
            "uk-1",
            "uk",
            "Ahmad Ebrahim",
            "1984-07-12",
            phones=[phone_e164("00218912345678", "GB")],
        ),  # fmt: skip
        person(
            "ly-1",
            "ly",
            "أحمد إبراهيم",
            "1984",
            nationalities=[libya],
            phones=[phone_e164("0912345678", "LY")],
        ),  # fmt: skip
        # A passport shared, name in other order, date with day and month swapped.
        person(
            "it-2",
            "it",
            "Yohannes Tekle",
            "1990-03-04",
            documents=[Document("ER1234567", "passport", "er")],
        ),  # fmt: skip
        person(
            "de-2",
            "de",
            "Tekle Johannes",
            "1990-04-03",
            documents=[Document("ER 123 4567", "passport", "er")],
        ),  # fmt: skip
        # Relatives: one phone and address, other given names and birth dates.
        person(
            "it-3",
            "it",
            "Mustafa Benali",
            "1970-01-20",
            phones=["+393331112223"],
            addresses=["Via Roma 12, Palermo"],
        ),  # fmt: skip
        person(
            "it-4",
            "it",
            "Karim Benali",
            "1995-06-02",
            phones=["+393331112223"],
            addresses=["Via Roma 12, Palermo"],
        ),  # fmt: skip
        person(
            "uk-4",
            "uk",
            "Samira Benali",
            "1998-11-30",
            phones=["+393331112223"],
            addresses=["Via Roma 12, Palermo"],
        ),  # fmt: skip
        # Namesakes: the same common name, other birth dates, nothing else shared.
        person("fr-5", "fr", "Mohamed Ali", "1979-02-14"),
        person("de-5", "de", "Muhammad Ali", "1991-09-23"),
    ]
