"""One entry point per report kind: the numbers (a frozen dataclass) and CSV rows.

Formats never compute: Markdown, HTML, the terminal and JSON render the object built
here, and CSV writes its rows.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from bo.books import Books
from bo.errors import BadInputError, Finding
from bo.paths import record_path
from bo.periods import Period
from bo.reports import BUDGETS_DIR, KINDS

COMPARABLE = ("pnl", "balance")  # the kinds with a comparative column
AGING = ("aging-ar", "aging-ap")


@dataclass(frozen=True)
class Built:
    """A report's numbers, and the same as rows for CSV (columns named even when empty)."""

    report: Any
    rows: list[dict[str, Any]]
    columns: list[str]

    @property
    def problems(self) -> list[str]:
        """What the report shows needing attention: the CLI exits 1 when there is any."""
        return list(getattr(self.report, "problems", []))


def _names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def build(
    kind: str,
    books: Books,
    period: Period,
    compare: str | None = None,
    as_of: date | None = None,
    explanations: dict[str, Any] | None = None,
) -> Built:
    """The report `kind` for `period` (aging at `as_of`, by default the period's end); the
    flux with `explanations`, by default those of the period's close record."""
    if kind not in KINDS:
        raise BadInputError(f"unknown report `{kind}` (one of {', '.join(KINDS)})")
    if compare is not None and kind not in COMPARABLE:
        raise BadInputError(
            f"--compare applies to {' and '.join(COMPARABLE)}; `{kind}` has its own columns"
            if kind == "flux"
            else f"--compare applies to {' and '.join(COMPARABLE)}, not `{kind}`"
        )
    if as_of is not None and kind not in AGING:
        raise BadInputError(f"--as-of applies to {' and '.join(AGING)}, not `{kind}`")
    ledger = books.ledger
    made = _made(kind, books, period, compare, as_of, explanations)
    # What the report covers: a date's balances from the beginning, a period's activity in it.
    start = None if kind in ("trial", "balance", *AGING) else period.start
    end = as_of or period.end
    failed = failed_assertions(ledger.errors, start, end)
    report = replace(made.report, failed_assertions=failed) if failed else made.report
    return replace(made, report=_relative(report, books.root))


def _relative(report: Any, root: Path) -> Any:
    """The report with the files its notes and findings name as the books name them
    (`ledgers/2025.beancount:12`), not from `/`."""
    inside = f"{root.resolve()}{os.sep}"
    changes = {
        f.name: tuple(text.replace(inside, "") for text in value)
        for f in fields(report)
        if isinstance(value := getattr(report, f.name), tuple)
        and value
        and all(isinstance(text, str) for text in value)
    }
    return replace(report, **changes) if changes else report


def _made(
    kind: str,
    books: Books,
    period: Period,
    compare: str | None,
    as_of: date | None,
    explanations: dict[str, Any] | None,
) -> Built:
    # Each kind's module is imported where it is computed: an answer from bo's cache
    # unpickles a report, and needs only the module of its class.
    from bo.chart import Chart
    from bo.close.record import load_record
    from bo.reports.aging import OpenItem, aging
    from bo.reports.cashflow import cash_flow
    from bo.reports.compute import TrialLine, build_trial_balance
    from bo.reports.statements import balance_sheet, income_statement
    from bo.reports.variance import BudgetLine, FluxLine, budget, flux, load_budget

    entries, settings, options = books.ledger.entries, books.settings, books.ledger.options
    if kind == "trial":
        earnings = Chart.of(options).retained_earnings(settings)
        report = build_trial_balance(
            entries, options, period, settings.entity.fiscal_year_start, earnings
        )
        return Built(report, [asdict(line) for line in report.lines], _names(TrialLine))
    if kind in ("pnl", "balance"):
        make = income_statement if kind == "pnl" else balance_sheet
        report = make(entries, settings, period, compare, options)
        sections = (
            (report.income, report.expenses)
            if kind == "pnl"
            else (report.assets, report.liabilities, report.equity)
        )
        columns = ["section", "account", "amount", "compare"] + (["ytd"] if kind == "pnl" else [])
        rows = [
            {
                "section": s.title,
                "account": line.account,
                "amount": line.amount,
                "compare": line.compare,
                **({"ytd": line.ytd} if kind == "pnl" else {}),
                **_each_currency(report.currencies, line.by_currency),
            }
            for s in sections
            for line in s.lines
        ]
        return Built(report, rows, columns + list(report.currencies))
    if kind == "cashflow":
        report = cash_flow(entries, settings, period, None, options)
        rows = [
            {
                "section": "Operating activities",
                "account": "Net income",
                "amount": report.net_income,
                **_each_currency(report.currencies, report.net_income_by_currency),
            }
        ]
        rows += [
            {
                "section": s.title,
                "account": line.account,
                "amount": line.amount,
                **_each_currency(report.currencies, line.by_currency),
            }
            for s in (report.operating, report.investing, report.financing)
            for line in s.lines
        ]
        rows += [
            {
                "section": "Conversions and rounding",
                "account": line.account,
                "amount": line.amount,
                **_each_currency(report.currencies, line.by_currency),
            }
            for line in report.adjustments
        ]
        return Built(report, rows, ["section", "account", "amount", *report.currencies])
    if kind in AGING:
        side = "receivable" if kind == "aging-ar" else "payable"
        report = aging(entries, settings, side, as_of or period.end, books.root, options)
        rows = [asdict(item) for item in report.items]
        if not report.others:
            return Built(report, rows, _names(OpenItem))
        rows = [{**row, "currency": report.currency} for row in rows]
        rows += [
            {**asdict(item), "currency": other.currency}
            for other in report.others
            for item in other.items
        ]
        return Built(report, rows, [*_names(OpenItem), "currency"])
    if kind == "budget":
        report = budget(entries, settings, period, books.root, options)
        return Built(report, [asdict(line) for line in report.lines], _names(BudgetLine))
    plan = load_budget(books.root, settings, period, options)
    if explanations is None:
        explanations = load_record(books.root, period).get("explanations") or {}
    report = flux(entries, settings, period, explanations, plan, options)
    rows = [{**asdict(line), "reasons": "; ".join(line.reasons)} for line in report.lines]
    return Built(report, rows, _names(FluxLine))


def _each_currency(currencies: tuple[str, ...], amounts: dict[str, Any]) -> dict[str, Any]:
    """A multi-currency report's CSV columns: one per currency, named by its code."""
    return {currency: amounts.get(currency) for currency in currencies}


def failed_assertions(errors: list[Finding], start: date | None, end: date) -> tuple[str, ...]:
    """`file:line: message` of each balance assertion beancount found false from `start`
    (or the beginning) to `end`."""
    from beancount.core import data

    found = []
    for finding in errors:
        entry = finding.entry
        if finding.check != "BalanceError" or not isinstance(entry, data.Balance):
            continue
        if entry.date > end or (start is not None and entry.date < start):
            continue
        found.append(str(finding))
    return tuple(found)


def build_all(books: Books, period: Period) -> tuple[dict[str, Built], list[str]]:
    """Every report kind for `period` from one load of the books, and notes on what was
    left out (the budget, when budgets/ has none for the year)."""
    from bo.reports.variance import load_budget

    built, notes = {}, []
    options = books.ledger.options
    for kind in KINDS:
        if kind == "budget" and load_budget(books.root, books.settings, period, options) is None:
            notes.append(f"budget: no file in budgets/ for {period.year}, left out")
            continue
        built[kind] = build(kind, books, period)
    return built, notes


def build_cached(
    kind: str,
    books: Books,
    period: Period,
    compare: str | None = None,
    as_of: date | None = None,
) -> Built:
    """`build`, answered from bo's cache while the ledger, bo.yaml and the budgets are what
    they were: a report over unchanged books loads no entry."""
    params = [kind, str(period), compare, str(as_of)]
    return books.result(
        "report",
        lambda: build(kind, books, period, compare, as_of),
        files=read_besides_ledger(books, period),
        params=params,
    )


def build_all_cached(books: Books, period: Period) -> tuple[dict[str, Built], list[str]]:
    """`build_all` from bo's cache while its inputs are unchanged."""
    return books.result(
        "reports",
        lambda: build_all(books, period),
        files=read_besides_ledger(books, period),
        params=[str(period)],
    )


def read_besides_ledger(books: Books, period: Period) -> list[Path]:
    """The files a report reads besides the ledger and bo.yaml: the budgets, and the close
    record whose explanations the flux shows."""
    return [*sorted((books.root / BUDGETS_DIR).glob("*.yaml")), record_path(books.root, period)]
