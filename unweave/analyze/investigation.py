"""The analysis report of an investigation, from what a reader may see in the store:
key players, cells, money, routes, time.

``analyse(view)`` returns the data (the web layer shows it); ``write_report`` writes it as
an HTML page with charts (plotly, working offline: its script is written beside the page)
and CSV tables. The report states the handling codes of the data it was made from.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from unweave.analyze import cells, measures, money, routes, table, timeline
from unweave.graph.build import GraphFilter, collect
from unweave.graph.network import Network
from unweave.graph.project import people
from unweave.store.reader import StoreView

TOP = 20

# CSV file -> (report field, columns)
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "key_players": (
        "key_players",
        ["label", "kind", "degree", "strength", "betweenness", "betweenness_stderr"]
        + ["pagerank", "eigenvector", "coreness", "constraint", "id"],
    ),
    "cells": (
        "cells",
        ["cell", "size", "leading", "countries", "internal_ties", "money_in", "money_out"],
    ),
    "money_flows": ("flows", ["source", "target", "currency", "amount", "count"]),
    "country_flows": ("country_flows", ["source", "target", "currency", "amount", "count"]),
    "sinks": ("sinks", ["entity", "currency", "net"]),
    "structuring": (
        "structuring",
        ["payer", "currency", "payments", "total", "first", "last", "reason"],
    ),
    "routes": ("routes", ["group", "route", "people"]),
    "handling": ("handling", ["agency", "dataset", "handling", "conditions"]),
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
    betweenness: str = "exact"  # or how it was estimated, for the reader of the report


def _label(net: Network) -> dict[str, str]:
    labels = net.g.vs["label"] if "label" in net.g.vs.attributes() else net.ids
    return {i: str(lbl or i) for i, lbl in zip(net.ids, labels, strict=True)}


def _quarters(net: Network) -> list[tuple[str, str, str]]:
    """The quarters from the first to the last edge time (first, last, a payment's time)."""
    present = [a for a in ("first", "last", "time") if a in net.g.es.attributes()]
    dates = sorted(str(d)[:7] for a in present for d in net.g.es[a] if d)
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


def _within(filters: GraphFilter, start: str, end: str) -> GraphFilter:
    """A quarter, narrowed to the period asked for (a longer date prefix is stricter)."""
    return replace(
        filters,
        start=max(start, filters.start) if filters.start else start,
        end=min(end, filters.end) if filters.end else end,
    )


# Money-transfer operators must identify customers from about 1,000 EUR (EU AMLR): a series
# of transfers just below is the classic split.
STRUCTURING_THRESHOLDS = {"EUR": 1_000.0, "GBP": 1_000.0, "USD": 1_000.0}


def _flow(flow: money.Flow) -> dict[str, Any]:
    return {k: v for k, v in asdict(flow).items() if k != "evidence"}


def _in_currency(net: Network, currency: str) -> Network:
    keep = [e.index for e in net.g.es if e["type"] == "payment" and e["currency"] == currency]
    return Network(net.g.subgraph_edges(keep, delete_vertices=False))


def analyse(
    view: StoreView, filters: GraphFilter | None = None, resolution: float = 1.0
) -> Report:
    filters = filters or GraphFilter()
    seen = collect(view)  # the store is read once; each window is made from memory
    graph = seen.network(filters)
    net = people(graph)
    label = _label(net)
    sample = table.auto_sample(len(net))
    rows = (
        table.metrics_rows(net.simple(directed=False), sample=sample, closeness=False)
        if len(net)
        else []
    )
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
    balances = [
        (value, label.get(node, node), currency)
        for currency, nodes in money.balances(graph).items()
        for node, value in nodes.items()
    ]
    sinks = [
        {"entity": name, "currency": currency, "net": value}
        for value, name, currency in sorted(balances, key=lambda b: (-b[0], b[1]))
    ]
    journeys = routes.journeys(view)
    route_rows = [
        {"group": "all", "route": " → ".join(r), "people": n}
        for r, n in routes.route_counts(journeys).most_common()
    ]
    # Per organisation: the Leiden cell stands for it (the store knows no organisations
    # unless a source recorded memberships).
    cell_of = {net.ids[i]: f"cell {c}" for i, c in enumerate(membership)}
    for group, counts in sorted(routes.by_group(journeys, cell_of).items()):
        route_rows += [
            {"group": group, "route": " → ".join(r), "people": n} for r, n in counts.most_common()
        ]
    windows = {
        name: people(seen.network(_within(filters, start, end)))
        for name, start, end in _quarters(graph)
    }
    tracks = timeline.track(windows, lambda n: measures.pagerank(n), top=5) if windows else []
    handling = [
        {
            "dataset": d["dataset"],
            "agency": d["agency"],
            "handling": d["handling"],
            "conditions": d["conditions"] or "",
        }
        for d in view.stats()["datasets"]
    ]
    return Report(
        nodes=len(graph),
        edges=graph.edge_count,
        handling=handling,
        key_players=key,
        cells=cell_rows,
        flows=[
            _flow(f)
            | {"source": label.get(f.source, f.source), "target": label.get(f.target, f.target)}
            for f in flows[:TOP]
        ],
        country_flows=[_flow(f) for f in money.flows(graph, by="country")],
        sinks=sinks[:TOP],
        circles=[[label.get(n, n) for n in c] for c in money.circles(graph)[:TOP]],
        structuring=[
            {
                "payer": label.get(s.payer, s.payer),
                "currency": s.currency,
                "payments": len(s.amounts),
                "total": sum(s.amounts),
                "first": s.first,
                "last": s.last,
                "reason": s.reason,
            }
            for currency, threshold in STRUCTURING_THRESHOLDS.items()
            for s in money.structuring(_in_currency(graph, currency), threshold)
        ],
        routes=route_rows,
        sankey=routes.sankey(journeys),
        timeline={
            "windows": list(windows),
            "tracks": [{"node": label.get(t.node, t.node), "ranks": t.ranks} for t in tracks[:10]],
        },
        betweenness=(
            "exact"
            if sample is None
            else f"estimated from {min(sample, len(net)):,} sampled sources of "
            f"{len(net):,} people (standard error in betweenness_stderr)"
        ),
    )


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
        f"{', '.join(codes) or 'none'}: see handling.csv; the most restrictive applies.</p>",
        f"<p>Betweenness: {html.escape(report.betweenness)}.</p>",
    ]
    restrictions = sorted({h["conditions"] for h in report.handling if h["conditions"]})
    if restrictions:  # H3: the restriction text goes wherever the data goes
        items = "".join(f"<li>{html.escape(r)}</li>" for r in restrictions)
        sections.append(f"<p><strong>H3 restrictions on this data:</strong></p><ul>{items}</ul>")
    for name, (rows, cols) in tables.items():
        sections.append(f"<h2>{name.replace('_', ' ')}</h2>{table.html_table(rows, cols)}")
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
