"""The analysis report of what a reader may see: key players, cells, money, routes, time.

``analyse(view)`` returns the data (the web layer shows it); ``write_report`` writes it as
an HTML page with charts (plotly, working offline: its script is written beside the page)
and CSV tables. The report states the handling codes of the data it was made from.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from unweave.analyze import cells, measures, money, routes, table, timeline
from unweave.graph.build import GraphFilter, build_network
from unweave.graph.network import Network
from unweave.graph.project import people
from unweave.store.reader import StoreView

TOP = 20

# CSV file -> (report field, columns)
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "key_players": (
        "key_players",
        ["label", "kind", "degree", "strength", "betweenness", "pagerank", "eigenvector"]
        + ["coreness", "constraint", "id"],
    ),
    "cells": (
        "cells",
        ["cell", "size", "leading", "countries", "internal_ties", "money_in", "money_out"],
    ),
    "money_flows": ("flows", ["source", "target", "currency", "amount", "count"]),
    "country_flows": ("country_flows", ["source", "target", "currency", "amount", "count"]),
    "sinks": ("sinks", ["entity", "currency", "received", "paid", "net"]),
    "structuring": (
        "structuring",
        ["payer", "currency", "threshold", "payments", "total", "first", "last"],
    ),
    "routes": ("routes", ["route", "people"]),
    "handling": ("handling", ["agency", "dataset", "handling"]),
}


@dataclass
class Report:
    nodes: int
    edges: int
    handling: list[dict[str, Any]]
    key_players: list[dict[str, Any]]
    cells: list[dict[str, Any]]
    flows: list[dict[str, Any]]
    country_flows: list[dict[str, Any]]
    sinks: list[dict[str, Any]]
    circles: list[list[str]]
    structuring: list[dict[str, Any]]
    routes: list[dict[str, Any]]
    sankey: dict[str, Any]
    timeline: dict[str, Any] = field(default_factory=dict)


def _label(net: Network) -> dict[str, str]:
    labels = net.g.vs["label"] if "label" in net.g.vs.attributes() else net.ids
    return {i: str(lbl or i) for i, lbl in zip(net.ids, labels, strict=True)}


def _quarters(net: Network) -> list[tuple[str, str, str]]:
    dates = sorted(
        str(d)[:7] for d in (net.g.es["first"] if "first" in net.g.es.attributes() else []) if d
    )
    if not dates:
        return []
    first, last = int(dates[0][:4]), int(dates[-1][:4])
    out = []
    for year in range(first, last + 1):
        for q in range(4):
            start, end = f"{year}-{3 * q + 1:02d}", f"{year}-{3 * q + 3:02d}"
            if end >= dates[0] and start <= dates[-1]:
                out.append((f"{year} Q{q + 1}", start, end))
    return out


def analyse(
    view: StoreView, filters: GraphFilter | None = None, resolution: float = 1.0
) -> Report:
    graph = build_network(view, filters)
    net = people(graph)
    label = _label(net)
    rows = table.metrics_rows(net.simple(directed=False), weighted=True) if len(net) else []
    for row in rows:
        row["label"] = label.get(row["id"], row["id"])
        row["kind"] = net.node(row["id"]).get("kind")
    key = sorted(rows, key=lambda r: (-r["betweenness"], -r["pagerank"], r["id"]))[:TOP]
    undirected = net.simple(directed=False)
    membership = cells.leiden(undirected, resolution=resolution) if len(net) else []
    cell_rows = []
    for cell in cells.summarise(net, membership)[:TOP] if membership else []:
        data = asdict(cell)
        data["leading"] = [label.get(m, m) for m in cell.leading]
        cell_rows.append(data)
    flows = money.flows(graph)
    journeys = routes.journeys(view)
    route_rows = [
        {"route": " → ".join(r), "people": n}
        for r, n in routes.route_counts(journeys).most_common()
    ]
    windows = {
        name: people(build_network(view, GraphFilter(start=start, end=end)))
        for name, start, end in _quarters(graph)
    }
    tracks = timeline.track(windows, lambda n: measures.pagerank(n), top=5) if windows else []
    handling = [
        {"dataset": d["dataset"], "agency": d["agency"], "handling": d["handling"]}
        for d in view.stats()["datasets"]
    ]
    return Report(
        nodes=len(graph),
        edges=graph.edge_count,
        handling=handling,
        key_players=key,
        cells=cell_rows,
        flows=[
            asdict(f)
            | {"source": label.get(f.source, f.source), "target": label.get(f.target, f.target)}
            for f in flows[:TOP]
        ],
        country_flows=[asdict(f) for f in money.country_flows(graph)],
        sinks=[
            asdict(b) | {"entity": label.get(b.entity, b.entity), "net": b.net}
            for b in money.balances(graph)[:TOP]
        ],
        circles=[[label.get(n, n) for n in c] for c in money.circles(graph)[:TOP]],
        structuring=[
            {
                "payer": label.get(s.payer, s.payer),
                "currency": s.currency,
                "threshold": s.threshold,
                "payments": len(s.payments),
                "total": s.total,
                "first": s.payments[0][0],
                "last": s.payments[-1][0],
            }
            for s in money.structuring(view)
        ],  # fmt: skip
        routes=route_rows,
        sankey=routes.sankey(journeys),
        timeline={
            "windows": list(windows),
            "tracks": [{"node": label.get(t.node, t.node), "ranks": t.ranks} for t in tracks[:10]],
        },
    )


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(table._fmt(r.get(c, ''))))}</td>" for c in columns)
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _charts(report: Report) -> list[tuple[str, str]]:
    import plotly.graph_objects as go

    charts = []
    if report.sankey["value"]:
        fig = go.Figure(
            go.Sankey(
                node={"label": report.sankey["nodes"]},
                link={k: report.sankey[k] for k in ("source", "target", "value")},
            )
        )
        fig.update_layout(title="Routes: legs between countries")
        charts.append(("routes", fig.to_html(full_html=False, include_plotlyjs=False)))
    if report.country_flows:
        top = report.country_flows[:15]
        fig = go.Figure(
            go.Bar(
                x=[f"{f['source']} → {f['target']} ({f['currency']})" for f in top],
                y=[f["amount"] for f in top],
            )
        )
        fig.update_layout(title="Money between countries")
        charts.append(("money", fig.to_html(full_html=False, include_plotlyjs=False)))
    if report.timeline.get("tracks"):
        fig = go.Figure()
        for t in report.timeline["tracks"]:
            fig.add_trace(go.Scatter(x=report.timeline["windows"], y=t["ranks"], name=t["node"]))
        fig.update_yaxes(autorange="reversed", title="PageRank rank")
        fig.update_layout(title="How the leading actors' positions move")
        charts.append(("time", fig.to_html(full_html=False, include_plotlyjs=False)))
    return charts


def write_report(report: Report, out: Path) -> list[Path]:
    from plotly.offline import get_plotlyjs

    out.mkdir(parents=True, exist_ok=True)
    written = []
    tables = {name: (getattr(report, field), cols) for name, (field, cols) in COLUMNS.items()}
    for name, (rows, cols) in tables.items():
        path = out / f"{name}.csv"
        path.write_text(table.to_csv(rows, cols), encoding="utf-8")
        written.append(path)
    (out / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    codes = sorted({h["handling"] for h in report.handling})
    sections = [
        f"<p>{report.nodes} nodes, {report.edges} edges. Data under handling codes "
        f"{', '.join(codes) or 'none'}: see handling.csv; the most restrictive applies.</p>"
    ]
    for name, (rows, cols) in tables.items():
        sections.append(f"<h2>{name.replace('_', ' ')}</h2>{_table(rows, cols)}")
    if report.circles:
        items = "".join(f"<li>{html.escape(' → '.join(c))}</li>" for c in report.circles)
        sections.append(f"<h2>money that comes back</h2><ul>{items}</ul>")
    for title, chart in _charts(report):
        sections.append(f"<h2>{title}</h2>{chart}")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Unweave analysis</title>"
        "<script src='plotly.min.js'></script><style>body{font-family:sans-serif;margin:2em}"
        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;"
        "padding:2px 6px}</style></head><body><h1>Analysis report</h1>"
        + "".join(sections)
        + "</body></html>"
    )
    index = out / "report.html"
    index.write_text(page, encoding="utf-8")
    return [index, *written]
