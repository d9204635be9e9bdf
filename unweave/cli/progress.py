"""Progress bars that also speak in a log.

rich draws a bar only on a terminal; written to a file or a pipe (a long ingest run with
``nohup``, CI, a cron job), it stays silent until the end, so nobody can tell whether an
hour-long check is moving. This ``Progress`` is rich's own, and when its console is not
a terminal it also prints one plain line per unfinished task every ``interval`` seconds.
"""

from __future__ import annotations

import time
from typing import Any

from rich import progress as rich_progress
from rich.progress import TaskID


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


class Progress(rich_progress.Progress):
    def __init__(self, *columns: Any, interval: float = 30.0, **kwargs: Any) -> None:
        super().__init__(*columns, **kwargs)
        self.interval = interval
        self._logged = time.monotonic()

    def update(self, task_id: TaskID, **kwargs: Any) -> None:
        super().update(task_id, **kwargs)
        self._log_if_due()

    def advance(self, task_id: TaskID, advance: float = 1) -> None:
        super().advance(task_id, advance)
        self._log_if_due()

    def _log_if_due(self) -> None:
        if self.console.is_terminal or time.monotonic() - self._logged < self.interval:
            return
        self._logged = time.monotonic()
        for task in self.tasks:
            if not task.finished and task.visible:
                self.console.print(log_line(task), highlight=False, markup=False)


def log_line(task: rich_progress.Task) -> str:
    """'manifest.yaml: 35 % after 4 min 10 s, about 7 min 40 s left (16:12:03)'."""
    name = task.description or "working"
    elapsed = _duration(task.elapsed or 0.0)
    clock = time.strftime("%H:%M:%S")
    if not task.total:
        return f"{name}: {task.completed:,.0f} done after {elapsed} ({clock})"
    left = task.time_remaining
    eta = f", about {_duration(left)} left" if left is not None else ""
    return f"{name}: {task.percentage:.0f} % after {elapsed}{eta} ({clock})"
