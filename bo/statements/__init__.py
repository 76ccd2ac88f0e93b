"""Bank and card statements: the model, the reader protocol, and `read_statement`, the driver.

Like beangulp's importers, each format is a small reader that says whether a file looks like
its kind (`identify`) and turns it into a `Statement` (`read`). The driver owns what they share:
finding the account's format in bo.yaml, checking the file is there and not empty, and
refusing a file that is plainly another format than the one configured.
"""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path
from typing import Protocol

from bo.errors import Source
from bo.settings import OWED_ROLES, BeangulpFormat, CsvFormat, Settings, known_formats
from bo.statements.csv import CsvReader
from bo.statements.model import Statement, StatementError, StatementLine, line_ids
from bo.statements.ofx import OfxReader

__all__ = [
    "Statement",
    "StatementError",
    "StatementLine",
    "StatementReader",
    "check_statement_file",
    "line_ids",
    "read_statement",
    "reader_for",
    "statement_span",
]

HEAD_BYTES = 4096  # enough of a file's start to tell OFX from CSV
# A year of a busy account's daily export is a few megabytes; a file past this is not one
# statement (or not a statement at all), and reading it whole would take the machine's memory.
MAX_STATEMENT_BYTES = 200 * 1024 * 1024


class StatementReader(Protocol):
    """One statement format: recognise a file of this kind, and read it whole."""

    kind: str

    def identify(self, head: bytes) -> bool:
        """Whether a file starting with `head` looks like this format."""
        ...

    def read(self, path: Path, account: str, owed: bool = False) -> Statement:
        """The statement in `path` for `account` (`owed`: a card's or a loan's, whose
        balance is what is owed); StatementError if it cannot be trusted."""
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
    fmt = settings.statement_format(name)
    if fmt is None:
        raise StatementError(
            f"`accounts.{account}.statement.format`: unknown format `{name}` "
            f"({known_formats(settings)})",
            settings.source("accounts", account, "statement", "format"),
        )
    account_id = configured.statement.account_id
    if isinstance(fmt, BeangulpFormat):
        from bo.statements.importer import ImporterReader

        where = settings.source("statement_formats", name)
        root = settings.root or Path.cwd()
        return ImporterReader(fmt, name, root, settings.matching.line_id_keys, where)
    if isinstance(fmt, CsvFormat):
        # One file may list several accounts' rows (a card per employee): the rows of
        # another account bo.yaml knows by its number are that account's, not refused.
        others = {
            conf.statement.account_id: other
            for other, conf in settings.accounts.items()
            if other != account and conf.statement and conf.statement.account_id
        }
        return CsvReader(fmt, fmt.currency or settings.entity.currency, account_id, others)
    return OfxReader(account_id)


def read_statement(path: Path, account: str, settings: Settings) -> Statement:
    """Read the statement file `path` of `account` in the format bo.yaml gives for it."""
    reader = reader_for(account, settings)
    _check_head(path, account, reader)
    # The account's side comes from its role in bo.yaml (a card owes, a bank holds), which
    # names it whatever the ledger calls its root accounts.
    conf = settings.accounts.get(account)
    return reader.read(path, account, owed=conf is not None and conf.role in OWED_ROLES)


def statement_span(path: Path, account: str, settings: Settings) -> tuple[date, date] | None:
    """The first and last day `read_statement` would find in `path`, where telling costs
    less than reading it (a CSV's date cells alone); None when only the read can tell."""
    try:
        reader = reader_for(account, settings)
        _check_head(path, account, reader)
    except StatementError:
        return None
    return reader.span(path) if isinstance(reader, CsvReader) else None


def check_statement_file(path: Path) -> None:
    """Refuse what cannot be a statement before reading a byte of it: a missing file, a
    folder, a device or pipe (`/dev/zero` never ends), a file too large to be one."""
    where = Source(str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise StatementError("no such statement file", where) from None
    except OSError as exc:
        raise StatementError(f"cannot read the file: {exc.strerror}", where) from None
    if stat.S_ISDIR(info.st_mode):
        raise StatementError("is a folder, not a statement file", where)
    if not stat.S_ISREG(info.st_mode):
        raise StatementError("is a device or a pipe, not a statement file", where)
    if info.st_size > MAX_STATEMENT_BYTES:
        raise StatementError(
            f"is {info.st_size / 2**20:,.0f} MB; bo reads statements up to "
            f"{MAX_STATEMENT_BYTES // 2**20} MB: export it a month or a quarter at a time",
            where,
        )


def _check_head(path: Path, account: str, reader: StatementReader) -> None:
    where = Source(str(path))
    check_statement_file(path)
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError as exc:
        raise StatementError(f"cannot read the file: {exc.strerror}", where) from None
    if len(head) < HEAD_BYTES and not head.strip():
        raise StatementError("the file is empty", where)
    if not reader.identify(head):
        raise StatementError(
            f"does not look like a {reader.kind} file, the format bo.yaml gives for {account}",
            where,
        )
