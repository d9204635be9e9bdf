"""Synthetic input files for the ingest benchmark, written as a stream."""

from __future__ import annotations

import json
from pathlib import Path

CALL_STATEMENTS_PER_ROW = 5  # id, callerNumber, receiverNumber, startDate, duration


def calls_csv(path: Path, rows: int) -> Path:
    """Call records with Libyan and Italian numbers, local and international forms mixed."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write("caller,callee,start,duration,cell\n")
        for i in range(rows):
            caller = f"09{1 + i % 4}{(i * 7919) % 10_000_000:07d}"
            callee = f"+39 347 {(i * 104729) % 10_000_000:07d}"
            day, hour, minute = 1 + i % 28, i % 24, i % 60
            fh.write(
                f"{caller},{callee},2024-03-{day:02d} {hour:02d}:{minute:02d}:00,{i % 900},\n"
            )
    return path


def persons_jsonl(path: Path, rows: int) -> Path:
    """FtM persons: name, birth date, nationality, phone -> 5 statements each."""
    first = ["Ahmed", "Blessing", "Oleh", "Faith", "Van Duc", "Mohammed", "Ana", "Ion"]
    last = ["Ibrahim", "Osagie", "Melnyk", "Edosa", "Nguyen", "Abdelrahman", "Popescu", "Hoxha"]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            entity = {
                "id": f"p{i}",
                "schema": "Person",
                "properties": {
                    "name": [f"{first[i % 8]} {last[(i // 8) % 8]} {i}"],
                    "birthDate": [f"{1960 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}"],
                    "nationality": ["ng"],
                    "phone": [f"+234 803 {i % 10_000_000:07d}"],
                },
            }
            fh.write(json.dumps(entity) + "\n")
    return path
