"""The small interface every backend fills in: a Splink database API and a table loader."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, final

import pyarrow as pa


class Backend(ABC):
    """Where the engine's SQL runs. Subclasses fill in ``_make_db_api`` and ``_to_table``."""

    name: str = "?"

    def __init__(self) -> None:
        self._db_api: Any = None

    @abstractmethod
    def _make_db_api(self) -> Any:
        """A fresh Splink database API (DuckDBAPI, SparkAPI, ...)."""

    def _to_table(self, frame: pa.Table) -> Any:
        """The feature table in a form the database API registers (Arrow for DuckDB)."""
        return frame

    @final
    @property
    def db_api(self) -> Any:
        if self._db_api is None:
            self._db_api = self._make_db_api()
        return self._db_api

    @final
    def register(self, frame: pa.Table) -> Any:
        """Register the feature frame as a Splink input table, with a new name each run."""
        self._db_api = self._make_db_api()
        return self.db_api.register(self._to_table(frame))

    def close(self) -> None:
        self._db_api = None
