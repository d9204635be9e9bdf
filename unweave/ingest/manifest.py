"""A manifest loads a folder in one command: agencies, datasets, then files (docs/formats.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from unweave.errors import InvalidInput, NotFound
from unweave.ingest.runner import IngestOptions, IngestReport
from unweave.store.db import Store
from unweave.store.registry import add_agency, add_dataset, get_agency, get_dataset


@dataclass
class ManifestFile:
    path: Path
    options: IngestOptions


def _require(entry: dict[str, Any], key: str, where: str, manifest: Path) -> Any:
    value = entry.get(key)
    if value in (None, ""):
        raise InvalidInput(str(manifest), f"{where} has no {key!r}", field=key)
    return value


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(str(path), f"unreadable manifest: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise InvalidInput(str(path), "a manifest needs a `files:` list", field="files")
    return data


def is_manifest(path: Path) -> bool:
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and "files" in data


def register(store: Store, manifest: Path, data: dict[str, Any]) -> None:
    """Create the agencies and datasets the manifest names, leaving existing ones alone."""
    for i, entry in enumerate(data.get("agencies") or [], start=1):
        code = _require(entry, "code", f"agency #{i}", manifest)
        try:
            get_agency(store, code)
        except NotFound:
            add_agency(
                store,
                code,
                entry.get("name") or code,
                _require(entry, "country", f"agency {code}", manifest),
            )
    for i, entry in enumerate(data.get("datasets") or [], start=1):
        name = _require(entry, "name", f"dataset #{i}", manifest)
        try:
            get_dataset(store, name)
        except NotFound:
            retention = entry.get("retention")
            if isinstance(retention, str):
                retention = date.fromisoformat(retention)
            add_dataset(
                store,
                name,
                _require(entry, "agency", f"dataset {name}", manifest),
                handling=str(entry.get("handling") or "H0"),
                conditions=entry.get("conditions"),
                legal_basis=entry.get("legal_basis"),
                retention_until=retention,
            )


def manifest_files(manifest: Path, data: dict[str, Any], **common: Any) -> Iterator[ManifestFile]:
    base = manifest.parent
    for i, entry in enumerate(data["files"], start=1):
        if not isinstance(entry, dict):
            raise InvalidInput(str(manifest), f"file entry #{i} is not a mapping", row=i)
        rel = _require(entry, "path", f"file #{i}", manifest)
        mapping = entry.get("mapping")
        yield ManifestFile(
            path=base / rel,
            options=IngestOptions(
                dataset=_require(entry, "dataset", f"file {rel}", manifest),
                format=entry.get("format"),
                mapping=base / mapping if mapping else None,
                handling=entry.get("handling"),
                encoding=entry.get("encoding") or "utf-8",
                **common,
            ),
        )


def ingest_manifest(
    store: Store,
    manifest: Path,
    run: Callable[[Store, Path, IngestOptions], IngestReport] | None = None,
    **common: Any,
) -> list[IngestReport]:
    """Register the manifest's agencies and datasets, then load its files in order.

    ``run`` loads one file (the command line passes one with a progress bar).
    """
    from unweave.ingest.runner import ingest_file

    data = load_manifest(manifest)
    register(store, manifest, data)
    load = run or ingest_file
    return [
        load(store, item.path, item.options) for item in manifest_files(manifest, data, **common)
    ]
