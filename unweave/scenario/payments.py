"""Money: victims' earnings to exploiters and collectors, transfers to the origin by
money-transfer operator (structured below the reporting threshold, often sent in the
victims' own names) or by hawala, ransoms paid by relatives abroad, and the ordinary
payments of the background population (rent, transfers, legitimate remittances home).

An agency holds the transactions whose payer or payee is in its country (suspicious
transaction reports, production orders, seized hawala ledgers).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from unweave.scenario import accounts, noise
from unweave.scenario.context import Context
from unweave.scenario.people import Person
from unweave.scenario.rng import derive, pick


def _money(ctx: Context, eur: float, country: str) -> tuple[str, str]:
    currency, rate = ctx.config["currency"].get(country, ["EUR", 1.0])
    return f"{eur * float(rate):.2f}", str(currency)


def pay(
    ctx: Context,
    rng: random.Random,
    payer: Person,
    payee: Person,
    day: date,
    eur: float,
    channel: str,
    purpose: str,
    country: str | None = None,
) -> None:
    country = country or payer.country
    amount, currency = _money(ctx, eur, country)
    providers = ctx.config["providers"].get(channel, ["bank"])
    provider = pick(rng, providers)
    holders = sorted({c for c in (payer.country, payee.country) if c in ctx.agencies})
    for agency in holders:
        sink = ctx.sink(agency, "transactions")
        payer_w = noise.person(rng, payer, agency, ctx.config)
        payee_w = noise.person(rng, payee, agency, ctx.config)
        row = sink.write(
            {
                "transaction_id": ctx.next_id(agency, "transactions"),
                "date": day.isoformat(),
                "payer": payer_w.name,
                "payer_account": payer.account if channel == "bank" else "",
                "payer_country": payer.country.upper(),
                "payee": payee_w.name,
                "payee_account": payee.account if channel == "bank" else "",
                "payee_country": payee.country.upper(),
                "amount": amount,
                "currency": currency,
                "channel": channel,
                "provider": provider if channel != "bank" else _bank(payer),
                "purpose": purpose,
            }
        )
        ctx.truth.add(sink, row, "payer", payer.id)
        ctx.truth.add(sink, row, "payee", payee.id)
        ctx.counts["transactions"] += 1


def _bank(person: Person) -> str:
    return f"Bank {person.account[4:8]}" if person.country in accounts.IBAN_COUNTRIES else "bank"


def _relative(ctx: Context, rng: random.Random, nationality: str) -> Person | None:
    """A relative abroad who pays the ransom: an adult of the victim's nationality."""
    for _ in range(30):
        person = ctx.person(ctx.background_id(rng))
        if person.nationality == nationality and person.age(ctx.start) >= 18:
            return person
    return None


def _structured(rng: random.Random, total: float, threshold: float) -> list[float]:
    """Split a sum into transfers just below the reporting threshold."""
    out = []
    while total > 50:
        part = min(total, threshold * rng.uniform(0.72, 0.99))
        out.append(round(part, 0))
        total -= part
    return out


def offenders(ctx: Context) -> None:
    act = ctx.config["activity"]
    threshold = float(act["mto_threshold"])
    for org in ctx.orgs:
        rng = derive(ctx.seed, "money", org.id)
        exploiters = org.by_role(ctx.people, "exploiter")
        collectors = org.by_role(ctx.people, "money_collector") or exploiters
        organisers = org.by_role(ctx.people, "organiser") or collectors
        victims = ctx.victims_of.get(org.id, [])
        if not exploiters or not victims:
            continue
        month = ctx.start
        while month <= ctx.end:
            active = [
                v for v in victims if v.victim and v.victim.recruited + timedelta(60) <= month
            ]
            earned = sum(rng.uniform(*act["earnings_per_week"]) * 4 for _ in active)
            if org.route == "er_it":
                for victim in active[: max(1, len(active) // 4)]:
                    relative = _relative(ctx, rng, victim.nationality)
                    if relative is None:
                        continue
                    collector = pick(rng, collectors)
                    pay(
                        ctx,
                        rng,
                        relative,
                        collector,
                        month + timedelta(rng.randint(0, 27)),
                        rng.uniform(1500, 4000),
                        "hawala",
                        f"for {victim.given.usual}",
                    )
            if org.route == "ua_de":
                for victim in active:
                    boss = ctx.people[victim.victim.exploiter] if victim.victim else exploiters[0]
                    day = month + timedelta(rng.randint(0, 27))
                    pay(ctx, rng, boss, victim, day, rng.uniform(900, 1400), "bank", "Lohn")
                    pay(
                        ctx,
                        rng,
                        victim,
                        boss,
                        day + timedelta(2),
                        rng.uniform(600, 1000),
                        "bank",
                        "Miete und Vermittlung",
                    )
            for part in _structured(rng, earned * 0.7, threshold):
                sender = pick(rng, active + exploiters) if active else pick(rng, exploiters)
                day = month + timedelta(rng.randint(0, 27))
                if rng.random() < 0.3:
                    pay(ctx, rng, sender, pick(rng, collectors), day, part, "bank", "")
                else:
                    receiver = pick(rng, organisers if rng.random() < 0.5 else collectors)
                    channel = "hawala" if org.route in ("er_it",) else "mto"
                    pay(ctx, rng, sender, receiver, day, part, channel, "family support")
            month = (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def background(ctx: Context, index: int) -> None:
    rng = derive(ctx.seed, "bgpay", index)
    bg = ctx.config["background"]
    months = (ctx.end - ctx.start).days / 30.4
    person = ctx.person(f"P{index:07d}")
    if person.age(ctx.start) < 18:
        return
    for _ in range(int(bg["payments_per_month"] * months * rng.random() * 2)):
        day = ctx.start + timedelta(days=rng.randint(0, (ctx.end - ctx.start).days))
        offset = rng.randint(-200, 200) or 1
        other = ctx.person(ctx.background_near(index, offset))
        if person.nationality != person.country and rng.random() < bg["remittance_share"]:
            for _ in range(10):
                home = ctx.person(ctx.background_id(rng))
                if home.country == person.nationality and home.age(ctx.start) >= 18:
                    pay(ctx, rng, person, home, day, rng.uniform(80, 600), "mto", "family support")
                    break
        else:
            purpose = rng.choice(["rent", "loan", "gift", "invoice", "car", ""])
            pay(ctx, rng, person, other, day, rng.uniform(20, 1500), "bank", purpose)
