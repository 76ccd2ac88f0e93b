"""What the statements printed: every line of the cash accounts' statements around a period.

Duplicate detection reads them to tell honest repeats (the bank printed each) from an entry
booked twice (the bank printed it once).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bo.errors import BoError, RefusedError
from bo.paths import statement_folder
from bo.settings import CASH_ROLES
from bo.statements import Statement, line_ids, read_statement, statement_span

if TYPE_CHECKING:
    from bo.books import Books
    from bo.periods import Period

# Statement lines this far outside the period still speak for its entries: a card line
# posts days after the purchase, a check clears weeks after it is written.
STATEMENT_REACH = timedelta(days=60)


class PrintedLine(NamedTuple):
    """One line of a bank or card statement, as duplicate detection reads it."""

    account: str
    date: date
    amount: Decimal
    currency: str
    text: str = ""
    refs: frozenset[str] = frozenset()  # the line's import id, check number, bank id
    kind: str = ""  # "check" when the bank printed a check number


@dataclass(frozen=True)
class Printed:
    """What the statements printed, and the dates each account's statements cover."""

    lines: tuple[PrintedLine, ...] = ()
    spans: tuple[tuple[str, date, date], ...] = ()

    @classmethod
    def of(cls, lines: Iterable[PrintedLine]) -> Printed:
        """Lines whose statements cover each account from its first line to its last."""
        lines = tuple(lines)
        first: dict[str, date] = {}
        last: dict[str, date] = {}
        for line in lines:
            first[line.account] = min(first.get(line.account, line.date), line.date)
            last[line.account] = max(last.get(line.account, line.date), line.date)
        return cls(lines, tuple((a, first[a], last[a]) for a in sorted(first)))

    def covers(self, account: str, day: date) -> bool:
        return any(a == account and start <= day <= end for a, start, end in self.spans)


def bank_lines(
    books: Books, period: Period | None, read: Callable[[Path, str], Statement] | None = None
) -> Printed:
    """What the statements printed, for telling honest repeats from duplicates.

    Every statement file of every cash account is read, whatever its name: a period run keeps
    the lines dated near the period, so it sees what a full run sees. `read(path, account)`
    reads a file (a close shares its reads between its checks).
    """
    if read is None:
        read = functools.partial(read_statement, settings=books.settings)
    lines: list[PrintedLine] = []
    spans: list[tuple[str, object, object]] = []
    low = period.start - STATEMENT_REACH if period else None
    high = period.end + STATEMENT_REACH if period else None
    for account, conf in sorted(books.settings.accounts.items()):
        if conf.role not in CASH_ROLES or conf.statement is None:
            continue
        folder = statement_folder(books.root, account, conf.statement.dir)
        for path in sorted(folder.glob("*")):
            if not path.is_file():
                continue
            if low is not None:
                # Most files are of other months: their dates alone say so, without a read.
                span = statement_span(path, account, books.settings)
                if span is not None and (span[1] < low or span[0] > high):
                    continue
            try:
                statement = read(path, account)
            except RefusedError:
                raise  # an importer the books are not trusted to run: not a file to pass over
            except BoError:
                continue  # a bad file is bo import's and bo reconcile's to report
            if low is not None and (statement.end < low or statement.start > high):
                continue
            spans.append((account, statement.start, statement.end))
            for line, line_id in zip(statement.lines, line_ids(statement.lines), strict=True):
                refs = {line_id} | {r for r in (line.reference, line.bank_id) if r}
                lines.append(
                    PrintedLine(
                        account,
                        line.date,
                        line.amount.number,
                        line.amount.currency,
                        " ".join(t for t in (line.payee, line.memo) if t),
                        frozenset(refs),
                        "check" if line.reference and line.reference.isdigit() else "",
                    )
                )
    return Printed(tuple(lines), tuple(spans))  # type: ignore[arg-type]
