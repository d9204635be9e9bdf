"""Travel and border crossings: victims along their route with a transporter, offenders'
trips, and the ordinary travel of the background population.

A crossing is recorded by the agency of the country entered, or else of the country left,
and only with the leg's coverage (a desert crossing is rarely recorded, a landing in
Lampedusa nearly always). Victims on forged documents cross under another name.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from unweave.scenario import noise
from unweave.scenario.context import Context
from unweave.scenario.people import Person
from unweave.scenario.rng import derive, pick

_HOLIDAY = ["fr", "es", "gr", "tr", "tn", "eg", "pl", "ro", "al", "ma", "pt", "hr"]
_AIRPORTS = {
    "it": ["Fiumicino", "Malpensa", "Capodichino"],
    "gb": ["Heathrow", "Gatwick", "Stansted", "Manchester Airport"],
    "de": ["Frankfurt Flughafen", "BER", "München Flughafen"],
    "ng": ["Murtala Muhammed Airport", "Nnamdi Azikiwe Airport"],
    "ly": ["Mitiga", "Benina"],
}


def _recorder(ctx: Context, src: str, dst: str) -> str | None:
    if dst in ctx.agencies:
        return dst
    if src in ctx.agencies:
        return src
    return None


def _record(
    ctx: Context,
    rng: random.Random,
    who: Person,
    day: date,
    src: str,
    dst: str,
    point: str,
    vehicle: str,
    alias: bool = False,
) -> None:
    agency = _recorder(ctx, src, dst)
    if agency is None:
        return
    sink = ctx.sink(agency, "travel")
    written = noise.person(rng, who, agency, ctx.config, alias=alias)
    record_id = ctx.next_id(agency, "travel")
    row = sink.write(
        {
            "name": written.name,
            "birth_date": written.birth_date,
            "gender": written.gender,
            "nationality": written.nationality,
            "document_number": written.document,
            "document_type": "passport" if written.document else "",
            "document_country": "",
            "date": day.isoformat(),
            "from_country": src.upper(),
            "to_country": dst.upper(),
            "crossing_point": point,
            "vehicle": vehicle,
            "record_id": record_id,
        }
    )
    ctx.truth.add(sink, row, "name", who.id, record_id=record_id)
    ctx.counts["travel"] += 1


def _legs(ctx: Context, victim: Person) -> list[list[object]]:
    assert victim.victim is not None
    route = ctx.config["routes"][victim.victim.route]
    legs = [list(leg) for leg in route["legs"]]
    starts = [i for i, leg in enumerate(legs) if leg[0] == victim.nationality]
    if starts:
        legs = legs[starts[0] :]
    elif legs:
        legs[0][0] = victim.nationality
    out = []
    for leg in legs:
        out.append(leg)
        if leg[1] == victim.country:
            break
    return out


def victims(ctx: Context) -> None:
    escorts_of = {o.id: o.by_role(ctx.people, "transporter") for o in ctx.orgs}
    for victim in list(ctx.people.values()):
        if victim.victim is None or victim.victim.domestic:
            continue
        transporters = escorts_of[victim.orgs[0]]
        rng = derive(ctx.seed, "travel", victim.id)
        day = victim.victim.recruited
        for src, dst, point, coverage in _legs(ctx, victim):
            day += timedelta(days=rng.randint(3, 45))
            plate = derive(ctx.seed, "vehicle", victim.orgs[0], src, dst).randrange(100, 999)
            vehicle = f"{'BOAT' if dst == 'it' else 'TRUCK'}-{plate}"
            forged = victim.victim.alias is not None and dst in ("it", "gb", "de")
            if rng.random() < float(coverage):  # type: ignore[arg-type]
                _record(
                    ctx, rng, victim, day, str(src), str(dst), str(point), vehicle, alias=forged
                )
            escorts = [t for t in transporters if t.country in (src, dst)]
            if escorts and rng.random() < 0.5 and rng.random() < float(coverage):  # type: ignore[arg-type]
                _record(ctx, rng, pick(rng, escorts), day, str(src), str(dst), str(point), vehicle)


def members(ctx: Context) -> None:
    """Organisers visit their destinations; collectors carry cash back to the origin."""
    for person in ctx.people.values():
        if person.role not in ("organiser", "money_collector", "recruiter"):
            continue
        rng = derive(ctx.seed, "trips", person.id)
        org = ctx.org(person.orgs[0])
        for _ in range(rng.randint(1, 4)):
            day = ctx.start + timedelta(days=rng.randint(0, (ctx.end - ctx.start).days))
            other = org.origin if person.country != org.origin else pick(rng, org.destinations)
            if other == person.country:
                continue
            airport = pick(rng, _AIRPORTS.get(other, ["airport"]))
            flight = f"{rng.choice(['AZ', 'BA', 'LH', 'TK', 'ET', 'W6'])}{rng.randint(100, 999)}"
            _record(ctx, rng, person, day, person.country, other, airport, flight)
            back = day + timedelta(days=rng.randint(3, 20))
            home = pick(rng, _AIRPORTS.get(person.country, ["airport"]))
            _record(ctx, rng, person, back, other, person.country, home, flight)


def background(ctx: Context, index: int) -> None:
    """Ordinary trips: holidays, visits home, business; there and back."""
    rng = derive(ctx.seed, "bgtrips", index)
    rate = ctx.config["background"]["trips_per_year"] * (ctx.end - ctx.start).days / 365
    trips = int(rate) + (rng.random() < rate - int(rate))
    if not trips:
        return
    person = ctx.person(f"P{index:07d}")
    for _ in range(trips):
        day = ctx.start + timedelta(days=rng.randint(0, (ctx.end - ctx.start).days))
        home = person.country
        other = person.nationality if person.nationality != home else pick(rng, _HOLIDAY)
        flight = (
            f"{rng.choice(['AZ', 'BA', 'LH', 'FR', 'U2', 'TK', 'AT'])}{rng.randint(100, 9999)}"
        )
        _record(
            ctx,
            rng,
            person,
            day,
            home,
            other,
            pick(rng, _AIRPORTS.get(other, ["airport"])),
            flight,
        )
        back = day + timedelta(days=rng.randint(2, 30))
        _record(
            ctx,
            rng,
            person,
            back,
            other,
            home,
            pick(rng, _AIRPORTS.get(home, ["airport"])),
            flight,
        )
