"""Loading one file into the store: one transaction, all or nothing by default.

The run is written inside the same transaction as its statements, so a process killed in
the middle leaves the store as it was before the file. A refused file is recorded as a
failed run, in a transaction of its own, with the errors found.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, select

from unweave import settings
from unweave.errors import ConfigError, IngestRejected, InvalidInput, NotFound, Problem
from unweave.ingest.detect import detect_format
from unweave.ingest.formats import formats
from unweave.ingest.rows import Source, chunks
from unweave.ingest.schemata import check_schemata as _check_schemata
from unweave.ingest.source import check_file, content_hash
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.protect import compact, protect_store
from unweave.store.registry import (
    DatasetInfo,
    check_handling,
    ensure_dataset,
    get_dataset,
    utcnow,
)
from unweave.store.tables import ingest_runs, statements
from unweave.store.writer import StatementWriter

Progress = Callable[[int], None]  # bytes (or rows, for XLSX) done so far
MAX_WARNINGS_KEPT = 200


@dataclass
class IngestOptions:
    dataset: str
    agency: str | None = None
    handling: str | None = None
    conditions: str | None = None
    format: str | None = None
    mapping: Path | None = None
    encoding: str = "utf-8"
    skip_invalid: bool = False
    report: Path | None = None  # where rejected rows go with skip_invalid
    max_size: int = field(default_factory=lambda: settings.get_int(settings.MAX_FILE_SIZE))
    max_errors: int = field(default_factory=lambda: settings.get_int(settings.MAX_ERRORS))
    batch_size: int = field(default_factory=lambda: settings.get_int(settings.BATCH_SIZE))
    user: str = field(default_factory=settings.current_user)


@dataclass
class IngestReport:
    file: str
    dataset: str
    format: str
    status: str  # done, partial, unchanged
    run_id: int
    rows_read: int = 0
    rows_rejected: int = 0
    statements_new: int = 0
    statements_seen: int = 0
    warnings: list[Problem] = field(default_factory=list)
    warning_count: int = 0
    errors: list[Problem] = field(default_factory=list)
    report_file: str | None = None


class _Refused(Exception):
    """Raised inside the transaction to roll the whole file back."""


def _already_loaded(conn: Connection, dataset_id: int, digest: str) -> bool:
    query = select(func.count()).where(
        and_(
            ingest_runs.c.dataset_id == dataset_id,
            ingest_runs.c.content_hash == digest,
            ingest_runs.c.status.in_(("done", "partial")),
        )
    )
    return bool(conn.execute(query).scalar())


def _record_run(conn: Connection, values: dict[str, Any]) -> int:
    base = {
        "rows_read": 0,
        "rows_rejected": 0,
        "statements_new": 0,
        "statements_seen": 0,
        "warnings": 0,
    }
    result = conn.execute(ingest_runs.insert().values(**{**base, **values}))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


class _RejectReport:
    """The rows refused under --skip-invalid, with why, for the analyst to fix."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = None

    def add(self, problem: Problem, record: Any) -> None:
        if self._fh is None:
            self._fh = self.path.open("w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._fh)
            self._csv.writerow(["row", "field", "error", "record"])
        raw = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
        self._csv.writerow([problem.row, problem.field or "", problem.message, raw])

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def source_for(path: Path, fmt: str, opts: IngestOptions, dataset: DatasetInfo) -> Source:
    """The file to read, as the ingest and its dry run (`ingest --check`) both read it."""
    return Source(
        path=path,
        format=fmt,
        encoding=opts.encoding,
        region=dataset.agency_country,
        dataset=dataset.name,
        mapping=Path(opts.mapping) if opts.mapping is not None else None,
    )


def _load_key(path: Path, fmt: str, opts: IngestOptions, handling: str) -> str:
    """What makes two loads the same: the file's content and how it was read.

    A corrected mapping, another format or handling code is a new load, not "unchanged".
    """
    parts = [content_hash(path), fmt, handling, opts.encoding]
    if opts.mapping is not None and Path(opts.mapping).exists():
        parts.append(content_hash(Path(opts.mapping)))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _check_source(path: Path, opts: IngestOptions) -> str:
    """The file's checks and its format, before anything is created for it."""
    name = str(path)
    check_file(path, opts.max_size)
    fmt = opts.format or detect_format(path, opts.encoding, opts.mapping is not None)
    if fmt not in formats():
        raise InvalidInput(name, f"unknown format {fmt!r}", hint=f"one of {sorted(formats())}")
    if fmt == "mapped" and opts.mapping is None:
        raise InvalidInput(name, "format 'mapped' needs a mapping", hint="pass --mapping FILE")
    return fmt


def _file_handling(dataset: DatasetInfo, opts: IngestOptions) -> str:
    """The handling code of this file: the dataset's, or a stricter one given for it.

    H3 conditions belong to the dataset (they are shown from there wherever its data
    appears), so a file cannot bring conditions of its own.
    """
    code = (opts.handling or dataset.handling).upper()
    if code == "H3" and (
        dataset.handling != "H3" or (opts.conditions and opts.conditions != dataset.conditions)
    ):
        raise ConfigError(
            "H3 conditions are set on the dataset, not per file",
            hint="load H3 data into a dataset made with --handling H3 --conditions TEXT",
        )
    return check_handling(code, dataset.conditions if code == "H3" else None)


def ingest_file(
    store: Store, path: Path, opts: IngestOptions, progress: Progress | None = None
) -> IngestReport:
    path = Path(path)
    name = str(path)
    started = utcnow()
    try:
        fmt = _check_source(path, opts)
    except InvalidInput as exc:
        # Refused before anything was created: a missing agency or dataset stays missing.
        try:
            known = get_dataset(store, opts.dataset)
        except NotFound:
            raise IngestRejected(name, [exc.problem], hint=exc.hint) from None
        values = dict(dataset_id=known.id, file=name, content_hash="", format=opts.format or "?")
        _record_failure(store, opts.user, known.name, values, started, [exc.problem])
        raise IngestRejected(name, [exc.problem], hint=exc.hint) from None
    dataset = ensure_dataset(store, opts.dataset, opts.agency, opts.handling, opts.conditions)
    handling = _file_handling(dataset, opts)
    run_values: dict[str, Any] = dict(
        dataset_id=dataset.id, file=name, content_hash="", format=fmt
    )
    try:
        run_values["content_hash"] = digest = _load_key(path, fmt, opts, handling)
        run_values["format"] = fmt
        with store.engine.begin() as conn:
            if _already_loaded(conn, dataset.id, digest):
                run_id = _record_run(
                    conn,
                    {
                        **run_values,
                        "status": "unchanged",
                        "started_at": started,
                        "ended_at": utcnow(),
                    },
                )
                _audit(conn, opts.user, run_id, dataset.name, name, "unchanged")
                return IngestReport(name, dataset.name, fmt, "unchanged", run_id)
        source = source_for(path, fmt, opts, dataset)
        return _load(store, source, opts, dataset, handling, progress, run_values, started)
    except IngestRejected as exc:
        _record_failure(store, opts.user, dataset.name, run_values, started, exc.problems)
        raise
    except InvalidInput as exc:
        _record_failure(store, opts.user, dataset.name, run_values, started, [exc.problem])
        raise IngestRejected(name, [exc.problem], hint=exc.hint) from None


def _audit(
    conn: Connection, user: str, run_id: int, dataset: str, file: str, status: str, **more: Any
) -> None:
    detail = {"run": run_id, "dataset": dataset, "file": file, "status": status, **more}
    audit.append(conn, user, "ingest", detail)


def _record_failure(
    store: Store,
    user: str,
    dataset: str,
    values: dict[str, Any],
    started: Any,
    problems: list[Problem],
) -> None:
    with store.engine.begin() as conn:
        run_id = _record_run(
            conn,
            {
                **values,
                "status": "failed",
                "errors": json.dumps([p.__dict__ for p in problems], ensure_ascii=False),
                "started_at": started,
                "ended_at": utcnow(),
            },
        )
        _audit(conn, user, run_id, dataset, values["file"], "failed", errors=len(problems))


def _load(
    store: Store,
    source: Source,
    opts: IngestOptions,
    dataset: DatasetInfo,
    handling: str,
    progress: Progress | None,
    run_values: dict[str, Any],
    started: Any,
) -> IngestReport:
    name = str(source.path)
    report = IngestReport(name, dataset.name, source.format, "done", 0)
    rejects = _RejectReport(opts.report or Path(f"{source.path.name}.rejected.csv"))
    refusing = False  # an error was found and the file will be refused whole
    resealed = 0
    truncated = False
    try:
        with store.engine.begin() as conn:
            run_id = _record_run(conn, {**run_values, "status": "running", "started_at": started})
            report.run_id = run_id
            writer = StatementWriter(
                conn, store.dialect, dataset.name, dataset.id, run_id, started, opts.batch_size
            )
            writer.protector.file = name
            if source.format == "ftm":  # victims identified further down the file
                writer.protector.prescan(source.path, source.encoding)
            schemata: dict[str, str] = {}  # entity id -> schema, stored or seen in this file
            for chunk in chunks(source):
                _check_schemata(conn, chunk.rows, schemata)
                for result in chunk.rows:
                    report.rows_read += 1
                    if result.error is not None:
                        problem = Problem(
                            name, result.row, result.error.field, result.error.message
                        )
                        report.rows_rejected += 1
                        if len(report.errors) < opts.max_errors:
                            report.errors.append(problem)
                        if opts.skip_invalid:
                            rejects.add(problem, result.record)
                            continue
                        refusing = True
                        if len(report.errors) >= opts.max_errors:
                            truncated = True
                            break
                        continue
                    for field_name, message in result.warnings:
                        report.warning_count += 1
                        if len(report.warnings) < MAX_WARNINGS_KEPT:
                            report.warnings.append(Problem(name, result.row, field_name, message))
                    if not refusing:  # once refused, only keep looking for errors
                        writer.add(result.statements, handling, name, result.row)
                        writer.row_done()
                if truncated:
                    break
                if progress is not None:
                    progress(chunk.position)
            if refusing:
                raise _Refused()
            writer.flush()
            # Records of victims identified in this file, stored before, are sealed now.
            resealed = protect_store(conn, f"{name} records victims, stored encrypted")
            new, seen = _count(conn, run_id)
            report.statements_new, report.statements_seen = new, seen
            report.status = "partial" if report.rows_rejected else "done"
            conn.execute(
                ingest_runs.update()
                .where(ingest_runs.c.id == run_id)
                .values(
                    status=report.status,
                    rows_read=report.rows_read,
                    rows_rejected=report.rows_rejected,
                    statements_new=new,
                    statements_seen=seen,
                    warnings=report.warning_count,
                    errors=json.dumps([p.__dict__ for p in report.errors], ensure_ascii=False)
                    if report.errors
                    else None,
                    ended_at=utcnow(),
                )
            )
            _audit(
                conn, opts.user, run_id, dataset.name, name, report.status,
                rows=report.rows_read, new=new, seen=seen, resealed=resealed,
            )  # fmt: skip
    except _Refused:
        raise IngestRejected(name, report.errors, truncated=truncated) from None
    finally:
        rejects.close()
    if resealed:
        compact(store)
    if rejects._fh is not None:
        report.report_file = str(rejects.path)
    return report


def _count(conn: Connection, run_id: int) -> tuple[int, int]:
    """(new, already known) statements touched by this run."""
    touched = statements.c.last_run_id == run_id
    total = conn.execute(select(func.count()).where(touched)).scalar() or 0
    new = (
        conn.execute(select(func.count()).where(touched, statements.c.run_id == run_id)).scalar()
        or 0
    )
    return int(new), int(total) - int(new)
