"""Splink on DuckDB, in process: the embedded default."""

from __future__ import annotations

from typing import Any

from unweave.resolve.backends.base import Backend


class DuckDBBackend(Backend):
    name = "duckdb"

    def _make_db_api(self) -> Any:
        from splink import DuckDBAPI

        return DuckDBAPI()
