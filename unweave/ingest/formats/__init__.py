"""The input formats (docs/formats.md): each turns one record into entity drafts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from unweave.ingest.draft import Context, EntityDraft


@dataclass
class FormatContext(Context):
    """What a converter needs besides the record: dataset namespace, region, mapping."""

    dataset: str = ""
    mapping: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


Converter = Callable[[dict[str, Any], FormatContext], list[EntityDraft]]


@dataclass(frozen=True)
class Format:
    name: str
    tabular: bool  # CSV/XLSX rows; otherwise JSON lines
    required: frozenset[str]  # columns or keys a record must have
    convert: Converter
    description: str


def formats() -> dict[str, Format]:
    from unweave.ingest.formats import ads, calls, ftm, mapped, transactions, travel

    return {
        f.name: f
        for f in (
            ftm.FORMAT,
            mapped.FORMAT,
            calls.FORMAT,
            transactions.FORMAT,
            travel.FORMAT,
            ads.FORMAT,
        )
    }


def text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()
