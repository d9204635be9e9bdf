from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from unweave.scenario import generate


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One small scenario, generated once for the read-only tests."""
    out = tmp_path_factory.mktemp("small")
    return out, generate(7, "small", out)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
