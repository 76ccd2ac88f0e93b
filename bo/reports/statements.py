"""Income statement and balance sheet: numbers only, no formatting.

Both read the same per-month, per-currency, per-account sums (`bo.reports.sums.Monthly`):
income and expenses at their weight (a 100 EUR @ 1.10 USD expense counts 110.00 USD, as
beancount balances it), balance sheet accounts at what they hold (euros in euros, holdings at
cost). So the statements agree with each other, with the trial balance and with bean-query,
currency by currency. A book in several currencies is stated in the base currency at one
named rate per currency from the ledger's prices, each currency's own amount beside it; a
currency with no price is shown in its own column and left out of the base totals; what is
not money (hours, allowance units) is left out, in one line. Signs follow what a reader
expects: income, liabilities and equity print positive. Numbers are rounded to the
currency's precision only here, as the report is built. Account types come from the
ledger's options (`name_income`...), never from a prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bo.chart import DEFAULT_CURRENT_EARNINGS, Chart
from bo.commodities import Rate, rate_at
from bo.periods import Period, fiscal_year_start
from bo.reports.model import (
    Line,
    Notes,
    Section,
    Stating,
    add,
    extra,
    per_account,
    wording,
)
from bo.reports.sums import ByCurrency, Monthly, month_of, monthly_of, residues
from bo.settings import Settings

if TYPE_CHECKING:
    from beancount.core import data

ZERO = Decimal(0)
CASH_ROLES = ("bank", "processor")


def compare_period(period: Period, compare: str | None) -> Period | None:
    if compare == "prior":
        return period.previous
    if compare == "year":
        return Period(period.year - 1, period.month)
    return None


def months_between(first: Period, last: Period) -> list[Period]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = month.next
    return months


def stating_for(
    monthly: Monthly, settings: Settings, options: dict | None, day: date, *sums: ByCurrency
) -> Stating:
    """How a report over `sums` states money: which currencies, at `day`'s rates."""
    present = {
        currency for one in sums for currency, accounts in one.items() if any(accounts.values())
    }
    return Stating.of(
        present, monthly.commodities(settings, options), monthly.price_map, day, options
    )


@dataclass(frozen=True)
class MonthPoint:
    """One month of the income statement's trend chart."""

    period: str
    income: Decimal
    expenses: Decimal
    net_income: Decimal


@dataclass(frozen=True)
class CashPoint:
    """Cash (bank and processor accounts) at the end of a month, for the cash chart."""

    period: str
    balance: Decimal


def section(
    title: str,
    kind: str,
    sign: int,
    now: dict[str, dict[str, Decimal]],
    then: dict[str, dict[str, Decimal]] | None,
    stating: Stating,
    chart: Chart,
    ytd: dict[str, dict[str, Decimal]] | None = None,
) -> Section:
    """The accounts of `kind` (per account, per currency), signed for the reader, with the
    optional columns, in the base currency and (several currencies) in each."""
    then_ = then or {}
    ytd_ = ytd or {}
    accounts = sorted(a for a in set(now) | set(then_) | set(ytd_) if chart.kind(a) == kind)
    round_base = stating.rounder(stating.base)

    def shown(values: dict[str, dict[str, Decimal]], account: str) -> Decimal:
        return round_base(sign * stating.in_base(values.get(account, {})))

    def moved(values: dict[str, dict[str, Decimal]], account: str) -> bool:
        return any(values.get(account, {}).values())

    lines = []
    by_currency: dict[str, Decimal] = {}
    for a in accounts:
        add(by_currency, now.get(a, {}), sign)
        if not (moved(now, a) or moved(then_, a) or moved(ytd_, a)):
            continue
        lines.append(
            Line(
                a,
                shown(now, a),
                shown(then_, a) if then is not None else None,
                shown(ytd_, a) if ytd is not None else None,
                stating.shown({c: sign * n for c, n in now.get(a, {}).items()}),
            )
        )

    def total(values: dict[str, dict[str, Decimal]]) -> Decimal:
        exact = sum((stating.in_base(values[a]) for a in accounts if a in values), ZERO)
        return round_base(sign * exact)

    return Section(
        title,
        tuple(lines),
        total(now),
        total(then_) if then is not None else None,
        total(ytd_) if ytd is not None else None,
        stating.totals(by_currency),
    )


# -- the income statement ----------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeStatement(Notes):
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
    fiscal_year_start: date | None = None
    ytd_net_income: Decimal | None = None
    trend: tuple[MonthPoint, ...] = ()  # each month of the fiscal year to date
    currencies: tuple[str, ...] = extra()  # the money currencies shown, base first
    rates: tuple[Rate, ...] = extra()
    net_income_by_currency: dict[str, Decimal] = extra(dict)

    @property
    def problems(self) -> list[str]:
        return self._noted_problems()


def income_statement(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    compare: str | None,
    options: dict | None = None,
) -> IncomeStatement:
    """The period's income and expenses, the fiscal year to date, and an optional column."""
    monthly = monthly_of(entries, options)
    chart = monthly.chart
    other = compare_period(period, compare)
    year_start = fiscal_year_start(period.end, settings.entity.fiscal_year_start)
    first = Period.containing(year_start)
    now_sums = monthly.between(period, period)
    then_sums = monthly.between(other, other) if other else {}
    ytd_sums = monthly.between(first, period)
    stating = stating_for(
        monthly,
        settings,
        options,
        period.end,
        *(pnl_only(chart, s) for s in (now_sums, then_sums, ytd_sums)),
    )
    now = per_account(stating.money(now_sums))
    then = per_account(stating.money(then_sums)) if other else None
    ytd = per_account(stating.money(ytd_sums))

    income = section("Income", "income", -1, now, then, stating, chart, ytd)
    expenses = section("Expenses", "expenses", 1, now, then, stating, chart, ytd)
    round_base = stating.rounder(stating.base)
    trend = []
    for month in months_between(first, period):
        moved = per_account(stating.money(monthly.months.get(month_of(month), {})))
        earned = -sum((stating.in_base(v) for a, v in moved.items() if chart.is_income(a)), ZERO)
        spent = sum(
            (stating.in_base(v) for a, v in moved.items() if chart.kind(a) == "expenses"), ZERO
        )
        trend.append(MonthPoint(str(month), *map(round_base, (earned, spent, earned - spent))))
    net_by_currency = dict(income.by_currency)
    add(net_by_currency, expenses.by_currency, -1)
    return IncomeStatement(
        str(period),
        period.start,
        period.end,
        stating.base,
        compare,
        str(other) if other else None,
        income,
        expenses,
        income.total - expenses.total,
        (income.compare_total - expenses.compare_total) if other else None,
        year_start,
        income.ytd_total - expenses.ytd_total,
        tuple(trend),
        notes=(*stating.notes(), *monthly.edge_notes(period.start, period.end)),
        currencies=stating.currencies if stating.multi else (),
        rates=tuple(stating.conversion.rates.values()) if stating.multi else (),
        net_income_by_currency=net_by_currency,
    )


def pnl_only(chart: Chart, sums: ByCurrency) -> ByCurrency:
    """`sums` less the balance sheet accounts."""
    return {
        c: {a: n for a, n in accounts.items() if chart.is_pnl(a)} for c, accounts in sums.items()
    }


# -- the balance sheet -------------------------------------------------------------------------


@dataclass(frozen=True)
class Holding:
    """A position held at cost at the balance sheet's date: its cost, and its market value
    where the ledger has a price for it."""

    account: str
    units: Decimal
    commodity: str
    cost: Decimal
    cost_currency: str
    market_value: Decimal | None
    price: Rate | None
    unrealized: Decimal | None  # market value less cost


@dataclass(frozen=True)
class BalanceSheet(Notes):
    period: str
    as_of: date
    currency: str
    compare_label: str | None
    assets: Section
    liabilities: Section
    equity: Section
    balanced: bool
    cash_by_month: tuple[CashPoint, ...] = ()
    currencies: tuple[str, ...] = extra()
    rates: tuple[Rate, ...] = extra()
    holdings: tuple[Holding, ...] = extra()  # positions at cost: cost and market value
    # Each currency whose assets differ from its liabilities and equity: what by how much.
    unbalanced: tuple[str, ...] = extra()
    current_earnings: str = wording(DEFAULT_CURRENT_EARNINGS)  # this year's line

    @property
    def problems(self) -> list[str]:
        return list(self.unbalanced) + self._noted_problems()


def balance_sheet(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    compare: str | None,
    options: dict | None = None,
) -> BalanceSheet:
    """Balances at the period's end, this fiscal year's earnings shown in equity."""
    monthly = monthly_of(entries, options)
    chart = monthly.chart
    other = compare_period(period, compare)
    earnings = chart.retained_earnings(settings)
    now_sums = balances(monthly, settings, period, earnings)
    then_sums = balances(monthly, settings, other, earnings) if other else {}
    stating = stating_for(monthly, settings, options, period.end, now_sums, then_sums)
    # The period's rounding is kept as a line only while every entry stayed within its
    # tolerance; beyond it, the sheet is out of balance and names the entries.
    found = residues(monthly, entries, options, None, period, stating.currencies)
    beyond = [r.problem() for r in found.values() if not r.within_tolerance]
    notes = [] if beyond else [r.note(stating.rounder(c)) for c, r in sorted(found.items())]
    if beyond:
        now_sums = _without(now_sums, chart.rounding)
        then_sums = _without(then_sums, chart.rounding)
    now = per_account(stating.money(now_sums))
    then = per_account(stating.money(then_sums)) if other else None

    assets = section("Assets", "assets", 1, now, then, stating, chart)
    liabilities = section("Liabilities", "liabilities", -1, now, then, stating, chart)
    equity = section("Equity", "equity", -1, now, then, stating, chart)
    # Exact: in beancount's signs every currency's lines add up to nothing.
    unbalanced = [
        f"{currency}: assets differ from liabilities and equity by "
        f"{stating.rounder(currency)(left):,}"
        for currency, accounts in sorted(stating.money(now_sums).items())
        if (left := sum(accounts.values(), ZERO))
    ]
    return BalanceSheet(
        str(period),
        period.end,
        stating.base,
        str(other) if other else None,
        assets,
        liabilities,
        equity,
        not unbalanced and not beyond,
        cash_by_month(monthly, settings, period, stating),
        notes=(*stating.notes(), *notes, *monthly.edge_notes(None, period.end)),
        currencies=stating.currencies if stating.multi else (),
        rates=tuple(stating.conversion.rates.values()) if stating.multi else (),
        holdings=holdings(monthly, period, stating),
        unbalanced=(*beyond, *unbalanced),
        current_earnings=chart.current_earnings,
    )


def _without(sums: ByCurrency, account: str) -> ByCurrency:
    return {c: {a: n for a, n in accounts.items() if a != account} for c, accounts in sums.items()}


def balances(monthly: Monthly, settings: Settings, at: Period, earnings: str) -> ByCurrency:
    """Per currency, every balance sheet line at the end of `at` in beancount's signs: the
    accounts, earlier fiscal years' income and expenses in retained earnings, this year's in
    current earnings (what the books would show after the year-end closing entries), the
    conversions, and the rounding tolerance left."""
    chart = monthly.chart
    year_start = fiscal_year_start(at.end, settings.entity.fiscal_year_start)
    before_year = Period.containing(year_start - timedelta(days=1))
    totals = monthly.between(None, at)
    before = monthly.between(None, before_year)
    conversions = monthly.conversions_between(None, at)
    residue = monthly.residue_between(None, at)
    out: ByCurrency = {}
    for currency in set(totals) | set(conversions) | set(residue):
        accounts = totals.get(currency, {})
        prior = sum((v for a, v in before.get(currency, {}).items() if chart.is_pnl(a)), ZERO)
        current = sum((v for a, v in accounts.items() if chart.is_pnl(a)), ZERO) - prior
        lines = {a: v for a, v in accounts.items() if not chart.is_pnl(a)}
        lines[earnings] = lines.get(earnings, ZERO) + prior
        lines[chart.current_earnings] = current
        if conversions.get(currency):
            lines[chart.conversions] = lines.get(chart.conversions, ZERO) + conversions[currency]
        if residue.get(currency):
            lines[chart.rounding] = -residue[currency]
        out[currency] = lines
    return out


def holdings(monthly: Monthly, period: Period, stating: Stating) -> tuple[Holding, ...]:
    """Every position at cost at the period's end, with its market value where priced."""
    found = []
    for (account, commodity, cost_currency), (units, cost) in sorted(
        monthly.holdings_through(period).items()
    ):
        if not stating.commodities.is_money(cost_currency):
            continue
        price = rate_at(monthly.price_map, commodity, cost_currency, period.end)
        round_cost = stating.rounder(cost_currency)
        value = round_cost(units * price.rate) if price is not None else None
        found.append(
            Holding(
                account,
                units,
                commodity,
                round_cost(cost),
                cost_currency,
                value,
                price,
                value - round_cost(cost) if value is not None else None,
            )
        )
    return tuple(found)


def cash_by_month(
    monthly: Monthly, settings: Settings, period: Period, stating: Stating
) -> tuple[CashPoint, ...]:
    """Cash at each month end over the twelve months to `period` (fewer in young books), in
    the base currency at the report's rates."""
    cash = set(settings.accounts_with_role(*CASH_ROLES))
    round_base = stating.rounder(stating.base)
    months = months_between(Period(period.year - 1, period.month).next, period)
    start = min(monthly.months) if monthly.months else None
    months = [m for m in months if start is not None and month_of(m) >= start]

    def in_cash(sums: ByCurrency) -> Decimal:
        money = stating.money(sums)
        return stating.in_base(
            {
                c: sum((v for a, v in accounts.items() if a in cash), ZERO)
                for c, accounts in money.items()
            }
        )

    balance = in_cash(monthly.between(None, months[0].previous)) if months else ZERO
    points = []
    for month in months:
        balance += in_cash(monthly.months.get(month_of(month), {}))
        points.append(CashPoint(str(month), round_base(balance)))
    return tuple(points)
