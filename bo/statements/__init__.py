"""Bank and card statements: the model, the reader protocol, and `read_statement`, the driver.

Like beangulp's importers, each format is a small reader that says whether a file looks like
its kind (`identify`) and turns it into a `Statement` (`read`). The driver owns what they share:
finding the account's format in bo.yaml, checking the file is there and not empty, and
refusing a file that is plainly another format than the one configured.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol

from bo.errors import Source
from bo.settings import LIABILITY_ROLES, CsvFormat, Settings
from bo.statements.csv import CsvReader
from bo.statements.model import Statement, StatementError, StatementLine, line_ids
from bo.statements.ofx import OfxReader

__all__ = [
    "Statement",
    "StatementError",
    "StatementLine",
    "StatementReader",
    "line_ids",
    "read_statement",
    "reader_for",
    "statement_span",
]

HEAD_BYTES = 4096  # enough of a file's start to tell OFX from CSV


class StatementReader(Protocol):
    """One statement format: recognise a file of this kind, and read it whole."""

    kind: str

    def identify(self, head: bytes) -> bool:
        """Whether a file starting with `head` looks like this format."""
        ...

    def read(self, path: Path, account: str) -> Statement:
        """The statement in `path` for `account`; StatementError if it cannot be trusted."""
        ...


def reader_for(account: str, settings: Settings) -> StatementReader:
    """The reader configured for `account` in bo.yaml (`accounts.A.statement.format`)."""
    configured = settings.accounts.get(account)
    if configured is None or configured.statement is None:
        raise StatementError(
            f"`{account}` has no statement format: set `accounts.{account}.statement.format` "
            "to one of `statement_formats`",
            settings.source("accounts", account),
        )
    name = configured.statement.format
    fmt = settings.statement_formats.get(name)
    if fmt is None:
        known = ", ".join(sorted(settings.statement_formats)) or "none defined"
        raise StatementError(
            f"`accounts.{account}.statement.format`: unknown format `{name}` "
            f"(statement_formats: {known})",
            settings.source("accounts", account, "statement", "format"),
        )
    account_id = configured.statement.account_id
    if isinstance(fmt, CsvFormat):
        owed = configured.role in LIABILITY_ROLES
        return CsvReader(fmt, fmt.currency or settings.entity.currency, account_id, owed=owed)
    return OfxReader(account_id)


def read_statement(path: Path, account: str, settings: Settings) -> Statement:
    """Read the statement file `path` of `account` in the format bo.yaml gives for it."""
    reader = reader_for(account, settings)
    _check_head(path, account, reader)
    return reader.read(path, account)


def statement_span(path: Path, account: str, settings: Settings) -> tuple[date, date] | None:
    """The first and last day `read_statement` would find in `path`, where telling costs
    less than reading it (a CSV's date cells alone); None when only the read can tell."""
    try:
        reader = reader_for(account, settings)
        _check_head(path, account, reader)
    except StatementError:
        return None
    return reader.span(path) if isinstance(reader, CsvReader) else None


def _check_head(path: Path, account: str, reader: StatementReader) -> None:
    where = Source(str(path))
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except FileNotFoundError:
        raise StatementError("no such statement file", where) from None
    except IsADirectoryError:
        raise StatementError("is a folder, not a statement file", where) from None
    except OSError as exc:
        raise StatementError(f"cannot read the file: {exc.strerror}", where) from None
    if len(head) < HEAD_BYTES and not head.strip():
        raise StatementError("the file is empty", where)
    if not reader.identify(head):
        raise StatementError(
            f"does not look like a {reader.kind} file, the format bo.yaml gives for {account}",
            where,
        )
