"""Online ads in destination cities: templated text reused across ads, one phone across
many ads and cities (the "circuit": the advertised phone moves city every two weeks),
ages stated in the ads (18-21 for the minors), photos reused (image hashes); and the ads of
independent (non-trafficked) advertisers on the same sites, so the signal is not trivial.
"""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from unweave.scenario import phones as phonebook
from unweave.scenario.context import Context
from unweave.scenario.people import CITIES, Person
from unweave.scenario.rng import derive, pick

SITES = {
    "it": "annunci-top.example.it",
    "gb": "adultwork-like.example.co.uk",
    "de": "kontaktanzeigen.example.de",
}
_OPEN = ["New in town", "Just arrived", "Sweet and young", "Exotic beauty", "Novità"]
_BODY = [
    "{name}, {age} years, {adj} and discreet. Available 24/7 in {city}. Call me {phone}",
    "{adj} girl {name} {age}yo, only a few days in {city}!!! {phone}",
    "Hi I am {name} ({age}), {adj}, new here in {city}, real photos. WhatsApp {phone}",
]
_ADJ = ["sweet", "beautiful", "sexy", "very nice", "elegant"]


def _hash(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()


def _write(
    ctx: Context,
    rng: random.Random,
    country: str,
    city: str,
    day_text: str,
    template: int,
    name: str,
    age: int,
    phone: str,
    images: list[str],
    subject: str,
    owner: str,
) -> None:
    sink = ctx.sink(country, "ads")
    phone = phonebook.written(phone, country, rng) if phone else ""
    ad_id = ctx.next_id(country, "ads")
    body = _BODY[template % len(_BODY)].format(
        name=name, age=age, adj=_ADJ[(template // 3) % len(_ADJ)], city=city, phone=phone
    )
    row = sink.write(
        {
            "ad_id": ad_id,
            "site": SITES[country],
            "url": f"https://{SITES[country]}/{city.lower().replace(' ', '-')}/{ad_id.lower()}",
            "posted": day_text,
            "city": city,
            "country": country,
            "title": f"{_OPEN[template % len(_OPEN)]} - {name} {age}",
            "text": body,
            "phones": [phone] if phone else [],
            "emails": [],
            "image_hashes": images,
            "age": age,
        }
    )
    ctx.truth.add(sink, row, "subject", subject, entity_id="", record_id=ad_id)
    ctx.truth.add(sink, row, "phones", owner, entity_id="", record_id=ad_id)
    ctx.counts["ads"] += 1


def offenders(ctx: Context) -> None:
    act = ctx.config["activity"]
    for victim in list(ctx.people.values()):
        v = victim.victim
        if v is None or v.exploitation != "sexual" or victim.country not in SITES:
            continue
        rng = derive(ctx.seed, "ads", victim.id)
        exploiter = ctx.people[v.exploiter]
        org = ctx.org(victim.orgs[0])
        cities = [c.city for c in org.cells if c.country == victim.country] or [victim.city]
        cities += [c for c in CITIES[victim.country] if c not in cities][:2]
        images = [_hash("img", victim.id, k) for k in range(rng.randint(2, 5))]
        stated = (
            min(victim.age(ctx.start), 23) if victim.age(ctx.start) >= 18 else rng.randint(18, 21)
        )
        first = max(ctx.start, v.recruited + timedelta(days=60))
        span = (ctx.end - first).days
        if span <= 0:
            continue
        for _ in range(rng.randint(*act["ads_per_sexual_victim"])):
            day = first + timedelta(days=rng.randint(0, span))
            city = cities[(day - ctx.start).days // act["ad_circuit_days"] % len(cities)]
            phone = exploiter.phone_on(day) or victim.phone_on(day) or ""
            _write(
                ctx,
                rng,
                victim.country,
                city,
                f"{day.isoformat()}T{rng.randint(8, 23):02d}:00:00",
                pick(rng, org.templates),
                victim.given.usual,
                stated,
                phone,
                rng.sample(images, k=min(len(images), 2)),
                victim.id,
                exploiter.id,
            )


def independent(ctx: Context, person: Person) -> None:
    """One background adult who advertises on her own (not a victim)."""
    if person.country not in SITES or not person.phones:
        return
    rng = derive(ctx.seed, "indads", person.id)
    images = [_hash("img", person.id, k) for k in range(3)]
    template = rng.randrange(1000)
    for _ in range(rng.randint(1, 6)):
        day = ctx.start + timedelta(days=rng.randint(0, (ctx.end - ctx.start).days))
        _write(
            ctx,
            rng,
            person.country,
            person.city,
            f"{day.isoformat()}T{rng.randint(8, 23):02d}:00:00",
            template,
            person.given.usual,
            min(person.age(ctx.start), 35),
            person.phones[0].number,
            images[:2],
            person.id,
            person.phones[0].subscriber,
        )
