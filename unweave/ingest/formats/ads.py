"""Online advertisements as JSON lines -> OnlineAd (Unweave's FtM extension)."""

from __future__ import annotations

from typing import Any

from unweave.ingest.draft import EntityDraft, RowError, make_id
from unweave.ingest.formats import Format, FormatContext, text


def _list(record: dict[str, Any], key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise RowError(f"{key} must be a list", field=key)
    return [str(v) for v in value if v is not None]


def convert(record: dict[str, Any], ctx: FormatContext) -> list[EntityDraft]:
    for name in ("ad_id", "site", "posted"):
        if not text(record, name):
            raise RowError("required value is empty", field=name)
    site, ad_id = text(record, "site"), text(record, "ad_id")
    ad = EntityDraft("OnlineAd", make_id(ctx.dataset, "ad", site, ad_id), ctx)
    ad.add("adId", ad_id, field="ad_id")
    ad.add("site", site, field="site")
    ad.add("url", text(record, "url") or None, field="url")
    ad.add("postedAt", text(record, "posted"), field="posted")
    ad.add("city", text(record, "city") or None, field="city")
    ad.add("country", text(record, "country") or None, field="country")
    ad.add("title", text(record, "title") or None, field="title")
    ad.add("name", text(record, "title") or f"{site} {ad_id}", field="title")
    ad.add("bodyText", text(record, "text") or None, field="text")
    ad.add("phone", _list(record, "phones"), field="phones")
    ad.add("email", _list(record, "emails"), field="emails")
    ad.add("imageHash", _list(record, "image_hashes"), field="image_hashes")
    age = record.get("age")
    if age not in (None, ""):
        try:
            years = int(str(age))
        except ValueError:
            raise RowError(f"age {age!r} is not a whole number", field="age") from None
        ad.add("statedAge", str(years), field="age")
    return [ad]


FORMAT = Format(
    name="ads",
    tabular=False,
    required=frozenset({"ad_id", "site", "posted"}),
    convert=convert,
    description="online advertisements as JSON lines",
)
