"""Each report kind as a workbook sheet: its CSV rows with money typed, and its totals.

The cells come from the built report (bo.reports.build), the same numbers `--format json`
prints: a sheet never adds anything up itself, so its totals are the report's.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from decimal import Decimal
from typing import Any

from bo.reports.build import Built
from bo.reports.workbook import Money, Sheet, Table

TITLES = {
    "pnl": "Income statement",
    "balance": "Balance sheet",
    "cashflow": "Cash flow",
    "trial": "Trial balance",
    "aging-ar": "AR aging",
    "aging-ap": "AP aging",
    "budget": "Budget",
    "flux": "Flux",
}
# Columns that hold a ratio or a count, not money.
NOT_MONEY = {"percent", "year_percent", "days_past_due"}


def heading(column: str) -> str:
    """`days_past_due` as a column heading: `Days past due`."""
    words = column.replace("_", " ")
    return words[:1].upper() + words[1:] if not column.isupper() else column


def report_sheet(
    kind: str,
    built: Built,
    name: str,
    entity: str = "",
) -> Sheet:
    """The sheet of report `kind` of `entity`'s books (a flux carries the close's
    explanations already: bo.reports.build reads them from the close record)."""
    report = built.report
    base = getattr(report, "currency", None)
    currencies = set(getattr(report, "currencies", ()) or ())
    columns = list(built.columns)
    rows = built.rows
    cells = [[typed_cell(row, column, base, currencies) for column in columns] for row in rows]
    tables = [Table([heading(c) for c in columns], cells)]
    totals = list(report_totals(kind, report))
    if totals:
        tables.append(Table(["Total", "Amount"], [[label, value] for label, value in totals]))
    lines = [", ".join(part for part in (entity, _span(kind, report)) if part)]
    notes = [*getattr(report, "notes", ()), *getattr(report, "failed_assertions", ())]
    problems = built.problems
    notes += [f"Needs attention: {p}" for p in problems]
    return Sheet(name, TITLES.get(kind, kind), lines, tables, tuple(notes))


def _span(kind: str, report: Any) -> str:
    if kind in ("aging-ar", "aging-ap", "trial", "balance"):
        return f"as of {report.as_of}"
    return f"period {report.period}"


def typed_cell(
    row: dict[str, Any], column: str, base: str | None, currencies: Container[str] = ()
) -> Any:
    """A CSV row's value as a sheet's cell: an amount as Money in the row's currency (or the
    column's, or `base`), anything else as it is."""
    value = row.get(column)
    if not isinstance(value, Decimal) or column in NOT_MONEY:
        return value
    if column in currencies:
        return Money(value, column)
    currency = row.get("currency") or base
    return Money(value, currency) if currency else value


def report_totals(kind: str, report: Any) -> Iterable[tuple[str, Money]]:
    """The totals the report states (its JSON's), labelled as a reader names them."""
    if kind == "trial":
        for currency in sorted(report.total_debit):
            yield f"Total debit {currency}", Money(report.total_debit[currency], currency)
            yield f"Total credit {currency}", Money(report.total_credit[currency], currency)
        return
    currency = getattr(report, "currency", "")
    if kind == "pnl":
        yield f"Total {report.income.title}", Money(report.income.total, currency)
        yield f"Total {report.expenses.title}", Money(report.expenses.total, currency)
        yield "Net income", Money(report.net_income, currency)
    elif kind == "balance":
        for section in (report.assets, report.liabilities, report.equity):
            yield f"Total {section.title}", Money(section.total, currency)
    elif kind == "cashflow":
        yield "Net income", Money(report.net_income, currency)
        for section in (report.operating, report.investing, report.financing):
            yield f"Total {section.title}", Money(section.total, currency)
        yield "Net change in cash", Money(report.net_change, currency)
        yield "Cash at start", Money(report.cash_start, currency)
        yield "Cash at end", Money(report.cash_end, currency)
    elif kind in ("aging-ar", "aging-ap"):
        for one in (report, *report.others):
            for bucket, amount in one.totals.items():
                yield f"{bucket} {one.currency}", Money(amount, one.currency)
            yield f"Total open {one.currency}", Money(one.total, one.currency)
            yield f"Account balance {one.currency}", Money(one.balance, one.currency)
