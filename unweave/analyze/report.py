"""An HTML report with charts (plotly, embedded: works offline) and the CSV tables.

`write_report(net, out_dir)` writes index.html, metrics.csv, cells.csv and disruption.csv;
`report_data(net)` returns the same figures for the web layer.
"""

from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path
from typing import Any

from unweave.analyze import cells, disrupt, table
from unweave.graph.network import Network

KEY_MEASURES = ("degree", "betweenness", "pagerank", "eigenvector")


def report_data(
    net: Network, top: int = 10, sample: int | None = None, steps: int = 20
) -> dict[str, Any]:
    """Measures per node, cells with their summary, and two disruption curves."""
    rows = table.metrics_rows(net, sample=sample)
    membership = cells.leiden(net)
    for row, cell in zip(rows, membership, strict=True):
        row["cell"] = cell
    curves = {
        strategy: [asdict(s) for s in disrupt.simulate(net, strategy, steps=steps)]
        for strategy in ("degree", "betweenness")
    }
    leaders = {m: _top(rows, m, top) for m in KEY_MEASURES}
    return {
        "nodes": len(net),
        "edges": net.edge_count,
        "metrics": rows,
        "cells": [asdict(c) for c in cells.summarise(net, membership)],
        "disruption": curves,
        "leaders": leaders,
    }


def _top(rows: list[dict[str, Any]], measure: str, top: int) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: -float(r[measure]))[:top]


def _charts(data: dict[str, Any]) -> list[str]:
    import plotly.graph_objects as go

    figures = []
    curve = go.Figure()
    for strategy, steps in data["disruption"].items():
        curve.add_trace(
            go.Scatter(
                x=[s["removed"] for s in steps],
                y=[s["lcc_fraction"] for s in steps],
                mode="lines+markers",
                name=strategy,
            )
        )
    curve.update_layout(
        title="Largest connected group left after removing key players",
        xaxis_title="people removed",
        yaxis_title="share of the largest group",
    )
    figures.append(curve)
    for measure in ("betweenness", "degree"):
        leaders = data["leaders"][measure]
        bar = go.Figure(go.Bar(x=[r["id"] for r in leaders], y=[r[measure] for r in leaders]))
        bar.update_layout(title=f"Top {len(leaders)} by {measure}", xaxis_type="category")
        figures.append(bar)
    return [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(figures)
    ]


def write_report(net: Network, out_dir: str | Path, title: str = "Network analysis") -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = report_data(net)
    (out / "metrics.csv").write_text(table.to_csv(data["metrics"]), encoding="utf-8")
    (out / "cells.csv").write_text(table.to_csv(data["cells"]), encoding="utf-8")
    curve_rows = [
        {"strategy": k, "removed": s["removed"], "lcc_fraction": s["lcc_fraction"]}
        for k, steps in data["disruption"].items()
        for s in steps
    ]
    (out / "disruption.csv").write_text(table.to_csv(curve_rows), encoding="utf-8")
    charts = "\n".join(f"<section>{c}</section>" for c in _charts(data))
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 6px;font-size:90%}}</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{data["nodes"]} nodes, {data["edges"]} ties. Tables: metrics.csv, cells.csv,
disruption.csv.</p>
{charts}
<h2>Cells</h2>
{
        table.html_table(
            data["cells"], ["cell", "size", "leading", "countries", "money_in", "money_out"]
        )
    }
<h2>Key players by betweenness</h2>
{
        table.html_table(
            data["leaders"]["betweenness"],
            ["id", "degree", "betweenness", "pagerank", "constraint", "cell"],
        )
    }
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
