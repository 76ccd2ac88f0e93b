"""Rows of a CSV statement that are not transactions: summaries, stated balances, trailers.

A bank prints an opening balance as a row among the transactions, a subtotal under each
card, a line of totals after the data. The format's `filters` say which rows those are; an
opening or closing balance row gives the statement's balance (checked against the running
balances where the statement has them), and is never booked as a deposit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from bo.errors import Source
from bo.patterns import compile_pattern
from bo.statements.model import Problems, StatementLine


class RowTest(NamedTuple):
    """One of the format's `filters`, its column found in the header."""

    index: int | None  # None: the whole row
    pattern: Any  # compiled by RE2 (bo.patterns)
    then: str


def row_test(index: int | None, matches: str, then: str) -> RowTest:
    """A filter ready to test rows."""
    return RowTest(index, compile_pattern(matches), then)


def classify(tests: Sequence[RowTest], cells: list[str], delimiter: str) -> str | None:
    """What the first filter matching this row says it is, or None for a transaction."""
    for test in tests:
        if test.index is None:
            text = delimiter.join(cells)
        elif test.index < len(cells):
            text = cells[test.index].strip()
        else:
            continue
        if test.pattern.search(text):
            return test.then
    return None


@dataclass
class StatedBalances:
    """The balances a statement states in rows of their own, and rows of other accounts."""

    opening: tuple[Source, Decimal] | None = None
    closing: tuple[Source, Decimal] | None = None
    elsewhere: Counter[str] = field(default_factory=Counter)  # account -> rows left to it

    def add(self, then: str, source: Source, figure: Decimal) -> None:
        """Keep a balance row's figure (the first of each kind: a file states one)."""
        if then == "opening_balance" and self.opening is None:
            self.opening = (source, figure)
        elif then == "closing_balance" and self.closing is None:
            self.closing = (source, figure)

    def settle(
        self,
        lines: Sequence[StatementLine],
        opening: Decimal | None,
        closing: Decimal | None,
        sign: int,
        problems: Problems,
    ) -> tuple[Decimal | None, Decimal | None]:
        """The statement's opening and closing balances, from the running balances and the
        stated ones; a stated balance the rows disagree with is a problem at its row.

        `sign` is -1 when the statement prints what is owed as a positive number.
        """
        total = sum((line.amount.number for line in lines), Decimal(0))
        if self.opening is not None:
            source, figure = self.opening
            if opening is None:
                opening = sign * figure
            elif opening != sign * figure:
                problems.add(
                    source,
                    f"the opening balance {figure} does not agree with the running balances, "
                    f"which start from {sign * opening}",
                )
            if closing is None and self.closing is None:
                closing = opening + total
        if self.closing is not None:
            source, figure = self.closing
            if closing is None and opening is not None and self.opening is not None:
                closing = opening + total
            if closing is None:
                closing = sign * figure
                opening = closing - total
            elif closing != sign * figure:
                problems.add(
                    source,
                    f"the closing balance {figure} does not follow from the opening balance "
                    f"and the rows, which come to {sign * closing}",
                )
        return opening, closing
