"""The FollowTheMoney model, extended with Unweave's schemata (unweave/schema/*.yaml).

FtM keeps one model instance per process (``Model.instance()``) and every entity class
looks schemata up there, so the extension is loaded into that instance once, on import.
Import ``model`` from here, never from followthemoney, so the extension is always present.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from followthemoney import Model

SCHEMA_DIR = Path(__file__).parent / "schema"
EXTENSIONS = ("OnlineAd", "VictimIdentification")


def _extend(model: Model) -> Model:
    if all(name in model.schemata for name in EXTENSIONS):
        return model
    for path in sorted(SCHEMA_DIR.glob("*.yaml")):
        model._load(str(path))
    model.generate()
    return model


model = _extend(Model.instance())


def first_value(entity: Any, prop: str) -> str | None:
    """One value of a property, the same in every process: FtM 4's StatementEntity keeps
    values in sets, so ``entity.first`` picks by salted string hashes and two processes
    (two web workers, two runs) could pick different ones. The least non-empty value, or
    None."""
    return min((v for v in entity.get(prop, quiet=True) if v), default=None)
