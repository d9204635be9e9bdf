"""Graph analysis benchmark (issue 5): `make bench-graph` / `python -m benchmarks.graph`.

1. Infinito 'Ndrangheta: Leiden cells against the five known locali (ARI, NMI), with
   networkx's Louvain alongside.
2. Enron e-mail (36,692 nodes, 183,831 edges): Unweave (igraph) and NetworkX side by side
   in the same run: sampled betweenness (the same number k of sources for both; exact
   networkx would take hours), PageRank, k-core, communities (Leiden vs Louvain). Then the
   sampled estimator's error against igraph's exact betweenness on the same graph.
3. Unweave alone on a generated graph of 1,000,000 nodes and 10,000,000 edges (run in a
   child process so its peak memory is its own).

Figures go to benchmarks/RESULTS.md under "## Graph analysis (issue 5)".
"""

from __future__ import annotations

import os

# igraph's OpenMP threads spin against the other jobs on a shared 2-core machine (PageRank
# took 0.3-1 s instead of 0.05 s under load 4); one thread gives stable timings.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import csv
import datetime as dt
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.graph_report import NETWORKX_LIMIT_S, report, write_results

ROOT = Path(__file__).resolve().parents[1]
DATA_CANDIDATES = [ROOT.parent / "shared" / "data", Path("/work/shared/data")]


def data(name: str) -> Path:
    for base in DATA_CANDIDATES:
        if (base / name).exists():
            return base / name
    raise SystemExit(f"data set {name} not found under {DATA_CANDIDATES}")


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def timed_with_limit(fn: Any, limit: float) -> float | None:
    """Time fn() in a forked child; None if it has not finished within `limit` seconds."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def run() -> None:
        _, t = timed(fn)
        child.send(t)

    proc = ctx.Process(target=run)
    proc.start()
    ready = parent.poll(limit)
    if not ready:
        proc.terminate()
        proc.join()
        return None
    t = float(parent.recv())
    proc.join()
    return t


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    model = platform.processor() or "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return f"{os.cpu_count()} cores (nproc), {model}, Python {platform.python_version()}"


# -- 1. Infinito ---------------------------------------------------------------------
def infinito() -> dict[str, Any]:
    import networkx as nx

    from unweave.analyze import cells
    from unweave.graph.readers import read_csv

    folder = data("infinito_ndrangheta")
    net = read_csv(folder / "esbm_train_edges.csv").simple()
    with open(folder / "esbm_train_nodes.csv") as fh:
        locale = {row["node"]: row["locale"] for row in csv.DictReader(fh)}
    codes = sorted(set(locale.values()))
    truth = [codes.index(locale[i]) for i in net.ids]
    out: dict[str, Any] = {"nodes": len(net), "edges": net.edge_count, "runs": []}
    for resolution in (0.5, 1.0, 1.5):
        aris, nmis, sizes = [], [], []
        for seed in range(10):
            m = cells.leiden(net, resolution=resolution, seed=seed)
            score = cells.compare(m, truth)
            aris.append(score["ari"])
            nmis.append(score["nmi"])
            sizes.append(len(set(m)))
        out["runs"].append(
            {
                "method": f"Leiden (resolution {resolution})",
                "ari_seed0": aris[0],
                "nmi_seed0": nmis[0],
                "ari_mean": sum(aris) / 10,
                "nmi_mean": sum(nmis) / 10,
                "cells": f"{min(sizes)}–{max(sizes)}",
            }
        )
    g = nx.Graph()
    g.add_nodes_from(net.ids)
    g.add_edges_from((e["source"], e["target"]) for e in net.edges())
    aris, nmis, sizes = [], [], []
    for seed in range(10):
        comms = nx.community.louvain_communities(g, seed=seed)
        label = {n: i for i, c in enumerate(comms) for n in c}
        score = cells.compare([label[i] for i in net.ids], truth)
        aris.append(score["ari"])
        nmis.append(score["nmi"])
        sizes.append(len(comms))
    out["runs"].append(
        {
            "method": "NetworkX Louvain (resolution 1.0)",
            "ari_seed0": aris[0],
            "nmi_seed0": nmis[0],
            "ari_mean": sum(aris) / 10,
            "nmi_mean": sum(nmis) / 10,
            "cells": f"{min(sizes)}–{max(sizes)}",
        }
    )
    return out


# -- 2. Enron ------------------------------------------------------------------------
def load_enron() -> Any:
    import numpy as np

    from unweave.graph.network import Network

    ig = __import__("igraph")
    path = data("enron_email_snap") / "email-Enron.txt"
    arcs = np.loadtxt(path, skiprows=1, dtype=np.int64)
    n = int(arcs.max()) + 1
    g = ig.Graph(n=n, edges=arcs, directed=False)
    g.simplify()
    g.vs["name"] = [str(i) for i in range(n)]
    g.es["weight"] = [1.0] * g.ecount()
    return Network(g)


def side_by_side(net: Any, k: int) -> list[dict[str, Any]]:
    """The same measures with Unweave and NetworkX on the same graph, in this process."""
    import networkx as nx

    from unweave.analyze import cells, measures

    g = nx.Graph()
    g.add_nodes_from(range(len(net)))
    g.add_edges_from(net.g.get_edgelist())
    rows: list[dict[str, Any]] = []

    def side(name: str, ours: Any, theirs: Any, note: str = "") -> None:
        _, t1 = timed(ours)
        limited = timed_with_limit(theirs, NETWORKX_LIMIT_S)
        if limited is None:
            note = f"NetworkX stopped after {NETWORKX_LIMIT_S} s. " + note
        t2 = float(NETWORKX_LIMIT_S) if limited is None else limited
        rows.append(
            {"measure": name, "unweave_s": t1, "networkx_s": t2, "ratio": t2 / t1, "note": note}
        )
        print(f"  {name}: unweave {t1:.2f}s networkx {t2:.2f}s ({t2 / t1:.0f}x)", flush=True)

    side(
        f"betweenness, {k} sampled sources",
        lambda: measures.sampled_betweenness(net, k, seed=0, weighted=False),
        lambda: nx.betweenness_centrality(g, k=k, seed=0),
        "same number of single-source passes on both sides",
    )
    side("PageRank", lambda: measures.pagerank(net), lambda: nx.pagerank(g))
    side("k-core", lambda: measures.coreness(net), lambda: nx.core_number(g))
    side(
        "communities",
        lambda: cells.leiden(net, seed=0, weighted=False),
        lambda: nx.community.louvain_communities(g, seed=0),
        "Leiden (igraph's C implementation) vs Louvain (networkx)",
    )
    return rows


def enron(k: int) -> dict[str, Any]:
    from unweave.analyze import measures

    net, t_load = timed(load_enron)
    rows = side_by_side(net, k)
    exact, t_exact = timed(measures.betweenness, net)
    est = measures.sampled_betweenness(net, k, seed=0, weighted=False)
    top = sorted(range(len(net)), key=lambda v: -exact[v])[:100]
    rel = [abs(est.values[v] - exact[v]) / exact[v] for v in top]
    covered = sum(abs(est.values[v] - exact[v]) <= 2 * est.stderr[v] for v in top)
    top10_exact = set(top[:10])
    top10_est = set(sorted(range(len(net)), key=lambda v: -est.values[v])[:10])
    return {
        "nodes": len(net),
        "edges": net.edge_count,
        "load_s": t_load,
        "rows": rows,
        "exact_betweenness_s": t_exact,
        "sample_k": k,
        "top100_mean_rel_error": sum(rel) / len(rel),
        "top100_max_rel_error": max(rel),
        "top100_within_2se": covered,
        "top10_overlap": len(top10_exact & top10_est),
    }


def generated(n: int, m: int, k: int) -> dict[str, Any]:
    """A generated graph NetworkX still handles within minutes (Barabási–Albert)."""
    import igraph as ig

    from unweave.graph.network import Network

    g = ig.Graph.Barabasi(n=n, m=m // n, directed=False)
    g.vs["name"] = [str(i) for i in range(n)]
    g.es["weight"] = [1.0] * g.ecount()
    net = Network(g)
    return {"nodes": n, "edges": net.edge_count, "rows": side_by_side(net, k), "k": k}


# -- 3. 1M nodes / 10M edges ---------------------------------------------------------
def large(n: int, m: int, k: int) -> dict[str, Any]:
    import igraph as ig

    from unweave.analyze import cells, disrupt, measures
    from unweave.graph.network import Network

    out: dict[str, Any] = {"nodes": n, "edges_requested": m, "sample_k": k, "times": {}}

    def step(name: str, fn: Any) -> Any:
        value, t = timed(fn)
        out["times"][name] = t
        out["peak_rss_mb"] = peak_rss_mb()
        print(f"  {name}: {t:.1f}s, peak {out['peak_rss_mb']:.0f} MB", flush=True)
        return value

    def build() -> Network:
        g = ig.Graph.Erdos_Renyi(n=n, m=m, directed=False, loops=False)
        g.vs["name"] = [str(i) for i in range(n)]
        g.es["weight"] = [1.0] * g.ecount()
        return Network(g)

    net = step("generate (Erdős–Rényi G(n, m)) and wrap", build)
    out["edges"] = net.edge_count
    step("degree", lambda: measures.degree(net))
    step("PageRank", lambda: measures.pagerank(net))
    step("k-core", lambda: measures.coreness(net))
    step("largest component", lambda: disrupt.largest_component(net))
    step(f"betweenness, {k} sampled sources", lambda: measures.sampled_betweenness(net, k))
    step("Leiden communities", lambda: cells.leiden(net, seed=0, weighted=False))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--k", type=int, default=500, help="sampled sources on Enron")
    parser.add_argument("--large-k", type=int, default=16, help="sampled sources on 1M")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--mid-nodes", type=int, default=100_000)
    parser.add_argument("--mid-edges", type=int, default=500_000)
    parser.add_argument("--mid-k", type=int, default=50)
    args = parser.parse_args()
    if args.large_only:
        print(json.dumps(large(args.nodes, args.edges, args.large_k)))
        return
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
    }
    print("Infinito 'Ndrangheta", flush=True)
    results["infinito"] = infinito()
    write_results(report(results))
    print("Enron", flush=True)
    results["enron"] = enron(args.k)
    write_results(report(results))
    if args.mid_nodes:
        print(f"Generated {args.mid_nodes:,} / {args.mid_edges:,} with NetworkX", flush=True)
        results["generated"] = generated(args.mid_nodes, args.mid_edges, args.mid_k)
        write_results(report(results))
    if not args.skip_large:
        print(f"Generated {args.nodes:,} / {args.edges:,}", flush=True)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.graph",
                "--large-only",
                "--nodes",
                str(args.nodes),
                "--edges",
                str(args.edges),
                "--large-k",
                str(args.large_k),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        sys.stdout.write(proc.stderr)
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        if last.startswith("{"):
            results["large"] = json.loads(last)
        else:
            results["large"] = {
                "nodes": args.nodes,
                "edges_requested": args.edges,
                "times": {},
                "peak_rss_mb": 0,
                "incomplete": f"child exited {proc.returncode}",
            }
        write_results(report(results))
    print(report(results))


if __name__ == "__main__":
    main()
