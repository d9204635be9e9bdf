"""`unweave analyze`: the investigation report's data and files, from the examples."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.helpers import load_manifest_into
from unweave.analyze import table
from unweave.analyze.investigation import analyse, write_report
from unweave.store.db import Store
from unweave.store.reader import StoreView
from unweave.store.registry import get_dataset
from unweave.store.scope import Scope


def test_report_files_and_contents(sqlite_store: Store, examples: Path, tmp_path: Path) -> None:
    load_manifest_into(sqlite_store, examples / "manifest.yaml")
    report = analyse(StoreView(sqlite_store, Scope.everything()))
    assert (
        report.key_players
        and report.key_players[0]["betweenness"] >= report.key_players[-1]["betweenness"]
    )
    assert {r["route"] for r in report.routes} >= {"ly → it", "pl → it"}
    assert any(r["group"].startswith("cell ") for r in report.routes)  # per cell too
    assert any(f["currency"] == "EUR" for f in report.flows)
    assert {h["handling"] for h in report.handling} == {"H0", "H1", "H2", "H3"}
    files = write_report(report, tmp_path / "out")
    page = files[0].read_text(encoding="utf-8")
    assert "<script src='plotly.min.js'>" in page and (tmp_path / "out" / "plotly.min.js").exists()
    assert "Sankey" in page or "sankey" in page
    with (tmp_path / "out" / "key_players.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"label", "betweenness", "pagerank"} <= set(rows[0])


def test_report_escapes_names_and_sees_only_the_scope(
    sqlite_store: Store, examples: Path, tmp_path: Path
) -> None:
    (examples / "it" / "persons.ftm.json").write_text(
        '{"id": "x", "schema": "Person", "properties": {"name": ["<script>alert(1)</script>"], '
        '"phone": ["+39 347 123 4567"]}}\n',
        encoding="utf-8",
    )
    load_manifest_into(sqlite_store, examples / "manifest.yaml")
    view = StoreView(sqlite_store, Scope.of([get_dataset(sqlite_store, "it_persons").id]))
    report = analyse(view)
    assert [h["dataset"] for h in report.handling] == ["it_persons"]
    page = write_report(report, tmp_path / "out")[0].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page


def test_report_reads_the_store_once_for_all_windows(
    sqlite_store: Store, examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_manifest_into(sqlite_store, examples / "manifest.yaml")
    view = StoreView(sqlite_store, Scope.everything())
    reads: list[tuple[object, ...]] = []
    original = StoreView.iter_entities

    def counted(self: StoreView, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        reads.append(args)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StoreView, "iter_entities", counted)
    report = analyse(view)
    assert len(report.timeline["windows"]) >= 2
    everything = [r for r in reads if not r or r[0] is None]
    assert len(everything) == 1  # one full read; routes read addresses and trips alone


def test_report_estimates_betweenness_on_large_networks(
    sqlite_store: Store, examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the size threshold betweenness is sampled, and the report says so."""
    load_manifest_into(sqlite_store, examples / "manifest.yaml")
    view = StoreView(sqlite_store, Scope.everything())
    assert analyse(view).betweenness == "exact"
    monkeypatch.setattr(table, "DEFAULT_SAMPLE_THRESHOLD", 3)
    monkeypatch.setattr(table, "SAMPLE_SOURCES", 4)
    report = analyse(view)
    assert report.betweenness.startswith("estimated from 4 sampled sources")
    assert all("betweenness_stderr" in r and "closeness" not in r for r in report.key_players)
    page = write_report(report, tmp_path / "out")[0].read_text(encoding="utf-8")
    assert "estimated from 4 sampled sources" in page
