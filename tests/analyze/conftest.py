from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def data_dir(name: str) -> Path:
    path = DATA / name
    if not path.is_dir():
        # worktrees live next to /work/shared; fall back to the absolute location
        path = Path("/work/shared/data") / name
    if not path.is_dir():
        pytest.skip(f"shared data set {name} not available")
    return path
