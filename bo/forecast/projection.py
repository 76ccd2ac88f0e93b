"""The expected cash of each currency, week by week: every flow the history expects, and a
scenario's changes to them. Amounts are never added across currencies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data

from bo.calendar import BusinessCalendar
from bo.forecast.documents import (
    find_recurring_documents,
    learn_habits,
    new_document_flows,
    open_document_flows,
    seasonal_factors,
)
from bo.forecast.history import History, read_history
from bo.forecast.model import CENT, ZERO, Flow
from bo.forecast.paid_off import find_paid_off, other_payments, paid_off_flows
from bo.forecast.recurring import (
    Series,
    declared_series,
    find_series,
    irregular_flows,
    occurrences,
    series_flows,
)
from bo.forecast.scenarios import Hire, LateCustomer, Purchase, ReceiptsDrop, Scenario
from bo.forecast.sweeps import Sweep, find_sweeps, not_swept, with_sweeps
from bo.settings import Settings


@dataclass(frozen=True)
class Expected:
    """What one currency's cash is expected to see, before any scenario."""

    currency: str
    accounts: tuple[str, ...]
    opening: Decimal
    minimum: Decimal
    flows: tuple[Flow, ...]
    doubtful: tuple[Flow, ...]
    notes: tuple[str, ...] = ()
    sweeps: tuple[Sweep, ...] = ()  # the cash beyond a level taken out: see `with_sweeps`


def expected(
    entries: Sequence[data.Directive],
    settings: Settings,
    as_of: date,
    weeks: int,
    *,
    calendar: BusinessCalendar | None = None,
    options: dict | None = None,
) -> dict[str, Expected]:
    """Each currency's expected flows over `weeks` weeks after `as_of`, from the entries dated
    on or before it."""
    history = read_history(entries, settings, as_of, options)
    return expected_from(history, settings, weeks, calendar=calendar)


def expected_from(
    history: History, settings: Settings, weeks: int, *, calendar: BusinessCalendar | None = None
) -> dict[str, Expected]:
    """`expected`, from the books already read."""
    as_of = history.as_of
    end = as_of + timedelta(days=7 * weeks)
    flows: list[Flow] = []
    doubtful: list[Flow] = []
    for side in ("receivable", "payable"):
        habits = learn_habits([d for d in history.documents if d.side == side], side, as_of)
        doubtful_after = settings.forecast.doubtful_after_days if side == "receivable" else None
        found, unlikely = open_document_flows(history, side, habits, doubtful_after)
        flows += found
        doubtful += unlikely
        recurring = find_recurring_documents(history.documents, side, as_of)
        seasons = seasonal_factors(history, side, recurring)
        flows += new_document_flows(history, side, habits, end, recurring, seasons)
    sweeps = find_sweeps(history)
    flows += _scheduled(history, settings, end, calendar, sweeps)

    out = {}
    currencies = sorted(history.accounts, key=lambda c: (c != settings.entity.currency, c))
    for currency in currencies:
        accounts = history.accounts[currency]
        out[currency] = Expected(
            currency,
            accounts,
            history.cash.get(currency, ZERO),
            _minimum(settings, accounts, currency),
            tuple(sorted((f for f in flows if f.currency == currency), key=_order)),
            tuple(sorted((f for f in doubtful if f.currency == currency), key=_order)),
            _uncounted(flows, set(currencies)),
            tuple(s for s in sweeps if s.currency == currency),
        )
    return out


def _scheduled(
    history: History,
    settings: Settings,
    end: date,
    calendar: BusinessCalendar | None,
    sweeps: Sequence[Sweep] = (),
) -> list[Flow]:
    """Recurring items (declared in bo.yaml first), what is paid off in full (cards, taxes
    withheld) and the irregular rest (but what a sweep took)."""
    as_of = history.as_of
    paid_off = find_paid_off(history, calendar)
    movements = [*not_swept(history, sweeps), *other_payments(history, paid_off)]
    declared = declared_series(settings)
    named = {item.payee.casefold() for item in declared}
    detected = [
        s
        for s in find_series(movements, as_of, calendar, history.kinds)
        if s.payee.casefold() not in named
    ]
    return [
        *series_flows([*detected, *declared], as_of, end, calendar, history.loans),
        *paid_off_flows(paid_off, as_of, end, calendar),
        *irregular_flows(movements, detected, as_of, history.start, end, named, history.kinds),
    ]


def _order(flow: Flow) -> tuple:
    return (flow.date, flow.what, flow.amount)


def _minimum(settings: Settings, accounts: Sequence[str], currency: str) -> Decimal:
    """The minimums of the cash accounts in `currency`, together."""
    total = ZERO
    for account in accounts:
        minimum = settings.accounts[account].minimum if account in settings.accounts else None
        if minimum is not None and minimum.currency == currency:
            total += minimum.number
    return total


def _uncounted(flows: Sequence[Flow], currencies: set[str]) -> tuple[str, ...]:
    """Flows in a currency no cash account holds: named, not converted, not counted."""
    other: dict[str, Decimal] = defaultdict(Decimal)
    for flow in flows:
        if flow.currency not in currencies:
            other[flow.currency] += flow.amount
    return tuple(
        f"{amount:,.2f} {currency} expected in {currency}, which no bank account holds: not counted"
        for currency, amount in sorted(other.items())
    )


def with_scenario(
    base: Expected,
    scenario: Scenario | None,
    as_of: date,
    weeks: int,
    base_currency: str,
    calendar: BusinessCalendar | None = None,
) -> list[Flow]:
    """The base flows with a scenario's changes: late customers move their invoices, a drop
    shrinks every receipt, a hire and a purchase add payments (in the base currency)."""
    if scenario is None:
        return list(base.flows)
    end = as_of + timedelta(days=7 * weeks)
    late: dict[str, int] = defaultdict(int)
    drop = ZERO
    extra: list[Flow] = []
    for change in scenario.changes:
        if isinstance(change, LateCustomer):
            late[change.customer] += change.days
        elif isinstance(change, ReceiptsDrop):
            drop += change.pct
        elif base.currency != base_currency:
            continue
        elif isinstance(change, Hire):
            hire = Series(
                payee=f"hire {change.who}".strip(),
                currency=base.currency,
                amount=-change.monthly,
                cadence="monthly",
                day=28,
                start=change.start,
            )
            extra += [
                Flow(
                    when, hire.amount, hire.payee, "scenario", "the scenario's hire", base.currency
                )
                for when in occurrences(hire, as_of, end, calendar)
            ]
        elif isinstance(change, Purchase):
            extra.append(
                Flow(
                    change.date,
                    -change.amount,
                    change.what,
                    "scenario",
                    "the scenario",
                    base.currency,
                )
            )
    keep = 1 - drop / 100
    flows = []
    for flow in base.flows:
        if flow.party in late and flow.kind in ("invoice", "retainer"):
            flow = replace(flow, date=flow.date + timedelta(days=late[flow.party]))
        if flow.amount > 0 and drop:
            flow = replace(flow, amount=(flow.amount * keep).quantize(CENT))
        flows.append(flow)
    return sorted([*flows, *extra], key=_order)


def swept(
    expect: Expected,
    flows: Sequence[Flow],
    as_of: date,
    weeks: int,
    calendar: BusinessCalendar | None = None,
) -> list[Flow]:
    """`flows` with the sweeps they leave cash for (after a scenario's changes: a customer
    paying late leaves less to take out)."""
    end = as_of + timedelta(days=7 * weeks)
    return with_sweeps(flows, expect.opening, expect.sweeps, as_of, end, calendar)


def weekly_cash(
    flows: Sequence[Flow], opening: Decimal, as_of: date, weeks: int
) -> list[tuple[date, date, Decimal, Decimal, Decimal]]:
    """(start, end, receipts, disbursements, closing) of each week after `as_of`."""
    tomorrow = as_of + timedelta(days=1)
    by_week: dict[int, list[Decimal]] = defaultdict(list)
    for flow in flows:
        index = (flow.date - tomorrow).days // 7
        if 0 <= index < weeks:
            by_week[index].append(flow.amount)
    rows = []
    cash = opening
    for index in range(weeks):
        start = tomorrow + timedelta(days=7 * index)
        inflow = sum((a for a in by_week[index] if a > 0), ZERO)
        outflow = -sum((a for a in by_week[index] if a < 0), ZERO)
        cash = cash + inflow - outflow
        rows.append(
            (start, start + timedelta(days=6), inflow.quantize(CENT), outflow.quantize(CENT), cash)
        )
    return rows
