"""Each agency's way of writing a person: the noise that resolution has to see through.

Surname first in capitals (``OSAGIE Blessing``), the original script where the agency
writes it (Arabic in Libya, Cyrillic and Vietnamese diacritics from documents and phone
contact lists), transliteration variants (Mohamed/Mohammed, Shevchenko/Schewtschenko),
typing errors, day and month swapped, missing birth dates and documents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from unweave.scenario.namebank import SCRIPT, Name
from unweave.scenario.people import Person, document

_KEYS = "qwertyuiopasdfghjklzxcvbnm"


@dataclass(slots=True)
class Written:
    name: str
    birth_date: str
    gender: str
    nationality: str
    document: str


def typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped or replaced."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = pick_index(rng, letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    replacement = rng.choice(_KEYS)
    return text[:i] + (replacement.upper() if text[i].isupper() else replacement) + text[i + 1 :]


def pick_index(rng: random.Random, items: list[int]) -> int:
    return items[rng.randrange(len(items))]


def spelling(rng: random.Random, name: Name, variant: float, native: bool) -> str:
    if native and name.native:
        return name.native
    if len(name.latin) > 1 and rng.random() < variant:
        return name.latin[1 + rng.randrange(len(name.latin) - 1)]
    return name.usual


def full_name(
    rng: random.Random,
    given: Name,
    surname: Name,
    nationality: str,
    noise: dict[str, float],
) -> str:
    native = SCRIPT.get(nationality) is not None and rng.random() < noise["native_script"]
    first = spelling(rng, given, noise["variant"], native)
    last = spelling(rng, surname, noise["variant"], native)
    if native and SCRIPT.get(nationality) == "arabic":
        text = f"{first} {last}"
    elif rng.random() < noise["surname_first_caps"] or nationality == "vn":
        text = f"{last.upper()} {first}" if not native else f"{last} {first}"
    else:
        text = f"{first} {last}"
    if rng.random() < noise["typo"]:
        text = typo(rng, text)
    return text


def written_date(rng: random.Random, day: date, swap: float) -> str:
    """ISO or day-first; with probability ``swap`` the day and month trade places."""
    if rng.random() < swap and day.day <= 12 and day.day != day.month:
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    if rng.random() < 0.5:
        return day.isoformat()
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def person(
    rng: random.Random, who: Person, agency: str, config: dict[str, Any], alias: bool = False
) -> Written:
    """How ``agency`` writes ``who`` (on a forged document when ``alias`` is set)."""
    noise = config["noise"][agency]
    given, surname, birth = who.given, who.surname, who.birth
    if alias and who.victim is not None and who.victim.alias is not None:
        given, surname, birth = who.victim.alias
    name = full_name(rng, given, surname, who.nationality, noise)
    born = (
        ""
        if rng.random() < noise["missing_birth_date"]
        else written_date(rng, birth, noise["day_month_swap"])
    )
    doc = "" if rng.random() < noise["missing_document"] else who.document
    if alias and who.victim is not None and who.victim.alias is not None:
        doc = document(random.Random(f"forged:{who.id}"), who.nationality)
    if doc and rng.random() < noise["typo"]:
        doc = typo(rng, doc) if any(c.isalpha() for c in doc) else doc[:-1]
    gender = {"female": "f", "male": "m"}[who.sex] if rng.random() < 0.5 else who.sex
    return Written(name, born, gender, who.nationality.upper(), doc)
