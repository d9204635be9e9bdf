"""Generated data ingests with no errors (runs once the store and ingest are merged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.scenario.conftest import read_csv
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
    _truth_joins_the_store(store, out)
    _evaluation_joins_each_record_to_its_person(store, out)


def _evaluation_joins_each_record_to_its_person(store: Any, out: Path) -> None:
    """The evaluation's join (truth -> store person records) gives each record a person
    whose names it carries: no row or entity id crossed on the way."""
    from unweave.resolve.run import load_records
    from unweave.scenario.evaluate import merged_at_ingest, name_disagrees, person_truth

    truth = person_truth(store, out)
    persons = {r["person_id"]: r for r in read_csv(out / "truth" / "persons.csv")}
    records = [r for r in load_records(store) if r.entity_id in truth]
    assert len(records) > 300
    datasets = {r.dataset.split("_", 1)[1] for r in records}
    assert {"contacts", "subscribers", "travel", "cases"} <= datasets
    wrong = [r.dataset for r in records if name_disagrees(r.names, persons[truth[r.entity_id]])]
    assert wrong == []
    # and no record holds rows of two people (namesakes' border crossings made one person)
    assert merged_at_ingest(store, out) == {}


def _truth_joins_the_store(store: Any, out: Path) -> None:
    """Every truth row finds its record in the store: by entity id where the generator or
    the mapping set it, else by (file, row)."""
    tables = pytest.importorskip("unweave.store.tables")
    from sqlalchemy import select

    st = tables.statements
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(st.c.entity_id, st.c.schema, st.c.source_file, st.c.source_row)
        ).all()
    by_id = {r.entity_id for r in rows}
    # a repeated fact keeps the row where it was first seen, so look for any statement
    # (the Trip is new on every row)
    seen_at = {(Path(r.source_file).as_posix(), r.source_row) for r in rows}
    for truth in read_csv(out / "truth" / "records.csv"):
        if truth["entity_id"]:
            assert truth["entity_id"] in by_id, truth
        if truth["file"].endswith("border.csv"):
            path = (out / truth["file"]).as_posix()
            assert (path, int(truth["row"])) in seen_at or any(
                f.endswith(truth["file"]) and r == int(truth["row"]) for f, r in seen_at
            ), truth
