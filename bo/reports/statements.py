"""Income statement, balance sheet and cash-flow statement: numbers only, no formatting.

All three read the same per-account sums (`sums`) of postings in the entity's currency,
so the statements agree with each other and with bean-query to the cent. Signs follow
what a reader expects: income, liabilities and equity print positive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data

from bo.periods import Period, fiscal_year_start
from bo.settings import Settings

ZERO = Decimal(0)


def sums(
    entries: Sequence[data.Directive], currency: str, start: date | None, end: date
) -> dict[str, Decimal]:
    """Per account, the sum of its postings in `currency` dated from `start` to `end`."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > end:
            continue
        if start is not None and entry.date < start:
            continue
        for posting in entry.postings:
            units = posting.units
            if units is not None and units.currency == currency:
                totals[posting.account] += units.number
    return totals


def _compare_period(period: Period, compare: str | None) -> Period | None:
    if compare == "prior":
        return period.previous
    if compare == "year":
        return Period(period.year - 1, period.month)
    return None


@dataclass(frozen=True)
class Line:
    account: str
    amount: Decimal
    compare: Decimal | None = None


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    total: Decimal
    compare_total: Decimal | None = None


def _section(
    title: str,
    prefix: str,
    sign: int,
    now: dict[str, Decimal],
    then: dict[str, Decimal],
    compared: bool,
) -> Section:
    """The accounts under `prefix`, signed for the reader, with the comparative column."""
    accounts = sorted(a for a in set(now) | set(then) if a.startswith(prefix))
    lines = tuple(
        Line(a, sign * now.get(a, ZERO), sign * then.get(a, ZERO) if compared else None)
        for a in accounts
        if now.get(a, ZERO) or then.get(a, ZERO)
    )
    total = sum((line.amount for line in lines), ZERO)
    compare_total = sum((line.compare or ZERO for line in lines), ZERO) if compared else None
    return Section(title, lines, total, compare_total)


@dataclass(frozen=True)
class IncomeStatement:
    period: str
    start: date
    end: date
    currency: str
    compare: str | None
    compare_label: str | None
    income: Section
    expenses: Section
    net_income: Decimal
    compare_net_income: Decimal | None


def income_statement(
    entries: Sequence[data.Directive], settings: Settings, period: Period, compare: str | None
) -> IncomeStatement:
    currency = settings.entity.currency
    other = _compare_period(period, compare)
    now = sums(entries, currency, period.start, period.end)
    then = sums(entries, currency, other.start, other.end) if other else {}

    compared = other is not None
    income = _section("Income", "Income:", -1, now, then, compared)
    expenses = _section("Expenses", "Expenses:", 1, now, then, compared)
    return IncomeStatement(
        str(period),
        period.start,
        period.end,
        currency,
        compare,
        str(other) if other else None,
        income,
        expenses,
        income.total - expenses.total,
        (income.compare_total - expenses.compare_total) if other else None,
    )


@dataclass(frozen=True)
class BalanceSheet:
    period: str
    as_of: date
    currency: str
    compare_label: str | None
    assets: Section
    liabilities: Section
    equity: Section
    balanced: bool


def balance_sheet(
    entries: Sequence[data.Directive], settings: Settings, period: Period, compare: str | None
) -> BalanceSheet:
    currency = settings.entity.currency
    other = _compare_period(period, compare)
    earnings = next(iter(settings.accounts_with_role("retained_earnings")), None)
    earnings = earnings or "Equity:RetainedEarnings"

    def balances(at: Period) -> dict[str, Decimal]:
        totals = dict(sums(entries, currency, None, at.end))
        year_start = fiscal_year_start(at.end, settings.entity.fiscal_year_start)
        before = sums(entries, currency, None, year_start - timedelta(days=1))
        # Earlier fiscal years' income and expenses sit in retained earnings, this year's in
        # current earnings: what the books would show after the year-end closing entries.
        prior = sum((v for a, v in before.items() if a.startswith(("Income:", "Expenses:"))), ZERO)
        current = (
            sum((v for a, v in totals.items() if a.startswith(("Income:", "Expenses:"))), ZERO)
            - prior
        )
        totals = {a: v for a, v in totals.items() if not a.startswith(("Income:", "Expenses:"))}
        totals[earnings] = totals.get(earnings, ZERO) + prior
        totals["Equity:Current earnings"] = current
        return totals

    now = balances(period)
    then = balances(other) if other else {}

    compared = other is not None
    assets = _section("Assets", "Assets:", 1, now, then, compared)
    liabilities = _section("Liabilities", "Liabilities:", -1, now, then, compared)
    equity = _section("Equity", "Equity:", -1, now, then, compared)
    return BalanceSheet(
        str(period),
        period.end,
        currency,
        str(other) if other else None,
        assets,
        liabilities,
        equity,
        assets.total == liabilities.total + equity.total,
    )


@dataclass(frozen=True)
class CashFlow:
    period: str
    start: date
    end: date
    currency: str
    net_income: Decimal
    operating: Section
    investing: Section
    financing: Section
    net_change: Decimal
    cash_start: Decimal
    cash_end: Decimal
    ties: bool


def cash_flow(
    entries: Sequence[data.Directive], settings: Settings, period: Period, compare: str | None
) -> CashFlow:
    """Indirect method: net income, then every other balance sheet account's change."""
    currency = settings.entity.currency
    cash = {a for a, c in settings.accounts.items() if c.role in ("bank", "processor")}
    moved = sums(entries, currency, period.start, period.end)
    before = sums(entries, currency, None, period.start - timedelta(days=1))
    after = sums(entries, currency, None, period.end)
    net_income = -sum((v for a, v in moved.items() if a.startswith(("Income:", "Expenses:"))), ZERO)
    sections: dict[str, list[Line]] = {"operating": [], "investing": [], "financing": []}
    for account in sorted(moved):
        if account in cash or account.startswith(("Income:", "Expenses:")):
            continue
        change = -moved[account]  # a balance sheet account's change, as cash it brought
        if not change:
            continue
        conf = settings.accounts.get(account)
        role = conf.role if conf else None
        if conf and conf.cashflow:
            kind = conf.cashflow
        elif role == "fixed_asset":
            kind = "investing"
        elif role in ("loan", "owner_equity") or account.startswith("Equity:"):
            kind = "financing"
        else:
            kind = "operating"  # working capital, and accumulated depreciation (non-cash)
        sections[kind].append(Line(account, change))

    def section(kind: str, title: str, extra: Decimal = ZERO) -> Section:
        lines = tuple(sections[kind])
        return Section(title, lines, extra + sum((line.amount for line in lines), ZERO))

    operating = section("operating", "Operating activities", net_income)
    investing = section("investing", "Investing activities")
    financing = section("financing", "Financing activities")
    net_change = operating.total + investing.total + financing.total
    cash_start = sum((before.get(a, ZERO) for a in cash), ZERO)
    cash_end = sum((after.get(a, ZERO) for a in cash), ZERO)
    return CashFlow(
        str(period),
        period.start,
        period.end,
        currency,
        net_income,
        operating,
        investing,
        financing,
        net_change,
        cash_start,
        cash_end,
        cash_end - cash_start == net_change,
    )
