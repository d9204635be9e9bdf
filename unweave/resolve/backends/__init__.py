"""Resolution backends: where Splink runs its SQL (DuckDB by default, Spark for scale)."""

from __future__ import annotations

from unweave.errors import ConfigError
from unweave.resolve.backends.base import Backend

ENGINES = ("duckdb", "spark")


def get_backend(name: str = "duckdb") -> Backend:
    """The backend called ``name``; heavy imports happen here, on first use."""
    if name == "duckdb":
        from unweave.resolve.backends.duckdb import DuckDBBackend

        return DuckDBBackend()
    if name == "spark":
        from unweave.resolve.backends.spark import SparkBackend

        return SparkBackend()
    raise ConfigError(f"unknown resolution engine {name!r}", hint=f"use one of {ENGINES}")


__all__ = ["ENGINES", "Backend", "get_backend"]
