"""An entity being read from one row: its facts, cleaned, with the originals kept beside.

Converters build drafts; the runner turns them into statements with provenance. A value
that cannot be normalised (a phone too short, a date nobody can read) is kept as written
and reported as a warning: it is never dropped silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.types import registry

from unweave.model import model
from unweave.normalize import values


class RowError(Exception):
    """The row cannot be loaded; the runner adds the file and row number."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field)  # both in args, so it survives pickling
        self.message = message
        self.field = field


class Fact(NamedTuple):  # a tuple: built once per value read, cheaply
    prop: str
    prop_type: str
    value: str
    original: str | None
    lang: str | None = None


@dataclass
class Context:
    """What cleaning needs to know about the source: the agency's country."""

    region: str | None  # ISO alpha-2 of the agency, default region of phone numbers


def make_id(namespace: str, *parts: str | None) -> str:
    """A stable id for an entity the source gives no id for, scoped to the dataset."""
    key = "\x1f".join(p or "" for p in parts)
    digest = hashlib.sha1(f"{namespace}\x1e{key}".encode()).hexdigest()
    return f"{namespace}-{digest[:24]}"


def get_schema(name: str, field: str = "schema") -> Schema:
    schema = model.get(name)
    if schema is None:
        raise RowError(f"unknown schema {name!r}", field=field)
    if schema.abstract:
        raise RowError(f"schema {name!r} is abstract and cannot hold data", field=field)
    return schema


def _clean_iban(raw: str, _region: str | None) -> str | None:
    return values.iban(raw)


def _clean_phone(raw: str, region: str | None) -> str | None:
    return values.phone_e164(raw, region)


def _clean_date(raw: str, _region: str | None) -> str | None:
    return values.date(raw)


def _clean_country(raw: str, _region: str | None) -> str | None:
    return values.country(raw)


Cleaner = Callable[[str, str | None], str | None]
_BY_TYPE: dict[str, Cleaner] = {
    registry.phone.name: _clean_phone,
    registry.date.name: _clean_date,
    registry.country.name: _clean_country,
}
_BY_PROP: dict[str, Cleaner] = {"iban": _clean_iban, "ibanMentioned": _clean_iban}
# Kept as written (after whitespace is collapsed): no cleaning, no cache.
_AS_WRITTEN = frozenset({registry.entity.name, registry.name.name, "string", "text"})
CLEAN_CACHE = 131_072  # distinct (kind, value, region) kept: phones repeat across rows


@lru_cache(maxsize=CLEAN_CACHE)
def clean_value(kind: str, text: str, region: str | None) -> str | None:
    """The normalised form of one value, by kind (a property name with a cleaner of its
    own, or a property type), or None if it cannot be normalised.

    Cached: a call-record file names the same phones over and over, a person file the
    same dates and countries, so each distinct value is parsed once.
    """
    cleaner = _BY_PROP.get(kind) or _BY_TYPE.get(kind)
    if cleaner is not None:
        return cleaner(text, region)
    return registry[kind].clean_text(text)


def _kind(prop: Property) -> tuple[str, bool]:
    """(cache kind, whether the default region matters) of a property's values."""
    if prop.name in _BY_PROP:
        return prop.name, False
    return prop.type.name, prop.type.name == registry.phone.name


class EntityDraft:
    def __init__(self, schema: str | Schema, entity_id: str, ctx: Context) -> None:
        self.schema = schema if isinstance(schema, Schema) else get_schema(schema)
        if not entity_id or len(entity_id) > 160:
            raise RowError("entity id is empty or longer than 160 characters", field="id")
        self.id = entity_id
        self.ctx = ctx
        self.facts: list[Fact] = []
        self.warnings: list[tuple[str, str]] = []  # (field, message)

    def prop(self, name: str, field: str | None = None) -> Property:
        prop = self.schema.get(name)
        if prop is None:
            raise RowError(f"{self.schema.name} has no property {name!r}", field=field or name)
        if prop.stub:
            raise RowError(f"{self.schema.name}:{name} is a reverse property", field=field or name)
        return prop

    def add(
        self, name: str, raw: object, field: str | None = None, lang: str | None = None
    ) -> None:
        """Add one value (or a list of values) as written; empty values are skipped."""
        if raw is None:
            return
        if isinstance(raw, list | tuple):
            for item in raw:
                self.add(name, item, field=field, lang=lang)
            return
        prop = self.prop(name, field)
        text = " ".join((raw if isinstance(raw, str) else str(raw)).split())
        if not text:
            return
        type_name = prop.type.name
        if type_name in _AS_WRITTEN and prop.name not in _BY_PROP:
            clean: str | None = text
        else:
            kind, regional = _kind(prop)
            clean = clean_value(kind, text, self.ctx.region if regional else None)
        if clean is None:
            self.warnings.append(
                (
                    field or name,
                    f"{type_name} {text!r} could not be normalised; kept as written",
                )
            )
            clean = text
        self.facts.append(Fact(prop.name, type_name, clean, text, lang))
