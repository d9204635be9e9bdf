"""``generate(seed, size, out_dir)``: the whole scenario, streamed to disk.

Offenders and victims are built first and kept in memory (a few per cent of the persons);
then the background population is walked once, person by person, writing their records
and their truth rows as it goes, so memory stays flat whatever the size.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from unweave.errors import ConfigError
from unweave.scenario import (
    ads,
    calls,
    cases,
    family,
    manifest,
    organisations,
    payments,
    travel,
    truth,
)
from unweave.scenario import victims as victim_builder
from unweave.scenario.config import load_config, resolve_size, window
from unweave.scenario.context import Context
from unweave.scenario.people import Background, Person
from unweave.scenario.rng import derive
from unweave.scenario.writers import Truth

Progress = Callable[[int, int], None]


def generate(
    seed: int, size: str | int, out_dir: Path | str, progress: Progress | None = None
) -> dict[str, Any]:
    """Write a scenario to ``out_dir``; returns a summary (counts, files, seconds)."""
    began = time.perf_counter()
    config = load_config()
    chosen = resolve_size(size, config)
    start, end = window(config)
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)

    orgs, people = organisations.build(seed, config, chosen.organisations, start, end)
    victim_count = round(chosen.persons * chosen.victim_share)
    for victim in victim_builder.build(seed, config, victim_count, orgs, people, start, end):
        people[victim.id] = victim
    first = len(people)
    if first >= chosen.persons:
        raise ConfigError(
            f"size {chosen.label}: {first} offenders and victims leave no background population",
            hint="use a larger size",
        )
    namesakes: dict[str, list[Person]] = {}
    for person in people.values():
        namesakes.setdefault(person.nationality, []).append(person)
    background = Background(seed, config, first, chosen.persons - first, start, end, namesakes)
    ctx = Context(seed, config, root, start, end, people, orgs, background, Truth(root))

    tapped = calls.targets(ctx)
    travel.victims(ctx)
    travel.members(ctx)
    calls.offenders(ctx, tapped)
    payments.offenders(ctx)
    ads.offenders(ctx)
    seized: list[Any] = []
    identified: list[Any] = []
    cases.arrests(ctx, seized, identified)
    cases.contacts(ctx, seized)
    family.returns(ctx, identified)
    for person in people.values():
        if person.country in ctx.agencies and person.country != "ly":
            cases.subscriber(ctx, derive(seed, "subscriber", person.id), person, person.country)

    _walk_background(ctx, tapped, progress)
    truth.organisations(ctx)
    cases.write_mappings(ctx)
    ctx.close()
    data = manifest.write(ctx)
    summary = {
        "seed": seed,
        "size": chosen.label,
        "persons": chosen.persons,
        "organisations": len(orgs),
        "members": sum(1 for p in people.values() if p.kind == "member"),
        "victims": victim_count,
        "background": background.count,
        "records": dict(sorted(ctx.counts.items())),
        "truth_rows": ctx.truth.rows,
        "files": len(data["files"]),
    }
    (root / "truth" / "summary.json").write_text(
        json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    summary["seconds"] = round(time.perf_counter() - began, 2)
    return summary


def _walk_background(ctx: Context, tapped: dict[str, str], progress: Progress | None) -> None:
    """One pass over everyone: truth rows for all, the activity of the background."""
    bg = ctx.config["background"]
    ads_rate = bg["independent_ads_per_1000"] / 1000
    truth_dir = ctx.root / "truth"
    with (
        (truth_dir / "persons.csv").open("w", encoding="utf-8", newline="") as pfh,
        (truth_dir / "phones.csv").open("w", encoding="utf-8", newline="") as phfh,
    ):
        persons = csv.DictWriter(pfh, truth.PERSON_COLUMNS, lineterminator="\n")
        phones = csv.DictWriter(phfh, truth.PHONE_COLUMNS, lineterminator="\n")
        persons.writeheader()
        phones.writeheader()

        def emit(person: Person) -> None:
            persons.writerow(truth.person_row(ctx, person))
            own = [p for p in person.phones if p.kind != "household" or p.subscriber == person.id]
            for row in truth.phone_rows([_Only(own)]):
                phones.writerow(row)

        for person in ctx.people.values():
            emit(person)
        total = ctx.background.count
        for n, index in enumerate(ctx.background.indexes()):
            person = ctx.person(f"P{index:07d}")
            emit(person)
            travel.background(ctx, index)
            calls.background(ctx, index, tapped)
            payments.background(ctx, index)
            rng = derive(ctx.seed, "bgmisc", index)
            adult = person.age(ctx.start) >= 18
            if adult and person.sex == "female" and rng.random() < ads_rate * 2:
                ads.independent(ctx, person)
            if person.country in ctx.agencies and person.country != "ly" and rng.random() < 0.05:
                cases.subscriber(ctx, rng, person, person.country)
            if progress is not None and (n % 1000 == 0 or n == total - 1):
                progress(n + 1, total)


class _Only:
    """A stand-in person holding only some phones, for truth.phone_rows."""

    def __init__(self, phones: list[Any]) -> None:
        self.phones = phones
