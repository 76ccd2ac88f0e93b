"""The BoError family, findings, and the exit codes every command shares (PRODUCT.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    ATTENTION = 1  # done, and something needs attention
    BAD_INPUT = 2  # a file, setting or argument is wrong; nothing was written
    REFUSED = 3  # lock held, period closed, tree dirty
    BUG = 70  # a bug in bo; traceback goes to a log file


@dataclass(frozen=True)
class Source:
    """Where something is: a file and, when known, a 1-based line."""

    filename: str
    lineno: int | None = None

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}" if self.lineno else self.filename

    @classmethod
    def from_meta(cls, meta: dict[str, Any] | None) -> Source | None:
        """Build from a beancount entry's or error's metadata."""
        if not meta or not meta.get("filename"):
            return None
        return cls(str(meta["filename"]), meta.get("lineno"))


class BoError(Exception):
    """An error a user can cause and fix; the CLI prints `file:line: message` and exits."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(
        self, message: str, source: Source | None = None, exit_code: ExitCode | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class BadInputError(BoError):
    """Bad input or usage: exit 2, nothing written."""

    exit_code = ExitCode.BAD_INPUT


class SettingsError(BadInputError):
    """bo.yaml (or another YAML file bo reads) is invalid; carries every problem found."""

    def __init__(self, problems: list[Finding]) -> None:
        first = problems[0]
        super().__init__(first.message, first.source)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class LedgerError(BadInputError):
    """The ledger does not load cleanly: beancount reported errors."""

    def __init__(self, problems: list[Finding]) -> None:
        first = problems[0]
        super().__init__(first.message, first.source)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class RefusedError(BoError):
    """Refused: lock held, period closed, dirty tree. Exit 3."""

    exit_code = ExitCode.REFUSED


class LockHeldError(RefusedError):
    """Another bo run holds the books' lock."""


@dataclass(frozen=True)
class Finding:
    """Something a check found, shaped like a beancount error: source, message, entry."""

    source: Source | None
    message: str
    check: str = ""
    severity: str = "error"  # "error" needs attention (exit 1); "warning" is informational
    entry: Any = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "file": self.source.filename if self.source else None,
            "line": self.source.lineno if self.source else None,
            "message": self.message,
        }


def one_line(text: str, option: str) -> str:
    """`text` stripped, when it is one line of printable characters; bad input otherwise.

    Reasons and explanations go into records and commit messages: a newline there would
    plant a line of its own (a forged `Bo-Command:` trailer), an escape sequence would
    rewrite the terminal of whoever reads the log.
    """
    import unicodedata

    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            raise BadInputError(
                f"{option}: one line of text, without control characters (found {ch!r})"
            )
    return text.strip()
