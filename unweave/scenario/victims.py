"""Victims: sex, age, origin, recruitment, exploitation, means of control and debts.

Shares are drawn by quota, not by chance, so that a few hundred victims already meet the
calibration targets of config.yaml: per route, exactly round(n * share) are female, are
children, are trafficked within their own country.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from unweave.scenario import phones
from unweave.scenario.namebank import pool
from unweave.scenario.organisations import Organisation
from unweave.scenario.people import Person, Phone, Victim, birth_for_age, make_person, person_id
from unweave.scenario.rng import derive, flags, pick, quota, weighted


def build(
    seed: int,
    config: dict[str, Any],
    count: int,
    orgs: list[Organisation],
    people: dict[str, Person],
    start: date,
    end: date,
) -> list[Person]:
    """``count`` victims, spread over the routes by weight, ids after the members."""
    routes = config["routes"]
    per_route = quota(count, {k: float(r["weight"]) for k, r in routes.items()})
    victims: list[Person] = []
    next_index = len(people)
    for route_key, route in routes.items():
        n = per_route[route_key]
        route_orgs = [o for o in orgs if o.route == route_key]
        if n == 0 or not route_orgs:
            continue
        rng = derive(seed, "victims", route_key)
        female = flags(rng, n, route["female"])
        child = flags(rng, n, route["child"])
        domestic = flags(rng, n, route["domestic"])
        forms = [k for k, c in quota(n, route["exploitation"]).items() for _ in range(c)]
        rng.shuffle(forms)
        for i in range(n):
            org = route_orgs[i % len(route_orgs)]
            dest_cells = [c for c in org.cells if c.country in org.destinations]
            cell = pick(rng, dest_cells or org.cells)
            nationality = cell.country if domestic[i] else route["origin"]
            if not domestic[i] and route_key == "er_it" and rng.random() < 0.2:
                nationality = "sd"
            if not domestic[i] and route_key == "ro_de" and rng.random() < 0.35:
                nationality = "bg"
            band = config["ages"]["child" if child[i] else "adult"]
            recruited = start + timedelta(days=rng.randint(-240, 300))
            age_then = rng.randint(*band)
            pid = person_id(next_index)
            next_index += 1
            victim = make_person(
                rng,
                pid,
                nationality,
                "female" if female[i] else "male",
                0,
                cell.country,
                cell.city,
                "victim",
                start,
            )
            victim.birth = birth_for_age(rng, age_then, recruited)
            victim.orgs, victim.cell, victim.role = [org.id], cell.id, "victim"
            recruiters = org.by_role(people, "recruiter") or org.by_role(people, "organiser")
            exploiters = [people[m] for m in cell.members if people[m].role == "exploiter"]
            exploiters = exploiters or org.by_role(people, "exploiter") or recruiters
            low, high = config["control_per_victim"]
            controls = rng.sample(
                route["control"], k=min(len(route["control"]), rng.randint(low, high))
            )
            debt_low, debt_high, currency = route["debt"]
            victim.victim = Victim(
                route=route_key,
                exploitation=forms[i],
                recruitment=weighted(rng, route["recruitment"]),
                controls=tuple(controls),
                debt=round(rng.randint(debt_low, debt_high), -2),
                debt_currency=currency,
                recruited=recruited,
                domestic=domestic[i],
                recruiter=pick(rng, recruiters).id,
                exploiter=pick(rng, exploiters).id,
            )
            if not domestic[i] and rng.random() < config["forged_document_share"]:
                alias_nat = nationality if rng.random() < 0.5 else cell.country
                victim.victim.alias = (
                    pick(rng, pool(alias_nat, "female" if female[i] else "male")),
                    pick(rng, pool(alias_nat, "surname")),
                    birth_for_age(rng, rng.randint(19, 30), recruited),
                )
            number = phones.mobile(cell.country, rng)
            victim.phones = [
                Phone(number, start, end, victim.victim.exploiter, (pid,), "controlled")
            ]
            victims.append(victim)
    return victims
