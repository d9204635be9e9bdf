"""The largest generated graph on which NetworkX finishes within 10 minutes (issue 5).

`python -m benchmarks.graph_search` (run by `make bench-graph-search`; about 40 minutes).
For exact betweenness, PageRank and communities (Leiden against NetworkX's Louvain), the
size of a Barabási–Albert graph (5 edges a node) doubles until NetworkX no longer finishes
within 10 minutes, or until the size cap (memory: the machine is shared); at each size
Unweave and NetworkX run on the same graph in the same run. The ratio reported is the one
at the largest size NetworkX finished.

Figures go to benchmarks/RESULTS.md under "## Graph analysis: the largest graph NetworkX
finishes in 10 minutes (issue 5)".
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # see benchmarks/graph.py

import argparse
import datetime as dt
import gc
import time
from collections.abc import Callable
from typing import Any

from benchmarks.graph import machine, timed, timed_with_limit
from benchmarks.graph_report import NETWORKX_LIMIT_S, write_results

HEADING = "## Graph analysis: the largest graph NetworkX finishes in 10 minutes (issue 5)"
EDGES_PER_NODE = 5


def _measures() -> dict[str, tuple[Callable[..., Any], Callable[..., Any]]]:
    import networkx as nx

    from unweave.analyze import cells, measures

    return {
        "betweenness (exact)": (
            lambda net: measures.betweenness(net),
            lambda g: nx.betweenness_centrality(g),
        ),
        "PageRank": (lambda net: measures.pagerank(net), lambda g: nx.pagerank(g)),
        "communities": (
            lambda net: cells.leiden(net, seed=0, weighted=False),
            lambda g: nx.community.louvain_communities(g, seed=0),
        ),
    }


def graphs(n: int) -> tuple[Any, Any]:
    import igraph as ig
    import networkx as nx

    from unweave.graph.network import Network

    g = ig.Graph.Barabasi(n=n, m=EDGES_PER_NODE, directed=False)
    g.vs["name"] = [str(i) for i in range(n)]
    g.es["weight"] = [1.0] * g.ecount()
    theirs = nx.Graph()
    theirs.add_nodes_from(range(n))
    theirs.add_edges_from(g.get_edgelist())
    return Network(g), theirs


def search(
    name: str,
    start: int,
    cap: int,
    limit: float,
    until: float = float("inf"),
    rows: list[dict[str, Any]] | None = None,
    done: Callable[[], None] = lambda: None,
) -> list[dict[str, Any]]:
    """Double the size from `start` until NetworkX is stopped, the cap, or time `until`;
    each size's row is appended to `rows` and `done` called (to write what is known)."""
    ours, theirs = _measures()[name]
    rows = [] if rows is None else rows
    n = start
    while n <= cap and time.time() < until:
        net, g = graphs(n)
        _, t1 = timed(ours, net)
        t2 = timed_with_limit(lambda g=g: theirs(g), limit)
        row = {"measure": name, "nodes": n, "edges": net.edge_count, "unweave_s": t1}
        row |= {"networkx_s": t2, "ratio": None if t2 is None else t2 / t1}
        rows.append(row)
        done()
        shown = "stopped" if t2 is None else f"{t2:.1f}s ({t2 / t1:.0f}x)"
        print(f"  {name} n={n:,}: unweave {t1:.2f}s networkx {shown}", flush=True)
        del net, g
        gc.collect()
        if t2 is None:
            break
        n *= 2
    return rows


def render(results: dict[str, Any]) -> str:
    lines = [
        HEADING,
        "",
        f"Run {results['date']} on {results['machine']}, OMP_NUM_THREADS=1. "
        f"Load average (1 / 5 / 15 min) when the last size ended: {results['load']} on "
        f"{os.cpu_count()} cores; under load NetworkX and Unweave both slow down, so the "
        "sizes found are smaller than on an idle machine; the ratios are of the same run. "
        "`python -m benchmarks.graph_search`.",
        "",
        f"Barabási–Albert graphs, {EDGES_PER_NODE} edges a node, doubling until NetworkX "
        f"is stopped at {results['limit']:.0f} s or the size cap is reached.",
        "",
        *(
            [
                f"The search had {results['budget'] / 60:.0f} minutes in all, shared between "
                "the measures (a size is not started once its measure's share is spent).",
                "",
            ]
            if results.get("budget")
            else []
        ),
        "| measure | nodes | edges | Unweave s | NetworkX s | NetworkX / Unweave |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results["rows"]:
        theirs = (
            f"stopped at {NETWORKX_LIMIT_S:.0f}"
            if r["networkx_s"] is None
            else f"{r['networkx_s']:.1f}"
        )
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.0f}×"
        lines.append(
            f"| {r['measure']} | {r['nodes']:,} | {r['edges']:,} | {r['unweave_s']:.2f} | "
            f"{theirs} | {ratio} |"
        )
    lines += ["", "Largest size NetworkX finished within the limit, and the ratio there:", ""]
    for name, cap in results["caps"].items():
        tried = [r for r in results["rows"] if r["measure"] == name]
        done = [r for r in tried if r["ratio"] is not None]
        if not tried:
            lines.append(f"- {name}: not run (the search's time ran out before it).")
            continue
        if not done:
            lines.append(f"- {name}: NetworkX finished no size tried.")
            continue
        best = done[-1]
        verdict = "meets" if best["ratio"] >= 20 else "misses"
        stopped = any(r["measure"] == name and r["ratio"] is None for r in results["rows"])
        if stopped:
            why = f"the next size was stopped at {results['limit']:.0f} s"
        elif best["nodes"] * 2 > cap:
            why = (
                f"NetworkX still finished; the search stopped at the size cap ({cap:,} "
                "nodes, memory on a shared machine), so the largest size is not found"
            )
        else:
            why = (
                "NetworkX still finished; the time budget of the search ran out before the "
                "next size, so the largest size is not found"
            )
        lines.append(
            f"- {name}: {best['nodes']:,} nodes / {best['edges']:,} edges, "
            f"{best['ratio']:.0f}× ({verdict} the 20× target); {why}."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=NETWORKX_LIMIT_S)
    parser.add_argument("--only", default=None, help="one measure (for a quick try)")
    parser.add_argument(
        "--budget", type=float, default=None, help="seconds for the whole search, shared out"
    )
    args = parser.parse_args()
    plan = {  # measure: (first size, size cap)
        "betweenness (exact)": (2_000, 64_000),
        "PageRank": (100_000, 1_600_000),
        "communities": (25_000, 800_000),
    }
    if args.only:
        plan = {args.only: plan[args.only]}
    t0 = time.time()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "limit": args.limit,
        "rows": [],
        "caps": {name: cap for name, (_, cap) in plan.items()},
    }
    results["budget"] = args.budget
    for i, (name, (start, cap)) in enumerate(plan.items()):
        share = None if args.budget is None else args.budget / len(plan)
        until = float("inf") if share is None else t0 + share * (i + 1)

        def write() -> None:
            results["load"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
            write_results(render(results), HEADING)

        search(name, start, cap, args.limit, until, results["rows"], write)
    print(render(results))


if __name__ == "__main__":
    main()
