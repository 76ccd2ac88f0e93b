"""Income statement, balance sheet and cash-flow statement: numbers only, no formatting.

All three read the same per-account, per-month sums (`Monthly`) of what each posting weighs
in the entity's currency: its units, or its cost or price when it has one (a 100 EUR @ 1.10
USD expense counts 110.00 USD, as beancount balances it). So the statements agree with each
other, with the trial balance and with bean-query to the cent. A posting in another
currency with no cost or price cannot be stated in the entity's currency: the report refuses
it, naming the entry, rather than leave it out. Signs follow what a reader expects: income,
liabilities and equity print positive. Numbers are rounded to the currency's precision only
here, as the report is built.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import convert, data

from bo.errors import BadInputError, Source
from bo.periods import Period, fiscal_year_start
from bo.reports.compute import rounder
from bo.settings import Settings

ZERO = Decimal(0)
PNL_ROOTS = ("Income:", "Expenses:")
CASH_ROLES = ("bank", "processor")
Month = tuple[int, int]


def _month(period: Period) -> Month:
    return (period.year, period.month)


class Monthly:
    """Per month and account, the sum of posting weights in one currency: one pass over the
    entries, from which every column of every statement is added up."""

    def __init__(self, entries: Sequence[data.Directive], currency: str, through: date) -> None:
        self.currency = currency
        self.months: dict[Month, dict[str, Decimal]] = {}
        # Per month, the first posting that cannot be stated in `currency`.
        self._foreign: dict[Month, tuple[data.Transaction, data.Posting, data.Amount]] = {}
        for entry in entries:
            if type(entry) is not data.Transaction or entry.date > through:
                continue
            key = (entry.date.year, entry.date.month)
            month = self.months.get(key)
            if month is None:
                month = self.months[key] = defaultdict(Decimal)
            for posting in entry.postings:
                units = posting.units
                if units is None:
                    continue
                weight = (
                    units
                    if posting.cost is None and posting.price is None
                    else convert.get_weight(posting)
                )
                if weight.currency != currency:
                    self._foreign.setdefault(key, (entry, posting, weight))
                    continue
                month[posting.account] += weight.number
        # Read-only from here (`monthly_of` shares one among reports): no defaultdict left
        # to grow a zero line when a report looks up an account a month did not move.
        self.months = {key: dict(accounts) for key, accounts in self.months.items()}

    @property
    def first(self) -> Month | None:
        """The earliest month with any entry."""
        return min(self.months) if self.months else None

    def between(self, first: Period | None, last: Period) -> dict[str, Decimal]:
        """Per account, the sum over the months from `first` (or the beginning) to `last`."""
        low = _month(first) if first is not None else (0, 0)
        high = _month(last)
        for month in sorted(self._foreign):
            if low <= month <= high:
                self._refuse(*self._foreign[month])
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for month, accounts in self.months.items():
            if low <= month <= high:
                for account, number in accounts.items():
                    totals[account] += number
        return totals

    def _refuse(self, entry: data.Transaction, posting: data.Posting, weight: data.Amount):
        raise BadInputError(
            f"{posting.account} {posting.units}: reports are in {self.currency}, and this "
            f"posting has no cost or price in {self.currency} to state it at; add one "
            f"(`@ 1.10 {self.currency}`) or keep the report's accounts in {self.currency}",
            Source.from_meta(entry.meta),
        )


_shared: dict[tuple[str, date], Monthly] = {}
_shared_entries: list[Sequence[data.Directive]] = []


def monthly_of(entries: Sequence[data.Directive], currency: str, through: date) -> Monthly:
    """The `Monthly` of `entries`, made once for the same list of entries: a close states
    the income statement, the balance sheet and the flux review over one ledger, and each
    report made its own pass over every entry (a second of a close of large books)."""
    if not _shared_entries or _shared_entries[0] is not entries:
        _shared.clear()
        _shared_entries[:] = [entries]  # kept alive while shared: its id is not reused
    key = (currency, through)
    if key not in _shared:
        _shared[key] = Monthly(entries, currency, through)
    return _shared[key]


def sums(
    entries: Sequence[data.Directive], currency: str, start: date | None, end: date
) -> dict[str, Decimal]:
    """Per account, the weight in `currency` of its postings dated from `start` to `end`."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if type(entry) is not data.Transaction or entry.date > end:
            continue
        if start is not None and entry.date < start:
            continue
        for posting in entry.postings:
            units = posting.units
            if units is None:
                continue
            weight = (
                units
                if posting.cost is None and posting.price is None
                else convert.get_weight(posting)
            )
            if weight.currency == currency:
                totals[posting.account] += weight.number
    return totals


def _compare_period(period: Period, compare: str | None) -> Period | None:
    if compare == "prior":
        return period.previous
    if compare == "year":
        return Period(period.year - 1, period.month)
    return None


def _months(first: Period, last: Period) -> list[Period]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = month.next
    return months


@dataclass(frozen=True)
class Line:
    account: str
    amount: Decimal
    compare: Decimal | None = None
    ytd: Decimal | None = None  # the fiscal year to date (income statement)


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    total: Decimal
    compare_total: Decimal | None = None
    ytd_total: Decimal | None = None


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


def _section(
    title: str,
    prefix: str,
    sign: int,
    now: dict[str, Decimal],
    then: dict[str, Decimal] | None,
    round_money: Callable[[Decimal], Decimal],
    ytd: dict[str, Decimal] | None = None,
) -> Section:
    """The accounts under `prefix`, signed for the reader, with the optional columns."""
    then_ = then or {}
    ytd_ = ytd or {}
    accounts = sorted(a for a in set(now) | set(then_) | set(ytd_) if a.startswith(prefix))

    def shown(values: dict[str, Decimal], account: str) -> Decimal:
        return round_money(sign * values.get(account, ZERO))

    lines = tuple(
        Line(
            a,
            shown(now, a),
            shown(then_, a) if then is not None else None,
            shown(ytd_, a) if ytd is not None else None,
        )
        for a in accounts
        if now.get(a, ZERO) or then_.get(a, ZERO) or ytd_.get(a, ZERO)
    )

    def total(values: dict[str, Decimal]) -> Decimal:
        return round_money(sign * sum((v for a, v in values.items() if a.startswith(prefix)), ZERO))

    return Section(
        title,
        lines,
        total(now),
        total(then_) if then is not None else None,
        total(ytd_) if ytd is not None else None,
    )


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
    fiscal_year_start: date | None = None
    ytd_net_income: Decimal | None = None
    trend: tuple[MonthPoint, ...] = ()  # each month of the fiscal year to date

    @property
    def problems(self) -> list[str]:
        return []


def income_statement(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    compare: str | None,
    options: dict | None = None,
) -> IncomeStatement:
    """The period's income and expenses, the fiscal year to date, and an optional column."""
    currency = settings.entity.currency
    round_money = rounder(options, currency)
    other = _compare_period(period, compare)
    monthly = monthly_of(entries, currency, period.end)
    year_start = fiscal_year_start(period.end, settings.entity.fiscal_year_start)
    first = Period.containing(year_start)
    now = monthly.between(period, period)
    then = monthly.between(other, other) if other else None
    ytd = monthly.between(first, period)

    income = _section("Income", "Income:", -1, now, then, round_money, ytd)
    expenses = _section("Expenses", "Expenses:", 1, now, then, round_money, ytd)
    trend = []
    for month in _months(first, period):
        moved = monthly.months.get(_month(month), {})
        earned = -sum((v for a, v in moved.items() if a.startswith("Income:")), ZERO)
        spent = sum((v for a, v in moved.items() if a.startswith("Expenses:")), ZERO)
        net = earned - spent
        trend.append(MonthPoint(str(month), *map(round_money, (earned, spent, net))))
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
        year_start,
        income.ytd_total - expenses.ytd_total,
        tuple(trend),
    )


def _cash_by_month(
    monthly: Monthly, settings: Settings, period: Period, round_money: Callable
) -> tuple[CashPoint, ...]:
    """Cash at each month end over the twelve months to `period` (fewer in young books)."""
    cash = set(settings.accounts_with_role(*CASH_ROLES))
    months = _months(Period(period.year - 1, period.month).next, period)
    start = monthly.first
    months = [m for m in months if start is not None and _month(m) >= start]
    balance = (
        sum((v for a, v in monthly.between(None, months[0].previous).items() if a in cash), ZERO)
        if months
        else ZERO
    )
    points = []
    for month in months:
        moved = monthly.months.get(_month(month), {})
        balance += sum((v for a, v in moved.items() if a in cash), ZERO)
        points.append(CashPoint(str(month), round_money(balance)))
    return tuple(points)


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
    cash_by_month: tuple[CashPoint, ...] = ()

    @property
    def problems(self) -> list[str]:
        if self.balanced:
            return []
        return [
            f"assets {self.assets.total:,} differ from liabilities and equity "
            f"{self.liabilities.total + self.equity.total:,}"
        ]


def balance_sheet(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    compare: str | None,
    options: dict | None = None,
) -> BalanceSheet:
    """Balances at the period's end, this fiscal year's earnings shown in equity."""
    currency = settings.entity.currency
    round_money = rounder(options, currency)
    other = _compare_period(period, compare)
    earnings = next(iter(settings.accounts_with_role("retained_earnings")), None)
    earnings = earnings or "Equity:RetainedEarnings"
    monthly = monthly_of(entries, currency, period.end)

    def balances(at: Period) -> dict[str, Decimal]:
        totals = dict(monthly.between(None, at))
        year_start = fiscal_year_start(at.end, settings.entity.fiscal_year_start)
        before = monthly.between(None, Period.containing(year_start - timedelta(days=1)))
        # Earlier fiscal years' income and expenses sit in retained earnings, this year's in
        # current earnings: what the books would show after the year-end closing entries.
        prior = sum((v for a, v in before.items() if a.startswith(PNL_ROOTS)), ZERO)
        current = sum((v for a, v in totals.items() if a.startswith(PNL_ROOTS)), ZERO) - prior
        totals = {a: v for a, v in totals.items() if not a.startswith(PNL_ROOTS)}
        totals[earnings] = totals.get(earnings, ZERO) + prior
        totals["Equity:Current earnings"] = current
        return totals

    now = balances(period)
    then = balances(other) if other else None

    assets = _section("Assets", "Assets:", 1, now, then, round_money)
    liabilities = _section("Liabilities", "Liabilities:", -1, now, then, round_money)
    equity = _section("Equity", "Equity:", -1, now, then, round_money)
    return BalanceSheet(
        str(period),
        period.end,
        currency,
        str(other) if other else None,
        assets,
        liabilities,
        equity,
        assets.total == liabilities.total + equity.total,
        _cash_by_month(monthly, settings, period, round_money),
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
    cash_by_month: tuple[CashPoint, ...] = ()

    @property
    def problems(self) -> list[str]:
        if self.ties:
            return []
        return [
            f"net change {self.net_change:,} differs from the change in cash "
            f"{self.cash_end - self.cash_start:,}"
        ]


def cash_flow(
    entries: Sequence[data.Directive],
    settings: Settings,
    period: Period,
    compare: str | None = None,
    options: dict | None = None,
) -> CashFlow:
    """Indirect method: net income, then every other balance sheet account's change."""
    currency = settings.entity.currency
    round_money = rounder(options, currency)
    cash = set(settings.accounts_with_role(*CASH_ROLES))
    monthly = monthly_of(entries, currency, period.end)
    moved = monthly.between(period, period)
    before = monthly.between(None, period.previous)
    after = monthly.between(None, period)
    net_income = -sum((v for a, v in moved.items() if a.startswith(PNL_ROOTS)), ZERO)
    # Exact changes per section; rounded as the lines and totals are made.
    sections: dict[str, list[tuple[str, Decimal]]] = {
        "operating": [],
        "investing": [],
        "financing": [],
    }
    for account in sorted(moved):
        if account in cash or account.startswith(PNL_ROOTS):
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
        sections[kind].append((account, change))

    def section(kind: str, title: str, extra: Decimal = ZERO) -> Section:
        lines = tuple(Line(account, round_money(change)) for account, change in sections[kind])
        exact = extra + sum((change for _, change in sections[kind]), ZERO)
        return Section(title, lines, round_money(exact))

    operating = section("operating", "Operating activities", net_income)
    investing = section("investing", "Investing activities")
    financing = section("financing", "Financing activities")
    net_change = round_money(
        net_income + sum((c for lines in sections.values() for _, c in lines), ZERO)
    )
    cash_start = round_money(sum((before.get(a, ZERO) for a in cash), ZERO))
    cash_end = round_money(sum((after.get(a, ZERO) for a in cash), ZERO))
    return CashFlow(
        str(period),
        period.start,
        period.end,
        currency,
        round_money(net_income),
        operating,
        investing,
        financing,
        net_change,
        cash_start,
        cash_end,
        cash_end - cash_start == net_change,
        _cash_by_month(monthly, settings, period, round_money),
    )
