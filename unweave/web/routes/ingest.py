"""Upload a file into one of the user's agency's datasets (the same loader as the CLI)."""

from __future__ import annotations

import re
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from unweave import settings
from unweave.errors import Forbidden, InvalidInput, NotFound
from unweave.ingest.runner import IngestOptions, ingest_file
from unweave.store.registry import get_dataset, list_datasets
from unweave.web.auth import Reader, ReaderDep, WriterDep
from unweave.web.render import render

api = APIRouter(prefix="/api", tags=["ingest"])
pages = APIRouter(include_in_schema=False)
LOADERS = frozenset({"analyst", "coordinator", "admin"})
CHUNK = 1 << 20


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload").name
    return re.sub(r"[^\w.\-]", "_", base)[:120] or "upload"


def _named(exc: InvalidInput, temporary: str, name: str) -> InvalidInput:
    """The error as the user knows the file: by its name, not the server's temporary path."""
    exc.message = exc.message.replace(temporary, name)
    exc.problem.file = exc.problem.file.replace(temporary, name)
    for problem in getattr(exc, "problems", []):
        problem.file = problem.file.replace(temporary, name)
    return exc


def ingest_upload(
    who: Reader, upload: UploadFile, dataset: str, fmt: str | None
) -> dict[str, Any]:
    who.require(LOADERS, "load data")
    try:
        info = get_dataset(who.store, dataset)
    except NotFound:
        info = None
    if info is None or info.agency_code != who.user.agency:
        raise Forbidden(f"{who.user.agency} has no dataset named {dataset!r} to load into")
    limit = settings.get_int(settings.MAX_FILE_SIZE)
    name = _safe_name(upload.filename)
    with tempfile.TemporaryDirectory(prefix="unweave-upload-") as tmp:
        path = Path(tmp) / name
        size = 0
        with path.open("wb") as out:
            while chunk := upload.file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InvalidInput(name, f"larger than the {limit} bytes accepted")
                out.write(chunk)
        opts = IngestOptions(dataset=dataset, format=fmt or None, user=who.user.username)
        try:
            report = ingest_file(who.store, path, opts)
        except InvalidInput as exc:
            raise _named(exc, str(path), name) from None
    who.changed()
    data = asdict(report)
    data["file"] = name
    return data


@api.post("/ingest", summary="Load an uploaded file into a dataset of the user's agency")
def ingest_api(
    who: WriterDep,
    file: Annotated[UploadFile, File()],
    dataset: Annotated[str, Form(min_length=1, max_length=128)],
    format: Annotated[str | None, Form(max_length=32)] = None,
) -> dict[str, Any]:
    return ingest_upload(who, file, dataset, format)


def _own(who: Reader) -> list[str]:
    return [d.name for d in list_datasets(who.store) if d.agency_code == who.user.agency]


@pages.get("/ingest")
def ingest_page(request: Request, who: ReaderDep) -> Response:
    return render(request, "ingest.html", {"datasets": _own(who), "report": None})


@pages.post("/ingest")
def ingest_post(
    request: Request,
    who: WriterDep,
    file: Annotated[UploadFile, File()],
    dataset: Annotated[str, Form(max_length=128)],
) -> Response:
    report = ingest_upload(who, file, dataset, None)
    return render(request, "ingest.html", {"datasets": _own(who), "report": report})
