"""Every command and option of `unweave network` is documented in docs/network.md."""

from __future__ import annotations

from pathlib import Path

import typer

from unweave.analyze.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "network.md"


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"unweave network {name}" in text, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in text, f"{name} {opt}"
