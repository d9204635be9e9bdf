"""Call detail records: dense within cells, organisers to cell heads, recruiters and
exploiters to victims, victims to family at home, and the ordinary calls of everyone else.

An agency holds the records of the offenders' phones it intercepted or seized (its
targets) and, for the background, the tower dumps of its own country (a share of calls).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from unweave.scenario import phones
from unweave.scenario.context import Context
from unweave.scenario.people import Person
from unweave.scenario.rng import below, derive, moment, pick


def targets(ctx: Context) -> dict[str, str]:
    """Member id -> the agency intercepting that member's phones."""
    share = ctx.config["activity"]["target_share"]
    out = {}
    for person in ctx.people.values():
        if person.kind != "member" or person.country not in ctx.agencies:
            continue
        if derive(ctx.seed, "target", person.id).random() < share:
            out[person.id] = person.country
    return out


def _emit(
    ctx: Context,
    rng: random.Random,
    agency: str,
    caller: str,
    callee: str,
    when: date,
    duration: int,
    city: str,
) -> None:
    sink = ctx.sink(agency, "calls")
    stamp = moment(rng, when, night=rng.random() < 0.3)
    sink.write(
        {
            "caller": phones.written(caller, agency, rng),
            "callee": phones.written(callee, agency, rng),
            "start": stamp.isoformat(),
            "duration": duration,
            "call_id": ctx.next_id(agency, "calls"),
            "cell": f"{city.upper().replace(' ', '')}-{1000 + below(rng, 9000)}",
        }
    )
    ctx.counts["calls"] += 1


def _call(
    ctx: Context,
    rng: random.Random,
    tapped: dict[str, str],
    a: Person,
    b: Person,
    day: date,
    tower: str | None = None,
) -> None:
    caller, callee = a.phone_on(day), b.phone_on(day)
    if not caller or not callee or caller == callee:
        return
    duration = int(rng.expovariate(1 / 90)) + 5
    agencies = [tapped[p.id] for p in (a, b) if p.id in tapped]
    if tower and tower not in agencies:
        agencies.append(tower)
    for agency in sorted(set(agencies)):
        _emit(ctx, rng, agency, caller, callee, day, duration, a.city)


def _contacts(ctx: Context, person: Person) -> list[tuple[float, list[str]]]:
    org = ctx.org(person.orgs[0])
    cell = next((c for c in org.cells if c.id == person.cell), None)
    peers = [m for m in (cell.members if cell else []) if m != person.id]
    heads = [c.head for c in org.cells if c.head != person.id]
    victims = [
        v.id
        for v in ctx.victims_of.get(org.id, [])
        if v.victim and person.id in (v.victim.recruiter, v.victim.exploiter)
    ]
    groups: list[tuple[float, list[str]]] = [(0.45, peers), (0.1, org.members)]
    if person.role == "organiser" or (cell and cell.head == person.id):
        organisers = [m for m in org.members if ctx.people[m].role == "organiser"]
        groups.append((0.2, heads if person.role == "organiser" else organisers))
    groups.append((0.25, victims))
    return [(w, g) for w, g in groups if g]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=below(rng, max((end - start).days, 0) + 1))


def offenders(ctx: Context, tapped: dict[str, str]) -> None:
    act = ctx.config["activity"]
    months = (ctx.end - ctx.start).days / 30.4
    for person in list(ctx.people.values()):
        rng = derive(ctx.seed, "calls", person.id)
        if person.kind == "member":
            groups = _contacts(ctx, person)
            n = int(act["calls_per_month_member"] * months)
        else:
            assert person.victim is not None
            first = max(ctx.start, person.victim.recruited)
            groups = [(0.6, [person.victim.exploiter]), (0.2, [person.victim.recruiter])]
            peers = [v.id for v in ctx.victims_of.get(person.orgs[0], []) if v.cell == person.cell]
            groups.append((0.2, [p for p in peers if p != person.id]))
            groups = [(w, g) for w, g in groups if g]
            n = int(act["calls_per_month_victim"] * max((ctx.end - first).days, 0) / 30.4)
        if not groups:
            continue
        weights = [w for w, _ in groups]
        for _ in range(n):
            day = _day(rng, ctx.start, ctx.end)
            if rng.random() < 0.12 and ctx.background.count:
                other = ctx.person(ctx.background_id(rng))
            else:
                group = rng.choices(groups, weights=weights)[0][1]
                other = ctx.people[pick(rng, group)]
            a, b = (person, other) if rng.random() < 0.6 else (other, person)
            _call(ctx, rng, tapped, a, b, day)


def background(ctx: Context, index: int, tapped: dict[str, str]) -> None:
    """Ordinary calls of one background person, mostly with people nearby."""
    bg = ctx.background
    rng = derive(ctx.seed, "bgcalls", index)
    months = (ctx.end - ctx.start).days / 30.4
    rate = ctx.config["background"]["calls_per_month"] * months
    coverage = ctx.config["activity"]["background_call_coverage"]
    person = ctx.person(f"P{index:07d}")
    if not person.phones:
        return
    tower = person.country if person.country in ctx.agencies else None
    for _ in range(int(rate)):
        if rng.random() >= coverage:
            continue
        offset = below(rng, 601) - 300 or 1
        other_index = min(max(index + offset, bg.first), bg.first + bg.count - 1)
        other = ctx.person(f"P{other_index:07d}")
        _call(ctx, rng, tapped, person, other, _day(rng, ctx.start, ctx.end), tower)
