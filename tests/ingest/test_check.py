"""``unweave ingest --check`` finds the errors a real ingest finds, and writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_VICTIM_KEY
from tests.helpers import write
from tests.ingest.test_bad_input import CASES, MAPPINGS
from unweave.errors import IngestRejected
from unweave.ingest.check import check_manifest
from unweave.ingest.manifest import load_manifest, manifest_files, register
from unweave.ingest.runner import ingest_file
from unweave.store.db import open_store

# Cases the check cannot see by design: a conflict with what a store already holds (the
# check opens no store), and a per-run size option a manifest does not carry.
NEEDS_A_STORE = {"an id already stored under another schema", "file over the size limit"}
GOOD_CALLS = "caller,callee,start,duration\n0912345678,0912345679,2024-01-01,10\n"


def _bad_manifest(tmp_path: Path, examples: Path) -> Path:
    """One manifest holding every bad-input case as a file of its own, and a good file."""
    lines = [
        "agencies:\n  - {code: IT-SCO, name: SCO, country: it}\n",
        "datasets:\n  - {name: it_persons, agency: IT-SCO, handling: H0}\n",
        "files:\n",
        "  - {path: good/calls.csv, dataset: it_persons}\n",
    ]
    write(tmp_path / "m" / "good" / "calls.csv", GOOD_CALLS)
    for n, case in enumerate(sorted(set(CASES) - NEEDS_A_STORE)):
        name, content, extra, _ = CASES[case]
        write(tmp_path / "m" / f"c{n}" / name, content(tmp_path))
        mapping = f", mapping: {examples.parent / MAPPINGS[name]}" if extra.get("mapping") else ""
        lines.append(f"  - {{path: c{n}/{name}, dataset: it_persons{mapping}}}\n")
    return write(tmp_path / "m" / "manifest.yaml", "".join(lines))


def _real_ingest(manifest: Path, db: Path) -> dict[str, tuple[int, list[tuple[object, ...]]]]:
    """Each file ingested for real: (rows read, errors as (row, field, message))."""
    store = open_store(f"sqlite:///{db}")
    data = load_manifest(manifest)
    register(store, manifest, data)
    found: dict[str, tuple[int, list[tuple[object, ...]]]] = {}
    for item in manifest_files(manifest, data):
        try:
            report = ingest_file(store, item.path, item.options)
            found[str(item.path)] = (report.rows_read, [])
        except IngestRejected as exc:
            found[str(item.path)] = (-1, [(p.row, p.field, p.message) for p in exc.problems])
    store.close()
    return found


def test_check_finds_what_the_ingest_finds(tmp_path: Path, examples: Path) -> None:
    manifest = _bad_manifest(tmp_path, examples)
    reports, peak = check_manifest(manifest)
    real = _real_ingest(manifest, tmp_path / "real.db")
    assert len(reports) == len(real) == len(CASES) - len(NEEDS_A_STORE) + 1 and peak > 0
    for report in reports:
        rows, errors = real[report.file]
        assert [(p.row, p.field, p.message) for p in report.errors] == errors, report.file
        assert all(p.file == report.file for p in report.errors)
        if errors:
            assert report.status in ("rejected", "refused") and sum(report.reasons.values())
        else:
            assert report.status == "ok" and report.rows == rows and report.statements == 5


def test_check_of_the_examples_matches_their_ingest(tmp_path: Path, examples: Path) -> None:
    manifest = examples / "manifest.yaml"
    reports, _ = check_manifest(manifest, jobs=2)
    assert [r.status for r in reports] == ["ok"] * len(reports)
    real = _real_ingest(manifest, tmp_path / "real.db")
    assert {r.file: (r.rows, []) for r in reports} == real
    assert sum(r.statements for r in reports) > 0
    one_job, _ = check_manifest(manifest, jobs=1)
    assert one_job == reports


def test_check_command_writes_nothing_and_fails_on_errors(tmp_path: Path, examples: Path) -> None:
    manifest = _bad_manifest(tmp_path, examples)
    before = {p: p.stat().st_mtime_ns for p in manifest.parent.rglob("*")}
    db = tmp_path / "never.db"
    done = subprocess.run(
        [sys.executable, "-m", "unweave", "ingest", "--check", str(manifest), "--db", str(db)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1, done.stderr
    assert not db.exists()
    assert {p: p.stat().st_mtime_ns for p in manifest.parent.rglob("*")} == before
    assert "duration: duration … is not a number of seconds" in done.stdout  # by reason
    assert "c1/calls.csv, row 2, field 'duration': duration" in done.stderr
    assert "nothing was written" in done.stdout
    assert "rows rejected" in done.stdout


def test_check_refuses_a_file_whose_dataset_the_manifest_lacks(tmp_path: Path) -> None:
    from unweave.errors import NotFound

    write(tmp_path / "calls.csv", GOOD_CALLS)
    manifest = write(
        tmp_path / "manifest.yaml",
        "agencies: []\ndatasets: []\nfiles:\n  - {path: calls.csv, dataset: nowhere}\n",
    )
    with pytest.raises(NotFound):
        check_manifest(manifest)


def test_a_file_of_victims_is_refused_without_the_key_as_the_ingest_refuses_it(
    tmp_path: Path, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unweave.errors import ConfigError

    victims = write(
        tmp_path / "victims.ftm.json", (examples / "it" / "victims.ftm.json").read_text()
    )
    write(tmp_path / "calls.csv", GOOD_CALLS)
    manifest = write(
        tmp_path / "manifest.yaml",
        "agencies:\n  - {code: IT-SCO, name: SCO, country: it}\n"
        "datasets:\n  - {name: it_victims, agency: IT-SCO, handling: H0}\n"
        "files:\n  - {path: calls.csv, dataset: it_victims}\n"
        "  - {path: victims.ftm.json, dataset: it_victims}\n",
    )
    monkeypatch.delenv("UNWEAVE_VICTIM_KEY", raising=False)
    monkeypatch.delenv("UNWEAVE_VICTIM_KEY_FILE", raising=False)
    reports, _ = check_manifest(manifest)
    assert [r.status for r in reports] == ["ok", "refused"]
    (problem,) = reports[1].errors
    words = f"no victim key: {victims} records victims, whose identifying fields are stored"
    assert problem.message.startswith(words) and "unweave victims keygen" in problem.message
    with pytest.raises(ConfigError) as refused:  # the real ingest stops at the same file
        _ingest_each(manifest, tmp_path / "real.db")
    assert refused.value.message.startswith(words)
    monkeypatch.setenv("UNWEAVE_VICTIM_KEY", TEST_VICTIM_KEY)
    reports, _ = check_manifest(manifest)
    assert [r.status for r in reports] == ["ok", "ok"] and reports[1].rows > 0


def _ingest_each(manifest: Path, db: Path) -> None:
    store = open_store(f"sqlite:///{db}")
    data = load_manifest(manifest)
    register(store, manifest, data)
    try:
        for item in manifest_files(manifest, data):
            ingest_file(store, item.path, item.options)
    finally:
        store.close()
