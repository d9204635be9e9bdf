"""The scenario's parameters: one documented YAML file (config.yaml) and the size presets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from unweave.errors import ConfigError

CONFIG_PATH = Path(__file__).parent / "config.yaml"
SIZES = ("small", "medium", "large")


@cache
def load_config(path: Path = CONFIG_PATH) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the scenario configuration: {exc}") from None
    if not isinstance(data, dict) or "routes" not in data:
        raise ConfigError(f"{path}: not a scenario configuration (no `routes:`)")
    return data


@dataclass(frozen=True)
class Size:
    """How big a scenario is: persons in total, organisations, share of victims."""

    label: str
    persons: int
    organisations: int
    victim_share: float


def resolve_size(size: str | int, config: dict[str, Any] | None = None) -> Size:
    """``small``, ``medium``, ``large`` or a number of persons."""
    config = config or load_config()
    text = str(size).strip().lower()
    if text in config["sizes"]:
        preset = config["sizes"][text]
        return Size(text, preset["persons"], preset["organisations"], preset["victim_share"])
    try:
        persons = int(text.replace("_", ""))
    except ValueError:
        raise ConfigError(
            f"size {size!r} is not small, medium, large or a number of persons",
            hint="for example --size small or --size 20000",
        ) from None
    default = config["default"]
    if persons < 100:
        raise ConfigError(f"size {persons} is too small", hint="use at least 100 persons")
    orgs = max(default["min_organisations"], round(persons / default["persons_per_organisation"]))
    return Size(str(persons), persons, orgs, default["victim_share"])


def window(config: dict[str, Any]) -> tuple[date, date]:
    w = config["window"]
    return date.fromisoformat(str(w["start"])), date.fromisoformat(str(w["end"]))
