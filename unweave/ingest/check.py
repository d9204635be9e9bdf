"""``unweave ingest --check``: every row through the ingest's own path, nothing written.

A file is checked as ``runner.ingest_file`` reads it (the same file checks, format
detection, mappings, conversion and normalisation in ``rows.convert_chunks``, the same
schema check) but no store is opened: the datasets and their agencies' countries come
from the manifest. Rows are streamed chunk by chunk, so memory stays flat apart from the
entity ids of the file being checked (which the ingest holds too). Files are shared out
between worker processes, largest first, to use several cores.

What it cannot see without a store: an entity id given two incompatible schemata in two
different files (the ingest refuses the second; the check looks within each file only).
What it does see of the environment: a file that identifies victims is refused, as the
ingest would refuse it, when no victim key is configured (their fields are stored
encrypted), so that a long load does not stop at that file after hours of work.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import resource
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

from unweave.errors import IngestRejected, InvalidInput, NotFound, Problem, UnweaveError
from unweave.ingest.manifest import load_manifest, manifest_files
from unweave.ingest.rows import convert_chunks
from unweave.ingest.runner import IngestOptions, _check_source, _file_handling, source_for
from unweave.ingest.schemata import check_schemata
from unweave.normalize.values import country as clean_country
from unweave.store.protect import MARKER_SCHEMA, key_for_victims_of
from unweave.store.registry import DatasetInfo, check_handling
from unweave.store.writer import P_SCHEMA

Progress = Callable[[int, int], None]  # (file index, bytes done in that file)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


@dataclass
class CheckReport:
    file: str
    dataset: str
    format: str = "?"
    status: str = "ok"  # ok, rejected (rows refused), refused (the whole file)
    size: int = 0
    rows: int = 0
    rejected: int = 0
    statements: int = 0  # as produced, before the writer merges repeats of one fact
    warnings: int = 0
    errors: list[Problem] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)


def reason(problem: Problem) -> str:
    """The kind of a problem, without its values: "field: message" with quotes blanked."""
    return f"{problem.field or '-'}: {_QUOTED.sub('…', problem.message)}"


def check_file(
    path: Path,
    opts: IngestOptions,
    dataset: DatasetInfo,
    progress: Callable[[int], None] | None = None,
) -> CheckReport:
    """Read, convert and validate every row of one file, as the ingest would."""
    report = CheckReport(str(path), dataset.name, size=path.stat().st_size if path.exists() else 0)

    def refuse(problems: list[Problem]) -> CheckReport:
        report.status = "refused"
        report.errors = problems[: opts.max_errors]
        report.reasons.update(reason(p) for p in problems)
        return report

    try:
        report.format = fmt = _check_source(path, opts)
        _file_handling(dataset, opts)  # the file's handling code must be usable
        source = source_for(path, fmt, opts, dataset)
        schemata: dict[str, str] = {}
        marks_victims = False
        for chunk in convert_chunks(source):
            check_schemata(None, chunk.rows, schemata)
            for result in chunk.rows:
                report.rows += 1
                if result.error is not None:
                    problem = Problem(
                        str(path), result.row, result.error.field, result.error.message
                    )
                    report.rejected += 1
                    report.reasons[reason(problem)] += 1
                    if len(report.errors) < opts.max_errors:
                        report.errors.append(problem)
                    continue
                report.warnings += len(result.warnings)
                report.statements += len(result.statements)
                marks_victims = marks_victims or any(
                    s[P_SCHEMA] == MARKER_SCHEMA for s in result.statements
                )
            if progress is not None:
                progress(chunk.position)
        if marks_victims:  # refused as the ingest refuses it, in the same words
            key_for_victims_of(str(path))
    except IngestRejected as exc:
        return refuse(exc.problems)
    except InvalidInput as exc:
        return refuse([exc.problem])
    except UnweaveError as exc:  # a handling code, a mapping or a victim key missing
        hint = f" ({exc.hint})" if exc.hint else ""
        return refuse([Problem(str(path), None, None, f"{exc.message}{hint}")])
    if report.rejected:
        report.status = "rejected"
    return report


def manifest_datasets(manifest: Path, data: dict[str, Any]) -> dict[str, DatasetInfo]:
    """The manifest's datasets with their agencies' countries, checked as register() would."""
    countries: dict[str, str] = {}
    for i, entry in enumerate(data.get("agencies") or [], start=1):
        code, country = entry.get("code"), entry.get("country")
        if not code or not country:
            raise InvalidInput(str(manifest), f"agency #{i} needs a code and a country")
        iso = clean_country(str(country))
        if iso is None:
            raise InvalidInput(str(manifest), f"unknown country {country!r} for agency {code}")
        countries[str(code)] = iso
    found: dict[str, DatasetInfo] = {}
    for i, entry in enumerate(data.get("datasets") or [], start=1):
        name, agency = entry.get("name"), entry.get("agency")
        if not name or not agency:
            raise InvalidInput(str(manifest), f"dataset #{i} needs a name and an agency")
        if agency not in countries:
            raise InvalidInput(str(manifest), f"dataset {name}: agency {agency} is not listed")
        conditions = entry.get("conditions")
        handling = check_handling(str(entry.get("handling") or "H0"), conditions)
        found[str(name)] = DatasetInfo(
            0, str(name), str(agency), countries[agency], handling, conditions, None, None
        )
    return found


def plan(manifest: Path, **common: Any) -> Iterator[tuple[Path, IngestOptions, DatasetInfo]]:
    """The manifest's files with what checking each needs; a file whose dataset the manifest
    does not define is refused the way the ingest refuses it."""
    data = load_manifest(manifest)
    known = manifest_datasets(manifest, data)
    for item in manifest_files(manifest, data, **common):
        dataset = known.get(item.options.dataset)
        if dataset is None:
            raise NotFound(
                f"{item.path}: no dataset {item.options.dataset!r} in {manifest}",
                hint="list it under `datasets:`",
            )
        yield item.path, item.options, dataset


def _worker(tasks: Any, results: Any) -> None:
    """In a checking process: files from ``tasks`` until None; reports to ``results``."""
    while (task := tasks.get()) is not None:
        index, path, opts, dataset = task

        def tick(done: int, index: int = index) -> None:
            results.put(("progress", index, done))

        try:
            report = check_file(path, opts, dataset, tick)
        except Exception as exc:  # a bug, not an input error: say which file, go on
            report = CheckReport(str(path), dataset.name, status="failed")
            report.errors = [Problem(str(path), None, None, f"{type(exc).__name__}: {exc}")]
        results.put(("done", index, report))
    results.put(("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


def check_manifest(
    manifest: Path,
    jobs: int = 1,
    progress: Progress | None = None,
    done: Callable[[int, CheckReport], None] | None = None,
    **common: Any,
) -> tuple[list[CheckReport], int]:
    """Check every file of a manifest; returns the reports (in manifest order) and the
    largest resident set of any checking process, in bytes. ``progress`` hears of bytes
    read in a file, ``done`` of each file's report as soon as it is finished."""
    items = list(plan(manifest, **common))
    reports: list[CheckReport | None] = [None] * len(items)
    if jobs <= 1:
        for index, (path, opts, dataset) in enumerate(items):
            tick = (lambda done, i=index: progress(i, done)) if progress is not None else None
            reports[index] = report = check_file(path, opts, dataset, tick)
            if done is not None:
                done(index, report)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return [r for r in reports if r is not None], peak
    context = mp.get_context("spawn")
    tasks, results = context.Queue(), context.Queue()
    by_size = sorted(range(len(items)), key=lambda i: -_size(items[i][0]))
    for index in by_size:
        tasks.put((index, *items[index]))
    workers = [
        context.Process(target=_worker, args=(tasks, results), daemon=True)
        for _ in range(min(jobs, len(items)))
    ]
    for worker in workers:
        tasks.put(None)
        worker.start()
    peak, finished = 0, 0
    try:
        while finished < len(workers):
            try:
                kind, *payload = results.get(timeout=2)
            except Empty:
                if not any(w.is_alive() for w in workers):
                    raise UnweaveError(
                        "a checking process died", hint="see its error above"
                    ) from None
                continue
            if kind == "progress" and progress is not None:
                progress(*payload)
            elif kind == "done":
                reports[payload[0]] = payload[1]
                if done is not None:
                    done(*payload)
            elif kind == "peak":
                peak, finished = max(peak, payload[0]), finished + 1
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
    return [r for r in reports if r is not None], peak


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0
