"""Work on large indexes spread over the machine's cores, the arrays shared, not copied.

The parent prepares its arrays, then forks ``workers`` processes: each reads the arrays the
parent holds (copy-on-write pages, never written, so never copied) and returns only its
small result. Small jobs run in the calling process: forking costs more than they do, and a
server's request threads are not forked for them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

from unweave import settings

_JOB: tuple[Callable[..., Any], Sequence[Any]] | None = None


def workers() -> int:
    raw = settings.LINKAGE_WORKERS.get()
    if raw:
        return max(1, settings.get_int(settings.LINKAGE_WORKERS))
    return max(1, len(os.sched_getaffinity(0)))


def _run(i: int) -> Any:
    assert _JOB is not None
    fn, parts = _JOB
    return fn(parts[i])


def fork_map(fn: Callable[[Any], Any], parts: Sequence[Any], processes: int) -> list[Any]:
    """``[fn(p) for p in parts]``, over ``processes`` forked workers when more than one.

    ``fn`` and ``parts`` reach the workers by the fork itself (nothing is pickled but the
    part numbers and the results)."""
    global _JOB
    if processes <= 1 or len(parts) <= 1:
        return [fn(p) for p in parts]
    _JOB = (fn, parts)
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(processes, len(parts))) as pool:
            return pool.map(_run, range(len(parts)), chunksize=1)
    finally:
        _JOB = None
