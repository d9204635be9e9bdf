"""`make bench-resolve` writes its latest report inside the resolution section of
RESULTS.md and keeps the section's history and every other section as they are."""

from __future__ import annotations

from pathlib import Path

from benchmarks.resolve import BEGIN, END, SECTION, write_results


def test_the_report_replaces_only_the_latest_run(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(
        f"# Benchmark results\n\n## Ingestion\n\nkept\n\n{SECTION}\n\nhistory kept\n\n"
        "## Web\n\nalso kept\n",
        encoding="utf-8",
    )
    write_results("### Latest run\n\nfirst\n", results)
    write_results("### Latest run\n\nsecond\n", results)
    text = results.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert "second" in text and "first" not in text
    for kept in ("## Ingestion\n\nkept", "history kept", "## Web\n\nalso kept"):
        assert kept in text
    assert text.index(SECTION) < text.index(BEGIN) < text.index("history kept")


def test_a_results_file_without_the_section_gets_it(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    write_results("### Latest run\n\nonly\n", results)
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results") and SECTION in text and "only" in text
