"""The ground truth beside the data: persons, organisations, phones (records.csv is
written as the records are, by writers.Truth)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from unweave.scenario.context import Context
from unweave.scenario.people import Person
from unweave.scenario.writers import write_csv

PERSON_COLUMNS = [
    "person_id",
    "kind",
    "role",
    "organisation",
    "cell",
    "victim",
    "exploitation",
    "recruitment",
    "means_of_control",
    "debt",
    "debt_currency",
    "child_at_recruitment",
    "cross_border",
    "route",
    "recruiter",
    "exploiter",
    "forged_identity",
    "sex",
    "birth_date",
    "age",
    "nationality",
    "country",
    "city",
    "address",
    "household",
    "namesake_of",
    "given_name",
    "surname",
    "native_name",
]


def person_row(ctx: Context, p: Person) -> dict[str, Any]:
    v = p.victim
    native = " ".join(x for x in (p.given.native, p.surname.native) if x)
    row: dict[str, Any] = {
        "person_id": p.id,
        "kind": p.kind,
        "role": p.role,
        "organisation": ";".join(p.orgs),
        "cell": p.cell,
        "victim": int(v is not None),
        "sex": p.sex,
        "birth_date": p.birth.isoformat(),
        "age": p.age(ctx.start),
        "nationality": p.nationality,
        "country": p.country,
        "city": p.city,
        "address": p.address,
        "household": p.household,
        "namesake_of": p.namesake_of,
        "given_name": p.given.usual,
        "surname": p.surname.usual,
        "native_name": native,
    }
    if v is not None:
        row.update(
            {
                "exploitation": v.exploitation,
                "recruitment": v.recruitment,
                "means_of_control": ";".join(v.controls),
                "debt": v.debt,
                "debt_currency": v.debt_currency,
                "child_at_recruitment": int(p.age(v.recruited) < 18),
                "cross_border": int(not v.domestic),
                "route": v.route,
                "recruiter": v.recruiter,
                "exploiter": v.exploiter,
                "forged_identity": " ".join(
                    [v.alias[0].usual, v.alias[1].usual, v.alias[2].isoformat()]
                )
                if v.alias
                else "",
            }
        )
    return row


def persons(ctx: Context, on_background: Any = None) -> Iterator[dict[str, Any]]:
    for p in ctx.people.values():
        yield person_row(ctx, p)
    for index in ctx.background.indexes():
        person = ctx.person(f"P{index:07d}")
        if on_background is not None:
            on_background(index, person)
        yield person_row(ctx, person)


def organisations(ctx: Context) -> int:
    rows = []
    for org in ctx.orgs:
        route = ctx.config["routes"][org.route]
        rows.append(
            {
                "organisation_id": org.id,
                "route": org.route,
                "route_label": route["label"],
                "modus_operandi": route["modus"],
                "origin": org.origin,
                "destinations": ";".join(org.destinations),
                "cells": ";".join(f"{c.id}:{c.city}:{c.country}:{c.head}" for c in org.cells),
                "members": len(org.members),
                "victims": len(ctx.victims_of.get(org.id, [])),
                "shares_broker_with": ";".join(org.shared_with),
            }
        )
    columns = list(rows[0]) if rows else ["organisation_id"]
    return write_csv(ctx.root / "truth" / "organisations.csv", columns, rows)


PHONE_COLUMNS = ["phone", "subscriber", "users", "kind", "start", "end"]


def phone_rows(people: Any) -> Iterator[dict[str, Any]]:
    seen: set[tuple[str, str]] = set()
    for p in people:
        for ph in p.phones:
            key = (ph.number, ph.start.isoformat())
            if key in seen:
                continue
            seen.add(key)
            yield {
                "phone": ph.number,
                "subscriber": ph.subscriber,
                "users": ";".join(ph.users),
                "kind": ph.kind,
                "start": ph.start.isoformat(),
                "end": ph.end.isoformat(),
            }
