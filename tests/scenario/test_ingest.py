"""Generated data ingests with no errors (runs once the store and ingest are merged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unweave.scenario import generate


@pytest.mark.slow
def test_small_scenario_ingests_without_errors(tmp_path: Path) -> None:
    manifest_mod = pytest.importorskip("unweave.ingest.manifest")
    runner = pytest.importorskip("unweave.ingest.runner")
    db = pytest.importorskip("unweave.store.db")
    out = tmp_path / "scenario"
    generate(11, "small", out)
    store = db.open_store(f"sqlite:///{tmp_path / 'store.db'}")
    path = out / "manifest.yaml"
    data = manifest_mod.load_manifest(path)
    manifest_mod.register(store, path, data)
    reports = [
        runner.ingest_file(store, item.path, item.options)
        for item in manifest_mod.manifest_files(path, data)
    ]
    assert len(reports) == len(data["files"])
    for report in reports:
        assert report.status == "done", report.file
        assert report.rows_rejected == 0, report.file
        assert report.warning_count == 0, (report.file, report.warnings[:3])
