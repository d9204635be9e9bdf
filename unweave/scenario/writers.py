"""Streaming writers: every file is written row by row, never held in memory.

A ``Sink`` knows its path relative to the output folder, its format and dataset, and
counts its rows the way ingest does (CSV: data rows from 1, header excluded; JSON lines:
line number), so the ground truth can name (file, row) for every record.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

from unweave.scenario.formats import COLUMNS


class Sink:
    def __init__(self, root: Path, rel: str, fmt: str, dataset: str, mapping: str = "") -> None:
        self.rel, self.format, self.dataset, self.mapping = rel, fmt, dataset, mapping
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.rows = 0
        self._csv: Any = None
        if rel.endswith(".csv"):
            self.columns = COLUMNS[fmt] if fmt in COLUMNS else COLUMNS[Path(rel).stem]
            self._csv = csv.writer(self._fh, lineterminator="\n")
            self._csv.writerow(self.columns)

    def write(self, row: dict[str, Any]) -> int:
        """Write one record; returns its row (or line) number."""
        self.rows += 1
        if self._csv is not None:
            self._csv.writerow(["" if row.get(c) is None else row.get(c) for c in self.columns])
        else:
            self._fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        return self.rows

    def close(self) -> None:
        self._fh.close()


class Truth:
    """truth/records.csv: for every person named in a record, who they really are; the
    same rows split by agency in truth/agencies/XX/records.csv, so that an agency can score
    itself on its own records without seeing the others' truth."""

    COLUMNS = ["dataset", "file", "row", "field", "entity_id", "record_id", "person_id"]

    def __init__(self, root: Path) -> None:
        self.root = root
        self._fh, self._csv = self._open(root / "truth" / "records.csv")
        self._agencies: dict[str, tuple[IO[str], Any]] = {}
        self.rows = 0

    def _open(self, path: Path) -> tuple[IO[str], Any]:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = path.open("w", encoding="utf-8", newline="")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(self.COLUMNS)
        return fh, writer

    def add(
        self,
        sink: Sink,
        row: int,
        field: str,
        person: str,
        entity_id: str = "",
        record_id: str = "",
    ) -> None:
        self.rows += 1
        values = [sink.dataset, sink.rel, row, field, entity_id, record_id, person]
        self._csv.writerow(values)
        agency = sink.rel.split("/")[0]
        if agency not in self._agencies:
            path = self.root / "truth" / "agencies" / agency / "records.csv"
            self._agencies[agency] = self._open(path)
        self._agencies[agency][1].writerow(values)

    def close(self) -> None:
        self._fh.close()
        for fh, _ in self._agencies.values():
            fh.close()


def write_csv(path: Path, columns: list[str], rows: Any) -> int:
    """A small table written whole (the truth tables); returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
            count += 1
    return count
