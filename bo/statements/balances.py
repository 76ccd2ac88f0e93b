"""The balance column of a CSV statement: its sign, and each balance checked against the amounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from bo.settings import CsvFormat
from bo.statements.cells import Column
from bo.statements.model import Problems, StatementLine


def owed_sign(lines: Sequence[StatementLine], fmt: CsvFormat) -> int:
    """How the balance column of a statement of money owed (a card, a loan) maps to the
    books, where what is owed is a negative (credit) balance: -1 when the statement prints
    it as a positive number, as most card issuers do, 1 when as a negative one.

    `balance_owed` in the statement format says which; left out, the balances say it: a card
    spends nearly all its life owing, so the sign most of its balances carry is how the
    statement prints what is owed. Never the amounts: balances that only follow from
    amounts read the other way round are a wrong `positive`, and bo says so.
    """
    if fmt.balance_owed is not None:
        return -1 if fmt.balance_owed == "positive" else 1
    signs = [line.balance > 0 for line in lines if line.balance]
    return -1 if 2 * sum(signs) >= len(signs) else 1


def running_balances(
    lines: Sequence[StatementLine],
    column: Column | None,
    problems: Problems,
    owed: bool,
    fmt: CsvFormat,
) -> tuple[Sequence[StatementLine], Decimal | None, Decimal | None]:
    """The lines with their balances in the books' sign, and the opening and closing
    balances, after checking each balance follows from the amounts.

    A break names the first row where balance != previous balance + amount. That catches a
    file of another account, a missing row, and a sign convention (`positive`) set the wrong
    way round, which flips every amount but not the balances.
    """
    if column is None or not lines:
        return lines, None, None
    sign = owed_sign(lines, fmt) if owed else 1
    if sign < 0:
        lines = [
            replace(line, balance=-line.balance) if line.balance is not None else line
            for line in lines
        ]
    # Some banks list the newest row first; balances run in date order either way. When the
    # first and last rows share a date (a one-day statement) only the balances tell which
    # way the file runs, so both ways are tried.
    if lines[0].date < lines[-1].date:
        orders = [lines]
    elif lines[0].date > lines[-1].date:
        orders = [lines[::-1]]
    else:
        orders = [lines, lines[::-1]]
    breaks = []
    for ordered in orders:
        opening, closing, broken = _follow_balances(ordered)
        if broken is None:
            return lines, opening, closing
        breaks.append((broken, opening))
    (line, previous, running), opening = breaks[0]
    assert line.balance is not None  # only a printed balance can break
    flipped = any(_follow_balances(ordered, amounts=-1)[2] is None for ordered in orders)
    problems.add(
        line.source,
        f"column {column.label}: the balance {line.balance * sign} does not follow from "
        f"the previous balance {previous * sign} and this row's amount; expected "
        f"{running * sign}. " + balance_hint(flipped, owed, sign, fmt),
    )
    return lines, opening, None


def balance_hint(flipped: bool, owed: bool, sign: int, fmt: CsvFormat) -> str:
    """What to change when the balances break: tested to lead to the right books."""
    if not flipped:
        return "A row is missing or changed, or this is another account's statement"
    other = "outflow" if fmt.positive == "inflow" else "inflow"
    shows = "money out (charges, withdrawals)" if other == "outflow" else "money in"
    hint = (
        f"Every amount runs against the balances: the file prints {shows} as positive "
        f"numbers; set `positive: {other}` in the statement format"
    )
    if owed and fmt.balance_owed is None:
        printed = "positive" if sign < 0 else "negative"
        hint += (
            f". (bo read the balance column as printing what is owed as a {printed} number, "
            "from the signs of its balances; if instead the account was in credit for the "
            "whole statement, set `balance_owed: "
            f"{'negative' if printed == 'positive' else 'positive'}` and leave `positive`)"
        )
    return hint


def _follow_balances(
    ordered: Sequence[StatementLine], amounts: int = 1
) -> tuple[Decimal | None, Decimal | None, tuple[StatementLine, Decimal, Decimal] | None]:
    """(opening, closing, first break as (line, previous balance, expected)) in this order;
    `amounts=-1` tries the amounts read the other way round."""
    first = next((i for i, line in enumerate(ordered) if line.balance is not None), None)
    if first is None:
        return None, None, None
    start = ordered[first].balance
    assert start is not None
    running = start - amounts * sum(line.amount.number for line in ordered[: first + 1])
    opening = running
    for line in ordered:
        previous, running = running, running + amounts * line.amount.number
        if line.balance is not None and line.balance != running:
            return opening, None, (line, previous, running)
    return opening, running, None
