"""One entry point per report kind: the numbers (a frozen dataclass) and CSV rows.

Formats never compute: Markdown, HTML, the terminal and JSON render the object built
here, and CSV writes its rows.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bo.books import Books
from bo.errors import BadInputError
from bo.periods import Period
from bo.reports.aging import aging
from bo.reports.compute import build_trial_balance
from bo.reports.statements import balance_sheet, cash_flow, income_statement
from bo.reports.variance import budget, flux

KINDS = ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget", "flux")


def build(kind: str, books: Books, period: Period, compare: str | None) -> tuple[Any, list]:
    entries, settings = books.ledger.entries, books.settings
    if kind == "trial":
        earnings = (
            settings.accounts_with_role("retained_earnings") or ["Equity:RetainedEarnings"]
        )[0]
        report = build_trial_balance(
            entries, books.ledger.options, period, settings.entity.fiscal_year_start, earnings
        )
        rows = [asdict(line) for line in report.lines]
    elif kind in ("pnl", "balance"):
        make = income_statement if kind == "pnl" else balance_sheet
        report = make(entries, settings, period, compare)
        sections = (
            (report.income, report.expenses)
            if kind == "pnl"
            else (report.assets, report.liabilities, report.equity)
        )
        rows = [
            {
                "section": s.title,
                "account": line.account,
                "amount": line.amount,
                "compare": line.compare,
            }
            for s in sections
            for line in s.lines
        ]
    elif kind == "cashflow":
        report = cash_flow(entries, settings, period, compare)
        rows = [
            {
                "section": "Operating activities",
                "account": "Net income",
                "amount": report.net_income,
            }
        ]
        rows += [
            {"section": s.title, "account": line.account, "amount": line.amount}
            for s in (report.operating, report.investing, report.financing)
            for line in s.lines
        ]
    elif kind in ("aging-ar", "aging-ap"):
        side = "receivable" if kind == "aging-ar" else "payable"
        report = aging(entries, settings, side, period.end, books.root)
        rows = [asdict(item) for item in report.items]
    elif kind == "budget":
        report = budget(entries, settings, period, books.root)
        rows = [asdict(line) for line in report.lines]
    elif kind == "flux":
        report = flux(entries, settings, period)
        rows = [asdict(line) for line in report.lines]
    else:
        raise BadInputError(f"unknown report `{kind}` (one of {', '.join(KINDS)})")
    return report, rows
