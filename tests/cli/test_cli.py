"""The command line, run as a user runs it: a real process, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write


def unweave(*args: str, db: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unweave", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def test_set_up_agency_dataset_and_ingest(db: Path, tmp_path: Path) -> None:
    assert unweave("init", db=db).returncode == 0
    added = unweave(
        "agency", "add", "NG-NAPTIP", "--name", "NAPTIP", "--country", "Nigeria", db=db
    )
    assert added.returncode == 0, added.stderr
    made = unweave(
        "dataset",
        "add",
        "ng_cases",
        "--agency",
        "NG-NAPTIP",
        "--handling",
        "H3",
        "--conditions",
        "victim data: NAPTIP consent",
        "--retention",
        "2030-01-01",
        db=db,
    )
    assert made.returncode == 0, made.stderr
    listed = unweave("dataset", "list", db=db)
    assert "ng_cases" in listed.stdout and "NAPTIP consent" in listed.stdout
    path = write(
        tmp_path / "p.jsonl",
        '{"id": "ng-1", "schema": "Person", "properties": {"name": ["Osaro Igbinedion"], '
        '"phone": ["0803 123 4567"]}}\n',
    )
    loaded = unweave("ingest", str(path), "--dataset", "ng_cases", db=db)
    assert loaded.returncode == 0, loaded.stderr
    assert "done" in loaded.stdout
    shown = unweave("entity", "show", "ng-1", db=db)
    assert "+2348031234567" in shown.stdout and "0803 123 4567" in shown.stdout
    assert "H3 (victim data: NAPTIP consent)" in shown.stdout and "p.jsonl:1" in shown.stdout
    found = unweave("search", "+234 803 123 4567", db=db)
    assert "Osaro Igbinedion" in found.stdout
    stats = unweave("stats", db=db)
    assert "NG-NAPTIP" in stats.stdout and "Person" in stats.stdout
    runs = unweave("runs", db=db)
    assert "p.jsonl" in runs.stdout


def test_scripted_ingest_creates_agency_and_dataset(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "calls.csv", "caller,callee,start\n0912345678,0912345679,2024-01-01\n")
    result = unweave("ingest", str(path), "--dataset", "ly_calls", "--agency", "LY-CID", db=db)
    assert result.returncode == 0, result.stderr
    listed = unweave("dataset", "list", db=db)
    assert "ly_calls" in listed.stdout and "LY-CID" in listed.stdout


def test_manifest_and_export(db: Path, tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    assert unweave("ingest", str(examples / "manifest.yaml"), db=db).returncode == 0
    out = tmp_path / "export.jsonl"
    exported = unweave("export", "--format", "ftm", "-o", str(out), db=db)
    assert exported.returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["schema"] for line in lines)
    assert f"{len(lines)} entities exported" in exported.stderr


def test_errors_are_one_line_with_a_hint_and_exit_1(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "calls.csv", "caller,callee\n1,2\n")
    result = unweave("ingest", str(path), "--dataset", "x", "--agency", "LY-CID", db=db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}, row 0, field 'start': column missing" in result.stderr
    assert "hint:" in result.stderr
    missing = unweave("entity", "show", "nobody", db=db)
    assert missing.returncode == 1 and "no entity 'nobody'" in missing.stderr
    no_dataset = unweave("ingest", str(path), db=db)
    assert no_dataset.returncode == 1 and "--dataset" in no_dataset.stderr
    bad_code = unweave("dataset", "add", "d", "--agency", "LY-CID", "--handling", "H3", db=db)
    assert bad_code.returncode == 1 and "conditions" in bad_code.stderr


def test_resolution_commands(db: Path, tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    assert unweave("ingest", str(examples / "manifest.yaml"), db=db).returncode == 0
    resolved = unweave("resolve", "--threshold", "0.95", db=db)
    assert resolved.returncode == 0, resolved.stderr
    assert "full run 1" in resolved.stdout
    out = tmp_path / "clusters.csv"
    assert unweave("export", "clusters", "-o", str(out), db=db).returncode == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "entity_id,canonical_id"
    merged = dict(line.split(",") for line in rows[1:])
    # The Italian record of Ahmed Ibrahim and his border crossing are one person
    assert merged["it-p-001"].startswith("uw-")
    canonical = merged["it-p-001"]
    shown = unweave("explain", canonical, db=db)
    assert "it-p-001" in shown.stdout and "unweave:" in shown.stdout
    other = next(e for e, c in merged.items() if c == canonical and e != "it-p-001")
    undone = unweave("judge", "it-p-001", other, "negative", "--reason", "other person",
                     "--user", "anna", db=db)  # fmt: skip
    assert undone.returncode == 0, undone.stderr
    after = unweave("export", "clusters", db=db).stdout.splitlines()
    assert "it-p-001,it-p-001" in after
    again = unweave("resolve", "--full", db=db)
    assert again.returncode == 0
    assert "it-p-001,it-p-001" in unweave("export", "clusters", db=db).stdout.splitlines()
    queue = unweave("review", "--list", db=db)
    assert queue.returncode == 0
    bad = unweave("resolve", "--engine", "oracle", db=db)
    assert bad.returncode == 1 and "unknown engine" in bad.stderr
