"""Every command and every setting is documented in the README (as datasette does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from unweave import settings
from unweave.cli.main import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            names += _commands(command, f"{full} ")
        else:
            names.append(full)
    return names


def test_every_command_is_in_the_readme() -> None:
    group = typer.main.get_command(app)
    missing = [c for c in _commands(group) if f"unweave {c}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    assert [s.env for s in settings.ALL if s.env not in README] == []


def test_every_example_file_is_in_the_readme() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    files = [p.relative_to(examples.parent).as_posix() for p in examples.rglob("*.*")]
    undocumented = [
        f for f in files if f.endswith((".csv", ".json", ".jsonl", ".xlsx")) and f not in README
    ]
    assert undocumented == []
