"""A progress bar written to a log prints plain lines as it goes; on a terminal it does not."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import BarColumn

from unweave.cli.progress import Progress, log_line


def run(terminal: bool, interval: float) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=100)
    with Progress("{task.description}", BarColumn(), console=console, interval=interval) as bar:
        task = bar.add_task("calls.csv", total=200)
        bar.update(task, completed=50)
        bar.advance(task, 50)
        counted = bar.add_task("background population", total=None)
        bar.update(counted, completed=1234)
    return out.getvalue()


def test_a_log_hears_how_far_each_task_is() -> None:
    text = run(terminal=False, interval=0)
    assert "calls.csv: 25 % after 0 min 00 s" in text
    assert "calls.csv: 50 % after" in text
    assert "background population: 1,234 done after" in text


def test_lines_wait_for_their_interval() -> None:
    assert "% after" not in run(terminal=False, interval=3600)


def test_a_terminal_gets_the_bar_only() -> None:
    assert "% after" not in run(terminal=True, interval=0)


def test_a_finished_task_is_not_repeated() -> None:
    out = io.StringIO()
    with Progress(console=Console(file=out, force_terminal=False), interval=0) as bar:
        done = bar.add_task("ads.jsonl", total=10)
        bar.update(done, completed=10)
        other = bar.add_task("border.csv", total=10)
        bar.update(other, completed=3)
    lines = [line for line in out.getvalue().splitlines() if "% after" in line]
    assert lines == [line for line in lines if line.startswith("border.csv: 30 %")]
    assert len(lines) == 1
    assert log_line(bar.tasks[1]).startswith("border.csv: 30 % after")
