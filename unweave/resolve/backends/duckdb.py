"""Splink on DuckDB, in process: the embedded default."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from typing import Any

from unweave.errors import ConfigError
from unweave.resolve.backends.base import Backend

DEFAULT_MEMORY = "4GB"


def _setting(name: str, default: str, pattern: str, example: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    if not re.fullmatch(pattern, raw, flags=re.IGNORECASE):
        raise ConfigError(f"{name} must look like {example}, not {raw!r}")
    return raw


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def spill_folder(base: str) -> str:
    """A spill folder of this process's own under ``base`` (readable by its user only),
    after removing those of processes that are gone. Spilled pages hold the records being
    compared, victims' names and birth dates among them, decrypted: DuckDB deletes its
    files when it closes, not when the run is killed."""
    os.makedirs(base, mode=0o700, exist_ok=True)
    for entry in os.scandir(base):
        pid = entry.name.removeprefix("run-")
        if not (entry.is_dir() and entry.name.startswith("run-") and pid.isdigit()):
            continue
        if int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)
    own = os.path.join(base, f"run-{os.getpid()}")
    os.makedirs(own, mode=0o700, exist_ok=True)
    return own


class DuckDBBackend(Backend):
    """DuckDB's memory limit (``UNWEAVE_RESOLVE_MEMORY``, default 4GB: what it may hold
    before it spills to ``UNWEAVE_RESOLVE_TEMP``, default the system's temporary folder)
    and threads (``UNWEAVE_RESOLVE_THREADS``, default the usable cores). The feature
    table itself is Arrow, outside that limit."""

    name = "duckdb"

    def __init__(self, memory_limit: str | None = None, threads: int | None = None) -> None:
        super().__init__()
        self.memory_limit = memory_limit or _setting(
            "UNWEAVE_RESOLVE_MEMORY", DEFAULT_MEMORY, r"\d+(\.\d+)?\s*[KMGT]i?B", "8GB"
        )
        self.threads = threads or int(
            _setting(
                "UNWEAVE_RESOLVE_THREADS",
                str(len(os.sched_getaffinity(0))),
                r"[1-9]\d*",
                "2",
            )
        )
        self.temp = os.environ.get("UNWEAVE_RESOLVE_TEMP", "").strip() or os.path.join(
            tempfile.gettempdir(), "unweave-duckdb"
        )

    def _make_db_api(self) -> Any:
        import duckdb
        from splink import DuckDBAPI

        config: dict[str, Any] = {
            "memory_limit": self.memory_limit,
            "threads": self.threads,
            "temp_directory": spill_folder(self.temp),
        }
        return DuckDBAPI(connection=duckdb.connect(":memory:", config=config))
