"""Case files: arrests and identified victims (FtM JSON lines), phone subscriber records
and the contact lists of seized phones (CSV tables with an FtM mapping).

Case-report entities get ids chosen here (``it-cases-000001``); they never reveal the true
person, which only truth/records.csv names.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache
from typing import Any

import yaml

from unweave.model import model
from unweave.scenario import noise, phones
from unweave.scenario.context import Context
from unweave.scenario.formats import MAPPINGS
from unweave.scenario.namebank import SCRIPT
from unweave.scenario.people import Person
from unweave.scenario.rng import derive


@cache
def _mapping(kind: str, dataset: str) -> Any:
    """The FtM mapping as ingest builds it (key prefix = dataset), to know the entity ids."""
    return model.make_mapping(MAPPINGS[kind] | {"csv_url": "unused"}, key_prefix=dataset)


def mapped_id(kind: str, dataset: str, record: dict[str, str]) -> str:
    """The id FtM's mapping gives the row's entity, as it will be in the store."""
    mapping = _mapping(kind, dataset)
    name = {"contacts": "contact"}.get(kind)
    emap = next(e for e in mapping.entities if name is None or e.name == name)
    return emap.compute_key(record) or ""


def entity(
    ctx: Context, agency: str, schema: str, props: dict[str, list[str]], person: str = ""
) -> str:
    sink = ctx.sink(agency, "cases")
    eid = f"{agency}-case-{sink.rows + 1:07d}"
    clean = {k: [v for v in vs if v] for k, vs in props.items()}
    row = sink.write(
        {"id": eid, "schema": schema, "properties": {k: v for k, v in clean.items() if v}}
    )
    if person:
        ctx.truth.add(sink, row, "name", person, entity_id=eid)
    ctx.counts["case_entities"] += 1
    return eid


def suspect(ctx: Context, rng: random.Random, agency: str, who: Person, day: date) -> str:
    w = noise.person(rng, who, agency, ctx.config)
    phone = who.phone_on(day)
    return entity(
        ctx,
        agency,
        "Person",
        {
            "name": [w.name],
            "birthDate": [noise.written_date(rng, who.birth, 0.0) if w.birth_date else ""],
            "gender": [who.sex],
            "nationality": [who.nationality],
            "address": [who.address if rng.random() < 0.7 else ""],
            "passportNumber": [w.document],
            "phone": [phones.written(phone, agency, rng) if phone else ""],
            "topics": ["crime.traffick"] if who.kind == "member" else [],
            "notes": ["presumed victim of trafficking, referred to protection"]
            if who.kind == "victim"
            else [],
        },
        person=who.id,
    )


def arrests(
    ctx: Context,
    seized: list[tuple[str, Person, date]],
    identified: list[tuple[str, Person, date]] | None = None,
) -> None:
    """Action days: a share of each cell in an agency's country is arrested together;
    the victims found then are appended to ``identified`` (agency, victim, day)."""
    share = ctx.config["activity"]["arrest_share"]
    for org in ctx.orgs:
        rng = derive(ctx.seed, "arrests", org.id)
        for cell in org.cells:
            if cell.country not in ctx.agencies:
                continue
            caught = [ctx.people[m] for m in cell.members if rng.random() < share]
            if not caught:
                continue
            day = ctx.start + timedelta(days=rng.randint(120, (ctx.end - ctx.start).days))
            agency = cell.country
            ids = [suspect(ctx, rng, agency, who, day) for who in caught]
            victims = [v for v in ctx.victims_of.get(org.id, []) if v.cell == cell.id]
            found = [
                v
                for v in victims
                if rng.random() < ctx.config["activity"]["victim_identified_share"]
            ]
            safe = [suspect(ctx, rng, agency, v, day) for v in found]
            entity(
                ctx,
                agency,
                "Event",
                {
                    "name": [f"Arrest, {cell.city}"],
                    "date": [day.isoformat()],
                    "country": [agency],
                    "location": [cell.city],
                    "involved": ids,
                    "summary": [f"{len(caught)} arrested"],
                },
            )
            for victim_id in safe:  # recorded as victims: ingest encrypts who they are
                entity(
                    ctx,
                    agency,
                    "VictimIdentification",
                    {
                        "person": [victim_id],
                        "date": [day.isoformat()],
                        "authority": [f"{agency.upper()} anti-trafficking unit"],
                        "referral": ["national referral mechanism"],
                    },
                )
            if safe:  # a separate event: victims are never "involved" in an arrest
                entity(
                    ctx,
                    agency,
                    "Event",
                    {
                        "name": [f"Presumed victims identified, {cell.city}"],
                        "date": [day.isoformat()],
                        "country": [agency],
                        "location": [cell.city],
                        "involved": safe,
                        "summary": [f"{len(safe)} referred to protection and support"],
                    },
                )
            seized += [(agency, who, day) for who in caught]
            if identified is not None:
                identified += [(agency, v, day) for v in found]


def contacts(ctx: Context, seized: list[tuple[str, Person, date]]) -> None:
    """The address book of each seized phone: names as their owner saved them."""
    for agency, owner, day in seized:
        rng = derive(ctx.seed, "contacts", owner.id)
        number = owner.phone_on(day)
        if not number:
            continue
        org = ctx.org(owner.orgs[0])
        known = [m for m in org.members if m != owner.id]
        known += [v.id for v in ctx.victims_of.get(org.id, []) if v.cell == owner.cell]
        sink = ctx.sink(agency, "contacts")
        for pid in known:
            other = ctx.people[pid]
            phone = other.phone_on(day)
            if not phone or rng.random() < 0.3:
                continue
            native = SCRIPT.get(other.nationality) and other.nationality == owner.nationality
            given = other.given.native if native and other.given.native else other.given.usual
            surname = (
                other.surname.native if native and other.surname.native else other.surname.usual
            )
            style = rng.random()
            name = (
                given
                if style < 0.3
                else f"{given} {surname}"
                if style < 0.8
                else f"{given} {other.city}"
            )
            record = {
                "owner_phone": phones.written(number, agency, rng),
                "contact_name": name,
                "contact_phone": phones.written(phone, agency, rng),
            }
            row = sink.write(record)
            eid = mapped_id("contacts", sink.dataset, record)
            ctx.truth.add(sink, row, "contact_name", pid, entity_id=eid)
            ctx.counts["contacts"] += 1


def subscriber(ctx: Context, rng: random.Random, person: Person, agency: str) -> None:
    """Who a phone of ``agency``'s country is registered to; burners to someone else."""
    sink = ctx.sink(agency, "subscribers")
    for phone in person.phones:
        if phones.region(phone.number) != agency:
            continue
        if phone.kind == "controlled":
            holder = ctx.person(phone.subscriber)  # registered by the exploiter
        elif phone.subscriber != person.id:
            continue
        else:
            holder = person
        if phone.kind == "burner" and rng.random() < 0.6:
            for _ in range(5):  # a straw subscriber, an adult
                holder = ctx.person(ctx.background_id(rng))
                if holder.age(ctx.start) >= 18:
                    break
        w = noise.person(rng, holder, agency, ctx.config)
        record = {
            "phone": phones.written(phone.number, agency, rng),
            "subscriber_name": w.name,
            "birth_date": w.birth_date,
            "address": holder.address,
            "document_number": w.document,
            "activated": phone.start.isoformat(),
        }
        row = sink.write(record)
        eid = mapped_id("subscribers", sink.dataset, record)
        ctx.truth.add(sink, row, "subscriber_name", holder.id, entity_id=eid)
        ctx.counts["subscribers"] += 1


def write_mappings(ctx: Context) -> None:
    for sink in ctx.sinks.values():
        if sink.mapping:
            kind = sink.rel.split("/")[-1].removesuffix(".csv")
            path = ctx.root / sink.mapping
            path.write_text(
                "# FtM mapping (FtM's own format) for "
                + sink.rel
                + "\n"
                + yaml.safe_dump(MAPPINGS[kind], sort_keys=True, allow_unicode=True),
                encoding="utf-8",
            )
