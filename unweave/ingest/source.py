"""Reading input files safely: size, binary content, encoding, and rows as a stream.

Every problem becomes an InvalidInput naming the file and, where it applies, the row.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from unweave.errors import InvalidInput

SNIFF_BYTES = 64 * 1024
CSV_FIELD_LIMIT = 1024 * 1024


def check_file(path: Path, max_size: int) -> int:
    if not path.exists():
        raise InvalidInput(str(path), "no such file")
    if not path.is_file():
        raise InvalidInput(str(path), "not a regular file")
    size = path.stat().st_size
    if size > max_size:
        raise InvalidInput(
            str(path),
            f"file is {size:,} bytes, over the limit of {max_size:,}",
            hint="raise the limit with --max-size or UNWEAVE_MAX_FILE_SIZE",
        )
    if size == 0:
        raise InvalidInput(str(path), "file is empty")
    with path.open("rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            raise InvalidInput(str(path), "the file is UTF-16 text", hint="convert it to UTF-8")
    return size


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def guess_encoding(sample: bytes) -> str | None:
    best = from_bytes(sample).best()
    return best.encoding if best is not None else None


def check_text(path: Path, encoding: str) -> None:
    """Refuse binary content up front; decoding errors are caught while streaming."""
    if encoding.lower().replace("_", "-").startswith(("utf-16", "utf16", "utf-32", "utf32")):
        raise InvalidInput(
            str(path), f"{encoding} files are not read", hint="convert the file to UTF-8"
        )
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if b"\x00" in head:
        raise InvalidInput(
            str(path), "file looks binary (it contains NUL bytes), not text", row=None
        )


class TextLines:
    """Lines of a text file, numbered from 1, with decoding errors reported by row.

    For a CSV file the header is not a row: ``header_lines=1`` makes a decoding error on
    the third line of the file "row 2", as every other CSV error is numbered.
    """

    def __init__(self, path: Path, encoding: str, header_lines: int = 0) -> None:
        self.path = path
        self.header_lines = header_lines
        self.encoding = encoding
        self.line = 0
        self.bytes_read = 0

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as raw:
            for binary_line in raw:
                self.line += 1
                self.bytes_read += len(binary_line)
                try:
                    yield binary_line.decode(self.encoding)
                except UnicodeDecodeError:
                    raise self._decode_error(binary_line) from None
                except LookupError:
                    raise InvalidInput(
                        str(self.path), f"unknown encoding {self.encoding!r}"
                    ) from None

    def _decode_error(self, binary_line: bytes) -> InvalidInput:
        with self.path.open("rb") as fh:
            sample = fh.read(SNIFF_BYTES)
        guess = guess_encoding(sample + binary_line)
        looks = f"; it looks like {guess}" if guess else ""
        return InvalidInput(
            str(self.path),
            f"not valid {self.encoding} text{looks}",
            row=self.line - self.header_lines,
            hint=f"pass --encoding {guess or 'NAME'} if that is how the file was written",
        )


def _norm_header(name: str) -> str:
    return name.strip().lstrip("\ufeff").lower()


def csv_rows(lines: TextLines) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (row number, record) pairs; row 1 is the first data row."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    path = lines.path
    reader = csv.reader(iter(lines))
    try:
        header = [_norm_header(h) for h in next(reader)]
    except StopIteration:
        raise InvalidInput(str(path), "no header row") from None
    except csv.Error as exc:
        raise InvalidInput(str(path), f"unreadable CSV header: {exc}", row=0) from None
    if not any(header):
        raise InvalidInput(str(path), "empty header row", row=0)

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        number = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InvalidInput(str(path), f"broken CSV: {exc}", row=number + 1) from None
            number += 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise InvalidInput(
                    str(path),
                    f"{len(values)} values for {len(header)} columns",
                    row=number,
                )
            yield number, dict(zip(header, values, strict=False))

    return header, records()


def xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The first sheet of a workbook, streamed (openpyxl read-only mode)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(
            str(path), f"not a readable XLSX workbook (truncated or damaged?): {exc}"
        ) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [_norm_header(str(h or "")) for h in next(rows)]
    except StopIteration:
        raise InvalidInput(str(path), "the first sheet is empty") from None

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if hasattr(value, "isoformat"):
            return str(value.isoformat())
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(rows, start=1):
                texts = [cell(v) for v in values]
                if any(t.strip() for t in texts):
                    yield number, dict(zip(header, texts, strict=False))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InvalidInput(str(path), f"workbook damaged: {exc}") from None
        finally:
            book.close()

    return header, records()


def json_lines(lines: TextLines) -> Iterator[tuple[int, dict[str, Any] | Exception]]:
    """(line number, object) pairs; a malformed line yields the error in place of the object."""
    for text in lines:
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            truncated = lines.line and not text.endswith("\n")
            why = "line ends mid-object (file truncated?)" if truncated else "malformed JSON"
            yield lines.line, ValueError(f"{why}: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield lines.line, ValueError("a JSON object was expected on this line")
            continue
        yield lines.line, obj


def peek_text(path: Path, encoding: str, size: int = 8192) -> str:
    with path.open("rb") as fh:
        return fh.read(size).decode(encoding, errors="replace")


def first_json_keys(path: Path, encoding: str) -> set[str]:
    head = peek_text(path, encoding).split("\n", 1)[0]
    try:
        obj = json.loads(head)
    except json.JSONDecodeError:
        return set()
    return set(obj) if isinstance(obj, dict) else set()
