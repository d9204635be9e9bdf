"""The `network` sub-app: metrics, communities, disrupt on outside files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.analyze.conftest import data_dir
from unweave.analyze.cli import app

runner = CliRunner()


def edges(tmp_path: Path) -> Path:
    path = tmp_path / "e.csv"
    rows = ["source,target,weight"]
    for u, v in [
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("c", "d"),
        ("d", "e"),
        ("e", "f"),
        ("f", "d"),
    ]:
        rows.append(f"{u},{v},1")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_disrupt_contract_on_montagna() -> None:
    path = data_dir("montagna_sicilian_mafia") / "Montagna_phonecalls_edgelist.csv"
    result = runner.invoke(
        app,
        [
            "disrupt",
            "--edges",
            str(path),
            "--strategy",
            "betweenness",
            "--mode",
            "block",
            "--block-size",
            "5",
            "--steps",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "removed,lcc_fraction"
    assert [ln.split(",")[0] for ln in lines[1:]] == ["0", "5", "10"]
    # Cavallaro et al. 2020, phone calls, block, unweighted betweenness: 1.0, 0.326, 0.056
    assert [round(float(ln.split(",")[1]), 3) for ln in lines[1:]] == [1.0, 0.326, 0.056]


def test_metrics_and_communities_to_file(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    result = runner.invoke(app, ["metrics", "--edges", str(edges(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text().splitlines()[0].split(",")
    assert header[:3] == ["id", "degree", "strength"]
    assert "betweenness" in header and "constraint" in header
    result = runner.invoke(
        app, ["metrics", "--edges", str(edges(tmp_path)), "--sample", "3", "--unweighted"]
    )
    assert "betweenness_stderr" in result.output.splitlines()[0]
    result = runner.invoke(app, ["communities", "--edges", str(edges(tmp_path))])
    rows = [ln.split(",") for ln in result.output.splitlines()[1:]]
    cell = dict(rows)
    assert cell["a"] == cell["b"] == cell["c"] != cell["d"] == cell["e"] == cell["f"]
    result = runner.invoke(app, ["communities", "--edges", str(edges(tmp_path)), "--summary"])
    assert result.output.startswith("cell,size,leading")


def test_module_entry_point_reports_errors_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target,weight\na,b,lots\n")
    proc = subprocess.run(
        [sys.executable, "-m", "unweave.analyze", "disrupt", "--edges", str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert (
        proc.stderr.strip()
        == f"error: {bad}, row 2, field 'weight': weight 'lots' is not a number"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "unweave.analyze",
            "disrupt",
            "--edges",
            str(edges(tmp_path)),
            "--strategy",
            "magic",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "unknown strategy" in proc.stderr


def test_metrics_on_directed_gexf_with_brokerage_groups(tmp_path: Path) -> None:
    from tests.graph.test_readers import GEXF

    path = tmp_path / "g.gexf"
    path.write_text(GEXF)
    result = runner.invoke(app, ["metrics", "--edges", str(path), "--groups", "country"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["id", "in_degree", "out_degree", "degree"]
    assert header[-5:] == ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
    row_b = dict(zip(header, lines[2].split(","), strict=True))
    assert row_b["id"] == "b" and row_b["liaison"] == "1"  # RO -> [IT] -> (no country)


def test_report_writes_offline_html_and_tables(tmp_path: Path) -> None:
    path = data_dir("montagna_sicilian_mafia") / "Montagna_meetings_edgelist.csv"
    out = tmp_path / "report"
    result = runner.invoke(app, ["report", "--edges", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text()
    assert "Plotly.newPlot" in page
    assert 'src="http' not in page  # plotly.js is embedded, nothing is fetched: works offline
    for name in ("metrics.csv", "cells.csv", "disruption.csv"):
        assert (out / name).read_text().count("\n") > 3, name
