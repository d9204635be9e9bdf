"""Which format a file is in, from its extension, header or first JSON object."""

from __future__ import annotations

from pathlib import Path

from unweave.errors import InvalidInput
from unweave.ingest.source import first_json_keys, peek_text

TABLE_SUFFIXES = {".csv", ".xlsx"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson", ".ftm"}


def detect_format(path: Path, encoding: str, has_mapping: bool) -> str:
    suffix = path.suffix.lower()
    if suffix == ".tsv":
        raise InvalidInput(
            str(path), "tab-separated files are not read", hint="save it as CSV (commas)"
        )
    if has_mapping:
        return "mapped"
    if suffix == ".xlsx":
        raise InvalidInput(str(path), "an XLSX file needs a mapping", hint="pass --mapping FILE")
    if suffix in JSON_SUFFIXES:
        keys = first_json_keys(path, encoding)
        if "ad_id" in keys:
            return "ads"
        if {"id", "schema"} <= keys:
            return "ftm"
        raise InvalidInput(
            str(path),
            "cannot tell the format from the first line",
            row=1,
            hint="pass --format ftm or --format ads",
        )
    if suffix in TABLE_SUFFIXES:
        first = peek_text(path, encoding).split("\n", 1)[0].lower()
        header = {h.strip().strip('"').lstrip("\ufeff") for h in first.split(",")}
        for fmt, needs in (
            ("calls", {"caller", "callee"}),
            ("transactions", {"payer", "payee"}),
            ("travel", {"from_country", "to_country"}),
        ):
            if needs <= header:
                return fmt
        raise InvalidInput(
            str(path),
            "cannot tell the format from the header",
            row=0,
            hint="pass --format calls|transactions|travel, or --mapping FILE",
        )
    raise InvalidInput(str(path), f"unknown file type {suffix!r}", hint="pass --format")
