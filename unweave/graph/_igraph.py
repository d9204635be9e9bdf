"""Lazy import of the optional graph extra, with an install hint when it is missing."""

from __future__ import annotations

from typing import Any

from unweave.errors import ConfigError

HINT = "install the graph extra: pip install 'unweave[graph]'"


def module() -> Any:
    try:
        import igraph
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError("python-igraph is not installed", hint=HINT) from exc
    return igraph


def leidenalg() -> Any:
    try:
        import leidenalg
    except ImportError as exc:  # pragma: no cover
        raise ConfigError("leidenalg is not installed", hint=HINT) from exc
    return leidenalg
