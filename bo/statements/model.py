"""What a statement is once read: its lines and balances, and the error for one bo cannot trust."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount.core.amount import Amount

from bo.errors import BadInputError, Finding, Source

# A statement with a wrong date format fails on every row: show the first few, count the rest.
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One transaction on a bank or card statement, signed the way the books post it.

    `amount` is positive for money into the account as the ledger sees it (a deposit on a bank
    account, a payment on a card) and negative for money out (a withdrawal, a card charge).
    `balance` is the running balance after this line, in the sign of the account's ledger balance.
    """

    account: str
    date: date
    amount: Amount
    payee: str
    memo: str
    reference: str | None  # check number or another reference the bank prints
    bank_id: str | None  # the bank's own transaction id (OFX FITID, a CSV id column)
    balance: Decimal | None
    source: Source  # the file and the 1-based line where the row starts
    row: int  # 0-based index of the data row within the statement


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement file of one account, read and validated whole."""

    account: str
    path: Path
    currency: str
    lines: tuple[StatementLine, ...]
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    start: date
    end: date

    @classmethod
    def from_lines(
        cls,
        account: str,
        path: Path,
        currency: str,
        lines: Sequence[StatementLine],
        opening_balance: Decimal | None = None,
        closing_balance: Decimal | None = None,
        period: tuple[date, date] | None = None,
    ) -> Statement:
        """Assemble a statement over `period` (as the file states it), widened to its lines."""
        if not lines:
            raise StatementError("the statement has no transaction rows", Source(str(path)))
        dates = [line.date for line in lines]
        if period is not None:
            dates.extend(period)
        return cls(
            account,
            path,
            currency,
            tuple(lines),
            opening_balance,
            closing_balance,
            min(dates),
            max(dates),
        )


class StatementError(BadInputError):
    """A statement file bo refuses whole: each problem names its file, line and column."""

    def __init__(
        self,
        message: str,
        source: Source | None = None,
        problems: Sequence[Finding] = (),
        more: int = 0,
    ) -> None:
        super().__init__(message, source)
        self.problems = list(problems) or [Finding(source, message, "statement")]
        self.more = more  # problems found beyond those kept

    @classmethod
    def from_problems(cls, problems: Sequence[Finding], more: int = 0) -> StatementError:
        """One error carrying every problem found, led by the first."""
        first = problems[0]
        return cls(first.message, first.source, problems, more)

    def __str__(self) -> str:
        text = [str(problem) for problem in self.problems]
        if self.more:
            where = self.source.filename if self.source else "statement"
            text.append(f"{where}: and {self.more} more problems like these")
        return "\n".join(text)


class Problems:
    """Collects a statement's problems so a person sees every bad row at once, not one per run."""

    def __init__(self) -> None:
        self.kept: list[Finding] = []
        self.more = 0

    def add(self, source: Source, message: str) -> None:
        """Record one problem; past MAX_PROBLEMS only count it."""
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Finding(source, message, "statement"))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_any(self) -> None:
        """Refuse the statement if anything was wrong with it."""
        if self.kept:
            raise StatementError.from_problems(self.kept, self.more)


def line_ids(lines: Iterable[StatementLine]) -> list[str]:
    """A stable identity per statement line: the bank's transaction id where the format has one,
    else a fingerprint of the row plus its occurrence among identical rows of the statement
    (why, in bo.imports' docstring)."""
    seen: Counter[str] = Counter()
    ids = []
    for line in lines:
        if line.bank_id:
            ids.append(f"bank:{line.bank_id}")
            continue
        content = "\x1f".join(
            (
                str(line.date),
                str(line.amount.number),
                line.amount.currency,
                line.payee,
                line.memo,
                line.reference or "",
            )
        )
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
        seen[digest] += 1
        ids.append(f"row:{digest}:{seen[digest]}")
    return ids
