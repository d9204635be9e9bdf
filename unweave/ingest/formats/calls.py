"""Call detail records: caller, callee, start, duration, cell -> FtM Call."""

from __future__ import annotations

from typing import Any

from unweave.ingest.draft import EntityDraft, RowError, make_id
from unweave.ingest.formats import Format, FormatContext, text


def convert(record: dict[str, Any], ctx: FormatContext) -> list[EntityDraft]:
    caller, callee, start = text(record, "caller"), text(record, "callee"), text(record, "start")
    for name, value in (("caller", caller), ("callee", callee), ("start", start)):
        if not value:
            raise RowError("required value is empty", field=name)
    call_id = text(record, "call_id")
    call = EntityDraft("Call", make_id(ctx.dataset, "call", call_id or caller, callee, start), ctx)
    call.add("callerNumber", caller, field="caller")
    call.add("receiverNumber", callee, field="callee")
    call.add("startDate", start, field="start")
    duration = text(record, "duration")
    if duration:
        try:
            seconds = float(duration)
        except ValueError:
            raise RowError(
                f"duration {duration!r} is not a number of seconds", "duration"
            ) from None
        if seconds < 0:
            raise RowError("duration is negative", field="duration")
        call.add("duration", f"{seconds:g}", field="duration")
    call.add("recordId", call_id or None, field="call_id")
    cell = text(record, "cell")
    if cell:
        call.add("description", f"cell {cell}", field="cell")
    return [call]


FORMAT = Format(
    name="calls",
    tabular=True,
    required=frozenset({"caller", "callee", "start"}),
    convert=convert,
    description="call detail records",
)
