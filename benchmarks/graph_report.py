"""Markdown report of the graph benchmark, written into benchmarks/RESULTS.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "## Graph analysis (issue 5)"
NETWORKX_LIMIT_S = 600


# -- report --------------------------------------------------------------------------
def report(results: dict[str, Any]) -> str:
    lines = [HEADING, ""]
    lines.append(
        f"Run {results['date']} on {results['machine']}, OMP_NUM_THREADS=1, machine shared "
        "with other jobs (load average about 4 on 2 cores): timings are indicative. "
        "`make bench-graph`."
    )
    lines.append("")
    inf = results.get("infinito")
    if inf:
        lines += [
            f"### Infinito 'Ndrangheta: cells against the five locali ({inf['nodes']} "
            f"affiliates, {inf['edges']} co-attendance ties)",
            "",
            "| method | ARI (seed 0) | NMI (seed 0) | ARI mean of 10 seeds | NMI mean | cells |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in inf["runs"]:
            lines.append(
                f"| {r['method']} | {r['ari_seed0']:.3f} | {r['nmi_seed0']:.3f} | "
                f"{r['ari_mean']:.3f} | {r['nmi_mean']:.3f} | {r['cells']} |"
            )
        lines.append("")
    en = results.get("enron")
    if en:
        lines += [
            f"### Enron e-mail ({en['nodes']:,} nodes, {en['edges']:,} edges): Unweave vs "
            "NetworkX, same run",
            "",
            "| measure | Unweave (igraph) s | NetworkX s | NetworkX / Unweave | note |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in en["rows"]:
            lines.append(
                f"| {r['measure']} | {r['unweave_s']:.2f} | {r['networkx_s']:.2f} | "
                f"{r['ratio']:.0f}× | {r['note']} |"
            )
        lines += [
            "",
            f"Exact betweenness with Unweave (igraph, all {en['nodes']:,} sources): "
            f"{en['exact_betweenness_s']:.1f} s. Sampled estimator (k = {en['sample_k']} "
            "sources, Brandes–Pich, scaled by n/k) against it, on the 100 nodes with the "
            f"highest exact betweenness: mean relative error {en['top100_mean_rel_error']:.1%},"
            f" max {en['top100_max_rel_error']:.1%}; {en['top100_within_2se']} of 100 within "
            f"two stated standard errors; top-10 overlap {en['top10_overlap']}/10.",
            "",
        ]
    mid = results.get("generated")
    if mid:
        lines += [
            f"### Generated Barabási–Albert graph ({mid['nodes']:,} nodes, {mid['edges']:,} "
            "edges): Unweave vs NetworkX, same run",
            "",
            "| measure | Unweave (igraph) s | NetworkX s | NetworkX / Unweave | note |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in mid["rows"]:
            lines.append(
                f"| {r['measure']} | {r['unweave_s']:.2f} | {r['networkx_s']:.2f} | "
                f"{r['ratio']:.0f}× | {r['note']} |"
            )
        lines += [
            "",
            f"Each NetworkX call is stopped after {NETWORKX_LIMIT_S} s (the ratio is then a "
            "lower bound). This is one size tried, not a search for the largest size at "
            "which NetworkX still finishes within 10 minutes.",
            "",
        ]
    lg = results.get("large")
    if lg:
        lines += [
            f"### Unweave alone: generated graph, {lg['nodes']:,} nodes, "
            f"{lg.get('edges', lg['edges_requested']):,} edges",
            "",
            "| step | seconds |",
            "| --- | --- |",
        ]
        for name, t in lg["times"].items():
            lines.append(f"| {name} | {t:.1f} |")
        lines += [
            "",
            f"Peak memory (max RSS of the child process that ran it): {lg['peak_rss_mb']:.0f} MB.",
            "",
        ]
        if lg.get("incomplete"):
            lines += [f"Incomplete: {lg['incomplete']}", ""]
    lines += notes(results)
    return "\n".join(lines) + "\n"


def notes(results: dict[str, Any]) -> list[str]:
    """What the figures say against the issue's targets (20x for betweenness, PageRank and
    communities), written out so that a shortfall is not hidden in a table."""
    if not results.get("enron"):
        return []
    out = ["### Against the targets", ""]
    for key, label in (("enron", "Enron"), ("generated", "generated graph")):
        for r in (results.get(key) or {}).get("rows", []):
            if r["measure"] == "k-core":
                continue
            verdict = "meets" if r["ratio"] >= 20 else "misses"
            out.append(f"- {label}, {r['measure']}: {r['ratio']:.0f}×, {verdict} the 20× target.")
    out += [
        "- PageRank misses it: NetworkX's PageRank is a SciPy sparse power iteration (C "
        "speed, stops at tolerance 1e-6), while igraph's PRPACK solves to machine precision; "
        "both take well under a second on Enron.",
        "- PageRank, looked into on 2026-12-01 (Enron, same process, best of 7, load average "
        "about 10 on the 2 shared cores): igraph's default is already PRPACK; Unweave's call "
        "(0.34 s) costs 8 % more than the bare igraph call (0.31 s); passing no weights or "
        "the weight attribute makes no difference (0.30 / 0.31 s); ARPACK is slower (0.49 "
        "s). NetworkX took 2.50 s, and converting its graph to a SciPy matrix alone takes "
        "about as long (3.06 s in the same run): its PageRank time is that conversion. A "
        "SciPy power iteration at NetworkX's tolerance on a ready matrix takes 0.02 s, but "
        "building that matrix from the igraph graph takes 0.40 s, more than PRPACK. No other "
        "igraph call closes the gap; PageRank stays below the 20× target.",
        "- Infinito: Leiden (and Louvain) find 4 cells for the 5 locali at resolution 1; "
        "resolution 1.5 splits into 7–8 cells and matches the locali less well.",
        "",
    ]
    return out


def write_results(text: str, heading: str = HEADING) -> None:
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if heading in old:
        before, rest = old.split(heading, 1)
        nxt = rest.find("\n## ")
        after = rest[nxt + 1 :] if nxt >= 0 else ""
        new = before + text + ("\n" + after if after else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new, encoding="utf-8")
