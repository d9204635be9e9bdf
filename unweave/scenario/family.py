"""Returned and missing victims and their families: the Family ties Nigeria's records hold.

NAPTIP learns of a Nigerian victim's family in two ways: a victim identified by any agency
is, in a share of cases, returned to Nigeria (assisted voluntary return) and NAPTIP traces
her family for reintegration; or a relative reports her missing. Either way it opens a
case: the victim's record (sealed, by a VictimIdentification), the relative (a person of
the background population living in Nigeria, with their phone and address as NAPTIP takes
them down) and a ``Family`` entity joining the two. truth/relatives.csv names both true
persons and the relationship. Only Nigeria writes these: the other agencies never see
the victim's family at home.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from unweave.scenario import noise, phones
from unweave.scenario.cases import entity, suspect
from unweave.scenario.context import Context
from unweave.scenario.people import Person
from unweave.scenario.rng import derive
from unweave.scenario.writers import write_csv

RELATIVE_COLUMNS = ["person_id", "relative_id", "relationship", "dataset", "file", "row"]
AGENCY = "ng"


def relative(ctx: Context, rng: random.Random, victim: Person) -> tuple[Person, str] | None:
    """Someone in Nigeria to return to: an older adult of the background, living there."""
    for _ in range(60):
        person = ctx.person(ctx.background_id(rng))
        if person.country != AGENCY or person.nationality != AGENCY:
            continue
        gap = (victim.birth - person.birth).days / 365.25
        if person.age(ctx.start) < 18 or gap < 0:
            continue
        if gap >= 18:
            return person, "mother" if person.sex == "female" else "uncle"
        return person, "cousin"
    return None


def returns(ctx: Context, identified: list[tuple[str, Person, date]]) -> int:
    """NAPTIP's cases of returned and missing victims; returns the Family ties written."""
    act = ctx.config["activity"]
    rows: list[dict[str, Any]] = []
    returned = set()
    if AGENCY in ctx.agencies:
        for agency, victim, day in identified:
            if victim.nationality != AGENCY:
                continue
            rng = derive(ctx.seed, "return", victim.id)
            back = day + timedelta(days=rng.randint(30, 180))
            if rng.random() >= float(act["returned_share"]) or back > ctx.end:
                continue
            returned.add(victim.id)
            why = f"returned from {agency.upper()}, shelter and reintegration"
            rows += _case(ctx, rng, victim, back, why, "family traced for reintegration")
        for victim in ctx.people.values():
            if victim.victim is None or victim.nationality != AGENCY or victim.id in returned:
                continue
            rng = derive(ctx.seed, "missing", victim.id)
            day = victim.victim.recruited + timedelta(days=rng.randint(60, 400))
            if rng.random() >= float(act["missing_report_share"]) or day > ctx.end:
                continue
            why = "reported missing by a relative, presumed trafficked"
            rows += _case(ctx, rng, victim, day, why, "relative reported her missing")
    write_csv(ctx.root / "truth" / "relatives.csv", RELATIVE_COLUMNS, rows)
    return len(rows)


def _case(
    ctx: Context, rng: random.Random, victim: Person, day: date, referral: str, summary: str
) -> list[dict[str, Any]]:
    record = suspect(ctx, rng, AGENCY, victim, day)
    entity(
        ctx,
        AGENCY,
        "VictimIdentification",
        {
            "person": [record],
            "date": [day.isoformat()],
            "authority": [f"{AGENCY.upper()} anti-trafficking unit"],
            "referral": [referral],
        },
    )
    found = relative(ctx, rng, victim)
    if found is None:
        return []
    kin, relationship = found
    written = noise.person(rng, kin, AGENCY, ctx.config)
    phone = kin.phone_on(day)
    kin_record = entity(
        ctx,
        AGENCY,
        "Person",
        {
            "name": [written.name],
            "gender": [kin.sex],
            "nationality": [kin.nationality],
            "address": [kin.address],
            "phone": [phones.written(phone, AGENCY, rng) if phone else ""],
        },
        person=kin.id,
    )
    sink = ctx.sink(AGENCY, "cases")
    entity(
        ctx,
        AGENCY,
        "Family",
        {
            "person": [record],
            "relative": [kin_record],
            "relationship": [relationship],
            "date": [day.isoformat()],
            "summary": [summary],
        },
    )
    ctx.counts["family_ties"] += 1
    return [
        {
            "person_id": victim.id,
            "relative_id": kin.id,
            "relationship": relationship,
            "dataset": sink.dataset,
            "file": sink.rel,
            "row": sink.rows,
        }
    ]
