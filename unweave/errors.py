"""The one root exception and its short tree.

UnweaveError
├── ConfigError        a setting, a path or an option is wrong
├── NotFound           an agency, dataset or entity does not exist (for this reader)
├── Forbidden          the user's role, agency or a handling code does not allow it
└── InvalidInput       one problem in one input: file, row (or line) and field
    └── IngestRejected a whole file refused, carrying every InvalidInput found (up to a limit)

The command line turns any of them into a one-line message with a hint and exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnweaveError(Exception):
    """Root of every error Unweave raises on purpose."""

    hint: str | None = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(UnweaveError):
    """A setting, path or command-line option cannot be used."""


class NotFound(UnweaveError):
    """Something named by the user does not exist, or the reader may not see it."""


class Forbidden(UnweaveError):
    """The user may not do this: their role, their agency or a handling code forbids it.

    Never raised for reading something the user may not see: that answers NotFound, the
    same as for what does not exist, so a refusal reveals nothing.
    """


@dataclass
class Problem:
    """Where and what: the unit of an input error report."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class InvalidInput(UnweaveError):
    """One problem in one input file."""

    def __init__(
        self,
        file: str,
        message: str,
        row: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = Problem(file=file, row=row, field=field, message=message)
        super().__init__(str(self.problem), hint=hint)


class IngestRejected(InvalidInput):
    """A file was refused whole; nothing of it was stored."""

    def __init__(
        self,
        file: str,
        problems: list[Problem],
        truncated: bool = False,
        hint: str | None = None,
    ) -> None:
        self.problems = problems
        self.truncated = truncated
        more = " (and more, not listed)" if truncated else ""
        lines = "\n".join(f"  - {p}" for p in problems)
        message = f"{file}: rejected, {len(problems)} error(s){more}; nothing was stored\n{lines}"
        super().__init__(
            file,
            message,
            hint=hint
            or "fix the rows above, or pass --skip-invalid to load the valid rows "
            "and write the rejected ones to a report file",
        )
        # InvalidInput formats the message from the problem; keep the full listing instead.
        self.message = message
