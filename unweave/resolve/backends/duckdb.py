"""Splink on DuckDB, in process: the embedded default."""

from __future__ import annotations

from typing import Any

from unweave.resolve.backends.base import Backend


class DuckDBBackend(Backend):
    name = "duckdb"

    def __init__(self, memory_limit: str = "4GB", threads: int | None = None) -> None:
        super().__init__()
        self.memory_limit = memory_limit
        self.threads = threads

    def _make_db_api(self) -> Any:
        import duckdb
        from splink import DuckDBAPI

        config: dict[str, Any] = {"memory_limit": self.memory_limit}
        if self.threads:
            config["threads"] = self.threads
        return DuckDBAPI(connection=duckdb.connect(":memory:", config=config))
