"""Criminal organisations along the route types: cells by city, roles, shared handlers.

Each organisation follows one route of config.yaml. It has a cell in every city of the
route's countries that its roles need: recruiters in the origin, transporters and forgers
in transit, exploiters ("madams"), enforcers and money collectors in the destinations, and
an organiser in the origin or a destination. Some organisations share their money
collector (a hawala agent) or their forger with another, as real ones do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from unweave.scenario import phones
from unweave.scenario.people import Person, Phone, make_person, person_id
from unweave.scenario.rng import derive, pick, quota

ROLES = (
    "organiser",
    "recruiter",
    "transporter",
    "forger",
    "exploiter",
    "enforcer",
    "money_collector",
)


@dataclass(slots=True)
class Cell:
    id: str
    org: str
    country: str
    city: str
    head: str = ""
    members: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Organisation:
    id: str
    route: str
    origin: str
    destinations: list[str]
    cells: list[Cell] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    templates: list[int] = field(default_factory=list)
    shared_with: list[str] = field(default_factory=list)

    def by_role(self, people: dict[str, Person], role: str) -> list[Person]:
        return [people[m] for m in self.members if people[m].role == role]


def _transit(route: dict[str, Any]) -> list[str]:
    dest = set(route["destination"])
    return [c for c in route["cities"] if c != route["origin"] and c not in dest]


def _home(role: str, route: dict[str, Any], rng: random.Random) -> str:
    transit = _transit(route)
    if role in ("recruiter",):
        return route["origin"]
    if role in ("transporter", "forger") and transit:
        return pick(rng, transit)
    if role == "organiser" and rng.random() < 0.5:
        return route["origin"]
    return pick(rng, route["destination"])


def _nationality(
    role: str,
    route_key: str,
    route: dict[str, Any],
    country: str,
    config: dict[str, Any],
    rng: random.Random,
) -> str:
    if role == "transporter" and country in ("ly", "sd", "ne"):
        return country  # desert and sea crossings are run by local smugglers
    if route_key == "ua_de" and role == "exploiter" and rng.random() < 0.5:
        return "de"  # labour exploitation by local employers and gangmasters
    if route_key == "ro_de" and rng.random() < config["ro_de_bulgarian_share"]:
        return "bg"
    return str(route["origin"])


def _burners(
    rng: random.Random, country: str, pid: str, start: date, end: date, mean_days: float
) -> list[Phone]:
    out, day = [], start
    while day <= end:
        life = min(max(7, int(rng.expovariate(1 / mean_days))), (end - day).days + 1)
        stop = min(end, day + timedelta(days=life))
        out.append(Phone(phones.mobile(country, rng), day, stop, pid, (pid,), "burner"))
        day = stop + timedelta(days=1)
    return out


def build(
    seed: int, config: dict[str, Any], count: int, start: date, end: date
) -> tuple[list[Organisation], dict[str, Person]]:
    """The organisations and their members (ids P0000000 onwards, in order)."""
    routes = config["routes"]
    per_route = quota(count, {k: 1.0 for k in routes})
    people: dict[str, Person] = {}
    orgs: list[Organisation] = []
    low, high = config["ages"]["offender"]
    for route_key, route in routes.items():
        for _ in range(max(per_route[route_key], 1)):
            oid = f"O{len(orgs) + 1:03d}"
            rng = derive(seed, "org", oid)
            org = Organisation(oid, route_key, route["origin"], list(route["destination"]))
            org.templates = [rng.randrange(1000) for _ in range(3)]
            cells: dict[tuple[str, str], Cell] = {}
            for role in ROLES:
                for _ in range(int(route["roles"].get(role, 0))):
                    country = _home(role, route, rng)
                    city = pick(rng, route["cities"][country])
                    nat = _nationality(role, route_key, route, country, config, rng)
                    sex = (
                        "female"
                        if (role == "exploiter" and route_key == "ng_it") or (rng.random() < 0.25)
                        else "male"
                    )
                    pid = person_id(len(people))
                    member = make_person(
                        rng,
                        pid,
                        nat,
                        sex,
                        rng.randint(low, high),
                        country,
                        city,
                        "member",
                        start,
                    )
                    member.role, member.orgs = role, [oid]
                    cell = cells.get((country, city))
                    if cell is None:
                        cell = Cell(f"{oid}-C{len(cells) + 1}", oid, country, city)
                        cells[(country, city)] = cell
                    cell.members.append(pid)
                    cell.head = cell.head or pid
                    member.cell = cell.id
                    burner = role in ("organiser", "exploiter", "transporter", "enforcer")
                    days = config["activity"]["burner_days"] if burner else 10**6
                    member.phones = _burners(rng, country, pid, start, end, days)
                    people[pid] = member
                    org.members.append(pid)
            org.cells = list(cells.values())
            orgs.append(org)
    _share(seed, config, orgs, people)
    return orgs, people


def _share(
    seed: int, config: dict[str, Any], orgs: list[Organisation], people: dict[str, Person]
) -> None:
    """Some organisations use another's money collector or forger (cross-org brokers)."""
    rng = derive(seed, "sharing")
    for role, share in (
        ("money_collector", config["shared_handler_share"]),
        ("forger", config["shared_forger_share"]),
    ):
        for org in orgs:
            if rng.random() >= share:
                continue
            others = [o for o in orgs if o.id != org.id and o.by_role(people, role)]
            if not others:
                continue
            other = pick(rng, others)
            broker = other.by_role(people, role)[0]
            if org.id not in broker.orgs:
                broker.orgs.append(org.id)
                org.members.append(broker.id)
                org.shared_with.append(other.id)
