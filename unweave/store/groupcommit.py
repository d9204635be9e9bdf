"""Group commit: the threads of one process hand their writes to one writer at a time,
which writes all that are waiting in one transaction and commits it once.

The read requests of the web service each append an audit entry committed before their
answer. One commit per request made the threads queue for the store's write lock (SQLite
polls a busy lock with sleeps of 1, 2, 5, 10... ms) and, in WAL mode, made every other
connection drop its page cache at its next read. Here the first thread to arrive while
no write is under way becomes the writer: it takes every item waiting (its own among
them, at most ``most``), writes them with ``write`` (one transaction, committed before
it returns) and hands each thread its result; the threads that came meanwhile wait, and
the first of them writes the next group. No thread returns before its own item is
committed; if the write fails, every thread of that group gets ``GroupFailed`` (nothing
of the group was written: ``write`` rolls its transaction back).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupFailed(RuntimeError):
    """The transaction of this item's group failed: nothing of it was written."""


class _Waiting(Generic[Item, Result]):
    __slots__ = ("item", "result", "error", "done")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.result: Result | None = None
        self.error: BaseException | None = None
        self.done = False


class GroupCommit(Generic[Item, Result]):
    """``write(items)`` writes and commits the items of one group in one transaction and
    returns one result per item, in order (or raises, having written none of them)."""

    def __init__(
        self, write: Callable[[Sequence[Item]], Sequence[Result]], most: int = 256
    ) -> None:
        self._write = write
        self._most = most
        self._cond = threading.Condition()
        self._queue: list[_Waiting[Item, Result]] = []
        self._writing = False
        self.groups = 0  # transactions committed (for the tests and the curious)

    @property
    def waiting(self) -> int:
        """Items handed in and not yet taken by a writer."""
        with self._cond:
            return len(self._queue)

    @property
    def writing(self) -> bool:
        with self._cond:
            return self._writing

    def submit(self, item: Item) -> Result:
        """Write ``item`` with the others waiting; returns once its group is committed."""
        mine: _Waiting[Item, Result] = _Waiting(item)
        with self._cond:
            self._queue.append(mine)
        while True:
            with self._cond:
                while self._writing and not mine.done:
                    self._cond.wait()
                if mine.done:
                    break
                # No write under way: this thread writes the next group, the oldest items
                # first (its own may be left for the next one when more than `most` wait).
                self._writing = True
                group, self._queue = self._queue[: self._most], self._queue[self._most :]
            self._write_group(group)
        if mine.error is not None:
            raise GroupFailed("the group of this write failed: nothing of it was written") from (
                mine.error
            )
        return mine.result  # type: ignore[return-value]

    def _write_group(self, group: list[_Waiting[Item, Result]]) -> None:
        results: Sequence[Result] = ()
        error: BaseException | None = None
        try:
            results = self._write([w.item for w in group])
            if len(results) != len(group):
                raise RuntimeError(f"{len(results)} results for a group of {len(group)}")
        except BaseException as exc:  # every thread of the group is told, then it goes on
            error = exc
        with self._cond:
            for i, waiting in enumerate(group):
                if error is None:
                    waiting.result = results[i]
                else:
                    waiting.error = error
                waiting.done = True
            if error is None:
                self.groups += 1
            self._writing = False
            self._cond.notify_all()
