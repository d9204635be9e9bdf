"""Analysis: the report of a case, the timeline, routes (Sankey) and money flows."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from unweave.analyze import money, routes
from unweave.analyze.investigation import analyse
from unweave.graph.build import GraphFilter
from unweave.web.auth import Reader, ReaderDep
from unweave.web.graphs import stamp
from unweave.web.render import render
from unweave.web.routes.graph import Day, _filters, _graph, _index

api = APIRouter(prefix="/api/analysis", tags=["analysis"])
pages = APIRouter(include_in_schema=False)
Opt = Annotated[str | None, Query(max_length=300)]
MAX_EVENTS = 2000
TOP = 50


def report_data(
    who: Reader, case: str | None, start: str | None, end: str | None
) -> dict[str, Any] | None:
    """The report, or None while it is being computed (in the background)."""
    view = who.view(case)
    filters = GraphFilter(start=start, end=end)
    report = who.reports.get(
        (view.scope, filters, stamp(view.store)), lambda: analyse(view, filters)
    )
    if report is None:
        return None
    who.record("analyze", detail={"report": "web", "nodes": report.nodes}, case=case)
    return asdict(report)


def timeline_data(
    who: Reader, case: str | None, node: str | None, start: str | None, end: str | None
) -> dict[str, Any]:
    graph = _graph(who, case, _filters(None, start, end))
    g = graph.net.g
    names = g.vs["name"]
    labels = g.vs["label"] if "label" in g.vs.attributes() else names
    if node:
        centre = _index(graph, node)
        near = {centre, *g.neighbors(centre, mode="all")}
        edges = g.es.select(_incident=sorted(near))
    else:
        edges = g.es
    events = []
    for e in edges:
        attrs = e.attributes()
        when = attrs.get("time") or attrs.get("first")
        if not when:
            continue
        events.append(
            {
                "date": str(when)[:19],
                "last": str(attrs.get("last") or when)[:19],
                "type": attrs.get("type"),
                "source": names[e.source],
                "target": names[e.target],
                "source_label": str(labels[e.source] or names[e.source]),
                "target_label": str(labels[e.target] or names[e.target]),
                "count": attrs.get("count"),
                "amount": attrs.get("weight") if attrs.get("type") == "payment" else None,
                "currency": attrs.get("currency"),
            }
        )
    events.sort(key=lambda ev: (ev["date"], ev["type"] or ""))
    who.record("read", detail={"timeline": len(events)}, entity_id=node, case=case)
    return {"node": node, "events": events[:MAX_EVENTS], "total": len(events)}


def routes_data(who: Reader, case: str | None) -> dict[str, Any]:
    view = who.view(case)
    items = routes.journeys(view)
    who.record("analyze", detail={"routes": len(items)}, case=case)
    return {
        "journeys": len(items),
        "routes": [
            {"route": list(r), "people": n} for r, n in routes.route_counts(items).most_common()
        ],
        "sankey": routes.sankey(items),
    }


def money_data(who: Reader, case: str | None, start: str | None, end: str | None) -> dict:
    graph = _graph(who, case, _filters("payment", start, end))
    net = graph.net
    label = dict(zip(net.ids, net.g.vs["label"] if "label" in net.g.vs.attributes() else net.ids,
                     strict=True))  # fmt: skip

    def row(f: money.Flow) -> dict[str, Any]:
        return {
            "source": f.source,
            "target": f.target,
            "source_label": str(label.get(f.source) or f.source),
            "target_label": str(label.get(f.target) or f.target),
            "currency": f.currency,
            "amount": f.amount,
            "count": f.count,
        }

    flows = money.flows(net)
    who.record("analyze", detail={"money": len(flows)}, case=case)
    return {
        "flows": [row(f) for f in flows[:TOP]],
        "countries": [
            {k: v for k, v in asdict(f).items() if k != "evidence"}
            for f in money.flows(net, by="country")[:TOP]
        ],
        "circles": [[str(label.get(n) or n) for n in c] for c in money.circles(net)[:20]],
    }


@api.get(
    "/report",
    summary="The analysis report of what the reader (or a case) may see",
    description="Computed in the background: answers 202 with status 'preparing' until the "
    "report is ready, then 200 with status 'ready' and the report.",
    responses={202: {"description": "being prepared: ask again in a few seconds"}},
)
def report_api(
    who: ReaderDep, response: Response, case: Opt = None, start: Day = None, end: Day = None
) -> dict[str, Any]:
    report = report_data(who, case, start, end)
    if report is None:
        response.status_code = 202
        return {"status": "preparing", "report": None}
    return {"status": "ready", "report": report}


@api.get("/timeline", summary="Calls, payments, travel and events in time order")
def timeline_api(
    who: ReaderDep, case: Opt = None, node: Opt = None, start: Day = None, end: Day = None
) -> dict[str, Any]:
    return timeline_data(who, case, node, start, end)


@api.get("/routes", summary="Journeys as routes between countries, with Sankey data")
def routes_api(who: ReaderDep, case: Opt = None) -> dict[str, Any]:
    return routes_data(who, case)


@api.get("/money", summary="Money flows between entities and between countries")
def money_api(
    who: ReaderDep, case: Opt = None, start: Day = None, end: Day = None
) -> dict[str, Any]:
    return money_data(who, case, start, end)


@pages.get("/report")
def report_page(request: Request, who: ReaderDep, case: Opt = None) -> Response:
    report = report_data(who, case, None, None)
    return render(request, "report.html", {"r": report, "case": case})


@pages.get("/timeline")
def timeline_page(
    request: Request, who: ReaderDep, case: Opt = None, node: Opt = None
) -> Response:
    data = timeline_data(who, case, node, None, None)
    return render(request, "timeline.html", {"data": data, "case": case or "", "node": node or ""})


@pages.get("/routes")
def routes_page(request: Request, who: ReaderDep, case: Opt = None) -> Response:
    return render(request, "routes.html", {"data": routes_data(who, case), "case": case or ""})


@pages.get("/money")
def money_page(request: Request, who: ReaderDep, case: Opt = None) -> Response:
    data = money_data(who, case, None, None)
    return render(request, "money.html", {"data": data, "case": case or ""})
