"""Reading and converting rows: the CPU-heavy half of an ingest.

Rows are read and turned into facts in chunks. For a large file this runs in a second
process while the first writes to the store, so that on two cores reading and writing
overlap; small files are converted in-process. Either way the writer receives the same
chunks, in file order.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Full
from typing import Any

from unweave.errors import IngestRejected, InvalidInput, Problem
from unweave.ingest.draft import EntityDraft, RowError
from unweave.ingest.formats import FormatContext, formats
from unweave.ingest.formats.mapped import load_mapping, missing_columns
from unweave.ingest.source import TextLines, check_text, csv_rows, json_lines, xlsx_rows
from unweave.store.writer import Prepared, prepare

Records = Iterator[tuple[int, dict[str, Any] | Exception]]
CHUNK_ROWS = 2000
PARALLEL_FROM_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """Everything needed to read a file, in a form another process can receive."""

    path: Path
    format: str
    encoding: str
    region: str | None
    dataset: str
    mapping: Path | None = None

    def context(self) -> FormatContext:
        ctx = FormatContext(region=self.region, dataset=self.dataset)
        if self.mapping is not None:
            ctx.mapping = load_mapping(self.mapping, self.dataset)
        return ctx


@dataclass
class RowResult:
    row: int
    statements: list[Prepared] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    error: RowError | None = None
    record: Any = None  # kept for rejected rows only, for the report


def _rows_of(position: int, packed: list[tuple[Any, ...]]) -> Chunk:
    return Chunk([RowResult(*fields) for fields in packed], position)


@dataclass
class Chunk:
    rows: list[RowResult]
    position: int  # bytes read so far (0 where unknown, as in XLSX)

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent between processes as plain tuples: a few times cheaper to unpickle than
        # dataclasses, which counts in the writing process (the busier of the two).
        packed = [(r.row, r.statements, r.warnings, r.error, r.record) for r in self.rows]
        return (_rows_of, (self.position, packed))


def open_records(source: Source, ctx: FormatContext) -> tuple[Records, Callable[[], int]]:
    """The file's records, after checking it is text and its header has what is needed."""
    spec = formats()[source.format]
    path, name = source.path, str(source.path)
    if not spec.tabular:
        check_text(path, source.encoding)
        lines = TextLines(path, source.encoding)
        return json_lines(lines), lambda: lines.bytes_read
    if path.suffix.lower() == ".xlsx":
        header, rows = xlsx_rows(path)
        position: Callable[[], int] = lambda: 0  # noqa: E731 - openpyxl gives no offset
    else:
        check_text(path, source.encoding)
        lines = TextLines(path, source.encoding, header_lines=1)
        header, rows = csv_rows(lines)
        position = lambda: lines.bytes_read  # noqa: E731
    missing = sorted(set(spec.required) - set(header))
    if source.format == "mapped":
        missing = missing_columns(ctx.mapping, header)
    if missing:
        raise IngestRejected(
            name, [Problem(name, 0, col, "column missing from the header") for col in missing]
        )
    return rows, position  # type: ignore[return-value]


def _prepare(dataset: str, draft: EntityDraft) -> list[Prepared]:
    schema, entity_id = draft.schema.name, draft.id
    # FtM's base statement: the entity exists, with this schema, in this source.
    out = [prepare(dataset, entity_id, schema, "id", "id", entity_id)]
    for prop, prop_type, value, original, lang in draft.facts:
        out.append(prepare(dataset, entity_id, schema, prop, prop_type, value, original, lang))
    return out


def convert_chunks(source: Source) -> Iterator[Chunk]:
    ctx = source.context()
    convert = formats()[source.format].convert
    records, position = open_records(source, ctx)
    chunk: list[RowResult] = []
    for row, record in records:
        result = RowResult(row)
        try:
            if isinstance(record, Exception):
                raise RowError(str(record))
            for draft in convert(record, ctx):
                result.statements.extend(_prepare(source.dataset, draft))
                result.warnings.extend(draft.warnings)
        except RowError as exc:
            result = RowResult(row, error=exc, record=record)
        chunk.append(result)
        if len(chunk) >= CHUNK_ROWS:
            yield Chunk(chunk, position())
            chunk = []
    yield Chunk(chunk, position())


def _send(queue: Any, item: Any, parent: int) -> None:
    # If the writing process was killed, nobody will ever read: stop instead of waiting.
    while True:
        try:
            queue.put(item, timeout=1)
            return
        except Full:
            if os.getppid() != parent:
                os._exit(0)  # not sys.exit: the queue's feeder thread would block it


def _produce(source: Source, queue: Any, parent: int) -> None:
    """In the reading process: send chunks, then None; an input error as plain values."""
    try:
        for chunk in convert_chunks(source):
            _send(queue, chunk, parent)
        _send(queue, None, parent)
    except IngestRejected as exc:
        _send(queue, ("rejected", exc.problem.file, [vars(p) for p in exc.problems]), parent)
    except InvalidInput as exc:
        _send(queue, ("invalid", vars(exc.problem), exc.hint), parent)


def chunks(source: Source) -> Iterator[Chunk]:
    """Converted chunks of the file, from a reading process when the file is large."""
    if source.path.stat().st_size < PARALLEL_FROM_BYTES:
        yield from convert_chunks(source)
        return
    # Check the header here first, so a refusal comes before any process is started.
    open_records(source, source.context())
    context = mp.get_context("spawn")
    queue = context.Queue(maxsize=8)
    reader = context.Process(target=_produce, args=(source, queue, os.getpid()), daemon=True)
    reader.start()
    try:
        while True:
            item = queue.get()
            if item is None:
                return
            if isinstance(item, tuple):
                kind, *payload = item
                if kind == "rejected":
                    file_name, problems = payload
                    raise IngestRejected(file_name, [Problem(**p) for p in problems])
                problem, hint = payload
                raise InvalidInput(
                    problem["file"], problem["message"], problem["row"], problem["field"], hint
                )
            yield item
    finally:
        if reader.is_alive():
            reader.terminate()
        reader.join()
