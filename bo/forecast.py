"""The 13-week cash forecast: weekly cash from the actual balances, with scenarios.

Week by week from today's bank balances: receipts of open invoices (by due date, shifted by
each customer's observed delay; long-overdue ones are doubtful and left out), payments of
open bills by due date, and the items that recur monthly, as history shows them or as
bo.yaml declares them (`forecast.recurring`). Scenarios (scenarios/NAME.yaml) change those
inputs and run side by side with the base case.
"""

from __future__ import annotations

import calendar as calendar_module
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from beancount.core import data
from pydantic import Field, PrivateAttr

from bo.calendar import BusinessCalendar
from bo.cash import balances_at
from bo.errors import Finding, Source
from bo.reports.aging import aging
from bo.settings import Day, Settings, Strict

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _cash_accounts(settings: Settings, *roles: str) -> list[str]:
    return sorted(a for a, c in settings.accounts.items() if c.role in roles)


# --- scenarios: what-ifs read from scenarios/NAME.yaml ----------------------------------------


class LateCustomer(Strict):
    """A customer pays every open invoice `days` later than they usually do."""

    kind: Literal["late_customer"]
    customer: str = Field(min_length=1)
    days: int = Field(ge=-366, le=366, description="negative: pays earlier")


class ReceiptsDrop(Strict):
    """Every expected receipt is `pct` percent smaller."""

    kind: Literal["receipts_drop"]
    pct: Decimal = Field(gt=0, le=100)


class Hire(Strict):
    """Someone joins on `from` at a monthly cost (salary and employer taxes)."""

    kind: Literal["hire"]
    start: Day = Field(alias="from")
    monthly: Decimal = Field(gt=0, le=10**12)
    who: str = ""


class Purchase(Strict):
    """A one-off payment on a day."""

    kind: Literal["purchase"]
    date: Day
    amount: Decimal = Field(gt=0, le=10**12)
    what: str = "one-off purchase"


Change = Annotated[LateCustomer | ReceiptsDrop | Hire | Purchase, Field(discriminator="kind")]


class Scenario(Strict):
    """A scenarios/NAME.yaml file: a name and the changes it makes to the base case."""

    name: str = Field("", description="shown as the column title; default the file name")
    description: str = ""
    changes: list[Change] = Field(min_length=1)

    _path: str = PrivateAttr("")
    _lines: dict[tuple[Any, ...], int] = PrivateAttr(default_factory=dict)

    def source(self, *path: Any) -> Source:
        """Where a field of the scenario file is, for errors that point into it."""
        for end in range(len(path), -1, -1):
            if path[:end] in self._lines:
                return Source(self._path, self._lines[path[:end]])
        return Source(self._path)


def customers(entries: Sequence[data.Directive], settings: Settings) -> set[str]:
    """Every payee that ever had an invoice on a receivable account."""
    receivables = set(_cash_accounts(settings, "receivable"))
    return {
        entry.payee
        for entry in entries
        if type(entry) is data.Transaction
        and entry.payee
        and "invoice" in entry.meta
        and any(p.account in receivables for p in entry.postings)
    }


def check_scenario(scenario: Scenario, known_customers: set[str]) -> list[Finding]:
    """What a scenario names that the books do not have: a customer who was never invoiced
    would otherwise change nothing, silently."""
    import difflib

    findings = []
    for i, change in enumerate(scenario.changes):
        if isinstance(change, LateCustomer) and change.customer not in known_customers:
            close = difflib.get_close_matches(change.customer, sorted(known_customers), n=3)
            hint = (
                f"did you mean {', '.join(f'`{c}`' for c in close)}?"
                if close
                else (f"{len(known_customers)} customers are invoiced in the books")
            )
            findings.append(
                Finding(
                    scenario.source("changes", i, "customer"),
                    f"`changes[{i}].customer`: no customer `{change.customer}` in the books; "
                    + hint,
                    "scenario",
                )
            )
    return findings


@dataclass(frozen=True)
class Flow:
    """One expected receipt (positive) or payment (negative)."""

    date: date
    amount: Decimal
    what: str
    kind: str  # invoice | bill | recurring | declared | scenario


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    opening: Decimal
    receipts: Decimal
    disbursements: Decimal
    closing: Decimal
    below_minimum: bool


@dataclass(frozen=True)
class Forecast:
    scenario: str
    as_of: date
    minimum: Decimal
    weeks: tuple[Week, ...]
    flows: tuple[Flow, ...] = field(default=(), repr=False)
    doubtful: tuple[Flow, ...] = field(default=(), repr=False)  # invoices not counted on

    @property
    def breaches(self) -> list[Week]:
        return [w for w in self.weeks if w.below_minimum]


def _customer_delays(
    entries: Sequence[data.Directive], settings: Settings, as_of: date
) -> dict[str, int]:
    """Each customer's habit: the median, by amount, of days from due date to payment.

    By amount, over every payment: a customer who pays most of an invoice on time and the
    last small part weeks later pays on time, for cash."""
    receivables = set(_cash_accounts(settings, "receivable"))
    due: dict[str, date] = {}
    paid: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for entry in sorted(
        (e for e in entries if type(e) is data.Transaction and e.date <= as_of),
        key=lambda e: e.date,
    ):
        invoice = entry.meta.get("invoice")
        if invoice is None:
            continue
        key = str(invoice)
        if "due" in entry.meta and isinstance(entry.meta["due"], date):
            due[key] = entry.meta["due"]
            continue
        for posting in entry.postings:
            if posting.account in receivables and posting.units.number < 0 and key in due:
                days = (entry.date - due[key]).days
                paid[entry.payee or ""].append((days, -posting.units.number))
    delays = {}
    for customer, payments in paid.items():
        payments.sort()
        half, running = sum(a for _, a in payments) / 2, ZERO
        for days, amount in payments:
            running += amount
            if running >= half:
                delays[customer] = days
                break
    return delays


@dataclass(frozen=True)
class Recurring:
    """A monthly series: payee, day of the month, amount (negative is money out)."""

    payee: str
    day: int
    amount: Decimal
    months: tuple[int, ...] = tuple(range(1, 13))
    start: date | None = None
    until: date | None = None
    declared: bool = False
    shift: str = "after"  # a day off: paid the business day "before" or "after" it
    done: frozenset[tuple[int, int]] = frozenset()  # months it was already paid in
    card: str | None = None  # a card payment: pays the card's balance at the month end before
    usual: Decimal = ZERO  # the median payment, for months whose card balance is not known yet


# History looked at for recurring items: four months, of which three must have the item.
LOOKBACK_MONTHS, MIN_MONTHS = 4, 3


def find_recurring(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    calendar: BusinessCalendar | None = None,
) -> list[Recurring]:
    """Receipts and payments on the bank accounts that recur monthly, and vendors who bill
    every month.

    A payee in at least three of the last four months recurs. Paid twice a month (payroll),
    it is two series, the month's first and second payment. Each series takes the day its
    dates fit best and its latest amount: payroll and the taxes on it follow hires and
    raises, which a median of old months would lag behind. A vendor billing monthly recurs
    too, for the months after its open bills (those are forecast from their due dates).
    """
    banks = set(_cash_accounts(settings, "bank"))
    cards = set(_cash_accounts(settings, "card"))
    payables = set(_cash_accounts(settings, "payable"))
    first = _add_months(date(as_of.year, as_of.month, 1), -LOOKBACK_MONTHS)
    seen: dict[tuple[str, bool], list[tuple[date, Decimal]]] = defaultdict(list)
    card_of: dict[str, str] = {}
    billed: set[str] = set()
    for entry in entries:
        if type(entry) is not data.Transaction or not first <= entry.date <= as_of:
            continue
        accounts = {p.account for p in entry.postings}
        if accounts <= banks:
            continue  # money moving between the bank accounts
        amount = sum((p.units.number for p in entry.postings if p.account in banks), ZERO)
        payee = entry.payee or entry.narration or ""
        if "invoice" in entry.meta:
            # Bills and invoices are forecast from their due dates; a vendor's monthly bills
            # recur beyond the open ones.
            if not accounts & payables or amount >= 0:
                continue
            billed.add(payee)
        if amount:
            seen[(payee, amount > 0)].append((entry.date, amount))
            if accounts - banks <= cards:
                card_of[payee] = min(accounts - banks)
    open_bills: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for item in aging(entries, settings, "payable", as_of).items:
        if item.due is not None and item.party in billed:
            open_bills[item.party].add((item.due.year, item.due.month))
    found = []
    for (payee, _sign), payments in seen.items():
        by_month: dict[tuple[int, int], list[tuple[date, Decimal]]] = defaultdict(list)
        for day, amount in sorted(payments):
            by_month[(day.year, day.month)].append((day, amount))
        if len(by_month) < MIN_MONTHS:
            continue
        per_month = int(statistics.median(len(v) for v in by_month.values()))
        for index in range(per_month):
            series = [v[index] for v in by_month.values() if len(v) > index]
            day, shift = _nominal_day([d for d, _ in series], calendar)
            done = {month for month, v in by_month.items() if len(v) > index}
            if payee in billed:
                done |= open_bills[payee]
            found.append(
                Recurring(
                    payee,
                    day,
                    series[-1][1],
                    shift=shift,
                    done=frozenset(done),
                    card=card_of.get(payee),
                    usual=Decimal(statistics.median(a for _, a in series)),
                )
            )
    return sorted(found, key=lambda r: (r.payee, r.day))


def declared_recurring(settings: Settings) -> list[Recurring]:
    """bo.yaml's `forecast.recurring`."""
    return [
        Recurring(
            item.payee,
            item.day,
            item.amount.number,
            tuple(item.months),
            item.start,
            item.until,
            declared=True,
        )
        for item in settings.forecast.recurring
    ]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _in_month(
    month: date, day: int, calendar: BusinessCalendar | None, shift: str = "after"
) -> date:
    """The business day a payment due on `day` of `month` goes out: the one `shift` of it,
    or the other way when that would leave the month (payroll on the last business day)."""
    last = calendar_module.monthrange(month.year, month.month)[1]
    due = month.replace(day=min(day, last))
    if calendar is None or calendar.is_business_day(due):
        return due
    steps = (1, -1) if shift == "after" else (-1, 1)
    for step in steps:
        when = due
        while not calendar.is_business_day(when):
            when += timedelta(days=step)
        if when.month == due.month:
            return when
    return due


def _nominal_day(paid: Sequence[date], calendar: BusinessCalendar | None) -> tuple[int, str]:
    """The day of the month a series is due on, and which way a day off moves it: the pair
    its payment dates fit best (the median of the dates drifts with weekends)."""

    def misfit(day: int, shift: str) -> int:
        return sum(abs((_in_month(d.replace(day=1), day, calendar, shift) - d).days) for d in paid)

    return min(
        ((day, shift) for day in range(1, 32) for shift in ("after", "before")),
        key=lambda pair: (misfit(*pair), abs(pair[0] - paid[-1].day)),
    )


def _occurrences(item: Recurring, as_of: date, end: date, calendar: BusinessCalendar | None):
    month = date(as_of.year, as_of.month, 1)
    while month <= end:
        when = _in_month(month, item.day, calendar, item.shift)
        if (
            month.month in item.months
            and (month.year, month.month) not in item.done
            and as_of < when <= end
            and (item.start is None or when >= item.start)
            and (item.until is None or when <= item.until)
        ):
            yield when
        month = _add_months(month, 1)


def _card_payment(
    item: Recurring, when: date, as_of: date, card_balances: dict[tuple[str, date], Decimal]
) -> Decimal:
    """A card paid in full pays its balance at the month end before; once that month end is
    past the forecast's start, the usual payment."""
    statement = date(when.year, when.month, 1) - timedelta(days=1)
    balance = card_balances.get((item.card or "", statement))
    return balance if statement <= as_of and balance is not None and balance < 0 else item.usual


def forecast(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    weeks: int = 13,
    scenario: Scenario | None = None,
    *,
    calendar: BusinessCalendar | None = None,
) -> Forecast:
    """The forecast of `weeks` weeks after `as_of`, of the base case or a scenario."""
    changes = scenario.changes if scenario else []
    banks = set(_cash_accounts(settings, "bank"))
    minimum = sum(
        (settings.accounts[a].minimum.number for a in banks if settings.accounts[a].minimum),
        ZERO,
    )
    opening = sum(balances_at(entries, banks, as_of).values(), ZERO)
    end = as_of + timedelta(days=7 * weeks)
    tomorrow = as_of + timedelta(days=1)
    late: dict[str, int] = defaultdict(int)
    for change in changes:
        if isinstance(change, LateCustomer):
            late[change.customer] += change.days
    keep = 1 - sum((c.pct for c in changes if isinstance(c, ReceiptsDrop)), ZERO) / 100

    flows: list[Flow] = []
    doubtful: list[Flow] = []
    delays = _customer_delays(entries, settings, as_of)
    doubtful_days = settings.forecast.doubtful_after_days
    for item in aging(entries, settings, "receivable", as_of).items:
        if item.due is None or item.amount <= 0:
            continue
        what = f"{item.party} {item.invoice}"
        if (as_of - item.due).days > doubtful_days:
            doubtful.append(Flow(item.due, item.amount, what, "invoice"))
            continue
        # Already later than the customer's habit: expected as soon as it can arrive.
        expected = max(item.due + timedelta(days=delays.get(item.party, 0)), tomorrow)
        expected += timedelta(days=late.get(item.party, 0))
        flows.append(Flow(expected, (item.amount * keep).quantize(CENT), what, "invoice"))
    for item in aging(entries, settings, "payable", as_of).items:
        if item.due is None or item.amount <= 0:
            continue
        what = f"{item.party} {item.invoice}"
        flows.append(Flow(max(item.due, tomorrow), -item.amount, what, "bill"))

    declared = declared_recurring(settings)
    named = {item.payee.casefold() for item in declared}
    detected = [
        r
        for r in find_recurring(entries, settings, as_of, calendar)
        if r.payee.casefold() not in named
    ]
    card_balances: dict[tuple[str, date], Decimal] = {}
    for card in {item.card for item in detected if item.card}:
        for back in range(2):
            month_end = _add_months(date(as_of.year, as_of.month, 1), 1 - back) - timedelta(1)
            if month_end <= as_of:
                balance = balances_at(entries, {card}, month_end)[card]
                card_balances[(card, month_end)] = balance
    for item in [*detected, *declared]:
        kind = "declared" if item.declared else "recurring"
        for when in _occurrences(item, as_of, end, calendar):
            amount = item.amount
            if item.card:
                amount = _card_payment(item, when, as_of, card_balances)
            if amount > 0:
                amount = (amount * keep).quantize(CENT)
            flows.append(Flow(when, amount.quantize(CENT), f"{item.payee} ({kind})", kind))

    for change in changes:
        if isinstance(change, Hire):
            hire = Recurring(f"hire {change.who}".strip(), 28, -change.monthly, start=change.start)
            for when in _occurrences(hire, as_of, end, calendar):
                flows.append(Flow(when, hire.amount, hire.payee, "scenario"))
        elif isinstance(change, Purchase):
            flows.append(Flow(change.date, -change.amount, change.what, "scenario"))

    rows = []
    cash = opening
    by_week: dict[int, list[Flow]] = defaultdict(list)
    for flow in flows:
        if tomorrow <= flow.date <= end:
            by_week[(flow.date - tomorrow).days // 7].append(flow)
    for index in range(weeks):
        start = tomorrow + timedelta(days=7 * index)
        inflow = sum((f.amount for f in by_week[index] if f.amount > 0), ZERO)
        outflow = -sum((f.amount for f in by_week[index] if f.amount < 0), ZERO)
        closing = cash + inflow - outflow
        inflow, outflow = inflow.quantize(CENT), outflow.quantize(CENT)
        rows.append(
            Week(
                start, start + timedelta(days=6), cash, inflow, outflow, closing, closing < minimum
            )
        )
        cash = closing
    return Forecast(
        scenario.name if scenario else "base",
        as_of,
        minimum,
        tuple(rows),
        tuple(sorted(flows, key=lambda f: (f.date, f.what))),
        tuple(sorted(doubtful, key=lambda f: (f.date, f.what))),
    )
